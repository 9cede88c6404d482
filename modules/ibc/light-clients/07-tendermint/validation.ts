/**
 * CometBFT v0.38's structural checks and commit verification, restated: `Header.ValidateBasic`,
 * `Commit.ValidateBasic`, `SignedHeader.ValidateBasic`, `ValidatorSet.ValidateBasic`
 * (types/block.go, types/validator_set.go) and `VerifyCommitLight` /
 * `VerifyCommitLightTrusting` (types/validation.go). All synchronous and deterministic.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { BlockID, Commit, CommitSig, Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type Validator } from 'cosmjs-types/tendermint/types/validator';
import type { Fraction } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { ED25519_PUBKEY_SIZE, ED25519_SIGNATURE_SIZE, ed25519Address, verifyEd25519 } from './ed25519.js';
import { headerHash, precommitSignBytes } from './encoding.js';
import { GO_ZERO_TIME_SECONDS } from './time.js';
import {
  ErrInvalidChainID,
  ErrInvalidCommit,
  ErrInvalidHeader,
  ErrInvalidTrustLevel,
  ErrInvalidValidatorSet,
  ErrNotEnoughVotingPower,
} from './errors.js';

/** CometBFT's block protocol version in v0.38 (version/version.go). */
export const BLOCK_PROTOCOL = 11n;
export const MAX_CHAIN_ID_LENGTH = 50;
const HASH_SIZE = 32;
const ADDRESS_SIZE = 20;
/** types.MaxTotalVotingPower = MaxInt64 / 8. */
export const MAX_TOTAL_VOTING_POWER = 9223372036854775807n / 8n;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
export const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;

function validateHash(what: string, hash: Uint8Array): void {
  if (hash.length > 0 && hash.length !== HASH_SIZE) {
    throw ErrInvalidHeader.wrap(`wrong ${what}: expected size to be ${HASH_SIZE} bytes, got ${hash.length} bytes`);
  }
}

export function isZeroBlockId(id: BlockID): boolean {
  return id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0;
}

export function blockIdsEqual(a: BlockID, b: BlockID): boolean {
  return (
    bytesEqual(a.hash, b.hash) && a.partSetHeader.total === b.partSetHeader.total && bytesEqual(a.partSetHeader.hash, b.partSetHeader.hash)
  );
}

function validateBlockId(what: string, id: BlockID): void {
  validateHash(`${what} hash`, id.hash);
  validateHash(`${what} part set header hash`, id.partSetHeader.hash);
}

/** `Header.ValidateBasic`. */
export function validateHeaderBasic(header: Header): void {
  if (header.version.block !== BLOCK_PROTOCOL) {
    throw ErrInvalidHeader.wrap(`block protocol is incorrect: got: ${header.version.block}, want: ${BLOCK_PROTOCOL}`);
  }
  if (header.chainId.length > MAX_CHAIN_ID_LENGTH)
    throw ErrInvalidHeader.wrap(`chainID is too long; got: ${header.chainId.length}, max: ${MAX_CHAIN_ID_LENGTH}`);
  if (header.height <= 0n) throw ErrInvalidHeader.wrap(`header height must be positive, got ${header.height}`);
  validateBlockId('LastBlockID', header.lastBlockId);
  validateHash('LastCommitHash', header.lastCommitHash);
  validateHash('DataHash', header.dataHash);
  validateHash('EvidenceHash', header.evidenceHash);
  if (header.proposerAddress.length !== ADDRESS_SIZE) {
    throw ErrInvalidHeader.wrap(`invalid ProposerAddress length; got: ${header.proposerAddress.length}, expected: ${ADDRESS_SIZE}`);
  }
  validateHash('ValidatorsHash', header.validatorsHash);
  validateHash('NextValidatorsHash', header.nextValidatorsHash);
  validateHash('ConsensusHash', header.consensusHash);
  validateHash('LastResultsHash', header.lastResultsHash);
}

/** Go's `time.Time.IsZero()` after a proto round trip (absent votes carry it). */
const isZeroTime = (t: Timestamp) => t.seconds === GO_ZERO_TIME_SECONDS && t.nanos === 0;

/** `CommitSig.ValidateBasic`. */
export function validateCommitSig(sig: CommitSig, index: number): void {
  const where = `signature #${index}`;
  switch (sig.blockIdFlag) {
    case BlockIDFlag.BLOCK_ID_FLAG_ABSENT:
      if (sig.validatorAddress.length > 0 || !isZeroTime(sig.timestamp) || sig.signature.length > 0) {
        throw ErrInvalidCommit.wrap(`${where}: an absent vote carries no address, timestamp or signature`);
      }
      return;
    case BlockIDFlag.BLOCK_ID_FLAG_COMMIT:
    case BlockIDFlag.BLOCK_ID_FLAG_NIL:
      if (sig.validatorAddress.length !== ADDRESS_SIZE) {
        throw ErrInvalidCommit.wrap(
          `${where}: expected ValidatorAddress size to be ${ADDRESS_SIZE} bytes, got ${sig.validatorAddress.length} bytes`,
        );
      }
      if (sig.signature.length === 0) throw ErrInvalidCommit.wrap(`${where}: signature is missing`);
      if (sig.signature.length > ED25519_SIGNATURE_SIZE)
        throw ErrInvalidCommit.wrap(`${where}: signature is too big (max: ${ED25519_SIGNATURE_SIZE})`);
      return;
    default:
      throw ErrInvalidCommit.wrap(`${where}: unknown BlockIDFlag: ${sig.blockIdFlag}`);
  }
}

/** `Commit.ValidateBasic`. */
export function validateCommitBasic(commit: Commit): void {
  if (commit.height < 0n) throw ErrInvalidCommit.wrap('negative Height');
  if (commit.round < 0) throw ErrInvalidCommit.wrap('negative Round');
  if (commit.height >= 1n) {
    if (isZeroBlockId(commit.blockId)) throw ErrInvalidCommit.wrap('commit cannot be for nil block');
    validateBlockId('BlockID', commit.blockId);
    if (commit.signatures.length === 0) throw ErrInvalidCommit.wrap('no signatures in commit');
    commit.signatures.forEach(validateCommitSig);
  }
}

/**
 * `SignedHeader.ValidateBasic(chainID)`: both parts valid, the chain id expected, and the commit is
 * for exactly this header (its block id hash is the header's hash).
 */
export function validateSignedHeader(signed: SignedHeader | undefined, chainId: string): { header: Header; commit: Commit } {
  const header = signed?.header;
  const commit = signed?.commit;
  if (header === undefined) throw ErrInvalidHeader.wrap('signed header is missing its header');
  if (commit === undefined) throw ErrInvalidHeader.wrap('signed header is missing its commit');
  validateHeaderBasic(header);
  validateCommitBasic(commit);
  if (header.chainId !== chainId) throw ErrInvalidChainID.wrap(`header belongs to another chain "${header.chainId}", not "${chainId}"`);
  if (commit.height !== header.height)
    throw ErrInvalidHeader.wrap(`header and commit height mismatch: ${header.height} vs ${commit.height}`);
  const hash = headerHash(header);
  if (hash === undefined || !bytesEqual(hash, commit.blockId.hash)) {
    throw ErrInvalidHeader.wrap(
      `commit signs block ${hex(commit.blockId.hash)}, header is block ${hash === undefined ? '<nil>' : hex(hash)}`,
    );
  }
  return { header, commit };
}

/** A validator set usable for verification: its power total (ValidatorSet.ValidateBasic, ed25519 only). */
export function validateValidatorSet(validators: readonly Validator[] | undefined, what = 'validator set'): bigint {
  if (validators === undefined || validators.length === 0) throw ErrInvalidValidatorSet.wrap(`${what} is nil or empty`);
  let total = 0n;
  const seen = new Set<string>();
  validators.forEach((v, i) => {
    const key = v.pubKey?.ed25519;
    if (key === undefined || key.length !== ED25519_PUBKEY_SIZE) {
      throw ErrInvalidValidatorSet.wrap(
        `${what}: validator #${i} needs a ${ED25519_PUBKEY_SIZE}-byte ed25519 public key (only ed25519 is supported)`,
      );
    }
    if (v.votingPower < 0n) throw ErrInvalidValidatorSet.wrap(`${what}: validator #${i} has negative voting power`);
    if (!bytesEqual(v.address, ed25519Address(key)))
      throw ErrInvalidValidatorSet.wrap(`${what}: validator #${i} address does not match its public key`);
    const id = hex(v.address);
    if (seen.has(id)) throw ErrInvalidValidatorSet.wrap(`${what}: duplicate validator ${id}`);
    seen.add(id);
    total += v.votingPower;
  });
  if (total > MAX_TOTAL_VOTING_POWER)
    throw ErrInvalidValidatorSet.wrap(`${what}: total voting power ${total} exceeds ${MAX_TOTAL_VOTING_POWER}`);
  return total;
}

/** CometBFT light `ValidateTrustLevel`: within [1/3, 1]. */
export function validateTrustLevel(level: Fraction): void {
  if (level.denominator === 0n || level.numerator * 3n < level.denominator || level.numerator > level.denominator) {
    throw ErrInvalidTrustLevel.wrap(`trust level must be within [1/3, 1], given ${level.numerator}/${level.denominator}`);
  }
}

function checkSignature(chainId: string, commit: Commit, index: number, validator: Validator): void {
  const sig = commit.signatures[index]!;
  const signBytes = precommitSignBytes(chainId, commit.height, commit.round, commit.blockId, sig.timestamp);
  if (!verifyEd25519(validator.pubKey.ed25519!, signBytes, sig.signature)) {
    throw ErrInvalidCommit.wrap(`wrong signature (#${index}): ${hex(sig.signature)}`);
  }
}

/**
 * `VerifyCommitLight`: `validators` is the set that signed `commit` (same order as the
 * signatures), the commit is for `blockId` at `height`, and more than 2/3 of the set's power
 * signed it. Stops at the first signature that tips the tally, as CometBFT's light path does.
 */
export function verifyCommitLight(
  chainId: string,
  validators: readonly Validator[],
  blockId: BlockID,
  height: bigint,
  commit: Commit,
): void {
  const total = validateValidatorSet(validators);
  if (validators.length !== commit.signatures.length) {
    throw ErrInvalidCommit.wrap(`wrong set size: ${validators.length} validators, ${commit.signatures.length} signatures`);
  }
  if (commit.height !== height) throw ErrInvalidCommit.wrap(`wrong height: expected ${height}, got ${commit.height}`);
  if (!blockIdsEqual(commit.blockId, blockId))
    throw ErrInvalidCommit.wrap(`wrong block id: expected ${hex(blockId.hash)}, got ${hex(commit.blockId.hash)}`);
  const needed = (total * 2n) / 3n;
  let tallied = 0n;
  for (let i = 0; i < commit.signatures.length; i++) {
    const sig = commit.signatures[i]!;
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    validateCommitSig(sig, i);
    // CometBFT looks the signer up by index only; a signature naming another validator's address
    // is malformed either way, and rejecting it keeps evidence unambiguous.
    if (!bytesEqual(sig.validatorAddress, validators[i]!.address)) {
      throw ErrInvalidCommit.wrap(
        `signature #${i} names validator ${hex(sig.validatorAddress)}, the set has ${hex(validators[i]!.address)} there`,
      );
    }
    checkSignature(chainId, commit, i, validators[i]!);
    tallied += validators[i]!.votingPower;
    if (tallied > needed) return;
  }
  throw ErrNotEnoughVotingPower.wrap(`got ${tallied}, needed more than ${needed}`);
}

/**
 * `VerifyCommitLightTrusting`: more than `trustLevel` of the power of `trusted` (a set that need
 * not be the signer set) signed `commit`; validators are matched by address, each counted once.
 */
export function verifyCommitLightTrusting(chainId: string, trusted: readonly Validator[], commit: Commit, trustLevel: Fraction): void {
  const total = validateValidatorSet(trusted, 'trusted validator set');
  if (trustLevel.denominator === 0n) throw ErrInvalidTrustLevel.wrap('trustLevel has zero Denominator');
  const needed = (total * trustLevel.numerator) / trustLevel.denominator;
  const byAddress = new Map(trusted.map((v, i) => [hex(v.address), i]));
  const seen = new Map<number, number>();
  let tallied = 0n;
  for (let i = 0; i < commit.signatures.length; i++) {
    const sig = commit.signatures[i]!;
    if (sig.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_COMMIT) continue;
    validateCommitSig(sig, i);
    const index = byAddress.get(hex(sig.validatorAddress));
    if (index === undefined) continue;
    const first = seen.get(index);
    if (first !== undefined) throw ErrInvalidCommit.wrap(`double vote from ${hex(sig.validatorAddress)} (${first} and ${i})`);
    seen.set(index, i);
    checkSignature(chainId, commit, i, trusted[index]!);
    tallied += trusted[index]!.votingPower;
    if (tallied > needed) return;
  }
  throw ErrNotEnoughVotingPower.wrap(`trusted validators: got ${tallied}, needed more than ${needed}`);
}
