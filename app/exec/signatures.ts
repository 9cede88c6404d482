import secp256k1 from 'secp256k1';
import { verifyMlDsa, type MlDsaLevel } from '../crypto/mldsa.js';

/**
 * Batched signature verification, the part of a tx that never depends on state: done once per
 * tx, in parallel on the executor's workers, before execution — never inside speculative
 * re-execution. secp256k1 through native libsecp256k1 (`secp256k1` N-API, ~50 µs per verify per
 * core here); ML-DSA through @noble/post-quantum (pure JS, a few ms).
 */
export interface SigItem {
  readonly algo?: 'secp256k1';
  /** 33-byte compressed or 65-byte uncompressed public key. */
  pubkey: Uint8Array;
  /** 32-byte digest of the sign bytes (sha256 for Cosmos SIGN_MODE_DIRECT). */
  msgHash: Uint8Array;
  /** 64-byte compact (r || s) signature, low-S as Cosmos requires. */
  sig: Uint8Array;
}

/** An ML-DSA check: the signature covers the sign bytes themselves (ML-DSA hashes internally). */
export interface MlDsaSigItem {
  readonly algo: MlDsaLevel;
  pubkey: Uint8Array;
  message: Uint8Array;
  sig: Uint8Array;
}

export type AnySigItem = SigItem | MlDsaSigItem;

export function verifyOne(pubkey: Uint8Array, msgHash: Uint8Array, sig: Uint8Array): boolean {
  if (msgHash.length !== 32 || sig.length !== 64 || (pubkey.length !== 33 && pubkey.length !== 65)) return false;
  try {
    return secp256k1.ecdsaVerify(sig, msgHash, pubkey);
  } catch {
    return false; // malformed key or signature: invalid, not an executor error
  }
}

function isMlDsaItem(item: AnySigItem): item is MlDsaSigItem {
  return item.algo === 'ml-dsa-44' || item.algo === 'ml-dsa-65';
}

export function verifyItem(item: AnySigItem): boolean {
  if (isMlDsaItem(item)) return verifyMlDsa(item.algo, item.pubkey, item.message, item.sig);
  return verifyOne(item.pubkey, item.msgHash, item.sig);
}

/** Algorithm codes in a batch record; 0 marks an item that cannot be valid. */
const ALGO_CODES = { secp256k1: 1, 'ml-dsa-44': 2, 'ml-dsa-65': 3 } as const;
const ALGO_BY_CODE = [undefined, 'secp256k1', 'ml-dsa-44', 'ml-dsa-65'] as const;
const RECORD_HEADER = 1 + 4 + 4 + 4; // algo, pubkey / message / signature lengths

/**
 * A shared batch: u32 count, count × u32 record offsets, then per record
 * u8 algo | u32 pubkeyLen | u32 messageLen | u32 sigLen | pubkey | message | sig
 * (little-endian). Records vary in size: an ML-DSA record holds the whole sign bytes.
 */
export function encodeSigBatch(items: readonly AnySigItem[]): SharedArrayBuffer {
  const parts = items.map((it) => {
    const isMlDsa = isMlDsaItem(it);
    const message = isMlDsaItem(it) ? it.message : it.msgHash;
    // ML-DSA lengths are checked by verifyMlDsa on the worker.
    const ok = isMlDsa || ((it.pubkey.length === 33 || it.pubkey.length === 65) && message.length === 32 && it.sig.length === 64);
    return { code: ok ? ALGO_CODES[it.algo ?? 'secp256k1'] : 0, pubkey: it.pubkey, message, sig: it.sig };
  });
  const tableEnd = 4 + 4 * items.length;
  const size = parts.reduce((sum, p) => sum + RECORD_HEADER + p.pubkey.length + p.message.length + p.sig.length, tableEnd);
  const buf = new SharedArrayBuffer(size);
  const view = new DataView(buf);
  const u8 = new Uint8Array(buf);
  view.setUint32(0, items.length, true);
  let o = tableEnd;
  parts.forEach((p, i) => {
    view.setUint32(4 + 4 * i, o, true);
    view.setUint8(o, p.code);
    view.setUint32(o + 1, p.pubkey.length, true);
    view.setUint32(o + 5, p.message.length, true);
    view.setUint32(o + 9, p.sig.length, true);
    o += RECORD_HEADER;
    for (const bytes of [p.pubkey, p.message, p.sig]) {
      u8.set(bytes, o);
      o += bytes.length;
    }
  });
  return buf;
}

/** Verifies items [from, to) of a shared batch, writing 1/0 into `results`. */
export function verifyRange(batch: SharedArrayBuffer, results: SharedArrayBuffer, from: number, to: number): void {
  const view = new DataView(batch);
  const u8 = new Uint8Array(batch);
  const out = new Uint8Array(results);
  for (let i = from; i < to; i++) {
    let o = view.getUint32(4 + 4 * i, true);
    const algo = ALGO_BY_CODE[view.getUint8(o)];
    if (algo === undefined) {
      out[i] = 0;
      continue;
    }
    const pubLen = view.getUint32(o + 1, true);
    const msgLen = view.getUint32(o + 5, true);
    const sigLen = view.getUint32(o + 9, true);
    o += RECORD_HEADER;
    // Private copies: the native binding wants ordinary (non-shared) buffers.
    const pubkey = u8.slice(o, o + pubLen);
    const message = u8.slice(o + pubLen, o + pubLen + msgLen);
    const sig = u8.slice(o + pubLen + msgLen, o + pubLen + msgLen + sigLen);
    const item: AnySigItem = algo === 'secp256k1' ? { pubkey, msgHash: message, sig } : { algo, pubkey, message, sig };
    out[i] = verifyItem(item) ? 1 : 0;
  }
}

/** One signature the ante will verify, with the key under which the verified-signature cache holds it. */
export interface SignatureCheck {
  readonly key: string;
  /** What a worker verifies; built when first read. */
  readonly item: AnySigItem;
}
