/**
 * The ibc module's store layout. Packet keys are ibc-go v10's IBC v2 keys byte for byte
 * (modules/core/24-host/v2/packet_keys.go), so a counterparty proves them under the merkle prefix
 * ["ibc/"] (our store key prefix; the CommitStore is one SMT over all prefixed keys):
 *
 *   <clientId> 0x01 <seq be64>   → sha256 packet commitment (32 bytes)
 *   <clientId> 0x02 <seq be64>   → receipt 0x02 (ibc-go's value)
 *   <clientId> 0x03 <seq be64>   → sha256 ack commitment (32 bytes)
 *
 * Client ids are generated ("<client type>-<n>", e.g. "07-tendermint-0") and start with a digit, so they never collide
 * with the ASCII-word prefixes of everything else kept here:
 *
 *   sentinel                                      → "ibc" (the provable store is never empty)
 *   nextClientSequence                            → be64
 *   clients/<id>/clientState                      → the light client's state (07-tendermint: its ClientState)
 *   clients/<id>/consensusStates/<rev be64><h be64> → its ConsensusState per height (written by the light client)
 *   clients/<id>/counterparty                     → ibc.core.client.v2.CounterpartyInfo
 *   clients/<id>/creator                          → bech32 address (utf8)
 *   nextSequenceSend/<id>                         → be64 (ibc-go's key)
 *   packets/<id>/<seq be64>                       → ibc.core.channel.v2.Packet, while in flight
 *   acks/<id>/<seq be64>                          → ibc.core.channel.v2.Acknowledgement written here
 *   apps/transfer/denom/<HEX>                     → full denom path of a voucher
 *   apps/transfer/escrow/<denom>                  → total escrowed amount (decimal)
 *   apps/custody/trusted/<clientId>               → 0x01 while governance lets units travel over it
 */
import { StoreKey } from '../../app/store/types.js';

export const MODULE_NAME = 'ibc';
export const STORE_KEY = new StoreKey(MODULE_NAME);

const utf8 = (s: string) => new TextEncoder().encode(s);

export function be64(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

export function readBe64(bytes: Uint8Array, offset = 0): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const PACKET_COMMITMENT_PREFIX = 1;
export const PACKET_RECEIPT_PREFIX = 2;
export const PACKET_ACK_PREFIX = 3;
/** ibc-go v10's receipt value (`[]byte{byte(2)}`). */
export const RECEIPT_VALUE = Uint8Array.of(2);

export const packetCommitmentPrefix = (clientId: string) => concat(utf8(clientId), Uint8Array.of(PACKET_COMMITMENT_PREFIX));
export const packetCommitmentKey = (clientId: string, seq: bigint) => concat(packetCommitmentPrefix(clientId), be64(seq));
export const packetReceiptKey = (clientId: string, seq: bigint) => concat(utf8(clientId), Uint8Array.of(PACKET_RECEIPT_PREFIX), be64(seq));
export const packetAckKey = (clientId: string, seq: bigint) => concat(utf8(clientId), Uint8Array.of(PACKET_ACK_PREFIX), be64(seq));

export const sentinelKey = () => utf8('sentinel');
export const nextClientSequenceKey = () => utf8('nextClientSequence');
export const clientsPrefix = () => utf8('clients/');
export const clientStateKey = (clientId: string) => utf8(`clients/${clientId}/clientState`);
/** A client's own store: its light client module keeps its client and consensus states under it. */
export const clientStorePrefix = (clientId: string) => utf8(`clients/${clientId}/`);
export const counterpartyKey = (clientId: string) => utf8(`clients/${clientId}/counterparty`);
export const creatorKey = (clientId: string) => utf8(`clients/${clientId}/creator`);
export const nextSequenceSendKey = (clientId: string) => utf8(`nextSequenceSend/${clientId}`);
export const pendingPacketsPrefix = (clientId: string) => utf8(`packets/${clientId}/`);
export const pendingPacketKey = (clientId: string, seq: bigint) => concat(pendingPacketsPrefix(clientId), be64(seq));
export const ackKey = (clientId: string, seq: bigint) => concat(utf8(`acks/${clientId}/`), be64(seq));
export const denomTraceKey = (hashHex: string) => utf8(`apps/transfer/denom/${hashHex}`);
export const totalEscrowKey = (denom: string) => utf8(`apps/transfer/escrow/${denom}`);
export const custodyTrustKey = (clientId: string) => utf8(`apps/custody/trusted/${clientId}`);

/**
 * ibc-go's client id format "<client type>-<n>". Client types here start with two digits and a
 * dash, as ibc-go's do ("07-tendermint", "08-wasm"), which keeps packet keys (which start with a
 * client id) clear of the ASCII-word prefixes above.
 */
export const CLIENT_TYPE_PATTERN = /^[0-9]{2}-[a-z][a-z0-9-]*[a-z0-9]$/;
/**
 * The client type MsgCreateClient (parazone.ibc.v1) creates: its payload, a signed header and a
 * validator set, is a 07-tendermint one.
 */
export const CREATE_CLIENT_TYPE = '07-tendermint';
export const clientIdFor = (clientType: string, n: bigint) => `${clientType}-${n}`;
export const isClientId = (id: string) => {
  const m = /^(.+)-(0|[1-9][0-9]{0,19})$/.exec(id);
  return m !== null && CLIENT_TYPE_PATTERN.test(m[1]!);
};
