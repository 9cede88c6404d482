/**
 * What the relayer needs from a Cosmos SDK chain running ibc-go v10 (IBC v2), which has none of
 * our `/parazone.ibc.v1.Query/*` conveniences: packets in flight are its packet commitments
 * (`/ibc.core.channel.v2.Query/PacketCommitments`) whose packet bytes come from the `send_packet`
 * event that wrote them (tx search, `encoded_packet_hex`); written acks come from
 * `write_acknowledgement` events (`encoded_acknowledgement_hex`); clients from `ClientStates` and
 * `CounterpartyInfo`. Clients are created with ibc-go's own MsgCreateClient.
 */
import type { EncodeObject } from '@cosmjs/proto-signing';
import { Acknowledgement, Packet } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { QueryPacketCommitmentsRequest, QueryPacketCommitmentsResponse } from 'cosmjs-types/ibc/core/channel/v2/query';
import { QueryClientStatesRequest, QueryClientStatesResponse } from 'cosmjs-types/ibc/core/client/v1/query';
import { MsgCreateClient } from 'cosmjs-types/ibc/core/client/v1/tx';
import { QueryCounterpartyInfoRequest, QueryCounterpartyInfoResponse } from 'cosmjs-types/ibc/core/client/v2/query';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import {
  ClientState as TmClientState,
  ConsensusState as TmConsensusState,
} from '../../generated/ibc/lightclients/tendermint/v1/tendermint.js';
import type { ClientSummary } from './chain-kinds.js';
import { QueryError, type SubmitResult, type ZoneClient } from './zone-client.js';

const TENDERMINT_CLIENT_STATE = '/ibc.lightclients.tendermint.v1.ClientState';
const TENDERMINT_CONSENSUS_STATE = '/ibc.lightclients.tendermint.v1.ConsensusState';
export const IBCGO_CREATE_CLIENT = '/ibc.core.client.v1.MsgCreateClient';
/** How a user sends an ICS-20 (or any v2) packet on an ibc-go chain. */
export const IBCGO_SEND_PACKET = '/ibc.core.channel.v2.MsgSendPacket';

/** Packets looked at per round and source (as many as one relayed tx carries). */
const COMMITMENTS_PER_QUERY = 100n;

const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

/** The first value of `attribute` in an event of `type` in the txs matching `query`, with its height. */
async function eventAttribute(
  zone: ZoneClient,
  query: string,
  type: string,
  attribute: string,
): Promise<{ value: string; height: number } | undefined> {
  const res = await zone.comet.txSearch({ query, per_page: 5 });
  for (const tx of res.txs) {
    if (tx.result.code !== 0) continue;
    const event = tx.result.events.find((e) => e.type === type);
    const attr = event?.attributes.find((a) => a.key === attribute);
    if (attr !== undefined) return { value: attr.value, height: tx.height };
  }
  return undefined;
}

/** Packets sent on `clientId` that still have a commitment at `height` (0 = latest), by sequence. */
export async function ibcgoPendingPackets(zone: ZoneClient, clientId: string, height: number): Promise<Packet[]> {
  const res = await zone.query(
    '/ibc.core.channel.v2.Query/PacketCommitments',
    QueryPacketCommitmentsRequest,
    QueryPacketCommitmentsResponse,
    { clientId, pagination: PageRequest.fromPartial({ limit: COMMITMENTS_PER_QUERY }) },
    height,
  );
  const packets = await Promise.all(
    res.commitments.map(async (c) => {
      const found = await eventAttribute(
        zone,
        `send_packet.packet_source_client='${clientId}' AND send_packet.packet_sequence='${c.sequence}'`,
        'send_packet',
        'encoded_packet_hex',
      );
      return found === undefined ? undefined : Packet.decode(fromHex(found.value));
    }),
  );
  return packets.filter((p): p is Packet => p !== undefined).sort((x, y) => (x.sequence < y.sequence ? -1 : 1));
}

/** The acknowledgement `zone` wrote for packet `sequence` received on `clientId`, by `height` (0 = latest). */
export async function ibcgoAcknowledgement(
  zone: ZoneClient,
  clientId: string,
  sequence: bigint,
  height: number,
): Promise<Acknowledgement | undefined> {
  const found = await eventAttribute(
    zone,
    `write_acknowledgement.packet_dest_client='${clientId}' AND write_acknowledgement.packet_sequence='${sequence}'`,
    'write_acknowledgement',
    'encoded_acknowledgement_hex',
  );
  if (found === undefined || (height > 0 && found.height > height)) return undefined;
  return Acknowledgement.decode(fromHex(found.value));
}

/** Every 07-tendermint client on the chain, with its registered counterparty ('' if none). */
export async function ibcgoClients(zone: ZoneClient): Promise<ClientSummary[]> {
  const res = await zone.query('/ibc.core.client.v1.Query/ClientStates', QueryClientStatesRequest, QueryClientStatesResponse, {
    pagination: PageRequest.fromPartial({ limit: 1000n }),
  });
  const out: ClientSummary[] = [];
  for (const c of res.clientStates) {
    if (c.clientState?.typeUrl !== TENDERMINT_CLIENT_STATE) continue;
    const cs = TmClientState.decode(c.clientState.value);
    let counterpartyClientId = '';
    try {
      const info = await zone.query(
        '/ibc.core.client.v2.Query/CounterpartyInfo',
        QueryCounterpartyInfoRequest,
        QueryCounterpartyInfoResponse,
        { clientId: c.clientId },
      );
      counterpartyClientId = info.counterpartyInfo?.clientId ?? '';
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
    }
    const frozen = (cs.frozenHeight?.revisionHeight ?? 0n) !== 0n;
    out.push({ clientId: c.clientId, chainId: cs.chainId, frozen, counterpartyClientId });
  }
  return out;
}

/**
 * ibc-go's MsgCreateClient on `host` for a client of `of`: the client state (with the proof specs
 * of `of`'s store, including ICS-23's prehash_key_before_comparison that an SMT needs) and the
 * consensus state of `of`'s latest header.
 */
export async function ibcgoCreateClientMsg(
  host: ZoneClient,
  clientState: TmClientState,
  of: ZoneClient,
  height: number,
): Promise<EncodeObject> {
  const header = (await of.signedHeader(height)).header!;
  const consensusState: TmConsensusState = {
    timestamp: { seconds: header.time.seconds, nanos: header.time.nanos },
    root: { hash: Buffer.from(header.appHash) },
    nextValidatorsHash: Buffer.from(header.nextValidatorsHash),
  };
  return {
    typeUrl: IBCGO_CREATE_CLIENT,
    value: MsgCreateClient.fromPartial({
      clientState: { typeUrl: TENDERMINT_CLIENT_STATE, value: Buffer.from(TmClientState.encode(clientState).finish()) },
      consensusState: { typeUrl: TENDERMINT_CONSENSUS_STATE, value: Buffer.from(TmConsensusState.encode(consensusState).finish()) },
      signer: host.address,
    }),
  };
}

/** The id ibc-go gave the client created by `res` (its `create_client` event). */
export function createdClientId(res: SubmitResult): string | undefined {
  return res.events.find((e) => e.type === 'create_client')?.attributes.find((a) => a.key === 'client_id')?.value;
}
