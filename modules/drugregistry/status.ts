/**
 * Status vocabulary and its derivations: which stored statuses are "in
 * custody", the effective (derived) flags, and the EPCIS/CBV mapping of trace events.
 */
import type { Batch, Product, Unit } from '../../generated/parazone/drugregistry/v1/types.js';
import { isExpired } from './identifiers.js';

export const ROLES = ['MANUFACTURER', 'WHOLESALER', 'DISPENSER', 'REGULATOR'] as const;
export type Role = (typeof ROLES)[number];
export const TRADING_ROLES: readonly Role[] = ['MANUFACTURER', 'WHOLESALER', 'DISPENSER'];
export const PARTICIPANT_STATUSES = ['ACTIVE', 'SUSPENDED', 'REVOKED'] as const;
export const PURPOSES = ['SALE', 'RETURN', 'RECALL_RETURN', 'NONSALEABLE_RETURN'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const DECOMMISSION_REASONS = ['DESTROYED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOCKED', 'STOLEN'] as const;
export type DecommissionReason = (typeof DECOMMISSION_REASONS)[number];
export const PACKAGING_LEVELS = ['UNIT', 'BUNDLE', 'CASE'] as const;
export const RECALL_SCOPES = ['BATCH', 'PRODUCT'] as const;
export const CLASSIFICATIONS = ['I', 'II', 'III', 'UNCLASSIFIED'] as const;
export const SUSPECT_CATEGORIES = [
  'COUNTERFEIT',
  'DIVERTED',
  'STOLEN',
  'ADULTERATED',
  'FRAUDULENT_TRANSACTION',
  'UNFIT',
  'VERIFICATION_FAILURE',
  'OTHER',
] as const;
export const OUTCOMES = ['CLEARED', 'ILLEGITIMATE'] as const;

export const UNIT_STATUSES = [
  'ACTIVE',
  'IN_TRANSIT',
  'QUARANTINED',
  'DISPENSED',
  'EXPORTED',
  'SAMPLE',
  'FREE_SAMPLE',
  'LOCKED',
  'DESTROYED',
  'STOLEN',
  'ILLEGITIMATE',
] as const;

/** Statuses in which the holder still physically has the unit (I3: exactly these are in idx/holder). */
const CUSTODY = new Set(['ACTIVE', 'IN_TRANSIT', 'QUARANTINED', 'LOCKED', 'ILLEGITIMATE']);
export const inCustody = (status: string) => CUSTODY.has(status);

/** Stored statuses reported as INACTIVE by Verify ("pack already inactive"). */
const INACTIVE = new Set(['DISPENSED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOCKED', 'DESTROYED', 'STOLEN', 'ILLEGITIMATE']);
export const isInactive = (status: string) => INACTIVE.has(status);
export const TERMINAL = new Set(['DESTROYED', 'STOLEN']);

export interface EffectiveFlags {
  recalled: boolean;
  withdrawn: boolean;
  expired: boolean;
}

export function effectiveFlags(batch: Batch, product: Product, now: Date): EffectiveFlags {
  return {
    recalled: batch.status === 'RECALLED',
    withdrawn: product.status === 'WITHDRAWN',
    expired: isExpired(batch.expiry, now),
  };
}

export function isSaleable(unit: Unit, flags: EffectiveFlags): boolean {
  return unit.status === 'ACTIVE' && !flags.recalled && !flags.withdrawn && !flags.expired;
}

export type UnitEventType =
  | 'COMMISSIONED'
  | 'PACKED'
  | 'UNPACKED'
  | 'SHIPPED'
  | 'RECEIVED'
  | 'REJECTED'
  | 'CANCELLED'
  | 'DISPENSED'
  | 'DECOMMISSIONED'
  | 'UNDONE'
  | 'QUARANTINED'
  | 'CLEARED'
  | 'ILLEGITIMATE';

const CIRCULATING = new Set(['ACTIVE', 'IN_TRANSIT']);

/**
 * The status a unit has at a moment: its stored status, except that stock still circulating
 * (ACTIVE or IN_TRANSIT) whose lot is recalled, whose product is withdrawn or whose lot has expired
 * is RECALLED, WITHDRAWN or EXPIRED (in the order the guards check them). Recalls stay O(1)
 * writes: nothing is stored per unit, this is derived from the batch and product records.
 * Statuses outside circulation (locked, decommissioned, quarantined) say more than a recall would.
 */
export function effectiveStatus(stored: string, f: EffectiveFlags): string {
  if (!CIRCULATING.has(stored)) return stored;
  if (f.recalled) return 'RECALLED';
  if (f.withdrawn) return 'WITHDRAWN';
  if (f.expired) return 'EXPIRED';
  return stored;
}

/** The flag behind each status that only the effective status has (never stored on a unit). */
export const FLAG_OF: Readonly<Record<string, keyof EffectiveFlags>> = { RECALLED: 'recalled', WITHDRAWN: 'withdrawn', EXPIRED: 'expired' };

/** What a trace record says about a step: its type plus the shipment purpose or reason. */
export interface StepInput {
  type: UnitEventType;
  purpose?: string;
  reason?: string;
}

interface Epcis {
  epcisEventType: string;
  action: string;
  bizStep: string;
  disposition: string;
}

/** EPCIS event type, action and CBV business step of each step. */
const STEP: Record<UnitEventType, Omit<Epcis, 'disposition'>> = {
  COMMISSIONED: { epcisEventType: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning' },
  PACKED: { epcisEventType: 'AggregationEvent', action: 'ADD', bizStep: 'packing' },
  UNPACKED: { epcisEventType: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking' },
  SHIPPED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping' },
  RECEIVED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving' },
  REJECTED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving' },
  CANCELLED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'void_shipping' },
  DISPENSED: { epcisEventType: 'ObjectEvent', action: 'DELETE', bizStep: 'dispensing' },
  DECOMMISSIONED: { epcisEventType: 'ObjectEvent', action: 'DELETE', bizStep: 'decommissioning' },
  UNDONE: { epcisEventType: 'ObjectEvent', action: 'ADD', bizStep: 'decommissioning' },
  QUARANTINED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding' },
  CLEARED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding' },
  ILLEGITIMATE: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding' },
};

/** CBV disposition of every effective status but ACTIVE: the status alone decides it. */
const DISPOSITION: Record<string, string> = {
  IN_TRANSIT: 'in_transit',
  RECALLED: 'recalled',
  WITHDRAWN: 'recalled',
  EXPIRED: 'expired',
  QUARANTINED: 'non_sellable_other',
  ILLEGITIMATE: 'non_sellable_other',
  LOCKED: 'non_sellable_other',
  DISPENSED: 'dispensed',
  EXPORTED: 'inactive',
  SAMPLE: 'inactive',
  FREE_SAMPLE: 'inactive',
  DESTROYED: 'destroyed',
  STOLEN: 'stolen',
};

/** Sellable stock (effective status ACTIVE): the disposition says what the step left it as. */
function activeDisposition(step: StepInput): string {
  switch (step.type) {
    case 'PACKED':
      return 'container_closed';
    case 'UNPACKED':
      return 'in_progress';
    case 'RECEIVED':
      // Sent back as unsaleable (or for a recall): the manufacturer has it, but nobody vouched
      // that it can be sold; only SALE and RETURN shipments are checked saleable when they leave.
      return step.purpose === 'NONSALEABLE_RETURN' || step.purpose === 'RECALL_RETURN' ? 'returned' : 'sellable_accessible';
    case 'REJECTED':
      return 'returned';
    case 'CANCELLED':
      return 'sellable_accessible';
    default:
      return 'active';
  }
}

/**
 * The one rule for a trace event's CBV vocabulary: (step, purpose or reason, effective status after
 * the step) → EPCIS event type, action, business step and disposition. The disposition always
 * agrees with the status (a recalled pack is `recalled` whatever the step); the step picks the
 * business step and, for sellable stock, which sellable disposition.
 */
export function epcisFor(step: StepInput, status: string): Epcis {
  let base = STEP[step.type];
  if (step.type === 'DECOMMISSIONED' && step.reason === 'DESTROYED') base = { ...base, bizStep: 'destroying' };
  if (step.type === 'DECOMMISSIONED' && step.reason === 'LOCKED') base = { ...base, action: 'OBSERVE', bizStep: 'holding' };
  // A unit locked for a cross-zone transfer is on its way to the other zone.
  if (step.type === 'SHIPPED' && status === 'LOCKED') return { ...base, disposition: 'in_transit' };
  return { ...base, disposition: status === 'ACTIVE' ? activeDisposition(step) : (DISPOSITION[status] ?? 'non_sellable_other') };
}
