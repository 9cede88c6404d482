import { concatBytes, prefixEnd } from './bytes.js';
import type { KVPair, KVStore } from './types.js';

/** A view of the keys under `prefix`, with the prefix stripped: how a module sees its own store. */
export class PrefixKV implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly prefix: Uint8Array,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.parent.get(concatBytes(this.prefix, key));
  }

  has(key: Uint8Array): boolean {
    return this.parent.has(concatBytes(this.prefix, key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.parent.set(concatBytes(this.prefix, key), value);
  }

  delete(key: Uint8Array): void {
    this.parent.delete(concatBytes(this.prefix, key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const from = concatBytes(this.prefix, start ?? new Uint8Array());
    const to = end === undefined ? prefixEnd(this.prefix) : concatBytes(this.prefix, end);
    const n = this.prefix.length;
    for (const { key, value } of this.parent.iterator(from, to, reverse)) {
      yield { key: key.subarray(n), value };
    }
  }
}
