/**
 * Ed25519 signature checks through node:crypto. CometBFT verifies with ZIP-215 rules, which accept
 * a few non-canonical encodings RFC 8032 verifiers (OpenSSL) reject; honest signers never produce
 * them, so the difference can only make us reject an exotic signature CometBFT would accept,
 * never the reverse.
 */
import { createPublicKey, verify } from 'node:crypto';
import { sha256 } from './merkle.js';

const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
export const ED25519_PUBKEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;

export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_PUBKEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
  try {
    const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]), format: 'der', type: 'spki' });
    return verify(null, message, key, signature);
  } catch {
    return false; // not a point on the curve
  }
}

/** CometBFT's ed25519 address: the first 20 bytes of sha256(pubkey). */
export function ed25519Address(publicKey: Uint8Array): Uint8Array {
  return sha256(publicKey).subarray(0, 20);
}
