/**
 * Queries a stateless relayer needs. ibc-go's paths and types where they exist
 * (ibc.core.client.v1 / v2, ibc.core.channel.v2); proofs are NOT in these responses — fetch them
 * with the raw store query `/store/ibc/key` (prove=true) at height H, and submit them with
 * proofHeight H+1 (see client-keeper.ts).
 */
import {
  QueryClientStateRequest,
  QueryClientStateResponse,
  QueryClientStatusRequest,
  QueryClientStatusResponse,
  QueryConsensusStateRequest,
  QueryConsensusStateResponse,
} from 'cosmjs-types/ibc/core/client/v1/query';
import { QueryCounterpartyInfoRequest, QueryCounterpartyInfoResponse } from 'cosmjs-types/ibc/core/client/v2/query';
import {
  QueryNextSequenceSendRequest,
  QueryNextSequenceSendResponse,
  QueryPacketAcknowledgementRequest,
  QueryPacketAcknowledgementResponse,
  QueryPacketCommitmentRequest,
  QueryPacketCommitmentResponse,
  QueryPacketReceiptRequest,
  QueryPacketReceiptResponse,
  QueryUnreceivedAcksRequest,
  QueryUnreceivedAcksResponse,
  QueryUnreceivedPacketsRequest,
  QueryUnreceivedPacketsResponse,
} from 'cosmjs-types/ibc/core/channel/v2/query';
import { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type { Context } from '../../app/types/context.js';
import { ErrNotFound } from '../../app/types/errors.js';
import { defineQuery, type QueryHandler } from '../../app/types/module.js';
import * as q from '../../generated/parazone/ibc/v1/query.js';
import type { IbcKeeper } from './keeper.js';
import { denomTraceKey } from './keys.js';

const here = (ctx: Context): Height => ({ revisionNumber: 0n, revisionHeight: BigInt(ctx.height) });
const noProof = (ctx: Context) => ({ proof: new Uint8Array(), proofHeight: here(ctx) });

export function ibcQueries(k: IbcKeeper): QueryHandler[] {
  return [
    defineQuery({
      path: '/ibc.core.client.v1.Query/ClientState',
      requestType: QueryClientStateRequest,
      responseType: QueryClientStateResponse,
      handle: (ctx, req) => {
        return { clientState: k.clients.clientStateAny(ctx, req.clientId), ...noProof(ctx) };
      },
    }),
    defineQuery({
      path: '/ibc.core.client.v1.Query/ConsensusState',
      requestType: QueryConsensusStateRequest,
      responseType: QueryConsensusStateResponse,
      handle: (ctx, req) => {
        const height = req.latestHeight
          ? k.clients.latestHeight(ctx, req.clientId)
          : { revisionNumber: req.revisionNumber, revisionHeight: req.revisionHeight };
        const consensusState = k.clients.consensusStateAny(ctx, req.clientId, height);
        if (consensusState === undefined)
          throw ErrNotFound.wrap(`client ${req.clientId} has no consensus state at ${height.revisionNumber}-${height.revisionHeight}`);
        return { consensusState, ...noProof(ctx) };
      },
    }),
    defineQuery({
      path: '/ibc.core.client.v1.Query/ClientStatus',
      requestType: QueryClientStatusRequest,
      responseType: QueryClientStatusResponse,
      handle: (ctx, req) => ({ status: k.clients.status(ctx, req.clientId) }),
    }),
    defineQuery({
      path: '/ibc.core.client.v2.Query/CounterpartyInfo',
      requestType: QueryCounterpartyInfoRequest,
      responseType: QueryCounterpartyInfoResponse,
      handle: (ctx, req) => ({ counterpartyInfo: k.clients.mustCounterparty(ctx, req.clientId) }),
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/NextSequenceSend',
      requestType: QueryNextSequenceSendRequest,
      responseType: QueryNextSequenceSendResponse,
      handle: (ctx, req) => ({ nextSequenceSend: k.packets.nextSequenceSend(ctx, req.clientId), ...noProof(ctx) }),
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/PacketCommitment',
      requestType: QueryPacketCommitmentRequest,
      responseType: QueryPacketCommitmentResponse,
      handle: (ctx, req) => {
        const commitment = k.packets.getCommitment(ctx, req.clientId, req.sequence);
        if (commitment === undefined) throw ErrNotFound.wrap(`no commitment for ${req.clientId}/${req.sequence}`);
        return { commitment, ...noProof(ctx) };
      },
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/PacketReceipt',
      requestType: QueryPacketReceiptRequest,
      responseType: QueryPacketReceiptResponse,
      handle: (ctx, req) => ({ received: k.packets.hasReceipt(ctx, req.clientId, req.sequence), ...noProof(ctx) }),
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/PacketAcknowledgement',
      requestType: QueryPacketAcknowledgementRequest,
      responseType: QueryPacketAcknowledgementResponse,
      handle: (ctx, req) => {
        const ack = k.packets.getAckCommitment(ctx, req.clientId, req.sequence);
        if (ack === undefined) throw ErrNotFound.wrap(`no acknowledgement for ${req.clientId}/${req.sequence}`);
        return { acknowledgement: ack, ...noProof(ctx) };
      },
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/UnreceivedPackets',
      requestType: QueryUnreceivedPacketsRequest,
      responseType: QueryUnreceivedPacketsResponse,
      handle: (ctx, req) => ({ sequences: req.sequences.filter((s) => !k.packets.hasReceipt(ctx, req.clientId, s)), height: here(ctx) }),
    }),
    defineQuery({
      path: '/ibc.core.channel.v2.Query/UnreceivedAcks',
      requestType: QueryUnreceivedAcksRequest,
      responseType: QueryUnreceivedAcksResponse,
      // On the packets' source: the sequences whose commitment still waits for an ack.
      handle: (ctx, req) => ({
        sequences: req.packetAckSequences.filter((s) => k.packets.getCommitment(ctx, req.clientId, s) !== undefined),
        height: here(ctx),
      }),
    }),
    defineQuery({
      path: '/parazone.ibc.v1.Query/PendingPackets',
      requestType: q.QueryPendingPacketsRequest,
      responseType: q.QueryPendingPacketsResponse,
      handle: (ctx, req) => ({ packets: k.packets.pendingPackets(ctx, req.clientId).map((p) => Packet.encode(p).finish()) }),
    }),
    defineQuery({
      path: '/parazone.ibc.v1.Query/Acknowledgement',
      requestType: q.QueryAcknowledgementRequest,
      responseType: q.QueryAcknowledgementResponse,
      handle: (ctx, req) => {
        const ack = k.packets.getAcknowledgement(ctx, req.clientId, req.sequence);
        return ack === undefined
          ? { found: false, acknowledgement: new Uint8Array() }
          : { found: true, acknowledgement: Acknowledgement.encode(ack).finish() };
      },
    }),
    defineQuery({
      path: '/parazone.ibc.v1.Query/DenomTrace',
      requestType: q.QueryDenomTraceRequest,
      responseType: q.QueryDenomTraceResponse,
      handle: (ctx, req) => {
        const hash = req.denom.replace(/^ibc\//, '').toUpperCase();
        const raw = k.clients.store(ctx).get(denomTraceKey(hash));
        if (raw === undefined) throw ErrNotFound.wrap(`no denom trace for ${req.denom}`);
        return { path: new TextDecoder().decode(raw) };
      },
    }),
    defineQuery({
      path: '/parazone.ibc.v1.Query/Clients',
      requestType: q.QueryClientsRequest,
      responseType: q.QueryClientsResponse,
      handle: (ctx) => ({
        clients: k.clients.clientIds(ctx).map((id) => {
          const latest = k.clients.latestHeight(ctx, id);
          return {
            clientId: id,
            chainId: k.clients.chainId(ctx, id),
            latestRevisionNumber: latest.revisionNumber,
            latestRevisionHeight: latest.revisionHeight,
            // A frozen client's status is Frozen whatever its age (ibc-go Status checks it first).
            frozen: k.clients.status(ctx, id) === 'Frozen',
            counterpartyClientId: k.clients.getCounterparty(ctx, id)?.clientId ?? '',
            creator: k.clients.getCreator(ctx, id) ?? '',
          };
        }),
      }),
    }),
  ];
}
