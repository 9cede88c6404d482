import { keyBytes } from '../store/bytes.js';
import { keyStr } from './keys.js';
import type { KVPair, KVReader, KVStore } from '../store/types.js';
import { BASE_VERSION, emptyReadSet, ESTIMATE_VERSION, type MVMemory, type RangeRead, type ReadSet } from './mv-memory.js';
import { DependencyAbort } from './types.js';

/**
 * The KVStore one incarnation of tx `txIdx` runs on: writes are buffered here (its write set),
 * reads go own writes → multi-version data of lower txs → pre-block base, and every read that
 * did not hit its own writes is recorded with the version it saw:
 *  - `get`: (key, version), version BASE_VERSION when the base answered;
 *  - `has`: (key, exists) — validated on existence only, so a changed value does not abort it;
 *  - `iterator`: a range descriptor, validated by replaying the range (catches phantoms).
 * Meeting an ESTIMATE throws DependencyAbort and poisons the view: every later call throws again,
 * so a handler that catches the signal cannot hide it (the executor checks `poisoned`).
 */
export class MVView implements KVStore {
  readonly writes = new Map<string, Uint8Array | null>();
  readonly reads: ReadSet = emptyReadSet();
  poisoned: DependencyAbort | null = null;

  constructor(
    private readonly mv: MVMemory,
    private readonly base: KVReader,
    private readonly txIdx: number,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.check();
    const ks = keyStr(key);
    const own = this.writes.get(ks);
    if (own !== undefined) return own ?? undefined;
    const mv = this.mv;
    const version = mv.readVersion(ks, this.txIdx);
    if (version === ESTIMATE_VERSION) throw this.poison(mv.lastBlocking);
    this.reads.keys.push(ks);
    this.reads.versions.push(version);
    if (version === BASE_VERSION) return this.base.get(key);
    return mv.lastValue ?? undefined;
  }

  has(key: Uint8Array): boolean {
    this.check();
    const ks = keyStr(key);
    const own = this.writes.get(ks);
    if (own !== undefined) return own !== null;
    const mv = this.mv;
    const version = mv.readVersion(ks, this.txIdx);
    if (version === ESTIMATE_VERSION) throw this.poison(mv.lastBlocking);
    const exists = version === BASE_VERSION ? this.base.has(key) : mv.lastValue !== null;
    this.reads.hasKeys.push(ks);
    this.reads.hasExists.push(exists);
    return exists;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.check();
    this.writes.set(keyStr(key), value);
  }

  delete(key: Uint8Array): void {
    this.check();
    this.writes.set(keyStr(key), null);
  }

  iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    this.check();
    const lo = start === undefined ? undefined : keyStr(start);
    const hi = end === undefined ? undefined : keyStr(end);
    const visible = this.mv.visibleRange(lo, hi, reverse, this.txIdx);
    // Registered now, narrowed as the iteration advances: whatever the handler observed is covered
    // even if it abandons the iterator without closing it.
    const range: RangeRead = {
      start: lo,
      end: hi,
      reverse,
      complete: false,
      last: undefined,
      keys: visible.keys,
      versions: visible.versions,
    };
    this.reads.ranges.push(range);
    const own: string[] = [];
    for (const k of this.writes.keys()) if ((lo === undefined || k >= lo) && (hi === undefined || k < hi)) own.push(k);
    own.sort();
    if (reverse) own.reverse();
    const ownValues = own.map((k) => this.writes.get(k)!);
    return this.merge(range, own, ownValues, visible, this.base.iterator(start, end, reverse));
  }

  private *merge(
    range: RangeRead,
    own: string[],
    ownValues: (Uint8Array | null)[],
    visible: { keys: string[]; values: (Uint8Array | null)[]; versions: number[]; writers: number[] },
    baseIterable: Iterable<KVPair>,
  ): Generator<KVPair> {
    const before = range.reverse ? (a: string, b: string) => a > b : (a: string, b: string) => a < b;
    const baseIt = baseIterable[Symbol.iterator]();
    let baseNext = baseIt.next();
    let baseKey = baseNext.done ? undefined : keyStr(baseNext.value.key);
    let o = 0;
    let m = 0;
    for (;;) {
      this.check();
      // The next key in iteration order among the three sources.
      let key: string | undefined = o < own.length ? own[o] : undefined;
      const mk = m < visible.keys.length ? visible.keys[m] : undefined;
      if (mk !== undefined && (key === undefined || before(mk, key))) key = mk;
      if (baseKey !== undefined && (key === undefined || before(baseKey, key))) key = baseKey;
      if (key === undefined) {
        range.complete = true;
        return;
      }
      let value: Uint8Array | null;
      if (o < own.length && own[o] === key) {
        value = ownValues[o]!;
      } else if (mk === key) {
        if (visible.versions[m] === ESTIMATE_VERSION) throw this.poison(visible.writers[m]!);
        value = visible.values[m]!;
      } else {
        value = (baseNext.value as KVPair).value;
      }
      const baseKV = baseKey === key ? (baseNext.value as KVPair) : undefined;
      if (o < own.length && own[o] === key) o++;
      if (mk === key) m++;
      if (baseKey === key) {
        baseNext = baseIt.next();
        baseKey = baseNext.done ? undefined : keyStr(baseNext.value.key);
      }
      if (value === null) continue;
      range.last = key;
      yield baseKV !== undefined && baseKV.value === value ? baseKV : { key: keyBytes(key), value };
    }
  }

  /** The write set in key order (parallel arrays), as the multi-version memory stores it. */
  writeSet(): { keys: string[]; values: (Uint8Array | null)[] } {
    const keys = [...this.writes.keys()].sort();
    return { keys, values: keys.map((k) => this.writes.get(k)!) };
  }

  private check(): void {
    if (this.poisoned !== null) throw this.poisoned;
  }

  private poison(blocking: number): DependencyAbort {
    this.poisoned = new DependencyAbort(blocking);
    return this.poisoned;
  }
}
