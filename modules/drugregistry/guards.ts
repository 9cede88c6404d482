/**
 * Checks shared by the Msg handlers: who the signer is, item lists, and a per-message cache of
 * product/batch records used to derive each unit's effective status.
 */
import { ErrUnauthorized } from '../../app/types/errors.js';
import type { Batch, Participant, Product, Unit, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import {
  ErrBatchNotFound,
  ErrBatchRecalled,
  ErrDuplicateItem,
  ErrExpired,
  ErrInvalidField,
  ErrInvalidHash,
  ErrInTransit,
  ErrParticipantInactive,
  ErrProductNotFound,
  ErrProductWithdrawn,
  ErrQuarantined,
  ErrRoleRequired,
  ErrTooManyItems,
  ErrUnitInactive,
  ErrUnitNotFound,
} from './errors.js';
import { isHashOrEmpty, normalizeGtin, validateSerial, validateSscc } from './identifiers.js';
import { unitId } from './keys.js';
import type { RegistryState } from './state.js';
import { effectiveFlags, type EffectiveFlags, type Role } from './status.js';

export const hasRole = (p: Participant | undefined, role: Role) => !!p && p.roles.includes(role);
export const isActive = (p: Participant | undefined): p is Participant => !!p && p.status === 'ACTIVE';

/** The signer's participant record; unregistered signers are unauthorized. */
export function registered(st: RegistryState, address: string): Participant {
  const p = st.participant(address);
  if (!p) throw ErrUnauthorized.wrap(`${address} is not a registered participant`);
  return p;
}

/** An ACTIVE participant holding one of `roles` (any role when empty). */
export function activeWithRole(st: RegistryState, address: string, roles: readonly Role[] = []): Participant {
  const p = registered(st, address);
  if (p.status !== 'ACTIVE') throw ErrParticipantInactive.wrap(`${address} is ${p.status}`);
  if (roles.length > 0 && !roles.some((r) => p.roles.includes(r))) {
    throw ErrRoleRequired.wrap(`${address} needs role ${roles.join(' or ')} (has ${p.roles.join(', ') || 'none'})`);
  }
  return p;
}

export const isActiveRegulator = (p: Participant | undefined) => isActive(p) && hasRole(p, 'REGULATOR');

export function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw ErrInvalidField.wrap(`${field} "${value}" must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function text(st: RegistryState, field: string, value: string, required: boolean): string {
  const max = st.params().maxStringLength;
  if (required && value.length === 0) throw ErrInvalidField.wrap(`${field} must not be empty`);
  if (value.length > max) throw ErrInvalidField.wrap(`${field} is ${value.length} characters, at most ${max}`);
  return value;
}

export function hash(field: string, value: string): string {
  if (!isHashOrEmpty(value)) throw ErrInvalidHash.wrap(`${field} must be a lower-case hex sha-256 (64 chars) or empty`);
  return value;
}

/** Validated, GTIN-normalized unit refs; duplicates rejected. */
export function normalizeRefs(refs: readonly UnitRef[]): UnitRef[] {
  const seen = new Set<string>();
  return refs.map((r) => {
    const gtin = normalizeGtin(r.gtin);
    const serial = validateSerial(r.serial);
    const id = unitId(gtin, serial);
    if (seen.has(id)) throw ErrDuplicateItem.wrap(`unit ${gtin}/${serial} is listed twice`);
    seen.add(id);
    return { gtin, serial };
  });
}

export function normalizeSsccs(ssccs: readonly string[]): string[] {
  const seen = new Set<string>();
  return ssccs.map((s) => {
    validateSscc(s);
    if (seen.has(s)) throw ErrDuplicateItem.wrap(`container ${s} is listed twice`);
    seen.add(s);
    return s;
  });
}

export function limitItems(st: RegistryState, count: number): void {
  const max = st.params().maxUnitsPerMsg;
  if (count > max) throw ErrTooManyItems.wrap(`${count} units (after expanding containers), at most ${max} per message`);
}

export function loadUnit(st: RegistryState, ref: UnitRef): Unit {
  const u = st.unit(ref.gtin, ref.serial);
  if (!u) throw ErrUnitNotFound.wrap(`no unit ${ref.gtin}/${ref.serial}`);
  return u;
}

/** The error for a unit that must be stored ACTIVE but is not. */
export function requireStoredActive(u: Unit): void {
  if (u.status === 'ACTIVE') return;
  const id = `${u.gtin}/${u.serial}`;
  if (u.status === 'QUARANTINED') throw ErrQuarantined.wrap(`unit ${id} is quarantined (investigation ${u.investigationId})`);
  if (u.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`unit ${id} is in shipment ${u.shipmentId}`);
  throw ErrUnitInactive.wrap(`unit ${id} is ${u.status}`);
}

/** Per-message cache of products and batches (a message touches few of them, many units). */
export class Lookup {
  private readonly products = new Map<string, Product>();
  private readonly batches = new Map<string, Batch>();
  constructor(private readonly st: RegistryState) {}

  product(gtin: string): Product {
    let p = this.products.get(gtin);
    if (!p) {
      p = this.st.product(gtin);
      if (!p) throw ErrProductNotFound.wrap(`no product ${gtin}`);
      this.products.set(gtin, p);
    }
    return p;
  }

  batch(gtin: string, lot: string): Batch {
    const id = unitId(gtin, lot);
    let b = this.batches.get(id);
    if (!b) {
      b = this.st.batch(gtin, lot);
      if (!b) throw ErrBatchNotFound.wrap(`no batch ${gtin} lot ${lot}`);
      this.batches.set(id, b);
    }
    return b;
  }

  flags(u: Unit): EffectiveFlags {
    return effectiveFlags(this.batch(u.gtin, u.lot), this.product(u.gtin), this.st.now);
  }

  /** Rejects recalled, withdrawn or expired stock (the EMVS hierarchy: batch, product, expiry). */
  requireSaleable(u: Unit): void {
    const f = this.flags(u);
    const id = `${u.gtin}/${u.serial}`;
    if (f.recalled) throw ErrBatchRecalled.wrap(`unit ${id}: lot ${u.lot} is recalled`);
    if (f.withdrawn) throw ErrProductWithdrawn.wrap(`unit ${id}: product ${u.gtin} is withdrawn`);
    if (f.expired) throw ErrExpired.wrap(`unit ${id}: lot ${u.lot} expired on ${this.batch(u.gtin, u.lot).expiry}`);
  }
}
