import { keyBytes, keyString, lowerBound } from './bytes.js';
import type { KVChange, KVPair, KVReader, KVStore } from './types.js';

/**
 * A write buffer over a parent reader: reads fall through, writes stay here until `write()`.
 *
 * This is the one branching primitive of the store. A block's pending state, CheckTx state, a
 * transaction's ante and message branches are all CacheKVs stacked on each other; discarding a
 * branch is dropping the object.
 */
export class CacheKV implements KVStore {
  /** key (latin1 string) → value, or null for a delete. */
  private readonly pending = new Map<string, Uint8Array | null>();
  /**
   * The pending keys in order, kept lazily: new keys wait in `unsorted` and are merged in on the
   * next ordered read, so a block's many writes and its range scans both stay cheap.
   */
  private sorted: string[] = [];
  private unsorted: string[] = [];

  constructor(private readonly parent: KVReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const hit = this.pending.get(keyString(key));
    if (hit !== undefined) return hit ?? undefined;
    return this.parent.get(key);
  }

  has(key: Uint8Array): boolean {
    const hit = this.pending.get(keyString(key));
    if (hit !== undefined) return hit !== null;
    return this.parent.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.put(keyString(key), value);
  }

  delete(key: Uint8Array): void {
    this.put(keyString(key), null);
  }

  private put(key: string, value: Uint8Array | null): void {
    if (!this.pending.has(key)) this.unsorted.push(key);
    this.pending.set(key, value);
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const own = this.sortedPendingKeys(start, end, reverse);
    const parentIter = this.parent.iterator(start, end, reverse)[Symbol.iterator]();
    let parentNext = parentIter.next();
    let i = 0;
    const before = (a: string, b: string) => (reverse ? a > b : a < b);
    while (i < own.length || !parentNext.done) {
      const ownKey = i < own.length ? own[i]! : undefined;
      const parentKey = parentNext.done ? undefined : keyString(parentNext.value.key);
      if (ownKey !== undefined && (parentKey === undefined || !before(parentKey, ownKey))) {
        // Our write wins over (or comes before) the parent's entry.
        if (parentKey === ownKey) parentNext = parentIter.next();
        const value = this.pending.get(ownKey)!;
        i++;
        if (value !== null) yield { key: keyBytes(ownKey), value };
      } else {
        yield parentNext.value as KVPair;
        parentNext = parentIter.next();
      }
    }
  }

  /** Pending changes in key order: what `write()` would apply. */
  changes(): KVChange[] {
    return this.orderedKeys().map((k) => ({ key: keyBytes(k), value: this.pending.get(k)! }));
  }

  /** Number of pending changes. */
  get size(): number {
    return this.pending.size;
  }

  /** Applies the pending changes to `target` (normally the parent) in key order and clears them. */
  write(target: KVStore = this.parent as KVStore): void {
    for (const { key, value } of this.changes()) {
      if (value === null) target.delete(key);
      else target.set(key, value);
    }
    this.clear();
  }

  discard(): void {
    this.clear();
  }

  private clear(): void {
    this.pending.clear();
    this.sorted = [];
    this.unsorted = [];
  }

  /** All pending keys in byte order (merging in keys added since the last ordered read). */
  private orderedKeys(): string[] {
    if (this.unsorted.length > 0) {
      const fresh = this.unsorted.sort();
      const merged: string[] = new Array(this.sorted.length + fresh.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < this.sorted.length && j < fresh.length) merged[k++] = this.sorted[i]! < fresh[j]! ? this.sorted[i++]! : fresh[j++]!;
      while (i < this.sorted.length) merged[k++] = this.sorted[i++]!;
      while (j < fresh.length) merged[k++] = fresh[j++]!;
      this.sorted = merged;
      this.unsorted = [];
    }
    return this.sorted;
  }

  private sortedPendingKeys(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse: boolean): string[] {
    const keys = this.orderedKeys();
    const from = start === undefined ? 0 : lowerBound(keys, keyString(start));
    const to = end === undefined ? keys.length : lowerBound(keys, keyString(end));
    const slice = keys.slice(from, Math.max(from, to));
    return reverse ? slice.reverse() : slice;
  }
}

/** An empty reader: the bottom of an in-memory stack (tests, a chain before its first commit). */
export const emptyReader: KVReader = {
  get: () => undefined,
  has: () => false,
  iterator: () => [],
};

/** A whole in-memory store, for tests and tools: a CacheKV over nothing. */
export function memoryStore(): CacheKV {
  return new CacheKV(emptyReader);
}
