/**
 * CometBFT v0.38 JSON-RPC results (`/commit`, `/validators`) to the protobuf types the light
 * client verifies. Hashes and addresses are hex, signatures and keys base64, int64s strings,
 * times RFC 3339 with nanoseconds (kept exactly: sign bytes include them).
 */
import type { BlockID, Commit, CommitSig, Header, SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { parseRfc3339Nano } from './time.js';

export interface RpcBlockId {
  hash: string;
  parts: { total: number; hash: string };
}

export interface RpcHeader {
  version: { block: string; app?: string };
  chain_id: string;
  height: string;
  time: string;
  last_block_id: RpcBlockId;
  last_commit_hash: string;
  data_hash: string;
  validators_hash: string;
  next_validators_hash: string;
  consensus_hash: string;
  app_hash: string;
  last_results_hash: string;
  evidence_hash: string;
  proposer_address: string;
}

export interface RpcCommit {
  height: string;
  round: number;
  block_id: RpcBlockId;
  signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[];
}

/** The `result` of `/commit?height=H`. */
export interface RpcCommitResult {
  signed_header: { header: RpcHeader; commit: RpcCommit };
  canonical: boolean;
}

export interface RpcValidator {
  address: string;
  pub_key: { type: string; value: string };
  voting_power: string;
  proposer_priority: string;
}

/** The `result` of `/validators?height=H` (one page). */
export interface RpcValidatorsResult {
  block_height: string;
  validators: RpcValidator[];
  count: string;
  total: string;
}

const fromHex = (s: string | null | undefined) => new Uint8Array(Buffer.from(s ?? '', 'hex'));
const fromBase64 = (s: string | null | undefined) => new Uint8Array(Buffer.from(s ?? '', 'base64'));

export function blockIdFromRpc(id: RpcBlockId): BlockID {
  return { hash: fromHex(id.hash), partSetHeader: { total: id.parts.total, hash: fromHex(id.parts.hash) } };
}

export function headerFromRpc(h: RpcHeader): Header {
  return {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? '0') },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseRfc3339Nano(h.time),
    lastBlockId: blockIdFromRpc(h.last_block_id),
    lastCommitHash: fromHex(h.last_commit_hash),
    dataHash: fromHex(h.data_hash),
    validatorsHash: fromHex(h.validators_hash),
    nextValidatorsHash: fromHex(h.next_validators_hash),
    consensusHash: fromHex(h.consensus_hash),
    appHash: fromHex(h.app_hash),
    lastResultsHash: fromHex(h.last_results_hash),
    evidenceHash: fromHex(h.evidence_hash),
    proposerAddress: fromHex(h.proposer_address),
  };
}

export function commitFromRpc(c: RpcCommit): Commit {
  const signatures: CommitSig[] = c.signatures.map((s) => ({
    blockIdFlag: s.block_id_flag,
    validatorAddress: fromHex(s.validator_address),
    timestamp: parseRfc3339Nano(s.timestamp),
    signature: fromBase64(s.signature),
  }));
  return { height: BigInt(c.height), round: c.round, blockId: blockIdFromRpc(c.block_id), signatures };
}

export function signedHeaderFromRpc(result: RpcCommitResult): SignedHeader {
  return { header: headerFromRpc(result.signed_header.header), commit: commitFromRpc(result.signed_header.commit) };
}

export function validatorFromRpc(v: RpcValidator): Validator {
  if (v.pub_key.type !== 'tendermint/PubKeyEd25519') throw new Error(`unsupported validator key type ${v.pub_key.type}`);
  return {
    address: fromHex(v.address),
    pubKey: { ed25519: fromBase64(v.pub_key.value) },
    votingPower: BigInt(v.voting_power),
    proposerPriority: BigInt(v.proposer_priority),
  };
}

/**
 * A validator set from all pages of `/validators` (in the node's order, which is the set's hash
 * order). The RPC does not name the proposer; it is not part of any hash the client checks, so
 * the first validator stands in.
 */
export function validatorSetFromRpc(pages: RpcValidatorsResult[]): ValidatorSet {
  const validators = pages.flatMap((p) => p.validators.map(validatorFromRpc));
  const total = pages[0] === undefined ? 0 : Number(pages[0].total);
  if (validators.length !== total) throw new Error(`validator pages hold ${validators.length} of ${total} validators`);
  return { validators, proposer: validators[0], totalVotingPower: validators.reduce((s, v) => s + v.votingPower, 0n) };
}
