/**
 * What the relaying loop (relayer.ts) needs from one chain of a path, and nothing more: heights,
 * headers and validator sets for client updates, the IBC v2 state it relays (packets in flight,
 * receipts, written acks, the latest height of its client of the other chain), proofs of ibc-store
 * keys, and a way to submit Msgs. The RPC end (rpc-end.ts) answers over CometBFT RPC; tests
 * answer from in-process zones (test/ibc/inprocess/relayer.ts). Every answer comes from the chain,
 * so the loop keeps no state of its own.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import type { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

/** The outcome of one relayed tx (DeliverTx), or the CheckTx/broadcast refusal as code ≠ 0. */
export interface SubmitResult {
  readonly code: number;
  readonly log: string;
  readonly height: number;
  readonly txhash: string;
  readonly gasUsed: bigint;
  /** The tx's events (empty when it was refused). */
  readonly events: readonly { type: string; attributes: readonly { key: string; value: string }[] }[];
}

export interface ChainEnd {
  readonly chainId: string;
  /** The relayer's address here: the signer of the Msgs it submits on this chain. */
  readonly address: string;

  /** The latest committed height. */
  latestHeight(): Promise<number>;
  /** The latest block's time, unix seconds (what this chain's timeouts are compared with). */
  latestTimeSeconds(): Promise<bigint>;
  signedHeader(height: number): Promise<SignedHeader>;
  validatorSet(height: number): Promise<ValidatorSet>;

  /** Packets sent on `clientId` and still in flight as of `height` (0 = latest). */
  pendingPackets(clientId: string, height: number): Promise<Packet[]>;
  /** Which of `sequences`, sent to `clientId` here, have no receipt as of `height` (0 = latest). */
  unreceivedPackets(clientId: string, sequences: bigint[], height: number): Promise<Set<bigint>>;
  /** The acknowledgement written here for packet `sequence` received on `clientId`, as of `height`. */
  writtenAcknowledgement(clientId: string, sequence: bigint, height: number): Promise<Acknowledgement | undefined>;
  /** The latest height (revision height) of this chain's client `clientId` of the other chain. */
  clientLatestHeight(clientId: string): Promise<number>;

  /** An encoded MerkleProof of the ibc-store key as of the state after block `height`. */
  prove(key: Uint8Array, height: number): Promise<{ proof: Uint8Array }>;
  /** Signs and delivers `msgs` in one tx; a tx that fails on chain is a result, not a throw. */
  submit(msgs: EncodeObject[]): Promise<SubmitResult>;
}
