/**
 * A light client of a CometBFT v0.38 chain under ibc-go's 07-tendermint rules
 * (modules/light-clients/07-tendermint: client_state.go, update.go, misbehaviour*.go) and
 * CometBFT's light/verifier.go. Pure and synchronous: state goes in, new state comes out, "now"
 * is a parameter. Wire types are ibc-go's (cosmjs-types `ibc.lightclients.tendermint.v1`).
 */
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type { ProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type {
  ClientState,
  ConsensusState,
  Fraction,
  Header as ClientHeader,
  Misbehaviour,
} from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { compareHeights, heightString, type ConsensusStates } from './consensus-states.js';
import { validatorSetHash } from './encoding.js';
import {
  ErrClientExpired,
  ErrClientFrozen,
  ErrConsensusStateNotFound,
  ErrInvalidChainID,
  ErrInvalidHeader,
  ErrInvalidHeaderHeight,
  ErrInvalidMaxClockDrift,
  ErrInvalidMisbehaviour,
  ErrInvalidProofSpecs,
  ErrInvalidTrustingPeriod,
  ErrInvalidUnbondingPeriod,
  ErrInvalidValidatorSet,
  ErrTrustingPeriodExpired,
} from './errors.js';
import { durationToNanos, nowToNanos, timestampToNanos, type Now } from './time.js';
import {
  MAX_CHAIN_ID_LENGTH,
  bytesEqual,
  validateSignedHeader,
  validateTrustLevel,
  validateValidatorSet,
  verifyCommitLight,
  verifyCommitLightTrusting,
} from './validation.js';

/** ibc-go's default and minimum trust level. */
export const DEFAULT_TRUST_LEVEL: Fraction = { numerator: 1n, denominator: 3n };
/** ibc-go's frozen height marker: any non-zero height; it uses 0-1. */
export const FROZEN_HEIGHT: Height = { revisionNumber: 0n, revisionHeight: 1n };
const ZERO_HEIGHT: Height = { revisionNumber: 0n, revisionHeight: 0n };

export type ClientStatus = 'Active' | 'Frozen' | 'Expired';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

/** The revision number encoded in a chain id "name-N" (ibc-go `ParseChainID`), else 0. */
export function revisionNumberOf(chainId: string): bigint {
  const m = /^.*[^\n-]-([1-9][0-9]*)$/.exec(chainId);
  return m === null ? 0n : BigInt(m[1]!);
}

export function heightOfHeader(header: Header): Height {
  return { revisionNumber: revisionNumberOf(header.chainId), revisionHeight: BigInt(header.height) };
}

export const isFrozen = (cs: ClientState) => compareHeights(cs.frozenHeight, ZERO_HEIGHT) !== 0;

export interface ClientParams {
  readonly chainId: string;
  readonly trustLevel?: Fraction;
  readonly trustingPeriod: Duration;
  readonly unbondingPeriod: Duration;
  readonly maxClockDrift: Duration;
  /** The counterparty store's proof specs (ICS-23); carried for proof checks, not used here. */
  readonly proofSpecs: ProofSpec[];
  readonly upgradePath?: string[];
}

/** ibc-go `ClientState.Validate`. */
export function validateClientState(cs: ClientState): void {
  if (cs.chainId.trim() === '') throw ErrInvalidChainID.wrap('chain id cannot be empty string');
  if (cs.chainId.length > MAX_CHAIN_ID_LENGTH)
    throw ErrInvalidChainID.wrap(`chainID is too long; got: ${cs.chainId.length}, max: ${MAX_CHAIN_ID_LENGTH}`);
  validateTrustLevel(cs.trustLevel);
  const trusting = durationToNanos(cs.trustingPeriod);
  const unbonding = durationToNanos(cs.unbondingPeriod);
  if (trusting <= 0n) throw ErrInvalidTrustingPeriod.wrap('trusting period must be greater than zero');
  if (unbonding <= 0n) throw ErrInvalidUnbondingPeriod.wrap('unbonding period must be greater than zero');
  if (durationToNanos(cs.maxClockDrift) <= 0n) throw ErrInvalidMaxClockDrift.wrap('max clock drift must be greater than zero');
  if (cs.latestHeight.revisionHeight === 0n)
    throw ErrInvalidHeaderHeight.wrap("tendermint client's latest height revision height cannot be zero");
  if (cs.latestHeight.revisionNumber !== revisionNumberOf(cs.chainId)) {
    throw ErrInvalidHeaderHeight.wrap(
      `latest height revision number must match chain id revision number (${cs.latestHeight.revisionNumber} != ${revisionNumberOf(cs.chainId)})`,
    );
  }
  if (trusting >= unbonding) throw ErrInvalidTrustingPeriod.wrap('trusting period should be < unbonding period');
  if (cs.proofSpecs.length === 0) throw ErrInvalidProofSpecs.wrap('proof specs cannot be empty for tm client');
  if ((cs.upgradePath ?? []).some((p) => p.trim() === '')) throw ErrInvalidHeader.wrap('upgrade path keys cannot be empty');
}

/** The consensus state a verified header commits to: its time, app hash and next validators. */
export function consensusStateFromHeader(header: Header): ConsensusState {
  return {
    timestamp: { ...header.time },
    root: { hash: Uint8Array.from(header.appHash) },
    nextValidatorsHash: Uint8Array.from(header.nextValidatorsHash),
  };
}

function consensusStatesEqual(a: ConsensusState, b: ConsensusState): boolean {
  return (
    timestampToNanos(a.timestamp) === timestampToNanos(b.timestamp) &&
    bytesEqual(a.root.hash, b.root.hash) &&
    bytesEqual(a.nextValidatorsHash, b.nextValidatorsHash)
  );
}

/** `trusted.time + trustingPeriod <= now` (CometBFT `HeaderExpired`). */
function expired(trustedTime: bigint, cs: ClientState, now: bigint): boolean {
  return trustedTime + durationToNanos(cs.trustingPeriod) <= now;
}

/**
 * A client trusting `signedHeader`: the header is well formed, for `params.chainId`, signed by
 * more than 2/3 of `validatorSet` (which it names), within the trusting period and not from the
 * future. This is the social-consensus step: whoever creates the client chooses what to trust.
 */
export function createClient(
  params: ClientParams,
  trusted: { signedHeader: SignedHeader; validatorSet: ValidatorSet },
  now: Now,
): { clientState: ClientState; consensusState: ConsensusState; height: Height } {
  const { header, commit } = validateSignedHeader(trusted.signedHeader, params.chainId);
  const height = heightOfHeader(header);
  const clientState: ClientState = {
    chainId: params.chainId,
    trustLevel: params.trustLevel ?? DEFAULT_TRUST_LEVEL,
    trustingPeriod: params.trustingPeriod,
    unbondingPeriod: params.unbondingPeriod,
    maxClockDrift: params.maxClockDrift,
    frozenHeight: { ...ZERO_HEIGHT },
    latestHeight: height,
    proofSpecs: params.proofSpecs,
    upgradePath: params.upgradePath ?? [],
    allowUpdateAfterExpiry: false,
    allowUpdateAfterMisbehaviour: false,
  };
  validateClientState(clientState);
  const vals = trusted.validatorSet.validators;
  validateValidatorSet(vals);
  if (!bytesEqual(header.validatorsHash, validatorSetHash(vals))) {
    throw ErrInvalidValidatorSet.wrap(
      `validator set hash ${hex(validatorSetHash(vals))} is not the header's ${hex(header.validatorsHash)}`,
    );
  }
  verifyCommitLight(params.chainId, vals, commit.blockId, header.height, commit);
  const nowNs = nowToNanos(now);
  const time = timestampToNanos(header.time);
  if (expired(time, clientState, nowNs))
    throw ErrTrustingPeriodExpired.wrap('the trusted header is already older than the trusting period');
  if (time >= nowNs + durationToNanos(clientState.maxClockDrift)) throw ErrInvalidHeader.wrap('the trusted header is from the future');
  return { clientState, consensusState: consensusStateFromHeader(header), height };
}

/** ibc-go `Status`: Frozen, Expired (latest consensus state outside the trusting period) or Active. */
export function clientStatus(cs: ClientState, states: ConsensusStates, now: Now): ClientStatus {
  if (isFrozen(cs)) return 'Frozen';
  const latest = states.get(cs.latestHeight);
  if (latest === undefined || expired(timestampToNanos(latest.timestamp), cs, nowToNanos(now))) return 'Expired';
  return 'Active';
}

/** ibc-go `Header.ValidateBasic` (07-tendermint): structure, heights and the header's own validator set. */
function validateClientHeader(msg: ClientHeader): { header: Header; height: Height } {
  const header = msg.signedHeader?.header;
  if (header === undefined) throw ErrInvalidHeader.wrap('tendermint header cannot be nil');
  validateSignedHeader(msg.signedHeader, header.chainId);
  const height = heightOfHeader(header);
  if (compareHeights(msg.trustedHeight, height) >= 0) {
    throw ErrInvalidHeaderHeight.wrap(
      `trusted height ${heightString(msg.trustedHeight)} must be below the header height ${heightString(height)}`,
    );
  }
  const vals = msg.validatorSet?.validators;
  validateValidatorSet(vals);
  if (!bytesEqual(header.validatorsHash, validatorSetHash(vals!))) {
    throw ErrInvalidValidatorSet.wrap("validator set does not match the header's validators hash");
  }
  return { header, height };
}

/** The trusted validators are the ones the trusted consensus state named as next (ibc-go `checkTrustedHeader`). */
function checkTrustedValidators(msg: ClientHeader, trusted: ConsensusState): void {
  const vals = msg.trustedValidators?.validators;
  validateValidatorSet(vals, 'trusted validator set');
  const hash = validatorSetHash(vals!);
  if (!bytesEqual(hash, trusted.nextValidatorsHash)) {
    throw ErrInvalidValidatorSet.wrap(
      `trusted validators hash ${hex(hash)} is not the trusted consensus state's next validators hash ${hex(trusted.nextValidatorsHash)}`,
    );
  }
}

function trustedConsensusState(states: ConsensusStates, height: Height): ConsensusState {
  const trusted = states.get(height);
  if (trusted === undefined) throw ErrConsensusStateNotFound.wrap(`no consensus state at trusted height ${heightString(height)}`);
  return trusted;
}

/**
 * ibc-go `verifyHeader` + CometBFT `light.Verify`: the header follows from the consensus state at
 * its trusted height, adjacently (same validators as promised, > 2/3 signed) or by skipping
 * (≥ trust level of the trusted validators and > 2/3 of the new set signed).
 */
export function verifyHeader(cs: ClientState, states: ConsensusStates, msg: ClientHeader, now: Now): void {
  const { header, height } = validateClientHeader(msg);
  const trusted = trustedConsensusState(states, msg.trustedHeight);
  checkTrustedValidators(msg, trusted);
  if (height.revisionNumber !== msg.trustedHeight.revisionNumber) {
    throw ErrInvalidHeaderHeight.wrap(
      `header revision ${height.revisionNumber} differs from the trusted revision ${msg.trustedHeight.revisionNumber}`,
    );
  }
  const nowNs = nowToNanos(now);
  const trustedTime = timestampToNanos(trusted.timestamp);
  if (expired(trustedTime, cs, nowNs)) {
    throw ErrTrustingPeriodExpired.wrap(`the trusted state at ${heightString(msg.trustedHeight)} is older than the trusting period`);
  }
  // verifyNewHeaderAndVals
  validateSignedHeader(msg.signedHeader, cs.chainId);
  const time = timestampToNanos(header.time);
  if (time <= trustedTime) throw ErrInvalidHeader.wrap('header time must be after the trusted header time');
  if (time >= nowNs + durationToNanos(cs.maxClockDrift))
    throw ErrInvalidHeader.wrap('new header has a time from the future (beyond the max clock drift)');
  const commit = msg.signedHeader!.commit!;
  const newVals = msg.validatorSet!.validators;
  const adjacent = height.revisionHeight === msg.trustedHeight.revisionHeight + 1n;
  if (adjacent) {
    if (!bytesEqual(header.validatorsHash, trusted.nextValidatorsHash)) {
      throw ErrInvalidValidatorSet.wrap("adjacent header's validators are not the trusted next validators");
    }
  } else {
    verifyCommitLightTrusting(cs.chainId, msg.trustedValidators!.validators, commit, cs.trustLevel);
  }
  // Last, as DoS hygiene: the expensive full check of the new set.
  verifyCommitLight(cs.chainId, newVals, commit.blockId, header.height, commit);
}

/**
 * ibc-go `CheckForMisbehaviour` for a verified header: a different consensus state already stored
 * at its height, or a time out of order with its stored neighbours.
 */
export function headerIsMisbehaviour(states: ConsensusStates, msg: ClientHeader): boolean {
  const header = msg.signedHeader!.header!;
  const height = heightOfHeader(header);
  const candidate = consensusStateFromHeader(header);
  const existing = states.get(height);
  if (existing !== undefined) return !consensusStatesEqual(existing, candidate);
  const time = timestampToNanos(header.time);
  const prev = states.previous(height);
  if (prev !== undefined && timestampToNanos(prev.timestamp) >= time) return true;
  const next = states.next(height);
  if (next !== undefined && timestampToNanos(next.timestamp) <= time) return true;
  return false;
}

/** The client, frozen (ibc-go `UpdateStateOnMisbehaviour`). */
export function freeze(cs: ClientState): ClientState {
  return { ...cs, frozenHeight: { ...FROZEN_HEIGHT } };
}

export type UpdateResult =
  | { readonly kind: 'updated'; readonly clientState: ClientState; readonly height: Height; readonly consensusState: ConsensusState }
  | { readonly kind: 'duplicate'; readonly clientState: ClientState; readonly height: Height }
  | { readonly kind: 'frozen'; readonly clientState: ClientState; readonly height: Height };

/**
 * MsgUpdateClient with a header: the client must be Active; the header must verify; then either
 * it is evidence of misbehaviour (the client is frozen), a repeat of a stored state (no-op), or
 * it stores a new consensus state and raises the latest height. Throws when the header is invalid;
 * writes to `states` only on success.
 */
export function updateClient(cs: ClientState, states: ConsensusStates, msg: ClientHeader, now: Now): UpdateResult {
  if (isFrozen(cs)) throw ErrClientFrozen.wrap('cannot update a frozen client');
  if (clientStatus(cs, states, now) === 'Expired') throw ErrClientExpired.wrap('the latest consensus state is outside the trusting period');
  verifyHeader(cs, states, msg, now);
  const header = msg.signedHeader!.header!;
  const height = heightOfHeader(header);
  if (headerIsMisbehaviour(states, msg)) return { kind: 'frozen', clientState: freeze(cs), height };
  if (states.get(height) !== undefined) return { kind: 'duplicate', clientState: cs, height };
  const consensusState = consensusStateFromHeader(header);
  states.set(height, consensusState);
  const latestHeight = compareHeights(height, cs.latestHeight) > 0 ? height : cs.latestHeight;
  return { kind: 'updated', clientState: { ...cs, latestHeight }, height, consensusState };
}

/** ibc-go `checkMisbehaviourHeader`: one side of a misbehaviour follows from a stored, unexpired state. */
function checkMisbehaviourHeader(cs: ClientState, states: ConsensusStates, msg: ClientHeader, now: bigint): void {
  const trusted = trustedConsensusState(states, msg.trustedHeight);
  checkTrustedValidators(msg, trusted);
  if (now - timestampToNanos(trusted.timestamp) >= durationToNanos(cs.trustingPeriod)) {
    throw ErrTrustingPeriodExpired.wrap(`the trusted state at ${heightString(msg.trustedHeight)} is older than the trusting period`);
  }
  const chainId = msg.signedHeader!.header!.chainId;
  verifyCommitLightTrusting(chainId, msg.trustedValidators!.validators, msg.signedHeader!.commit!, cs.trustLevel);
}

/**
 * MsgSubmitMisbehaviour: two headers, each validly signed (> 2/3 of its own set, and the trust
 * level of a stored state's next validators), that cannot both be honest — same height with
 * different block hashes, or the higher one not later in time. On success returns the frozen
 * client; throws if the evidence is malformed, unverifiable or not misbehaviour.
 */
export function submitMisbehaviour(cs: ClientState, states: ConsensusStates, misbehaviour: Misbehaviour, now: Now): ClientState {
  if (isFrozen(cs)) throw ErrClientFrozen.wrap('client is already frozen');
  const { header1, header2 } = misbehaviour;
  if (header1 === undefined || header2 === undefined) throw ErrInvalidMisbehaviour.wrap('misbehaviour needs two headers');
  const a = validateClientHeader(header1);
  const b = validateClientHeader(header2);
  if (a.header.chainId !== b.header.chainId) throw ErrInvalidMisbehaviour.wrap('headers are from different chains');
  if (a.header.chainId !== cs.chainId) throw ErrInvalidChainID.wrap(`misbehaviour is for chain "${a.header.chainId}", not "${cs.chainId}"`);
  if (compareHeights(a.height, b.height) < 0) throw ErrInvalidMisbehaviour.wrap('header1 height must be at least header2 height');
  for (const h of [header1, header2]) {
    const commit = h.signedHeader!.commit!;
    verifyCommitLight(cs.chainId, h.validatorSet!.validators, commit.blockId, commit.height, commit);
  }
  const nowNs = nowToNanos(now);
  checkMisbehaviourHeader(cs, states, header1, nowNs);
  checkMisbehaviourHeader(cs, states, header2, nowNs);
  const sameHeight = compareHeights(a.height, b.height) === 0;
  const conflicting = sameHeight
    ? !bytesEqual(header1.signedHeader!.commit!.blockId.hash, header2.signedHeader!.commit!.blockId.hash)
    : timestampToNanos(a.header.time) <= timestampToNanos(b.header.time);
  if (!conflicting) throw ErrInvalidMisbehaviour.wrap(sameHeight ? 'both headers are the same block' : 'headers are consistent in time');
  return freeze(cs);
}
