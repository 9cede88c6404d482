import { concatBytes, prefixEnd } from './bytes.js';
import { checkKeySize, type KVPair, type KVStore } from './types.js';

/**
 * A view of the keys under `prefix`, with the prefix stripped: how a module sees its own store.
 * Every module access passes here whatever the executor, so this is where a full key longer
 * than the store can hold is refused (see MAX_KEY_BYTES): the tx or query fails, the block goes on.
 */
export class PrefixKV implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly prefix: Uint8Array,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.parent.get(this.full(key));
  }

  has(key: Uint8Array): boolean {
    return this.parent.has(this.full(key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.parent.set(this.full(key), value);
  }

  delete(key: Uint8Array): void {
    this.parent.delete(this.full(key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const from = this.full(start ?? new Uint8Array());
    const to = end === undefined ? prefixEnd(this.prefix) : this.full(end);
    const n = this.prefix.length;
    for (const { key, value } of this.parent.iterator(from, to, reverse)) {
      yield { key: key.subarray(n), value };
    }
  }

  private full(key: Uint8Array): Uint8Array {
    const full = concatBytes(this.prefix, key);
    checkKeySize(full);
    return full;
  }
}
