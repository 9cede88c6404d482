/**
 * The ibc module's store layout. Packet keys are ibc-go v10's IBC v2 keys byte for byte
 * (modules/core/24-host/v2/packet_keys.go), so a counterparty proves them under the merkle prefix
 * ["ibc/"] (our store key prefix; the CommitStore is one SMT over all prefixed keys):
 *
 *   <clientId> 0x01 <seq be64>   → sha256 packet commitment (32 bytes)
 *   <clientId> 0x02 <seq be64>   → receipt 0x02 (ibc-go's value)
 *   <clientId> 0x03 <seq be64>   → sha256 ack commitment (32 bytes)
 *
 * Client ids are generated ("07-tendermint-<n>") and start with a digit, so they never collide
 * with the ASCII-word prefixes of everything else kept here:
 *
 *   sentinel                                      → "ibc" (the provable store is never empty)
 *   nextClientSequence                            → be64
 *   clients/<id>/clientState                      → ibc.lightclients.tendermint.v1.ClientState
 *   clients/<id>/consensusStates/<rev be64><h be64> → ibc.lightclients.tendermint.v1.ConsensusState
 *   clients/<id>/counterparty                     → ibc.core.client.v2.CounterpartyInfo
 *   clients/<id>/creator                          → bech32 address (utf8)
 *   nextSequenceSend/<id>                         → be64 (ibc-go's key)
 *   packets/<id>/<seq be64>                       → ibc.core.channel.v2.Packet, while in flight
 *   acks/<id>/<seq be64>                          → ibc.core.channel.v2.Acknowledgement written here
 *   apps/transfer/denom/<HEX>                     → full denom path of a voucher
 *   apps/transfer/escrow/<denom>                  → total escrowed amount (decimal)
 *   apps/custody/trusted/<clientId>               → 0x01 while governance lets units travel over it
 */
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
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
export const consensusStatesPrefix = (clientId: string) => utf8(`clients/${clientId}/consensusStates/`);
export const consensusStateKey = (clientId: string, h: Height) =>
  concat(consensusStatesPrefix(clientId), be64(h.revisionNumber), be64(h.revisionHeight));
export const heightFromConsensusKey = (key: Uint8Array, prefixLength: number): Height => ({
  revisionNumber: readBe64(key, prefixLength),
  revisionHeight: readBe64(key, prefixLength + 8),
});
export const counterpartyKey = (clientId: string) => utf8(`clients/${clientId}/counterparty`);
export const creatorKey = (clientId: string) => utf8(`clients/${clientId}/creator`);
export const nextSequenceSendKey = (clientId: string) => utf8(`nextSequenceSend/${clientId}`);
export const pendingPacketsPrefix = (clientId: string) => utf8(`packets/${clientId}/`);
export const pendingPacketKey = (clientId: string, seq: bigint) => concat(pendingPacketsPrefix(clientId), be64(seq));
export const ackKey = (clientId: string, seq: bigint) => concat(utf8(`acks/${clientId}/`), be64(seq));
export const denomTraceKey = (hashHex: string) => utf8(`apps/transfer/denom/${hashHex}`);
export const totalEscrowKey = (denom: string) => utf8(`apps/transfer/escrow/${denom}`);
export const custodyTrustKey = (clientId: string) => utf8(`apps/custody/trusted/${clientId}`);

/** "07-tendermint-<n>": ibc-go's client id format for our one client type. */
export const TENDERMINT_CLIENT_TYPE = '07-tendermint';
export const clientIdFor = (n: bigint) => `${TENDERMINT_CLIENT_TYPE}-${n}`;
export const isClientId = (id: string) => /^07-tendermint-(0|[1-9][0-9]{0,19})$/.test(id);
