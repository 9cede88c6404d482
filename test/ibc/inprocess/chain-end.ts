/**
 * An in-process zone as one end of the relayer's path (app/relayer/chain-end.ts): the same
 * questions the RPC end answers over CometBFT, answered by the zone's app directly, and Msgs
 * signed by the zone's account 0 and delivered in a block of their own. In-process zones only
 * move when a test makes a block, so the relaying core runs here exactly as over RPC, one step
 * at a time.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { QueryUnreceivedPacketsRequest, QueryUnreceivedPacketsResponse } from 'cosmjs-types/ibc/core/channel/v2/query';
import { QueryClientStateRequest, QueryClientStateResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import { ClientState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { ChainEnd, SubmitResult } from '../../../app/relayer/chain-end.js';
import { ibcRegistry } from '../../../app/relayer/registry.js';
import {
  QueryAcknowledgementRequest,
  QueryAcknowledgementResponse,
  QueryPendingPacketsRequest,
  QueryPendingPacketsResponse,
} from '../../../generated/parazone/ibc/v1/query.js';
import type { Zone } from './zone.js';

/** A one-level MerkleProof of an ibc-store key as of the state after `height`, via the ABCI raw store query. */
export function proveIbcKey(zone: Zone, key: Uint8Array, height: number): Uint8Array {
  const res = zone.app.query({ path: '/store/ibc/key', data: key, height: BigInt(height), prove: true });
  if (res.code !== 0) throw new Error(`proof query failed: ${res.log}`);
  const op = res.proofOps!.ops[0]!;
  if (op.type !== 'ics23:smt') throw new Error(`unexpected proof op ${op.type}`);
  return MerkleProof.encode({ proofs: [CommitmentProof.decode(op.data)] }).finish();
}

export function pendingPacketsOf(zone: Zone, clientId: string, height = 0): Packet[] {
  return zone
    .query('/parazone.ibc.v1.Query/PendingPackets', QueryPendingPacketsRequest, QueryPendingPacketsResponse, { clientId }, height)
    .packets.map((p) => Packet.decode(p));
}

export function unreceivedOf(zone: Zone, clientId: string, sequences: bigint[], height = 0): Set<bigint> {
  const res = zone.query(
    '/ibc.core.channel.v2.Query/UnreceivedPackets',
    QueryUnreceivedPacketsRequest,
    QueryUnreceivedPacketsResponse,
    { clientId, sequences },
    height,
  );
  return new Set(res.sequences);
}

export function writtenAckOf(zone: Zone, clientId: string, sequence: bigint, height = 0): Acknowledgement | undefined {
  const res = zone.query(
    '/parazone.ibc.v1.Query/Acknowledgement',
    QueryAcknowledgementRequest,
    QueryAcknowledgementResponse,
    { clientId, sequence },
    height,
  );
  return res.found ? Acknowledgement.decode(res.acknowledgement) : undefined;
}

export function clientStateOf(zone: Zone, clientId: string): ClientState {
  const res = zone.query('/ibc.core.client.v1.Query/ClientState', QueryClientStateRequest, QueryClientStateResponse, { clientId });
  return ClientState.decode(res.clientState!.value);
}

const registry = ibcRegistry();

export class InProcessChainEnd implements ChainEnd {
  /** Every tx this end delivered, in order, for tests that inspect what the relayer did. */
  readonly delivered: ExecTxResult[] = [];

  constructor(readonly zone: Zone) {}

  get chainId(): string {
    return this.zone.chainId;
  }

  get address(): string {
    return this.zone.accounts[0]!.address;
  }

  async latestHeight(): Promise<number> {
    return this.zone.height;
  }

  async latestTimeSeconds(): Promise<bigint> {
    return this.zone.signedHeader().header!.time!.seconds;
  }

  async signedHeader(height: number): Promise<SignedHeader> {
    return this.zone.signedHeader(height);
  }

  async validatorSet(): Promise<ValidatorSet> {
    // In-process zones keep one validator set for life.
    return this.zone.validatorSet;
  }

  async pendingPackets(clientId: string, height: number): Promise<Packet[]> {
    return pendingPacketsOf(this.zone, clientId, height);
  }

  async unreceivedPackets(clientId: string, sequences: bigint[], height: number): Promise<Set<bigint>> {
    return unreceivedOf(this.zone, clientId, sequences, height);
  }

  async writtenAcknowledgement(clientId: string, sequence: bigint, height: number): Promise<Acknowledgement | undefined> {
    return writtenAckOf(this.zone, clientId, sequence, height);
  }

  async clientLatestHeight(clientId: string): Promise<number> {
    return Number(clientStateOf(this.zone, clientId).latestHeight.revisionHeight);
  }

  async prove(key: Uint8Array, height: number): Promise<{ proof: Uint8Array }> {
    return { proof: proveIbcKey(this.zone, key, height) };
  }

  async submit(msgs: EncodeObject[]): Promise<SubmitResult> {
    const encoded = msgs.map((m) => ({ typeUrl: m.typeUrl, value: registry.encode(m) }));
    const r = this.zone.deliver(this.zone.accounts[0]!, encoded);
    this.delivered.push(r);
    return {
      code: r.code,
      log: r.log,
      height: this.zone.height,
      // In-process txs are not broadcast, so they have no hash to look up.
      txhash: '',
      gasUsed: r.gasUsed,
      events: r.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
    };
  }
}
