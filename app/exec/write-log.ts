import type { LogOp } from './coordinator.js';
import type { MVMemory } from './mv-memory.js';

/**
 * The coordinator's multi-version memory mutations as an append-only byte log in a growable
 * SharedArrayBuffer: the coordinator (single writer) appends, every worker replays new records
 * into its own replica (plain JS Maps) before each execution. Reads in a worker are then local
 * Map lookups — no message round trip per read.
 *
 * Publication: bytes are written first, then the tail is advanced with Atomics.store; a reader
 * takes Atomics.load(tail) and never reads past it, so it only sees complete records.
 *
 * Record: u8 op (1 = write set, 2 = estimate) | u32 txIdx | [u32 inc | u32 count |
 *         count × (i32 keyId | [u32 keyLen | key latin1 bytes when keyId < 0: a new key, id ~keyId] |
 *                  i32 valLen, -1 = delete | value bytes)]
 * Keys are interned per block: the first record that writes a key defines its id, later ones
 * refer to it, so a worker's replay reuses one string per key (no re-decoding, cached hash) —
 * replay measured ~6–15 µs per 3-write record with per-record key strings, mostly decoding,
 * hashing fresh strings and the garbage they leave.
 */
const OP_WRITE = 1;
const OP_ESTIMATE = 2;
const TAIL = 0;
const INITIAL = 1 << 20;
const MAX = 1 << 30;

/** Growable SharedArrayBuffer (ES2024; Node 20 has it, our TS lib target does not declare it). */
interface GrowableSAB extends SharedArrayBuffer {
  grow(size: number): void;
}
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (size: number, opts: { maxByteLength: number }) => GrowableSAB;

export interface SharedLogHandles {
  data: SharedArrayBuffer;
  ctrl: SharedArrayBuffer;
}

export class SharedLogWriter {
  readonly data = new GrowableSharedArrayBuffer(INITIAL, { maxByteLength: MAX });
  readonly ctrl = new SharedArrayBuffer(8);
  private readonly tail = new Int32Array(this.ctrl);
  private u8 = new Uint8Array(this.data);
  private dv = new DataView(this.data);
  private pos = 0;
  private readonly keyIds = new Map<string, number>();

  handles(): SharedLogHandles {
    return { data: this.data, ctrl: this.ctrl };
  }

  /** Starts a new block's log. Only call while no worker is replaying. */
  reset(): void {
    this.pos = 0;
    this.keyIds.clear();
    Atomics.store(this.tail, TAIL, 0);
  }

  get bytes(): number {
    return this.pos;
  }

  append(op: LogOp): void {
    if (op.op === 'estimate') {
      this.ensure(5);
      this.dv.setUint8(this.pos, OP_ESTIMATE);
      this.dv.setUint32(this.pos + 1, op.txIdx, true);
      this.pos += 5;
    } else {
      let need = 13;
      for (let i = 0; i < op.keys.length; i++) need += 12 + op.keys[i]!.length + (op.values[i]?.byteLength ?? 0);
      this.ensure(need);
      const dv = this.dv;
      const u8 = this.u8;
      let p = this.pos;
      dv.setUint8(p, OP_WRITE);
      dv.setUint32(p + 1, op.txIdx, true);
      dv.setUint32(p + 5, op.inc, true);
      dv.setUint32(p + 9, op.keys.length, true);
      p += 13;
      for (let i = 0; i < op.keys.length; i++) {
        const k = op.keys[i]!;
        const id = this.keyIds.get(k);
        if (id !== undefined) {
          dv.setInt32(p, id, true);
          p += 4;
        } else {
          const fresh = this.keyIds.size;
          this.keyIds.set(k, fresh);
          dv.setInt32(p, ~fresh, true);
          dv.setUint32(p + 4, k.length, true);
          p += 8;
          for (let c = 0; c < k.length; c++) u8[p + c] = k.charCodeAt(c);
          p += k.length;
        }
        const v = op.values[i]!;
        if (v === null) {
          dv.setInt32(p, -1, true);
          p += 4;
        } else {
          dv.setInt32(p, v.byteLength, true);
          p += 4;
          u8.set(v, p);
          p += v.byteLength;
        }
      }
      this.pos = p;
    }
    Atomics.store(this.tail, TAIL, this.pos);
  }

  private ensure(need: number): void {
    if (this.pos + need <= this.data.byteLength) return;
    const size = Math.min(MAX, Math.max(this.data.byteLength * 2, this.pos + need));
    if (this.pos + need > size) throw new Error('executor: block write log exceeds 1 GiB');
    this.data.grow(size);
    this.u8 = new Uint8Array(this.data);
    this.dv = new DataView(this.data);
  }
}

/** A worker's side: replays records up to the published tail into a replica. */
export class SharedLogReader {
  private readonly tail: Int32Array;
  private cursor = 0;
  private readonly keys: string[] = [];

  constructor(private readonly h: SharedLogHandles) {
    this.tail = new Int32Array(h.ctrl);
  }

  /** Start of a block: replay from the beginning again. */
  reset(): void {
    this.cursor = 0;
    this.keys.length = 0;
  }

  catchUp(replica: MVMemory): void {
    const end = Atomics.load(this.tail, TAIL);
    if (this.cursor >= end) return;
    // Fresh views: the buffer may have grown since the last call.
    const dv = new DataView(this.h.data);
    const u8 = new Uint8Array(this.h.data);
    let p = this.cursor;
    while (p < end) {
      const op = dv.getUint8(p);
      const txIdx = dv.getUint32(p + 1, true);
      if (op === OP_ESTIMATE) {
        replica.markEstimates(txIdx);
        p += 5;
        continue;
      }
      const inc = dv.getUint32(p + 5, true);
      const count = dv.getUint32(p + 9, true);
      p += 13;
      const keys: string[] = new Array(count);
      const values: (Uint8Array | null)[] = new Array(count);
      // One private copy of the record's entries (values must not alias shared memory: TextDecoder
      // and some native code reject shared views), sliced into per-value views: one allocation
      // per record instead of one per value.
      const start = p;
      for (let i = 0; i < count; i++) {
        const id = dv.getInt32(p, true);
        p += id < 0 ? 8 + dv.getUint32(p + 4, true) : 4;
        const vl = dv.getInt32(p, true);
        p += 4 + (vl > 0 ? vl : 0);
      }
      const copy = u8.slice(start, p);
      const cdv = new DataView(copy.buffer);
      const known = this.keys;
      let q = 0;
      for (let i = 0; i < count; i++) {
        const id = cdv.getInt32(q, true);
        if (id >= 0) {
          keys[i] = known[id]!;
          q += 4;
        } else {
          const kl = cdv.getUint32(q + 4, true);
          q += 8;
          known[~id] = keys[i] = latin1(copy, q, kl);
          q += kl;
        }
        const vl = cdv.getInt32(q, true);
        q += 4;
        if (vl < 0) values[i] = null;
        else {
          values[i] = copy.subarray(q, q + vl);
          q += vl;
        }
      }
      replica.applyWriteSet(txIdx, inc, keys, values);
    }
    this.cursor = p;
  }
}

function latin1(u8: Uint8Array, start: number, len: number): string {
  if (len <= 256) return String.fromCharCode.apply(null, u8.subarray(start, start + len) as unknown as number[]);
  return Buffer.from(u8.buffer, u8.byteOffset + start, len).toString('latin1');
}
