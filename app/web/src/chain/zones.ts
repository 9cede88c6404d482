/**
 * One zone as the Explorer's zones view shows it, read through one RPC proxy of this origin:
 * its chain id and height, its IBC clients (the zones it talks to), and per client the packets it
 * sent lately with where each one is: in flight (committed, neither acknowledged nor timed out),
 * acknowledged or timed out. In flight comes from the ibc module's PendingPackets query; the
 * rest from the send/acknowledge/timeout events CometBFT's tx index holds.
 */
import { fromHex } from '@cosmjs/encoding';
import { Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import type { ClientInfo } from '../../../../generated/parazone/ibc/v1/query.js';
import { ibcQuery } from './queries.js';
import { rpc } from './rpc.js';

export type PacketState = 'in flight' | 'acknowledged' | 'timed out' | 'sent';

export interface PacketView {
  readonly sequence: string;
  readonly state: PacketState;
  readonly summary: string;
}

export interface ClientView {
  readonly client: ClientInfo;
  readonly inFlight: number;
  /** Newest first: the packets in flight and the latest ones sent. */
  readonly packets: PacketView[];
}

export interface ZoneView {
  readonly at: string;
  readonly chainId: string;
  readonly height: string;
  readonly clients: ClientView[];
}

interface TxEvents {
  tx_result: { events?: { type: string; attributes: { key: string; value: string }[] }[] };
}

/** Sent packets listed per client beside the ones still in flight. */
const RECENT_PACKETS = 5;

export async function loadZone(at: string): Promise<ZoneView> {
  const [status, { clients }] = await Promise.all([
    rpc<{ node_info: { network: string }; sync_info: { latest_block_height: string } }>('status', {}, at),
    ibcQuery.clients({}, at),
  ]);
  return {
    at,
    chainId: status.node_info.network,
    height: status.sync_info.latest_block_height,
    clients: await Promise.all(clients.map((client) => loadClient(client, at))),
  };
}

async function loadClient(client: ClientInfo, at: string): Promise<ClientView> {
  const id = client.clientId;
  const [pending, sent, acked, timedOut] = await Promise.all([
    ibcQuery.pendingPackets({ clientId: id }, at),
    packetEvents('send_packet', id, at),
    packetEvents('acknowledge_packet', id, at),
    packetEvents('timeout_packet', id, at),
  ]);
  const inFlight = pending.packets.map((bytes) => Packet.decode(bytes));
  const views = new Map<string, PacketView>();
  for (const packet of inFlight)
    views.set(String(packet.sequence), { sequence: String(packet.sequence), state: 'in flight', summary: packetSummary(packet) });
  for (const [sequence, encoded] of sent) {
    if (views.has(sequence) || views.size >= inFlight.length + RECENT_PACKETS) continue;
    const state: PacketState = acked.has(sequence) ? 'acknowledged' : timedOut.has(sequence) ? 'timed out' : 'sent';
    views.set(sequence, { sequence, state, summary: encoded ? packetSummary(Packet.decode(fromHex(encoded))) : '' });
  }
  const packets = [...views.values()].sort((a, b) => (BigInt(b.sequence) > BigInt(a.sequence) ? 1 : -1));
  return { client, inFlight: inFlight.length, packets };
}

/** Sequence → encoded packet (hex) of the newest `type` events on source client `clientId`. */
async function packetEvents(type: string, clientId: string, at: string): Promise<Map<string, string>> {
  const { txs } = await rpc<{ txs: TxEvents[] }>(
    'tx_search',
    { query: `${type}.packet_source_client='${clientId}'`, order_by: 'desc', per_page: '30', page: '1' },
    at,
  );
  const found = new Map<string, string>();
  for (const tx of txs) {
    for (const event of tx.tx_result.events ?? []) {
      if (event.type !== type) continue;
      const attr = (key: string) => event.attributes.find((a) => a.key === key)?.value ?? '';
      if (attr('packet_source_client') === clientId && attr('packet_sequence'))
        found.set(attr('packet_sequence'), attr('encoded_packet_hex'));
    }
  }
  return found;
}

/** "4242 upara from … to …" for an ICS-20 payload (JSON), else the payload's ports. */
export function packetSummary(packet: Packet): string {
  return packet.payloads
    .map((p) => {
      if (p.encoding === 'application/json') {
        try {
          const data = JSON.parse(new TextDecoder().decode(p.value)) as { denom?: unknown; amount?: unknown; receiver?: unknown };
          if (typeof data.denom === 'string' && typeof data.amount === 'string')
            return `${data.amount} ${data.denom} to ${String(data.receiver ?? '?')}`;
        } catch {
          // not JSON after all: shown by its ports below
        }
      }
      return `${p.sourcePort} → ${p.destinationPort}`;
    })
    .join('; ');
}
