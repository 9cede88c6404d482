/**
 * Status vocabulary and the derivations of domain note §3.4: which stored statuses are "in
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
  'COUNTERFEIT', 'DIVERTED', 'STOLEN', 'ADULTERATED', 'FRAUDULENT_TRANSACTION', 'UNFIT', 'VERIFICATION_FAILURE', 'OTHER',
] as const;
export const OUTCOMES = ['CLEARED', 'ILLEGITIMATE'] as const;

export const UNIT_STATUSES = [
  'ACTIVE', 'IN_TRANSIT', 'QUARANTINED', 'DISPENSED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOCKED',
  'DESTROYED', 'STOLEN', 'ILLEGITIMATE',
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
  | 'COMMISSIONED' | 'PACKED' | 'UNPACKED' | 'SHIPPED' | 'RECEIVED' | 'REJECTED' | 'CANCELLED' | 'DISPENSED'
  | 'DECOMMISSIONED' | 'UNDONE' | 'QUARANTINED' | 'CLEARED' | 'ILLEGITIMATE';

interface Epcis {
  epcisEventType: string;
  action: string;
  bizStep: string;
  disposition: string;
}

const EPCIS: Record<UnitEventType, Epcis> = {
  COMMISSIONED: { epcisEventType: 'ObjectEvent', action: 'ADD', bizStep: 'commissioning', disposition: 'active' },
  PACKED: { epcisEventType: 'AggregationEvent', action: 'ADD', bizStep: 'packing', disposition: 'container_closed' },
  UNPACKED: { epcisEventType: 'AggregationEvent', action: 'DELETE', bizStep: 'unpacking', disposition: 'in_progress' },
  SHIPPED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit' },
  RECEIVED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'sellable_accessible' },
  REJECTED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'receiving', disposition: 'returned' },
  CANCELLED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'void_shipping', disposition: 'sellable_accessible' },
  DISPENSED: { epcisEventType: 'ObjectEvent', action: 'DELETE', bizStep: 'dispensing', disposition: 'dispensed' },
  DECOMMISSIONED: { epcisEventType: 'ObjectEvent', action: 'DELETE', bizStep: 'decommissioning', disposition: 'inactive' },
  UNDONE: { epcisEventType: 'ObjectEvent', action: 'ADD', bizStep: 'decommissioning', disposition: 'active' },
  QUARANTINED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding', disposition: 'non_sellable_other' },
  CLEARED: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding', disposition: 'active' },
  ILLEGITIMATE: { epcisEventType: 'ObjectEvent', action: 'OBSERVE', bizStep: 'holding', disposition: 'non_sellable_other' },
};

/** CBV vocabulary for a trace event; decommission reasons refine the business step and disposition. */
export function epcisFor(type: UnitEventType, reason = ''): Epcis {
  const base = EPCIS[type];
  if (type !== 'DECOMMISSIONED') return base;
  switch (reason) {
    case 'DESTROYED':
      return { ...base, bizStep: 'destroying', disposition: 'destroyed' };
    case 'STOLEN':
      return { ...base, disposition: 'stolen' };
    case 'LOCKED':
      return { ...base, action: 'OBSERVE', bizStep: 'holding', disposition: 'non_sellable_other' };
    default:
      return base;
  }
}
