import { hash } from 'node:crypto';
import type { DecodedTx } from './tx-types.js';

/**
 * Recently decoded txs, by the hash of their bytes. A tx is decoded at CheckTx, again in
 * PrepareProposal and ProcessProposal, and again in FinalizeBlock; each decode (three protobuf
 * layers, every Msg, bech32 signers, validateBasic) costs tens of µs and decoding is a pure
 * function of the bytes, so the later stages reuse the first result. Only successful decodes are
 * kept (a malformed tx is decoded again and fails again with the same error).
 *
 * Bounded and first-in-first-out: a tx normally reaches a block within seconds of CheckTx, so the
 * newest entries are the useful ones. Entries are frozen and treated as read-only by everything
 * that runs txs; a miss only costs a decode, so the cache can never change a result.
 */
export class DecodedTxCache {
  private readonly entries = new Map<string, DecodedTx>();

  constructor(readonly capacity = 20_000) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new Error(`decoded-tx cache capacity must be a non-negative integer, got ${capacity}`);
  }

  /** The cached decode of `bytes`, or `decode(bytes)` remembered (its errors propagate). */
  decode(bytes: Uint8Array, decode: (bytes: Uint8Array) => DecodedTx): DecodedTx {
    if (this.capacity === 0) return decode(bytes);
    const key = hash('sha256', bytes, 'base64');
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const tx = Object.freeze(decode(bytes));
    this.entries.set(key, tx);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return tx;
  }

  get size(): number {
    return this.entries.size;
  }
}
