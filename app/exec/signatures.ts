import secp256k1 from 'secp256k1';

/**
 * Batched secp256k1 verification, the part of a tx that never depends on state: done once per
 * tx, in parallel on the executor's workers, before execution — never inside speculative
 * re-execution. Native libsecp256k1 (`secp256k1` N-API), ~50 µs per verify per core here.
 */
export interface SigItem {
  /** 33-byte compressed or 65-byte uncompressed public key. */
  pubkey: Uint8Array;
  /** 32-byte digest of the sign bytes (sha256 for Cosmos SIGN_MODE_DIRECT). */
  msgHash: Uint8Array;
  /** 64-byte compact (r || s) signature, low-S as Cosmos requires. */
  sig: Uint8Array;
}

/** One item's slot in a shared batch buffer: u8 pubkeyLen | 65 pubkey | 32 hash | 64 sig. */
export const SIG_STRIDE = 1 + 65 + 32 + 64;

export function verifyOne(pubkey: Uint8Array, msgHash: Uint8Array, sig: Uint8Array): boolean {
  if (msgHash.length !== 32 || sig.length !== 64 || (pubkey.length !== 33 && pubkey.length !== 65)) return false;
  try {
    return secp256k1.ecdsaVerify(sig, msgHash, pubkey);
  } catch {
    return false; // malformed key or signature: invalid, not an executor error
  }
}

export function encodeSigBatch(items: readonly SigItem[]): SharedArrayBuffer {
  const buf = new SharedArrayBuffer(Math.max(1, items.length * SIG_STRIDE));
  const u8 = new Uint8Array(buf);
  items.forEach((it, i) => {
    const o = i * SIG_STRIDE;
    const okShape = (it.pubkey.length === 33 || it.pubkey.length === 65) && it.msgHash.length === 32 && it.sig.length === 64;
    if (!okShape) return; // pubkeyLen 0 marks it invalid
    u8[o] = it.pubkey.length;
    u8.set(it.pubkey, o + 1);
    u8.set(it.msgHash, o + 66);
    u8.set(it.sig, o + 98);
  });
  return buf;
}

/** Verifies items [from, to) of a shared batch, writing 1/0 into `results`. */
export function verifyRange(batch: SharedArrayBuffer, results: SharedArrayBuffer, from: number, to: number): void {
  const u8 = new Uint8Array(batch);
  const out = new Uint8Array(results);
  for (let i = from; i < to; i++) {
    const o = i * SIG_STRIDE;
    const len = u8[o]!;
    if (len === 0) {
      out[i] = 0;
      continue;
    }
    // Private copies: the native binding wants ordinary (non-shared) buffers.
    const pub = u8.slice(o + 1, o + 1 + len);
    const hash = u8.slice(o + 66, o + 98);
    const sig = u8.slice(o + 98, o + 162);
    out[i] = verifyOne(pub, hash, sig) ? 1 : 0;
  }
}
