import { keyBytes, lowerBound } from '../store/bytes.js';
import type { KVReader } from '../store/types.js';

/**
 * Block-STM's multi-version memory (paper, Algorithm 2): for every key, the value written by each
 * tx of the block that wrote it, tagged with the writer's incarnation, or an ESTIMATE marker left
 * by an aborted incarnation. A read by tx i sees the entry of the highest writer j < i.
 *
 * Keys are latin1 strings of the key bytes (`keyString`), whose JS order equals byte order. A
 * version is packed into one number, `txIdx * VERSION_STRIDE + incarnation`; -1 means "read from
 * the pre-block state" and -2 "an ESTIMATE was there".
 *
 * The same class serves as the coordinator's authoritative copy (with read sets and validation)
 * and as each worker's local replica, rebuilt by replaying the coordinator's write log.
 */
export const VERSION_STRIDE = 65_536;
export const BASE_VERSION = -1;
export const ESTIMATE_VERSION = -2;

export function packVersion(txIdx: number, incarnation: number): number {
  return txIdx * VERSION_STRIDE + incarnation;
}

/**
 * One key's entries, sorted by writer index, flat with a stride of 4:
 * [txIdx, incarnation, value (Uint8Array | null = delete), estimate (0 | 1), ...].
 * One array per key (instead of an object holding four arrays): most keys of a block have a
 * single writer, and these allocations were the largest part of the executor's GC time.
 */
type KeyVersions = (number | Uint8Array | null)[];
const STRIDE = 4;

/** Entry index (not array offset) of the highest writer < txIdx, or -1. */
function below(kv: KeyVersions, txIdx: number): number {
  let lo = 0;
  let hi = kv.length / STRIDE; // first entry with writer >= txIdx
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((kv[mid * STRIDE] as number) < txIdx) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Entry index of writer txIdx, or -1. */
function at(kv: KeyVersions, txIdx: number): number {
  const p = below(kv, txIdx + 1);
  return p >= 0 && kv[p * STRIDE] === txIdx ? p : -1;
}

function put(kv: KeyVersions, txIdx: number, inc: number, value: Uint8Array | null): void {
  const p = below(kv, txIdx + 1);
  if (p >= 0 && kv[p * STRIDE] === txIdx) {
    kv[p * STRIDE + 1] = inc;
    kv[p * STRIDE + 2] = value;
    kv[p * STRIDE + 3] = 0;
    return;
  }
  const q = (p + 1) * STRIDE;
  if (q === kv.length) kv.push(txIdx, inc, value, 0);
  else kv.splice(q, 0, txIdx, inc, value, 0);
}

function remove(kv: KeyVersions, txIdx: number): void {
  const p = at(kv, txIdx);
  if (p >= 0) kv.splice(p * STRIDE, STRIDE);
}

const writerAt = (kv: KeyVersions, p: number) => kv[p * STRIDE] as number;
const incAt = (kv: KeyVersions, p: number) => kv[p * STRIDE + 1] as number;
const valueAt = (kv: KeyVersions, p: number) => kv[p * STRIDE + 2] as Uint8Array | null;
const isEstimate = (kv: KeyVersions, p: number) => kv[p * STRIDE + 3] === 1;

/** What a read of the multi-version data returned. `version` is BASE_VERSION when nothing below. */
export interface MVRead {
  version: number;
  /** The value, or null for a delete; undefined when the read fell through to the base. */
  value: Uint8Array | null | undefined;
  /** Index of the writer whose ESTIMATE was met, else -1. */
  blocking: number;
}

/** Entries visible to a tx in a key range, in iteration order (parallel arrays). */
export interface VisibleRange {
  keys: string[];
  versions: number[];
  values: (Uint8Array | null)[];
  /** Writer index of each entry (the blocking tx for an ESTIMATE). */
  writers: number[];
}

/** A range read as recorded by a view, validated by replaying it. */
export interface RangeRead {
  start: string | undefined;
  end: string | undefined;
  reverse: boolean;
  /** True when the iteration ran to its end; otherwise only keys up to `last` were observed. */
  complete: boolean;
  last: string | undefined;
  /** The multi-version entries the iteration saw within what it covered (keys + versions). */
  keys: string[];
  versions: number[];
}

/** An incarnation's read set: plain data, so it can cross a thread boundary. */
export interface ReadSet {
  keys: string[];
  versions: number[];
  hasKeys: string[];
  hasExists: boolean[];
  ranges: RangeRead[];
}

export function emptyReadSet(): ReadSet {
  return { keys: [], versions: [], hasKeys: [], hasExists: [], ranges: [] };
}

export class MVMemory {
  private readonly data = new Map<string, KeyVersions>();
  /** Keys each tx's latest incarnation wrote (paper: last_written_locations). */
  private readonly written: (string[] | undefined)[];
  /** Read set of each tx's latest recorded incarnation (paper: last_read_set). */
  private readonly readSets: (ReadSet | undefined)[];
  /** All keys in order, built on the first range read (only range reads need it), then maintained. */
  private sorted: string[] | null = null;

  constructor(readonly txCount: number) {
    this.written = new Array(txCount);
    this.readSets = new Array(txCount);
  }

  /** Set by readVersion: the value read (null = delete), or the ESTIMATE's writer. */
  lastValue: Uint8Array | null = null;
  lastBlocking = -1;

  /** Allocation-free read for the hot path: the version, with the value in `lastValue`. */
  readVersion(key: string, txIdx: number): number {
    const kv = this.data.get(key);
    if (kv === undefined) return BASE_VERSION;
    const p = below(kv, txIdx);
    if (p < 0) return BASE_VERSION;
    if (isEstimate(kv, p)) {
      this.lastBlocking = writerAt(kv, p);
      return ESTIMATE_VERSION;
    }
    this.lastValue = valueAt(kv, p);
    return packVersion(writerAt(kv, p), incAt(kv, p));
  }

  read(key: string, txIdx: number): MVRead {
    const kv = this.data.get(key);
    if (kv === undefined) return { version: BASE_VERSION, value: undefined, blocking: -1 };
    const p = below(kv, txIdx);
    if (p < 0) return { version: BASE_VERSION, value: undefined, blocking: -1 };
    if (isEstimate(kv, p)) return { version: ESTIMATE_VERSION, value: undefined, blocking: writerAt(kv, p) };
    return { version: packVersion(writerAt(kv, p), incAt(kv, p)), value: valueAt(kv, p), blocking: -1 };
  }

  /**
   * Stores an incarnation's write set and drops the entries of keys its previous incarnation
   * wrote but this one did not (paper: apply_write_set + rcu_update_written_locations).
   * Returns true when it wrote a key the previous incarnation did not ("wrote a new location").
   */
  applyWriteSet(txIdx: number, inc: number, keys: readonly string[], values: readonly (Uint8Array | null)[]): boolean {
    const prev = this.written[txIdx];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let kv = this.data.get(key);
      if (kv === undefined) {
        kv = [];
        this.data.set(key, kv);
        // Keep the ordered key list once a range read has built it (an insertion is a memmove;
        // rebuilding by sorting after every new key would make range-heavy blocks quadratic × log).
        if (this.sorted !== null) this.sorted.splice(lowerBound(this.sorted, key), 0, key);
      }
      put(kv, txIdx, inc, values[i]!);
    }
    let wroteNew = false;
    if (prev === undefined) {
      wroteNew = keys.length > 0;
    } else {
      const now = new Set(keys);
      for (const key of prev) {
        if (now.has(key)) continue;
        const kv = this.data.get(key);
        if (kv !== undefined) remove(kv, txIdx);
      }
      if (keys.length > 0) {
        const before = new Set(prev);
        for (const key of keys) {
          if (!before.has(key)) {
            wroteNew = true;
            break;
          }
        }
      }
    }
    this.written[txIdx] = keys.slice();
    return wroteNew;
  }

  recordReads(txIdx: number, reads: ReadSet): void {
    this.readSets[txIdx] = reads;
  }

  /** Marks every entry of tx `txIdx`'s last write set as ESTIMATE (paper: convert_writes_to_estimates). */
  markEstimates(txIdx: number): void {
    const keys = this.written[txIdx];
    if (keys === undefined) return;
    for (const key of keys) {
      const kv = this.data.get(key)!;
      const p = at(kv, txIdx);
      if (p >= 0) kv[p * STRIDE + 3] = 1;
    }
  }

  /** Visible entries (highest writer below txIdx per key) for keys in [start, end), in iteration order. */
  visibleRange(start: string | undefined, end: string | undefined, reverse: boolean, txIdx: number): VisibleRange {
    const sorted = this.sortedKeys();
    let lo = start === undefined ? 0 : lowerBound(sorted, start);
    const hi = end === undefined ? sorted.length : lowerBound(sorted, end);
    const out: VisibleRange = { keys: [], versions: [], values: [], writers: [] };
    const push = (key: string) => {
      const kv = this.data.get(key)!;
      const p = below(kv, txIdx);
      if (p < 0) return;
      out.keys.push(key);
      out.writers.push(writerAt(kv, p));
      if (isEstimate(kv, p)) {
        out.versions.push(ESTIMATE_VERSION);
        out.values.push(null);
      } else {
        out.versions.push(packVersion(writerAt(kv, p), incAt(kv, p)));
        out.values.push(valueAt(kv, p));
      }
    };
    if (!reverse) for (; lo < hi; lo++) push(sorted[lo]!);
    else for (let i = hi - 1; i >= lo; i--) push(sorted[i]!);
    return out;
  }

  /**
   * Re-reads tx `txIdx`'s last read set (paper: validate_read_set). Valid iff every read would
   * see the same version now, `has` reads the same existence, and every range read the same
   * (key, version) sequence over what it covered. Meeting an ESTIMATE is invalid.
   */
  validate(txIdx: number, base: KVReader): boolean {
    const reads = this.readSets[txIdx];
    if (reads === undefined) return true;
    for (let i = 0; i < reads.keys.length; i++) {
      if (this.readVersion(reads.keys[i]!, txIdx) !== reads.versions[i]) return false;
    }
    for (let i = 0; i < reads.hasKeys.length; i++) {
      const key = reads.hasKeys[i]!;
      const r = this.read(key, txIdx);
      if (r.version === ESTIMATE_VERSION) return false;
      const exists = r.version === BASE_VERSION ? base.has(keyBytes(key)) : r.value !== null;
      if (exists !== reads.hasExists[i]) return false;
    }
    for (const range of reads.ranges) {
      const now = this.visibleRange(range.start, range.end, range.reverse, txIdx);
      const covered = coveredPrefix(now.keys, range);
      if (covered !== coveredPrefix(range.keys, range)) return false;
      for (let i = 0; i < covered; i++) {
        if (now.keys[i] !== range.keys[i] || now.versions[i] !== range.versions[i]) return false;
      }
    }
    return true;
  }

  /** The block's final writes: for every key, the highest writer's value, in key order. */
  snapshot(): { keys: string[]; values: (Uint8Array | null)[] } {
    return this.snapshotBelow(this.txCount);
  }

  /**
   * The writes of txs 0..limit-1 only: for every key, the value of the highest writer below
   * `limit`, in key order — the state a block's committed prefix leaves (see
   * Coordinator.committedPrefix). Keys written only at or above `limit` are left out.
   */
  snapshotBelow(limit: number): { keys: string[]; values: (Uint8Array | null)[] } {
    const keys: string[] = [];
    const values: (Uint8Array | null)[] = [];
    for (const key of this.sortedKeys()) {
      const kv = this.data.get(key)!;
      const p = below(kv, limit);
      if (p < 0) continue;
      if (isEstimate(kv, p)) throw new Error(`executor invariant: an ESTIMATE of tx ${writerAt(kv, p)} among the writes being kept`);
      keys.push(key);
      values.push(valueAt(kv, p));
    }
    return { keys, values };
  }

  private sortedKeys(): string[] {
    if (this.sorted === null) this.sorted = [...this.data.keys()].sort();
    return this.sorted;
  }
}

/** Number of leading entries of `keys` (in iteration order) inside what `range` covered. */
export function coveredPrefix(keys: readonly string[], range: Pick<RangeRead, 'complete' | 'last' | 'reverse'>): number {
  if (range.complete) return keys.length;
  const last = range.last;
  if (last === undefined) return 0;
  let n = 0;
  while (n < keys.length && (range.reverse ? keys[n]! >= last : keys[n]! <= last)) n++;
  return n;
}
