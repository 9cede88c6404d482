import { concatBytes } from '../../app/store/bytes.js';
import { StoreKey } from '../../app/store/types.js';
import { GOVERNANCE_ACCOUNT } from '../../app/types/authority.js';

/**
 * Key layout of the governance store (inside the module's "governance/" prefix).
 *
 *   0x01 ‖ id(8)                          → Proposal
 *   0x03                                  → next proposal id (written only by MsgSubmitProposal)
 *   0x10 ‖ id(8) ‖ len(1) ‖ depositor     → Deposit
 *   0x20 ‖ id(8) ‖ len(1) ‖ voter         → Vote      (a vote writes only its own key: no hot key)
 *   0x30                                  → Params
 *   0x31                                  → constitution
 *   0x40 ‖ depositEndMs(8) ‖ id(8)        → inactive (deposit period) queue
 *   0x41 ‖ votingEndMs(8) ‖ id(8)         → active (voting period) queue
 *
 * Integers are big-endian so byte order is numeric order; queues are keyed by end time first so
 * EndBlock walks exactly the proposals whose time has come, oldest first, ties by id.
 * Addresses are the raw bech32 payload bytes, so "para1…" and "PARA1…" are one voter.
 */
export const MODULE_NAME = GOVERNANCE_ACCOUNT;
export const STORE_KEY = new StoreKey(MODULE_NAME);

export const PROPOSAL_PREFIX = Uint8Array.of(0x01);
export const NEXT_ID_KEY = Uint8Array.of(0x03);
export const DEPOSIT_PREFIX = Uint8Array.of(0x10);
export const VOTE_PREFIX = Uint8Array.of(0x20);
export const PARAMS_KEY = Uint8Array.of(0x30);
export const CONSTITUTION_KEY = Uint8Array.of(0x31);
export const INACTIVE_QUEUE_PREFIX = Uint8Array.of(0x40);
export const ACTIVE_QUEUE_PREFIX = Uint8Array.of(0x41);

export function u64(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new Error(`u64 out of range: ${value}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value);
  return out;
}

export function readU64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset);
}

export function proposalKey(id: bigint): Uint8Array {
  return concatBytes(PROPOSAL_PREFIX, u64(id));
}

function lengthPrefixed(address: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(address.length), address);
}

export function depositsPrefix(id: bigint): Uint8Array {
  return concatBytes(DEPOSIT_PREFIX, u64(id));
}

export function depositKey(id: bigint, depositor: Uint8Array): Uint8Array {
  return concatBytes(depositsPrefix(id), lengthPrefixed(depositor));
}

export function votesPrefix(id: bigint): Uint8Array {
  return concatBytes(VOTE_PREFIX, u64(id));
}

export function voteKey(id: bigint, voter: Uint8Array): Uint8Array {
  return concatBytes(votesPrefix(id), lengthPrefixed(voter));
}

/** Milliseconds since the epoch as a u64 (block times are after 1970). */
export function timeBytes(ms: number): Uint8Array {
  return u64(BigInt(ms));
}

export function inactiveQueueKey(depositEndMs: number, id: bigint): Uint8Array {
  return concatBytes(INACTIVE_QUEUE_PREFIX, timeBytes(depositEndMs), u64(id));
}

export function activeQueueKey(votingEndMs: number, id: bigint): Uint8Array {
  return concatBytes(ACTIVE_QUEUE_PREFIX, timeBytes(votingEndMs), u64(id));
}

/** Exclusive end of a queue scan that includes every entry with end time ≤ nowMs. */
export function queueEndInclusive(prefix: Uint8Array, nowMs: number): Uint8Array {
  return concatBytes(prefix, timeBytes(nowMs + 1));
}

/** The proposal id of a queue key (prefix(1) ‖ time(8) ‖ id(8)). */
export function idFromQueueKey(key: Uint8Array): bigint {
  return readU64(key, 9);
}
