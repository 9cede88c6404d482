import { LegacyAminoPubKey } from 'cosmjs-types/cosmos/crypto/multisig/keys';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { hash } from 'node:crypto';
import { ParameterSet, PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { keyString } from '../store/bytes.js';
import { secp256k1PubKeyToAddressBytes } from '../types/address.js';
import { ErrInvalidPubKey } from '../types/errors.js';
import { ML_DSA_SIZES, verifyMlDsa, type MlDsaLevel } from './mldsa.js';
import { multisigAddressBytes } from './amino-pubkey.js';
import { ML_DSA_PUBKEY_TYPE_URL, MULTISIG_PUBKEY_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL } from './pubkey-type-urls.js';
import { SECP256K1_PUBKEY_LENGTH, verifySecp256k1 } from './secp256k1.js';

/**
 * The public keys an account may hold, in one place: their `Any` encodings, the address each
 * hashes to, and the signature check. secp256k1 and the k-of-n multisig (LegacyAminoPubKey, whose
 * members may be any of these, ML-DSA included) are the SDK's; ML-DSA is ours.
 */
export type KeyAlgo = 'secp256k1' | MlDsaLevel;
export const KEY_ALGOS: readonly KeyAlgo[] = ['secp256k1', 'ml-dsa-44', 'ml-dsa-65'];

/** A key that makes one signature. */
export interface SinglePubKey {
  readonly algo: KeyAlgo;
  readonly key: Uint8Array;
}

/** The SDK's LegacyAminoPubKey: `threshold` of the member keys must sign. */
export interface MultisigPubKey {
  readonly algo: 'multisig';
  readonly threshold: number;
  readonly keys: readonly AccountPubKey[];
}

export type AccountPubKey = SinglePubKey | MultisigPubKey;

/**
 * How deep multisigs may nest (a multisig among the members of one at depth 1, ...). The SDK sets
 * no bound; this one keeps decoding and verification recursion shallow whatever a tx or a stored
 * account holds.
 */
export const MAX_MULTISIG_NESTING = 8;

export { ML_DSA_PUBKEY_TYPE_URL, MULTISIG_PUBKEY_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL };

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

/**
 * Throws ErrInvalidPubKey unless `key` has the exact length its algorithm encodes; a multisig
 * needs at least one member, a threshold in 1..members (0 would need no signature at all) and
 * well-formed members.
 */
export function checkPubKeyShape(pubkey: AccountPubKey, depth = 0): void {
  if (pubkey.algo === 'multisig') {
    if (depth >= MAX_MULTISIG_NESTING) throw ErrInvalidPubKey.wrap(`multisig keys nest deeper than ${MAX_MULTISIG_NESTING}`);
    const n = pubkey.keys.length;
    if (n === 0) throw ErrInvalidPubKey.wrap('multisig pubkey has no member keys');
    if (!Number.isInteger(pubkey.threshold) || pubkey.threshold < 1 || pubkey.threshold > n) {
      throw ErrInvalidPubKey.wrap(`multisig threshold ${pubkey.threshold} must be between 1 and its ${n} member keys`);
    }
    for (const member of pubkey.keys) checkPubKeyShape(member, depth + 1);
    return;
  }
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
  const known = decodedKeys.get(any);
  if (known !== undefined) return known;
  const pubkey = decodePubKey(any, 0);
  checkPubKeyShape(pubkey);
  decodedKeys.set(any, pubkey);
  return pubkey;
}

/**
 * Keys by the identity of their decoded `Any`. The ante reads a tx's signer keys more than once
 * (signature count, signer checks), and an account's key `Any` stays the same object while the
 * account is rewritten with a new sequence, so each key is decoded once. Decoded messages are never
 * changed in place, and the keys are read-only by type.
 */
const decodedKeys = new WeakMap<Any, AccountPubKey>();

function decodePubKey(any: Any, depth: number): AccountPubKey {
  let pubkey: AccountPubKey;
  try {
    if (any.typeUrl === MULTISIG_PUBKEY_TYPE_URL) {
      if (depth >= MAX_MULTISIG_NESTING) throw ErrInvalidPubKey.wrap(`multisig keys nest deeper than ${MAX_MULTISIG_NESTING}`);
      const decoded = LegacyAminoPubKey.decode(any.value);
      pubkey = {
        algo: 'multisig',
        threshold: decoded.threshold,
        keys: decoded.publicKeys.map((member) => decodePubKey(member, depth + 1)),
      };
    } else if (any.typeUrl === SECP256K1_PUBKEY_TYPE_URL) {
      pubkey = { algo: 'secp256k1', key: Secp256k1PubKey.decode(any.value).key };
    } else if (any.typeUrl === ML_DSA_PUBKEY_TYPE_URL) {
      const decoded = MlDsaPubKey.decode(any.value);
      const algo = levelOf(decoded.parameterSet);
      if (!algo)
        throw ErrInvalidPubKey.wrap(
          `ML-DSA pubkey has unknown parameter_set ${decoded.parameterSet}; expected ML-DSA-44 (1) or ML-DSA-65 (2)`,
        );
      pubkey = { algo, key: decoded.key };
    } else {
      throw ErrInvalidPubKey.wrap(
        `unsupported pubkey type ${any.typeUrl}; accepted: ${SECP256K1_PUBKEY_TYPE_URL}, ${ML_DSA_PUBKEY_TYPE_URL}, ${MULTISIG_PUBKEY_TYPE_URL}`,
      );
    }
  } catch (err) {
    if (ErrInvalidPubKey.is(err)) throw err;
    throw ErrInvalidPubKey.wrap(`pubkey does not decode: ${(err as Error).message}`);
  }
  return pubkey;
}

/** The canonical `Any` of a key (a multisig's members re-encoded the same way). */
export function pubKeyToAny(pubkey: AccountPubKey): Any {
  if (pubkey.algo === 'multisig') {
    return {
      typeUrl: MULTISIG_PUBKEY_TYPE_URL,
      value: LegacyAminoPubKey.encode({ threshold: pubkey.threshold, publicKeys: pubkey.keys.map(pubKeyToAny) }).finish(),
    };
  }
  if (pubkey.algo === 'secp256k1')
    return { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: Secp256k1PubKey.encode({ key: pubkey.key }).finish() };
  return {
    typeUrl: ML_DSA_PUBKEY_TYPE_URL,
    value: MlDsaPubKey.encode({ parameterSet: PARAMETER_SETS[pubkey.algo], key: Buffer.from(pubkey.key) }).finish(),
  };
}

/** Whether two keys are the same key (same type, members, threshold and bytes). */
export function samePubKey(a: AccountPubKey, b: AccountPubKey): boolean {
  if (a.algo === 'multisig' || b.algo === 'multisig') {
    const x = pubKeyToAny(a);
    const y = pubKeyToAny(b);
    return x.typeUrl === y.typeUrl && Buffer.from(x.value).equals(Buffer.from(y.value));
  }
  return a.algo === b.algo && Buffer.from(a.key).equals(Buffer.from(b.key));
}

/** The SDK's CountSubKeys: 1 for a single key, the sum over the members for a multisig. */
export function countSubKeys(pubkey: AccountPubKey): number {
  return pubkey.algo === 'multisig' ? pubkey.keys.reduce((sum, member) => sum + countSubKeys(member), 0) : 1;
}

/** The key type of every member of a key (itself for a single key): what signing with all of them would cost. */
export function memberAlgos(pubkey: AccountPubKey): KeyAlgo[] {
  return pubkey.algo === 'multisig' ? pubkey.keys.flatMap(memberAlgos) : [pubkey.algo];
}

/**
 * The 20-byte account address a key hashes to. A multisig: sha256(amino(key))[:20], as the SDK
 * (app/crypto/amino-pubkey.ts). secp256k1: ripemd160(sha256(key)), as the SDK.
 * ML-DSA: sha256(name ‖ 0x00 ‖ key)[:20] with name "ML-DSA-44" or "ML-DSA-65" — the SDK's
 * ADR-028 style, where the prefix keeps the two sets (and every other key type and the
 * sha256(name)[:20] module addresses) in separate address spaces.
 */
export function pubKeyAddressBytes(pubkey: AccountPubKey): Uint8Array {
  // Every tx's ante checks its signer's key against the address: the same few thousand active
  // keys, two hashes each. A pure function of the key, so remembering the answers changes nothing.
  // Only the 33-byte secp256k1 keys are remembered; ML-DSA keys are kilobytes each.
  if (pubkey.algo !== 'secp256k1') return addressBytesOf(pubkey);
  const memoKey = keyString(pubkey.key);
  const known = addressOfKey.get(memoKey);
  if (known !== undefined) return known.slice();
  const address = addressBytesOf(pubkey);
  if (addressOfKey.size >= ADDRESS_MEMO_LIMIT) addressOfKey.clear();
  addressOfKey.set(memoKey, Uint8Array.from(address));
  return address;
}

const ADDRESS_MEMO_LIMIT = 65_536;
const addressOfKey = new Map<string, Uint8Array>();

function addressBytesOf(pubkey: AccountPubKey): Uint8Array {
  if (pubkey.algo === 'multisig') return multisigAddressBytes(pubkey);
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
export function verifyDirect(pubkey: SinglePubKey, signDoc: Uint8Array, signature: Uint8Array): boolean {
  if (pubkey.algo === 'secp256k1') return verifySecp256k1(pubkey.key, signDoc, signature);
  return verifyMlDsa(pubkey.algo, pubkey.key, signDoc, signature);
}
