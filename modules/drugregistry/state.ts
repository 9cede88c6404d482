/**
 * Typed access to the module's store: the only code that reads or writes drugregistry keys.
 * One RegistryState wraps one context's store (gas-metered, prefixed by the module's store key).
 */
import { prefixEnd } from '../../app/store/bytes.js';
import type { KVStore, StoreKey } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';
import {
  Batch,
  Container,
  Investigation,
  Params,
  Participant,
  Product,
  Recall,
  Shipment,
  Unit,
  UnitEvent,
  type UnitRef,
} from '../../generated/parazone/drugregistry/v1/types.js';
import { keys, keyTail, PRESENT } from './keys.js';
import { defaultParams } from './params.js';
import { effectiveFlags, effectiveStatus, epcisFor, inCustody, type EffectiveFlags, type UnitEventType } from './status.js';

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
}

/** What a handler says about a unit state change; the rest of the trace record is filled in here. */
export interface EventInput {
  type: UnitEventType;
  actor: string;
  from?: string;
  to?: string;
  shipmentId?: string;
  container?: string;
  reason?: string;
  investigationId?: bigint;
  tiHash?: string;
  purpose?: string;
}

export class RegistryState {
  readonly kv: KVStore;
  private cachedParams: Params | undefined;
  /** Effective flags per lot for this context's trace events; any batch or product write clears it. */
  private readonly flagsByLot = new Map<string, EffectiveFlags>();

  constructor(
    readonly ctx: Context,
    storeKey: StoreKey,
  ) {
    this.kv = ctx.kv(storeKey);
  }

  get now(): Date {
    return this.ctx.time;
  }
  get nowIso(): string {
    return this.ctx.time.toISOString();
  }

  private read<T>(codec: Codec<T>, key: Uint8Array): T | undefined {
    const raw = this.kv.get(key);
    return raw === undefined ? undefined : codec.decode(raw);
  }
  private write<T>(codec: Codec<T>, key: Uint8Array, value: T): void {
    this.kv.set(key, codec.encode(value).finish());
  }

  // ---- records -------------------------------------------------------------------------------
  params(): Params {
    if (!this.cachedParams) this.cachedParams = this.read(Params, keys.params()) ?? defaultParams();
    return this.cachedParams;
  }
  setParams(p: Params): void {
    this.cachedParams = p;
    this.write(Params, keys.params(), p);
  }
  participant(address: string) {
    return this.read(Participant, keys.participant(address));
  }
  setParticipant(p: Participant) {
    this.write(Participant, keys.participant(p.address), p);
  }
  product(gtin: string) {
    return this.read(Product, keys.product(gtin));
  }
  setProduct(p: Product) {
    this.flagsByLot.clear();
    this.write(Product, keys.product(p.gtin), p);
  }
  batch(gtin: string, lot: string) {
    return this.read(Batch, keys.batch(gtin, lot));
  }
  setBatch(b: Batch) {
    this.flagsByLot.clear();
    this.write(Batch, keys.batch(b.gtin, b.lot), b);
  }
  unit(gtin: string, serial: string) {
    return this.read(Unit, keys.unit(gtin, serial));
  }
  hasUnit(gtin: string, serial: string) {
    return this.kv.has(keys.unit(gtin, serial));
  }
  /** Writes the unit record only; state changes go through `transitionUnit`. */
  putUnit(u: Unit) {
    this.write(Unit, keys.unit(u.gtin, u.serial), u);
  }
  container(sscc: string) {
    return this.read(Container, keys.container(sscc));
  }
  setContainer(c: Container) {
    this.write(Container, keys.container(c.sscc), c);
  }
  shipment(id: string) {
    return this.read(Shipment, keys.shipment(id));
  }
  setShipment(s: Shipment) {
    this.write(Shipment, keys.shipment(s.id), s);
  }
  recall(id: bigint) {
    return this.read(Recall, keys.recall(id));
  }
  setRecall(r: Recall) {
    this.write(Recall, keys.recall(r.id), r);
  }
  investigation(id: bigint) {
    return this.read(Investigation, keys.investigation(id));
  }
  setInvestigation(i: Investigation) {
    this.write(Investigation, keys.investigation(i.id), i);
  }

  // ---- sequences -----------------------------------------------------------------------------
  private bumpCounter(key: Uint8Array): bigint {
    const raw = this.kv.get(key);
    const next = (raw ? Buffer.from(raw).readBigUInt64BE() : 0n) + 1n;
    this.setCounter(key, next);
    return next;
  }
  setCounter(key: Uint8Array, value: bigint) {
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64BE(value);
    this.kv.set(key, new Uint8Array(buf));
  }
  counter(key: Uint8Array): bigint {
    const raw = this.kv.get(key);
    return raw ? Buffer.from(raw).readBigUInt64BE() : 0n;
  }
  /** Shipment ids are "<sender>-<n>" from a per-sender nonce: no module-wide key written per Ship. */
  nextShipmentId(sender: string): string {
    return `${sender}-${this.bumpCounter(keys.shipNonce(sender))}`;
  }
  nextRecallId(): bigint {
    return this.bumpCounter(keys.recallSeq());
  }
  nextInvestigationId(): bigint {
    return this.bumpCounter(keys.investigationSeq());
  }

  // ---- unit state changes --------------------------------------------------------------------
  /** Recall, withdrawal and expiry of a unit's lot at this block's time. */
  flagsOf(u: Unit): EffectiveFlags {
    const lot = `${u.gtin}|${u.lot}`;
    let f = this.flagsByLot.get(lot);
    if (!f) {
      f = effectiveFlags(this.batch(u.gtin, u.lot)!, this.product(u.gtin)!, this.now);
      this.flagsByLot.set(lot, f);
    }
    return f;
  }

  /**
   * Applies `change` to `u`, keeps idx/holder equal to the units in custody (I3), appends exactly
   * one trace event (I8) and writes the unit. The event carries the unit's effective status after
   * the change, read from its batch and product now, and the CBV vocabulary for that status.
   */
  transitionUnit(u: Unit, change: Partial<Unit>, ev: EventInput): void {
    const before = inCustody(u.status) ? u.holder : undefined;
    Object.assign(u, change);
    const after = inCustody(u.status) ? u.holder : undefined;
    if (before !== after) {
      if (before !== undefined) this.kv.delete(keys.holderIndex(before, u.gtin, u.serial));
      if (after !== undefined) this.kv.set(keys.holderIndex(after, u.gtin, u.serial), PRESENT);
    }
    const seq = u.nextEventSeq;
    u.nextEventSeq = seq + 1n;
    const status = effectiveStatus(u.status, this.flagsOf(u));
    const e = epcisFor(ev, status);
    this.write(UnitEvent, keys.unitEvent(u.gtin, u.serial, seq), {
      seq,
      height: BigInt(this.ctx.height),
      time: this.nowIso,
      type: ev.type,
      actor: ev.actor,
      from: ev.from ?? '',
      to: ev.to ?? '',
      shipmentId: ev.shipmentId ?? '',
      container: ev.container ?? '',
      reason: ev.reason ?? '',
      investigationId: ev.investigationId ?? 0n,
      epcisEventType: e.epcisEventType,
      action: e.action,
      bizStep: e.bizStep,
      disposition: e.disposition,
      status,
      holder: u.holder,
      tiHash: ev.tiHash ?? '',
      purpose: ev.purpose ?? '',
    });
    this.putUnit(u);
  }

  // ---- indexes -------------------------------------------------------------------------------
  setIndex(key: Uint8Array) {
    this.kv.set(key, PRESENT);
  }
  deleteIndex(key: Uint8Array) {
    this.kv.delete(key);
  }
  hasIndex(key: Uint8Array) {
    return this.kv.has(key);
  }

  /** Keys (with `prefix` stripped) under a prefix, in key order. */
  *tails(prefix: Uint8Array, reverse = false): Generator<string> {
    for (const { key } of this.kv.iterator(prefix, prefixEnd(prefix), reverse)) yield keyTail(key, prefix.length);
  }

  *scan<T>(codec: { decode(b: Uint8Array): T }, prefix: Uint8Array, reverse = false): Generator<T> {
    for (const { value } of this.kv.iterator(prefix, prefixEnd(prefix), reverse)) yield codec.decode(value);
  }

  childUnits(sscc: string): UnitRef[] {
    const out: UnitRef[] = [];
    for (const tail of this.tails(keys.childUnitsOf(sscc))) {
      const [gtin, serial] = splitOnce(tail);
      out.push({ gtin, serial });
    }
    return out;
  }
  childContainers(sscc: string): string[] {
    return [...this.tails(keys.childContainersOf(sscc))];
  }

  /** Every container and unit below `sscc`, depth first (bounded by depth and children params). */
  descendants(sscc: string, into: { units: UnitRef[]; containers: string[] } = { units: [], containers: [] }) {
    into.units.push(...this.childUnits(sscc));
    for (const c of this.childContainers(sscc)) {
      into.containers.push(c);
      this.descendants(c, into);
    }
    return into;
  }
}

/** Splits "a|b" at the first separator (GTIN and addresses never contain it). */
export function splitOnce(text: string): [string, string] {
  const i = text.indexOf('|');
  return [text.slice(0, i), text.slice(i + 1)];
}
