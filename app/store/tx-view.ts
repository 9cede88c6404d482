/**
 * What one transaction sees: its own buffered writes over a base reader, plus a record of every
 * read that reached the base. The parallel executor (Block-STM) validates a transaction by
 * replaying that record against the base it would see now: if every replayed read matches, the
 * transaction's execution is still valid.
 *
 * What is recorded (only reads answered by the BASE; reads of keys this tx wrote are its own):
 *  - `get(key)` that falls through: `{ key, value }` with the base's value, or undefined if absent.
 *    Only the first observation per key is kept (the base does not change under one execution).
 *  - `has(key)` that falls through: `{ key, exists }`.
 *  - each `iterator(start, end, reverse)`: `{ start, end, reverse, pairs, exhausted, lastKey }`
 *      `lastKey`   the last key the tx received from the iterator (own write or base), or undefined
 *                  if it received none;
 *      `exhausted` true when the tx ran the iterator to its end, so the whole [start, end) matters;
 *      `pairs`     every base entry (key, value) in iteration order within the consumed span:
 *                  [start, lastKey] going forward, [lastKey, end) in reverse, or all of [start, end)
 *                  when exhausted. Base entries shadowed by the tx's own writes are included too
 *                  (conservative: a change there could only cause a needless re-execution).
 *    Validation: iterate the base over the same range and direction, keep the entries within the
 *    consumed span, and require exactly the recorded keys and values (see `validateReadSet`).
 */
import { compareBytes, keyString } from './bytes.js';
import { CacheKV } from './cache-kv.js';
import type { KVChange, KVPair, KVReader, KVStore } from './types.js';

export interface PointRead {
  readonly key: Uint8Array;
  /** The base's value, or undefined when the key was absent. */
  readonly value: Uint8Array | undefined;
}

export interface ExistenceRead {
  readonly key: Uint8Array;
  readonly exists: boolean;
}

export interface RangeRead {
  readonly start: Uint8Array | undefined;
  readonly end: Uint8Array | undefined;
  readonly reverse: boolean;
  /** Base entries observed within the consumed span, in iteration order. */
  readonly pairs: readonly KVPair[];
  /** The tx consumed the whole iterator. */
  readonly exhausted: boolean;
  /** The last key handed to the tx; undefined when it took none. */
  readonly lastKey: Uint8Array | undefined;
}

export interface ReadSet {
  readonly gets: readonly PointRead[];
  readonly has: readonly ExistenceRead[];
  readonly ranges: readonly RangeRead[];
}

/** A range read while it is being consumed. */
interface LiveRange {
  start: Uint8Array | undefined;
  end: Uint8Array | undefined;
  reverse: boolean;
  /** Everything pulled from the base so far, possibly one entry past what the tx received. */
  pulled: KVPair[];
  exhausted: boolean;
  lastKey: Uint8Array | undefined;
}

/** True when `key` lies within the part of a range the tx actually consumed. */
function inConsumedSpan(key: Uint8Array, r: { reverse: boolean; exhausted: boolean; lastKey: Uint8Array | undefined }): boolean {
  if (r.exhausted) return true;
  if (r.lastKey === undefined) return false;
  const cmp = compareBytes(key, r.lastKey);
  return r.reverse ? cmp >= 0 : cmp <= 0;
}

/** Records base reads, then hands them to the write buffer above. */
class RecordingReader implements KVReader {
  readonly gets = new Map<string, PointRead>();
  readonly has_ = new Map<string, ExistenceRead>();
  readonly ranges: LiveRange[] = [];
  /** Set by TxView just before it asks the buffer for an iterator. */
  current: LiveRange | undefined;

  constructor(private readonly base: KVReader) {}

  get(key: Uint8Array): Uint8Array | undefined {
    const value = this.base.get(key);
    const k = keyString(key);
    if (!this.gets.has(k)) this.gets.set(k, { key: Uint8Array.from(key), value });
    return value;
  }

  has(key: Uint8Array): boolean {
    const exists = this.base.has(key);
    const k = keyString(key);
    if (!this.has_.has(k)) this.has_.set(k, { key: Uint8Array.from(key), exists });
    return exists;
  }

  iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    // Claim the record at call time: the buffer asks for the base iterator synchronously when
    // TxView's iterator starts, before any other iterator can be opened.
    const record = this.current;
    this.current = undefined;
    const base = this.base;
    return (function* () {
      for (const pair of base.iterator(start, end, reverse)) {
        record?.pulled.push(pair);
        yield pair;
      }
    })();
  }
}

export class TxView implements KVStore {
  private readonly recorder: RecordingReader;
  private readonly buffer: CacheKV;

  constructor(base: KVReader) {
    this.recorder = new RecordingReader(base);
    this.buffer = new CacheKV(this.recorder);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.buffer.get(key);
  }

  has(key: Uint8Array): boolean {
    return this.buffer.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.buffer.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.buffer.delete(key);
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const record: LiveRange = {
      start: start && Uint8Array.from(start),
      end: end && Uint8Array.from(end),
      reverse,
      pulled: [],
      exhausted: false,
      lastKey: undefined,
    };
    this.recorder.ranges.push(record);
    this.recorder.current = record;
    for (const pair of this.buffer.iterator(start, end, reverse)) {
      record.lastKey = pair.key;
      yield pair;
    }
    record.exhausted = true;
  }

  /** The base reads so far (see the file comment for exactly what each entry means). */
  readSet(): ReadSet {
    return {
      gets: [...this.recorder.gets.values()],
      has: [...this.recorder.has_.values()],
      ranges: this.recorder.ranges.map((r) => ({
        start: r.start,
        end: r.end,
        reverse: r.reverse,
        exhausted: r.exhausted,
        lastKey: r.lastKey && Uint8Array.from(r.lastKey),
        pairs: r.pulled.filter((p) => inConsumedSpan(p.key, r)),
      })),
    };
  }

  /** The tx's writes in key order (value null = delete). */
  writeSet(): KVChange[] {
    return this.buffer.changes();
  }
}

const sameValue = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === undefined || b === undefined ? a === b : compareBytes(a, b) === 0;

/**
 * Replays `readSet` against `base`: true when every recorded observation still holds, i.e. the
 * tx would read exactly the same things from `base` now.
 */
export function validateReadSet(readSet: ReadSet, base: KVReader): boolean {
  for (const { key, value } of readSet.gets) if (!sameValue(base.get(key), value)) return false;
  for (const { key, exists } of readSet.has) if (base.has(key) !== exists) return false;
  for (const r of readSet.ranges) {
    if (!r.exhausted && r.lastKey === undefined) continue;
    let i = 0;
    for (const pair of base.iterator(r.start, r.end, r.reverse)) {
      if (!inConsumedSpan(pair.key, r)) break;
      const seen = r.pairs[i++];
      if (seen === undefined || compareBytes(seen.key, pair.key) !== 0 || !sameValue(seen.value, pair.value)) return false;
    }
    if (i !== r.pairs.length) return false;
  }
  return true;
}

