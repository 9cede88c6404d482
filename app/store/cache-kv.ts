import { keyString, lowerBound } from './bytes.js';
import type { KVChange, KVPair, KVReader, KVStore } from './types.js';

/** A pending write: the key's bytes (owned by the cache, never mutated) and its value, null for a delete. */
interface Pending {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/**
 * A write buffer over a parent reader: reads fall through, writes stay here until `write()`.
 *
 * This is the one branching primitive of the store. A block's pending state, CheckTx state, a
 * transaction's ante and message branches are all CacheKVs stacked on each other; discarding a
 * branch is dropping the object.
 *
 * Pending writes are keyed by the key's latin1 string (whose `<` order is byte order). A stack of
 * CacheKVs hands that string down with each read and write, so a key is converted once however
 * deep the stack is, and each entry keeps the key's bytes, so writing a branch out or iterating it
 * never converts back.
 */
export class CacheKV implements KVStore {
  private readonly pending = new Map<string, Pending>();
  /**
   * The pending keys in order, kept lazily: new keys wait in `unsorted` and are merged in on the
   * next ordered read, so a block's many writes and its range scans both stay cheap.
   */
  private sorted: string[] = [];
  private unsorted: string[] = [];
  /** The parent when it is a CacheKV too: reads then pass the key's string form down. */
  private readonly parentCache: CacheKV | undefined;
  /**
   * With `cacheReads`, what the parent answered (undefined for absent), so a key read again is
   * not looked up again. Only for a parent that cannot change while this cache lives (a block's
   * or the mempool's state over the committed store); the same value object is then returned to
   * every reader, as pending writes already are.
   */
  private readonly reads: Map<string, Uint8Array | undefined> | undefined;

  constructor(
    private readonly parent: KVReader,
    options?: { readonly cacheReads?: boolean },
  ) {
    this.parentCache = parent instanceof CacheKV ? parent : undefined;
    this.reads = options?.cacheReads ? new Map() : undefined;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.getKeyed(keyString(key), key);
  }

  has(key: Uint8Array): boolean {
    return this.hasKeyed(keyString(key), key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    // The caller may reuse its key buffer; the cache keeps its own copy.
    this.put(keyString(key), Uint8Array.prototype.slice.call(key), value);
  }

  delete(key: Uint8Array): void {
    this.put(keyString(key), Uint8Array.prototype.slice.call(key), null);
  }

  private getKeyed(k: string, key: Uint8Array): Uint8Array | undefined {
    const hit = this.pending.get(k);
    if (hit !== undefined) return hit.value ?? undefined;
    if (this.reads !== undefined) return this.readParent(k, key);
    return this.parentCache ? this.parentCache.getKeyed(k, key) : this.parent.get(key);
  }

  private hasKeyed(k: string, key: Uint8Array): boolean {
    const hit = this.pending.get(k);
    if (hit !== undefined) return hit.value !== null;
    // A presence check is usually followed by a read of the same key: one lookup serves both.
    if (this.reads !== undefined) return this.readParent(k, key) !== undefined;
    return this.parentCache ? this.parentCache.hasKeyed(k, key) : this.parent.has(key);
  }

  private readParent(k: string, key: Uint8Array): Uint8Array | undefined {
    const reads = this.reads!;
    const known = reads.get(k);
    if (known !== undefined || reads.has(k)) return known;
    const value = this.parentCache ? this.parentCache.getKeyed(k, key) : this.parent.get(key);
    reads.set(k, value);
    return value;
  }

  private put(k: string, key: Uint8Array, value: Uint8Array | null): void {
    this.putEntry(k, { key, value });
  }

  /** Entries are immutable, so a branch written down hands its own to the parent as they are. */
  private putEntry(k: string, entry: Pending): void {
    if (!this.pending.has(k)) this.unsorted.push(k);
    this.pending.set(k, entry);
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const own = this.sortedPendingKeys(start, end, reverse);
    const parentIter = this.parent.iterator(start, end, reverse)[Symbol.iterator]();
    let parentNext = parentIter.next();
    let parentKey = parentNext.done ? undefined : keyString(parentNext.value.key);
    let i = 0;
    const before = (a: string, b: string) => (reverse ? a > b : a < b);
    while (i < own.length || parentKey !== undefined) {
      const ownKey = i < own.length ? own[i]! : undefined;
      if (ownKey !== undefined && (parentKey === undefined || !before(parentKey, ownKey))) {
        // Our write wins over (or comes before) the parent's entry.
        if (parentKey === ownKey) {
          parentNext = parentIter.next();
          parentKey = parentNext.done ? undefined : keyString(parentNext.value.key);
        }
        const entry = this.pending.get(ownKey)!;
        i++;
        if (entry.value !== null) yield { key: entry.key, value: entry.value };
      } else {
        yield parentNext.value as KVPair;
        parentNext = parentIter.next();
        parentKey = parentNext.done ? undefined : keyString(parentNext.value.key);
      }
    }
  }

  /** Pending changes in key order: what `write()` would apply. */
  changes(): KVChange[] {
    const keys = this.orderedKeys();
    const out: KVChange[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.pending.get(keys[i]!)!;
    return out;
  }

  /** Number of pending changes. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Applies the pending changes to `target` (normally the parent) and clears them. Another CacheKV
   * takes them as they are (its own order is by key anyway); any other store gets them in key order.
   */
  write(target: KVStore = this.parent as KVStore): void {
    if (target instanceof CacheKV) {
      // forEach rather than for-of: no [key, value] pair allocated per entry on this hot path.
      this.pending.forEach((entry, k) => target.putEntry(k, entry));
    } else {
      for (const { key, value } of this.changes()) {
        if (value === null) target.delete(key);
        else target.set(key, value);
      }
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
