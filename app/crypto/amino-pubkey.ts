import { hash } from 'node:crypto';
import type { AccountPubKey, KeyAlgo, MultisigPubKey } from './account-keys.js';

/**
 * The legacy amino binary encoding of public keys, which a multisig address hashes: the SDK's
 * LegacyAminoPubKey.Address() is sha256(amino(key))[:20], the same as cosmjs `pubkeyToAddress`
 * for a `tendermint/PubKeyMultisigThreshold`.
 *
 * An amino value is registered under a name; its encoding starts with 4 prefix bytes derived from
 * that name (below). A key is `prefix ‖ uvarint(len) ‖ key bytes`; a multisig is `prefix ‖
 * 0x08 uvarint(threshold) ‖ (0x12 uvarint(len) ‖ amino(member))*`.
 *
 * Amino names of the member keys: secp256k1 is Tendermint's; an ML-DSA key has no name in the SDK,
 * so it takes the one it already shows cosmjs as its amino pubkey `type` (AMINO_PUBKEY_NAMES),
 * "parazone/ML-DSA-44" or "parazone/ML-DSA-65".
 */
export const AMINO_PUBKEY_NAMES: Readonly<Record<KeyAlgo | 'multisig', string>> = {
  secp256k1: 'tendermint/PubKeySecp256k1',
  'ml-dsa-44': 'parazone/ML-DSA-44',
  'ml-dsa-65': 'parazone/ML-DSA-65',
  multisig: 'tendermint/PubKeyMultisigThreshold',
};

/**
 * The 4 prefix bytes of an amino name, as go-amino computes them: sha256(name), leading zero
 * bytes dropped, 3 "disambiguation" bytes skipped, zero bytes dropped again, the next 4 taken.
 */
export function aminoPrefix(name: string): Uint8Array {
  const digest = new Uint8Array(hash('sha256', name, 'buffer'));
  let i = 0;
  while (digest[i] === 0) i++;
  i += 3;
  while (digest[i] === 0) i++;
  return digest.slice(i, i + 4);
}

const PREFIXES = new Map(Object.entries(AMINO_PUBKEY_NAMES).map(([algo, name]) => [algo, aminoPrefix(name)]));

export function encodeAminoPubKey(pubkey: AccountPubKey): Uint8Array {
  const prefix = PREFIXES.get(pubkey.algo)!;
  if (pubkey.algo !== 'multisig') return concat([prefix, uvarint(pubkey.key.length), pubkey.key]);
  const parts = [prefix, Uint8Array.of(0x08), uvarint(pubkey.threshold)];
  for (const member of pubkey.keys) {
    const encoded = encodeAminoPubKey(member);
    parts.push(Uint8Array.of(0x12), uvarint(encoded.length), encoded);
  }
  return concat(parts);
}

/**
 * A key in amino JSON, what cosmjs calls a `Pubkey`: `{type: <amino name>, value: base64}`, a
 * multisig `{type, value: {threshold: "<k>", pubkeys: [...]}}` (threshold a string, as cosmjs and
 * the SDK write it).
 */
export type AminoPubKeyJson =
  | { readonly type: string; readonly value: string }
  | { readonly type: string; readonly value: { readonly threshold: string; readonly pubkeys: readonly AminoPubKeyJson[] } };

export function aminoPubKeyJson(pubkey: AccountPubKey): AminoPubKeyJson {
  const type = AMINO_PUBKEY_NAMES[pubkey.algo];
  if (pubkey.algo !== 'multisig') return { type, value: Buffer.from(pubkey.key).toString('base64') };
  return { type, value: { threshold: String(pubkey.threshold), pubkeys: pubkey.keys.map(aminoPubKeyJson) } };
}

/** The SDK's multisig address: sha256 of the amino encoding, truncated to 20 bytes. */
export function multisigAddressBytes(pubkey: MultisigPubKey): Uint8Array {
  return new Uint8Array(hash('sha256', encodeAminoPubKey(pubkey), 'buffer')).subarray(0, 20);
}

function uvarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
