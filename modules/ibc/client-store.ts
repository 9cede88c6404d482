/**
 * A client's own slice of the ibc store, `clients/<id>/…`, as ibc-go hands each light client a
 * client-prefixed store: the light client reads and writes its client and consensus states by
 * short keys and cannot touch another client's state or the packet keys.
 */
import { prefixEnd } from '../../app/store/bytes.js';
import type { KVPair, KVStore } from '../../app/store/types.js';

function join(prefix: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + key.length);
  out.set(prefix, 0);
  out.set(key, prefix.length);
  return out;
}

export class PrefixedStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly prefix: Uint8Array,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.parent.get(join(this.prefix, key));
  }

  has(key: Uint8Array): boolean {
    return this.parent.has(join(this.prefix, key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.parent.set(join(this.prefix, key), value);
  }

  delete(key: Uint8Array): void {
    this.parent.delete(join(this.prefix, key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse?: boolean): Iterable<KVPair> {
    const from = join(this.prefix, start ?? new Uint8Array());
    const to = end === undefined ? prefixEnd(this.prefix) : join(this.prefix, end);
    for (const { key, value } of this.parent.iterator(from, to, reverse)) {
      yield { key: key.subarray(this.prefix.length), value };
    }
  }
}
