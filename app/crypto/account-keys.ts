import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { hash } from 'node:crypto';
import { ParameterSet, PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { secp256k1PubKeyToAddressBytes } from '../types/address.js';
import { ErrInvalidPubKey } from '../types/errors.js';
import { ML_DSA_SIZES, verifyMlDsa, type MlDsaLevel } from './mldsa.js';
import { ML_DSA_PUBKEY_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL } from './pubkey-type-urls.js';
import { SECP256K1_PUBKEY_LENGTH, verifySecp256k1 } from './secp256k1.js';

/**
 * The public keys an account may hold, in one place: their `Any` encodings, the address each
 * hashes to, and the SIGN_MODE_DIRECT check. secp256k1 is the SDK's; ML-DSA is ours.
 */
export type KeyAlgo = 'secp256k1' | MlDsaLevel;
export const KEY_ALGOS: readonly KeyAlgo[] = ['secp256k1', 'ml-dsa-44', 'ml-dsa-65'];

export interface AccountPubKey {
  readonly algo: KeyAlgo;
  readonly key: Uint8Array;
}

export { ML_DSA_PUBKEY_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL };

const PARAMETER_SETS: Readonly<Record<MlDsaLevel, ParameterSet>> = {
  'ml-dsa-44': ParameterSet.PARAMETER_SET_ML_DSA_44,
  'ml-dsa-65': ParameterSet.PARAMETER_SET_ML_DSA_65,
};

/** "ML-DSA-44" / "ML-DSA-65": the FIPS 204 names, used in messages and in the address prefix. */
export function algoName(algo: KeyAlgo): string {
  return algo === 'secp256k1' ? 'secp256k1' : algo.toUpperCase();
}

function levelOf(set: ParameterSet): MlDsaLevel | undefined {
  if (set === ParameterSet.PARAMETER_SET_ML_DSA_44) return 'ml-dsa-44';
  if (set === ParameterSet.PARAMETER_SET_ML_DSA_65) return 'ml-dsa-65';
  return undefined;
}

/** Throws ErrInvalidPubKey unless `key` has the exact length its algorithm encodes. */
export function checkPubKeyShape(pubkey: AccountPubKey): void {
  const expected = pubkey.algo === 'secp256k1' ? SECP256K1_PUBKEY_LENGTH : ML_DSA_SIZES[pubkey.algo].publicKey;
  if (pubkey.key.length !== expected) {
    const form = pubkey.algo === 'secp256k1' ? ' (compressed)' : '';
    throw ErrInvalidPubKey.wrap(`${algoName(pubkey.algo)} pubkey is ${pubkey.key.length} bytes, expected ${expected}${form}`);
  }
}

/**
 * The key inside an account or SignerInfo pubkey `Any`; undefined when absent. Throws
 * ErrInvalidPubKey for another type, an undecodable value, an unknown parameter set or a wrong length.
 */
export function pubKeyFromAny(any: Any | undefined): AccountPubKey | undefined {
  if (!any || (any.typeUrl === '' && any.value.length === 0)) return undefined;
  let pubkey: AccountPubKey;
  try {
    if (any.typeUrl === SECP256K1_PUBKEY_TYPE_URL) {
      pubkey = { algo: 'secp256k1', key: Secp256k1PubKey.decode(any.value).key };
    } else if (any.typeUrl === ML_DSA_PUBKEY_TYPE_URL) {
      const decoded = MlDsaPubKey.decode(any.value);
      const algo = levelOf(decoded.parameterSet);
      if (!algo) throw ErrInvalidPubKey.wrap(`ML-DSA pubkey has unknown parameter_set ${decoded.parameterSet}; expected ML-DSA-44 (1) or ML-DSA-65 (2)`);
      pubkey = { algo, key: decoded.key };
    } else {
      throw ErrInvalidPubKey.wrap(`unsupported pubkey type ${any.typeUrl}; accepted: ${SECP256K1_PUBKEY_TYPE_URL}, ${ML_DSA_PUBKEY_TYPE_URL}`);
    }
  } catch (err) {
    if (ErrInvalidPubKey.is(err)) throw err;
    throw ErrInvalidPubKey.wrap(`pubkey does not decode: ${(err as Error).message}`);
  }
  checkPubKeyShape(pubkey);
  return pubkey;
}

export function pubKeyToAny(pubkey: AccountPubKey): Any {
  if (pubkey.algo === 'secp256k1') return { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: Secp256k1PubKey.encode({ key: pubkey.key }).finish() };
  return { typeUrl: ML_DSA_PUBKEY_TYPE_URL, value: MlDsaPubKey.encode({ parameterSet: PARAMETER_SETS[pubkey.algo], key: Buffer.from(pubkey.key) }).finish() };
}

/**
 * The 20-byte account address a key hashes to. secp256k1: ripemd160(sha256(key)), as the SDK.
 * ML-DSA: sha256(name ‖ 0x00 ‖ key)[:20] with name "ML-DSA-44" or "ML-DSA-65" — the SDK's
 * ADR-028 style, where the prefix keeps the two sets (and every other key type and the
 * sha256(name)[:20] module addresses) in separate address spaces.
 */
export function pubKeyAddressBytes(pubkey: AccountPubKey): Uint8Array {
  // Every tx's ante checks its signer's key against the address: the same few thousand active
  // keys, two hashes each. A pure function of the key, so remembering the answers changes nothing.
  // Only the 33-byte secp256k1 keys are remembered; ML-DSA keys are kilobytes each.
  if (pubkey.algo !== 'secp256k1') return addressBytesOf(pubkey);
  const memoKey = Buffer.from(pubkey.key.buffer, pubkey.key.byteOffset, pubkey.key.byteLength).toString('latin1');
  const known = addressOfKey.get(memoKey);
  if (known !== undefined) return Uint8Array.from(known);
  const address = addressBytesOf(pubkey);
  if (addressOfKey.size >= ADDRESS_MEMO_LIMIT) addressOfKey.clear();
  addressOfKey.set(memoKey, Uint8Array.from(address));
  return address;
}

const ADDRESS_MEMO_LIMIT = 65_536;
const addressOfKey = new Map<string, Uint8Array>();

function addressBytesOf(pubkey: AccountPubKey): Uint8Array {
  if (pubkey.algo === 'secp256k1') return secp256k1PubKeyToAddressBytes(pubkey.key);
  const prefix = Buffer.from(`${algoName(pubkey.algo)}\0`, 'latin1');
  return new Uint8Array(hash('sha256', Buffer.concat([prefix, pubkey.key]), 'buffer')).subarray(0, 20);
}

/** The signature length the algorithm produces; anything else cannot verify. */
export function signatureLength(algo: KeyAlgo): number {
  return algo === 'secp256k1' ? 64 : ML_DSA_SIZES[algo].signature;
}

/**
 * Verifies a signature over its sign bytes: SIGN_MODE_DIRECT's SignDoc or SIGN_MODE_LEGACY_AMINO_JSON's
 * StdSignDoc JSON, which both key types sign the same way. Never throws.
 */
export function verifyDirect(pubkey: AccountPubKey, signDoc: Uint8Array, signature: Uint8Array): boolean {
  if (pubkey.algo === 'secp256k1') return verifySecp256k1(pubkey.key, signDoc, signature);
  return verifyMlDsa(pubkey.algo, pubkey.key, signDoc, signature);
}
