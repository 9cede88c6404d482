/**
 * The exact bytes CometBFT v0.38 hashes and signs: the header's Merkle leaves (types/block.go
 * `Header.Hash`, types/encoding_helper.go `cdcEncode`), validator bytes (types/validator.go
 * `Bytes`) and vote sign bytes (types/vote.go `VoteSignBytes`, types/canonical.go). Hand-encoded
 * where cosmjs-types has no message (gogoproto wrappers, CanonicalVote), with gogoproto's rules:
 * zero scalars are omitted, non-nullable sub-messages are always written.
 */
import { BinaryWriter } from 'cosmjs-types/binary';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { Timestamp as TimestampCodec } from 'cosmjs-types/google/protobuf/timestamp';
import { BlockID, type Header } from 'cosmjs-types/tendermint/types/types';
import { SimpleValidator, type Validator } from 'cosmjs-types/tendermint/types/validator';
import { Consensus } from 'cosmjs-types/tendermint/version/types';
import { hashFromByteSlices } from './merkle.js';

/** gogotypes.StringValue{value}: empty for "". */
export function stringValue(value: string): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== '') w.uint32(10).string(value);
  return w.finish();
}

/** gogotypes.Int64Value{value}: empty for 0. */
export function int64Value(value: bigint): Uint8Array {
  const w = BinaryWriter.create();
  if (value !== 0n) w.uint32(8).int64(value);
  return w.finish();
}

/** gogotypes.BytesValue{value}: empty for no bytes. */
export function bytesValue(value: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  if (value.length > 0) w.uint32(10).bytes(value);
  return w.finish();
}

export function timestampBytes(time: Timestamp): Uint8Array {
  return TimestampCodec.encode(time).finish();
}

/**
 * CometBFT `Header.Hash()`: the Merkle root of the 14 header fields in order. Undefined when the
 * validators hash is empty, as CometBFT returns nil there.
 */
export function headerHash(header: Header): Uint8Array | undefined {
  if (header.validatorsHash.length === 0) return undefined;
  return hashFromByteSlices([
    Consensus.encode(header.version).finish(),
    stringValue(header.chainId),
    int64Value(header.height),
    timestampBytes(header.time),
    BlockID.encode(header.lastBlockId).finish(),
    bytesValue(header.lastCommitHash),
    bytesValue(header.dataHash),
    bytesValue(header.validatorsHash),
    bytesValue(header.nextValidatorsHash),
    bytesValue(header.consensusHash),
    bytesValue(header.appHash),
    bytesValue(header.lastResultsHash),
    bytesValue(header.evidenceHash),
    bytesValue(header.proposerAddress),
  ]);
}

/** CometBFT `Validator.Bytes()`: proto SimpleValidator{pub_key, voting_power}. */
export function simpleValidatorBytes(validator: Validator): Uint8Array {
  return SimpleValidator.encode({ pubKey: validator.pubKey, votingPower: validator.votingPower }).finish();
}

/** CometBFT `ValidatorSet.Hash()`: the Merkle root of the validators' bytes, in set order. */
export function validatorSetHash(validators: readonly Validator[]): Uint8Array {
  return hashFromByteSlices(validators.map(simpleValidatorBytes));
}

/** SignedMsgType PRECOMMIT. */
export const PRECOMMIT_TYPE = 2;

export interface CanonicalVoteFields {
  readonly type: number;
  readonly height: bigint;
  readonly round: bigint;
  /** Undefined for a vote for nil (CometBFT canonicalizes a zero BlockID to nil). */
  readonly blockId: BlockID | undefined;
  readonly timestamp: Timestamp;
  readonly chainId: string;
}

/**
 * proto CanonicalVote (proto/tendermint/types/canonical.proto): type=1 enum, height=2 sfixed64,
 * round=3 sfixed64, block_id=4 CanonicalBlockID{hash=1, part_set_header=2 {total=1 uint32,
 * hash=2}}, timestamp=5 (non-nullable), chain_id=6.
 */
export function canonicalVoteBytes(vote: CanonicalVoteFields): Uint8Array {
  const w = BinaryWriter.create();
  if (vote.type !== 0) w.uint32(8).int32(vote.type);
  if (vote.height !== 0n) w.uint32(17).sfixed64(vote.height);
  if (vote.round !== 0n) w.uint32(25).sfixed64(vote.round);
  if (vote.blockId !== undefined) {
    const b = w.uint32(34).fork();
    if (vote.blockId.hash.length > 0) b.uint32(10).bytes(vote.blockId.hash);
    const p = b.uint32(18).fork();
    if (vote.blockId.partSetHeader.total !== 0) p.uint32(8).uint32(vote.blockId.partSetHeader.total);
    if (vote.blockId.partSetHeader.hash.length > 0) p.uint32(18).bytes(vote.blockId.partSetHeader.hash);
    p.ldelim();
    b.ldelim();
  }
  TimestampCodec.encode(vote.timestamp, w.uint32(42).fork()).ldelim();
  if (vote.chainId !== '') w.uint32(50).string(vote.chainId);
  return w.finish();
}

/** protoio.MarshalDelimited: uvarint(length) ‖ bytes — what validators actually sign. */
export function lengthDelimited(bytes: Uint8Array): Uint8Array {
  const w = BinaryWriter.create();
  w.bytes(bytes);
  return w.finish();
}

/** `VoteSignBytes` of a precommit for `blockId` (nil vote when undefined). */
export function precommitSignBytes(
  chainId: string,
  height: bigint,
  round: number,
  blockId: BlockID | undefined,
  timestamp: Timestamp,
): Uint8Array {
  return lengthDelimited(canonicalVoteBytes({ type: PRECOMMIT_TYPE, height, round: BigInt(round), blockId, timestamp, chainId }));
}
