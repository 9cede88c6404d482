/**
 * What a pharmacist or patient is told about a scanned pack: one of a few plain outcomes, derived
 * from the chain's Verify answer (the order matters: a dispensed pack of a recalled batch is
 * reported as dispensed, a pack under investigation as suspect whatever else is true).
 */
import type { QueryVerifyResponse } from '../../../../generated/parazone/drugregistry/v1/query.js';

export type VerdictKind = 'genuine' | 'not-saleable' | 'recalled' | 'expired' | 'suspect' | 'dispensed' | 'decommissioned' | 'unknown';

export interface Verdict {
  readonly kind: VerdictKind;
  /** One line, the answer itself. */
  readonly title: string;
  /** What it means and what to do. */
  readonly advice: string;
}

const SUSPECT_STATUSES = new Set(['QUARANTINED', 'ILLEGITIMATE', 'STOLEN']);
const DECOMMISSIONED_STATUSES = new Set(['EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOCKED', 'DESTROYED']);

export function verdictOf(answer: QueryVerifyResponse): Verdict {
  if (!answer.found) {
    return {
      kind: 'unknown',
      title: 'Unknown pack',
      advice: 'No pack with this product code and serial number is registered. Do not dispense; report it as suspect.',
    };
  }
  if (answer.verdict === 'LOT_MISMATCH' || answer.verdict === 'EXPIRY_MISMATCH') {
    const field = answer.verdict === 'LOT_MISMATCH' ? 'batch number' : 'expiry date';
    return {
      kind: 'suspect',
      title: 'Suspect pack',
      advice: `The ${field} printed on the pack differs from the registered one. Do not dispense; quarantine it and report it.`,
    };
  }
  if (SUSPECT_STATUSES.has(answer.status) || answer.openInvestigationId > 0n) {
    return {
      kind: 'suspect',
      title: 'Suspect pack',
      advice: `This pack is ${answer.status.toLowerCase()}${answer.openInvestigationId > 0n ? ` (investigation #${answer.openInvestigationId})` : ''}. Do not dispense.`,
    };
  }
  if (answer.status === 'DISPENSED') {
    return {
      kind: 'dispensed',
      title: 'Already dispensed',
      advice: 'This pack was handed to a patient before. A second pack with the same serial is a copy: do not dispense.',
    };
  }
  if (DECOMMISSIONED_STATUSES.has(answer.status)) {
    return {
      kind: 'decommissioned',
      title: 'Decommissioned',
      advice: `This pack was taken out of the supply chain (${answer.status.toLowerCase().replace('_', ' ')}). Do not dispense.`,
    };
  }
  if (answer.flags?.recalled || answer.flags?.withdrawn) {
    return {
      kind: 'recalled',
      title: 'Recalled',
      advice: `Genuine, but ${answer.flags.withdrawn ? 'the product is withdrawn' : 'its batch is recalled'}. Do not dispense; return it as the recall instructs.`,
    };
  }
  if (answer.flags?.expired) {
    return { kind: 'expired', title: 'Expired', advice: 'Genuine, but past its expiry date. Do not dispense.' };
  }
  if (answer.saleable) {
    return { kind: 'genuine', title: 'Genuine and saleable', advice: 'Registered, active, not recalled and in date.' };
  }
  const why = answer.flags?.inTransit
    ? 'it is in transit between two participants'
    : answer.flags?.aggregated
      ? 'it is still packed inside a case'
      : `its status is ${answer.status.toLowerCase()}`;
  return { kind: 'not-saleable', title: 'Genuine, not saleable yet', advice: `Registered, but ${why}.` };
}
