/**
 * What differs between the two kinds of chain a path can join (config.ts `kind`): a Parazone
 * zone answers our `/parazone.ibc.v1.Query/*` queries; an ibc-go chain is read through ibc-go's
 * own queries and events (ibcgo-chain.ts). Everything else (client updates, proofs, the relayed
 * Msgs) is the same IBC v2 on both.
 */
import type { Acknowledgement as AckType, Packet as PacketType } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { IavlSpec, SmtSpec, TendermintSpec, type Ics23ProofSpec } from '../ics23/index.js';
import {
  QueryAcknowledgementRequest,
  QueryAcknowledgementResponse,
  QueryClientsRequest,
  QueryClientsResponse,
  QueryPendingPacketsRequest,
  QueryPendingPacketsResponse,
} from '../../generated/parazone/ibc/v1/query.js';
import type { ChainKind } from './config.js';
import { ibcgoAcknowledgement, ibcgoClients, ibcgoPendingPackets } from './ibcgo-chain.js';
import type { ZoneClient } from './zone-client.js';

/** Packets per relayed tx (each Msg carries a proof of ~1–2 kB); the rest wait for the next round. */
export const MAX_PACKETS_PER_TX_HINT = 100;

export interface ClientSummary {
  readonly clientId: string;
  readonly chainId: string;
  readonly frozen: boolean;
  /** '' while no counterparty is registered. */
  readonly counterpartyClientId: string;
  /** Who created it (Parazone zones keep it; '' where unknown). */
  readonly creator?: string;
}

/**
 * Where a chain's provable IBC keys live, as the counterparty registers it: one SMT with keys
 * "ibc/‖key" (Parazone), or key in the IAVL store "ibc" under the multistore (ibc-go's default
 * v2 prefix for Cosmos SDK chains).
 */
export function merklePrefixOf(kind: ChainKind): Uint8Array[] {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  return kind === 'ibc-go' ? [utf8('ibc'), new Uint8Array()] : [utf8('ibc/')];
}

/** The ICS-23 specs a client of such a chain verifies its proofs with. */
export function proofSpecsOf(kind: ChainKind): readonly Ics23ProofSpec[] {
  return kind === 'ibc-go' ? [IavlSpec, TendermintSpec] : [SmtSpec];
}

const clientNumber = (id: string) => BigInt(id.slice(id.lastIndexOf('-') + 1));

/** Every client on the chain, lowest number first. */
export async function listClients(zone: ZoneClient): Promise<ClientSummary[]> {
  const all: ClientSummary[] =
    zone.config.kind === 'ibc-go'
      ? await ibcgoClients(zone)
      : (await zone.query('/parazone.ibc.v1.Query/Clients', QueryClientsRequest, QueryClientsResponse, {})).clients;
  return [...all].sort((x, y) => (clientNumber(x.clientId) < clientNumber(y.clientId) ? -1 : 1));
}

/** Packets sent on `clientId` and still in flight as of `height` (0 = latest). */
export async function pendingPackets(zone: ZoneClient, clientId: string, height: number): Promise<PacketType[]> {
  if (zone.config.kind === 'ibc-go') return ibcgoPendingPackets(zone, clientId, height);
  const res = await zone.query(
    '/parazone.ibc.v1.Query/PendingPackets',
    QueryPendingPacketsRequest,
    QueryPendingPacketsResponse,
    { clientId },
    height,
  );
  return res.packets.map((p) => Packet.decode(p));
}

/** The acknowledgement written on `zone` for packet `sequence` received on `clientId`, as of `height`. */
export async function writtenAcknowledgement(
  zone: ZoneClient,
  clientId: string,
  sequence: bigint,
  height: number,
): Promise<AckType | undefined> {
  if (zone.config.kind === 'ibc-go') return ibcgoAcknowledgement(zone, clientId, sequence, height);
  const res = await zone.query(
    '/parazone.ibc.v1.Query/Acknowledgement',
    QueryAcknowledgementRequest,
    QueryAcknowledgementResponse,
    { clientId, sequence },
    height,
  );
  return res.found ? Acknowledgement.decode(res.acknowledgement) : undefined;
}
