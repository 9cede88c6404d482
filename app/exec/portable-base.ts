import { keyBytes, lowerBound } from '../store/bytes.js';
import { keyStr } from './keys.js';
import type { KVPair, KVReader } from '../store/types.js';

/**
 * How a worker thread gets its own reader of the pre-block state (it cannot share the main
 * thread's objects):
 *  - `snapshot`: the whole state encoded once into a SharedArrayBuffer (tests, benchmarks, small
 *    states). Workers decode it once per snapshot id and keep it.
 *  - `module`: the worker imports `url`, calls `exportName(arg)` and gets a KVReader — e.g. one
 *    that opens the node's LMDB environment read-only (LMDB readers are concurrent across
 *    threads). Cached per `cacheKey`. The base must not change while the block executes.
 *  - `overlay`: `changes` (e.g. BeginBlock's writes, not yet committed) over another base.
 */
export type BaseDescriptor =
  | { kind: 'snapshot'; id: number; buffer: SharedArrayBuffer }
  | { kind: 'module'; url: string; exportName: string; arg: unknown; cacheKey: string }
  | { kind: 'overlay'; lower: BaseDescriptor; changes: SharedArrayBuffer };

/** A reader that can describe itself to worker threads. */
export interface PortableBase extends KVReader {
  forWorkers(): BaseDescriptor;
}

export function isPortableBase(r: KVReader): r is PortableBase {
  return typeof (r as Partial<PortableBase>).forWorkers === 'function';
}

let nextSnapshotId = 1;

/** Encodes pairs as u32 count | count × (u32 keyLen | key | u32 valLen | value). */
function encodePairs(pairs: Iterable<{ key: Uint8Array; value: Uint8Array | null }>): SharedArrayBuffer {
  const list: { key: Uint8Array; value: Uint8Array | null }[] = [...pairs];
  let size = 4;
  for (const p of list) size += 8 + p.key.byteLength + (p.value?.byteLength ?? 0);
  const buf = new SharedArrayBuffer(size);
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  dv.setUint32(0, list.length, true);
  let o = 4;
  for (const p of list) {
    dv.setUint32(o, p.key.byteLength, true);
    u8.set(p.key, o + 4);
    o += 4 + p.key.byteLength;
    dv.setInt32(o, p.value === null ? -1 : p.value.byteLength, true);
    o += 4;
    if (p.value !== null) {
      u8.set(p.value, o);
      o += p.value.byteLength;
    }
  }
  return buf;
}

function decodePairs(buf: SharedArrayBuffer): { keys: string[]; values: (Uint8Array | null)[] } {
  const dv = new DataView(buf);
  const u8 = new Uint8Array(buf);
  const n = dv.getUint32(0, true);
  const keys: string[] = new Array(n);
  const values: (Uint8Array | null)[] = new Array(n);
  let o = 4;
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(o, true);
    keys[i] = Buffer.from(u8.slice(o + 4, o + 4 + kl)).toString('latin1');
    o += 4 + kl;
    const vl = dv.getInt32(o, true);
    o += 4;
    if (vl < 0) values[i] = null;
    else {
      values[i] = u8.slice(o, o + vl); // a private copy: TextDecoder rejects views of shared memory
      o += vl;
    }
  }
  return { keys, values };
}

/** An immutable, sorted in-memory state that can be shipped to workers as one SharedArrayBuffer. */
export class SharedSnapshot implements PortableBase {
  private readonly index = new Map<string, number>();

  private constructor(
    private readonly keys: string[],
    private readonly values: Uint8Array[],
    private readonly descriptor: BaseDescriptor,
  ) {
    for (let i = 0; i < keys.length; i++) this.index.set(keys[i]!, i);
  }

  /** Copies everything `source` holds (one full iteration). */
  static of(source: KVReader): SharedSnapshot {
    const pairs = [...source.iterator(undefined, undefined)];
    const buffer = encodePairs(pairs);
    return SharedSnapshot.decode({ kind: 'snapshot', id: nextSnapshotId++, buffer });
  }

  static decode(desc: Extract<BaseDescriptor, { kind: 'snapshot' }>): SharedSnapshot {
    const { keys, values } = decodePairs(desc.buffer);
    return new SharedSnapshot(keys, values as Uint8Array[], desc);
  }

  forWorkers(): BaseDescriptor {
    return this.descriptor;
  }

  get size(): number {
    return this.keys.length;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const i = this.index.get(keyStr(key));
    return i === undefined ? undefined : this.values[i];
  }

  has(key: Uint8Array): boolean {
    return this.index.has(keyStr(key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const lo = start === undefined ? 0 : lowerBound(this.keys, keyStr(start));
    const hi = end === undefined ? this.keys.length : lowerBound(this.keys, keyStr(end));
    if (!reverse) for (let i = lo; i < hi; i++) yield { key: keyBytes(this.keys[i]!), value: this.values[i]! };
    else for (let i = hi - 1; i >= lo; i--) yield { key: keyBytes(this.keys[i]!), value: this.values[i]! };
  }
}

/** Pending changes (null = delete) over a lower base; portable when the lower base is. */
export class OverlayBase implements PortableBase {
  private readonly changes = new Map<string, Uint8Array | null>();
  private readonly sorted: string[];
  private encoded: SharedArrayBuffer | undefined;

  constructor(
    private readonly lower: KVReader,
    changes: Iterable<{ key: Uint8Array; value: Uint8Array | null }>,
  ) {
    for (const c of changes) this.changes.set(keyStr(c.key), c.value);
    this.sorted = [...this.changes.keys()].sort();
  }

  forWorkers(): BaseDescriptor {
    if (!isPortableBase(this.lower)) throw new Error('OverlayBase: the lower base must be portable to reach worker threads');
    this.encoded ??= encodePairs(this.sorted.map((k) => ({ key: keyBytes(k), value: this.changes.get(k)! })));
    return { kind: 'overlay', lower: this.lower.forWorkers(), changes: this.encoded };
  }

  static decode(lower: KVReader, changes: SharedArrayBuffer): OverlayBase {
    const { keys, values } = decodePairs(changes);
    return new OverlayBase(
      lower,
      keys.map((k, i) => ({ key: keyBytes(k), value: values[i]! })),
    );
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const c = this.changes.get(keyStr(key));
    if (c !== undefined) return c ?? undefined;
    return this.lower.get(key);
  }

  has(key: Uint8Array): boolean {
    const c = this.changes.get(keyStr(key));
    if (c !== undefined) return c !== null;
    return this.lower.has(key);
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const lo = start === undefined ? 0 : lowerBound(this.sorted, keyStr(start));
    const hi = end === undefined ? this.sorted.length : lowerBound(this.sorted, keyStr(end));
    const own = this.sorted.slice(lo, hi);
    if (reverse) own.reverse();
    const before = reverse ? (a: string, b: string) => a > b : (a: string, b: string) => a < b;
    const it = this.lower.iterator(start, end, reverse)[Symbol.iterator]();
    let next = it.next();
    let i = 0;
    while (i < own.length || !next.done) {
      const ok = i < own.length ? own[i]! : undefined;
      const lk = next.done ? undefined : keyStr(next.value.key);
      if (ok !== undefined && (lk === undefined || !before(lk, ok))) {
        if (lk === ok) next = it.next();
        const v = this.changes.get(ok)!;
        i++;
        if (v !== null) yield { key: keyBytes(ok), value: v };
      } else {
        yield next.value as KVPair;
        next = it.next();
      }
    }
  }
}

const moduleBases = new Map<string, KVReader>();
const snapshots = new Map<number, SharedSnapshot>();

/** Worker side: builds (or reuses) a reader for a descriptor. */
export async function openBase(desc: BaseDescriptor): Promise<KVReader> {
  switch (desc.kind) {
    case 'snapshot': {
      let s = snapshots.get(desc.id);
      if (s === undefined) {
        snapshots.clear(); // keep one: a new snapshot means a new state
        s = SharedSnapshot.decode(desc);
        snapshots.set(desc.id, s);
      }
      return s;
    }
    case 'module': {
      let r = moduleBases.get(desc.cacheKey);
      if (r === undefined) {
        const mod = (await import(desc.url)) as Record<string, unknown>;
        const make = mod[desc.exportName];
        if (typeof make !== 'function') throw new Error(`${desc.url} has no function export "${desc.exportName}"`);
        r = (await make(desc.arg)) as KVReader;
        moduleBases.clear(); // keep one: a new key means a new state (e.g. the next height)
        moduleBases.set(desc.cacheKey, r);
      }
      return r;
    }
    case 'overlay':
      return OverlayBase.decode(await openBase(desc.lower), desc.changes);
  }
}
