import { createHash } from 'node:crypto';
import secp256k1 from 'secp256k1';

/**
 * secp256k1 signature checks as the Cosmos SDK does them for SIGN_MODE_DIRECT
 * (crypto/keys/secp256k1 `VerifySignature`): a 64-byte r‖s signature, low-S only, over
 * sha256(message), by a 33-byte compressed public key.
 *
 * Uses the native `secp256k1` package (libsecp256k1): ~50 µs a check, 5-30x faster than the
 * WASM / OpenSSL / pure-JS alternatives.
 */

/** n/2 of the secp256k1 group order: a signature with a larger s is the malleable twin of a low-S one. */
const HALF_ORDER = Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex');

export const SECP256K1_PUBKEY_LENGTH = 33;
export const SECP256K1_SIGNATURE_LENGTH = 64;

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** True for a 33-byte compressed point encoding (0x02/0x03 prefix) that lies on the curve. */
export function isValidSecp256k1PubKey(pubkey: Uint8Array): boolean {
  if (pubkey.length !== SECP256K1_PUBKEY_LENGTH || (pubkey[0] !== 0x02 && pubkey[0] !== 0x03)) return false;
  return secp256k1.publicKeyVerify(pubkey);
}

/** True when s ≤ n/2 (the only form the SDK accepts). Expects a 64-byte r‖s signature. */
export function isLowS(signature: Uint8Array): boolean {
  const s = signature.subarray(32, 64);
  return Buffer.compare(Buffer.from(s.buffer, s.byteOffset, s.byteLength), HALF_ORDER) <= 0;
}

/**
 * Verifies `signature` over `messageHash` (32 bytes). Never throws: any malformed input —
 * wrong lengths, high S, r/s out of range, a pubkey off the curve — is simply "not valid".
 */
export function verifySecp256k1Hash(pubkey: Uint8Array, messageHash: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== SECP256K1_SIGNATURE_LENGTH) return false;
  if (messageHash.length !== 32) return false;
  if (pubkey.length !== SECP256K1_PUBKEY_LENGTH || (pubkey[0] !== 0x02 && pubkey[0] !== 0x03)) return false;
  // libsecp256k1 refuses high S as well; checked here so the rule holds whatever backend the
  // package loaded (it falls back to pure-JS elliptic when the native binding is missing).
  if (!isLowS(signature)) return false;
  try {
    return secp256k1.ecdsaVerify(signature, messageHash, pubkey);
  } catch {
    // "Signature could not be parsed" (r or s ≥ n) or "Public Key could not be parsed".
    return false;
  }
}

/** Verifies a SIGN_MODE_DIRECT signature: the signed message is sha256(SignDoc bytes). */
export function verifySecp256k1(pubkey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return verifySecp256k1Hash(pubkey, sha256(message), signature);
}
