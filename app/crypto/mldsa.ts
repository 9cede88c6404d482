import { ml_dsa44, ml_dsa65 } from '@noble/post-quantum/ml-dsa.js';

/**
 * ML-DSA (FIPS 204) signatures for accounts, through @noble/post-quantum (audited pure JS).
 *
 * A SIGN_MODE_DIRECT signature is the pure ML-DSA signature (empty context string) over the
 * SignDoc bytes themselves, as the SDK's ed25519 keys sign them: ML-DSA hashes its message
 * internally (μ = SHAKE256(H(pk) ‖ M′)), so there is no pre-hash and any FIPS 204 implementation
 * can make or check one.
 */

export type MlDsaLevel = 'ml-dsa-44' | 'ml-dsa-65';
export const ML_DSA_LEVELS: readonly MlDsaLevel[] = ['ml-dsa-44', 'ml-dsa-65'];

const IMPL = { 'ml-dsa-44': ml_dsa44, 'ml-dsa-65': ml_dsa65 } as const;

/** Exact encoded lengths, by parameter set (FIPS 204 table 2). Anything else is refused unparsed. */
export const ML_DSA_SIZES: Readonly<
  Record<MlDsaLevel, { readonly publicKey: number; readonly signature: number; readonly secretKey: number }>
> = {
  'ml-dsa-44': { publicKey: 1312, signature: 2420, secretKey: 2560 },
  'ml-dsa-65': { publicKey: 1952, signature: 3309, secretKey: 4032 },
};

/** The 32-byte seed a key pair is derived from (FIPS 204 ML-DSA.KeyGen_internal ξ). */
export const ML_DSA_SEED_LENGTH = 32;

export function isMlDsaLevel(value: string): value is MlDsaLevel {
  return value === 'ml-dsa-44' || value === 'ml-dsa-65';
}

/** The key pair a 32-byte seed determines; the seed is what a keyring stores. */
export function mlDsaKeyPair(level: MlDsaLevel, seed: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array } {
  if (seed.length !== ML_DSA_SEED_LENGTH) throw new Error(`an ${level} seed is ${ML_DSA_SEED_LENGTH} bytes, got ${seed.length}`);
  return IMPL[level].keygen(seed);
}

/** Signs `message` (the SignDoc bytes). Hedged signing: fresh randomness mixed in, as FIPS 204 recommends. */
export function signMlDsa(level: MlDsaLevel, secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return IMPL[level].sign(message, secretKey);
}

/** Verifies; never throws: a wrong length or any malformed encoding is simply "not valid". */
export function verifyMlDsa(level: MlDsaLevel, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const sizes = ML_DSA_SIZES[level];
  if (publicKey.length !== sizes.publicKey || signature.length !== sizes.signature) return false;
  try {
    return IMPL[level].verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
