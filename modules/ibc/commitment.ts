/**
 * IBC v2 commitments exactly as ibc-go v10 computes them
 * (modules/core/04-channel/v2/types/commitment.go, acknowledgement.go):
 *
 *   commitPacket = sha256(0x02 ‖ sha256(destClient) ‖ sha256(be64(timeoutSec)) ‖ sha256(‖ hashPayload(p)))
 *   hashPayload  = sha256(sha256(srcPort) ‖ sha256(dstPort) ‖ sha256(version) ‖ sha256(encoding) ‖ sha256(value))
 *   commitAck    = sha256(0x02 ‖ sha256(appAck_1) ‖ …)
 *
 * The preimages are fixed-length hashes so a relayer cannot shift bytes between fields.
 */
import { createHash } from 'node:crypto';
import type { Acknowledgement, Packet, Payload } from 'cosmjs-types/ibc/core/channel/v2/packet';
import { be64 } from './keys.js';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function hashPayload(p: Payload): Uint8Array {
  return sha256(
    sha256(utf8(p.sourcePort)),
    sha256(utf8(p.destinationPort)),
    sha256(utf8(p.version)),
    sha256(utf8(p.encoding)),
    sha256(p.value),
  );
}

export function commitPacket(packet: Packet): Uint8Array {
  const app = sha256(...packet.payloads.map(hashPayload));
  return sha256(Uint8Array.of(2), sha256(utf8(packet.destinationClient)), sha256(be64(packet.timeoutTimestamp)), app);
}

export function commitAcknowledgement(ack: Acknowledgement): Uint8Array {
  return sha256(Uint8Array.of(2), ...ack.appAcknowledgements.map((a) => sha256(a)));
}

/** IBC v2's one error acknowledgement: what the source sees whenever the destination app failed. */
export const UNIVERSAL_ERROR_ACK = sha256(utf8('UNIVERSAL_ERROR_ACKNOWLEDGEMENT'));

export const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.compare(a, b) === 0;
