/**
 * Subtree jobs and answers (smt-split.ts) as one ArrayBuffer each, so a block's worth crosses to a
 * thread and back as a single transferred buffer instead of thousands of cloned objects. Decoded
 * arrays are views into the buffer, which the receiver owns.
 *
 *   jobs   = seq(f64) ‖ count(u32) ‖ count × (index(u8) ‖ baseHash(32) ‖ baseSeq(f64) ‖ n(u32) ‖
 *            n × (path(32) ‖ keyLen(u32) ‖ key ‖ valueLen(i32, -1 = delete) ‖ value))
 *   answer = count(u32) ‖ count × (index(u8) ‖ kind(u8) ‖ empty: nothing
 *                                                     | leaf: path(32) ‖ valueHash(32) ‖ keyLen(u32) ‖ key
 *                                                     | stored: hash(32) ‖ seq(f64)) ‖
 *            records(u32) ‖ records × (locator(40) ‖ length(u32) ‖ record)
 */
import { HASH_SIZE, type PendingNodes } from './smt.js';
import type { PathedChange, SubtreeAnswer, SubtreeJob, SubtreeRoot } from './smt-split.js';

const LOCATOR_SIZE = 8 + HASH_SIZE;
const KIND = { empty: 0, leaf: 1, stored: 2 } as const;

class Writer {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.from(new ArrayBuffer(size));
  }
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }
  u32(v: number): void {
    this.pos = this.buf.writeUInt32LE(v, this.pos);
  }
  i32(v: number): void {
    this.pos = this.buf.writeInt32LE(v, this.pos);
  }
  f64(v: number): void {
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }
  bytes(b: Uint8Array): void {
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  done(): ArrayBuffer {
    if (this.pos !== this.buf.length) throw new Error(`smt wire: wrote ${this.pos} of ${this.buf.length} bytes (internal error)`);
    return this.buf.buffer as ArrayBuffer;
  }
}

class Reader {
  private readonly buf: Buffer;
  private pos = 0;
  constructor(ab: ArrayBuffer) {
    this.buf = Buffer.from(ab);
  }
  u8(): number {
    return this.buf[this.pos++]!;
  }
  u32(): number {
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  bytes(n: number): Buffer {
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  latin1(n: number): string {
    const v = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new Error(`smt wire: ${this.buf.length - this.pos} trailing bytes (internal error)`);
  }
}

export function encodeJobs(jobs: readonly SubtreeJob[], seq: number): ArrayBuffer {
  let size = 8 + 4;
  for (const job of jobs) {
    size += 1 + HASH_SIZE + 8 + 4;
    for (const c of job.changes) size += HASH_SIZE + 4 + c.key.length + 4 + (c.value?.length ?? 0);
  }
  const w = new Writer(size);
  w.f64(seq);
  w.u32(jobs.length);
  for (const job of jobs) {
    w.u8(job.index);
    w.bytes(job.base.hash);
    w.f64(job.base.seq);
    w.u32(job.changes.length);
    for (const c of job.changes) {
      w.bytes(c.path);
      w.u32(c.key.length);
      w.bytes(c.key);
      w.i32(c.value === null ? -1 : c.value.length);
      if (c.value !== null) w.bytes(c.value);
    }
  }
  return w.done();
}

export function decodeJobs(ab: ArrayBuffer): { seq: number; jobs: SubtreeJob[] } {
  const r = new Reader(ab);
  const seq = r.f64();
  const jobs: SubtreeJob[] = new Array(r.u32());
  for (let j = 0; j < jobs.length; j++) {
    const index = r.u8();
    const base = { hash: r.bytes(HASH_SIZE), seq: r.f64() };
    const changes: PathedChange[] = new Array(r.u32());
    for (let i = 0; i < changes.length; i++) {
      const path = r.bytes(HASH_SIZE);
      const key = r.bytes(r.u32());
      const valueLength = r.i32();
      changes[i] = { path, key, value: valueLength < 0 ? null : r.bytes(valueLength) };
    }
    jobs[j] = { index, base, changes };
  }
  r.end();
  return { seq, jobs };
}

export function encodeAnswer(answer: SubtreeAnswer): ArrayBuffer {
  let size = 4 + 4;
  for (const { root } of answer.roots) {
    size += 2;
    if (root.kind === 'leaf') size += 2 * HASH_SIZE + 4 + root.key.length;
    else if (root.kind === 'stored') size += HASH_SIZE + 8;
  }
  for (const record of answer.records.values()) size += LOCATOR_SIZE + 4 + record.length;
  const w = new Writer(size);
  w.u32(answer.roots.length);
  for (const { index, root } of answer.roots) {
    w.u8(index);
    w.u8(KIND[root.kind]);
    if (root.kind === 'leaf') {
      w.bytes(root.path);
      w.bytes(root.valueHash);
      w.u32(root.key.length);
      w.bytes(root.key);
    } else if (root.kind === 'stored') {
      w.bytes(root.hash);
      w.f64(root.seq);
    }
  }
  w.u32(answer.records.size);
  for (const [locator, record] of answer.records) {
    if (locator.length !== LOCATOR_SIZE) throw new Error('smt wire: a record locator is not 40 bytes (internal error)');
    w.pos += w.buf.write(locator, w.pos, 'latin1');
    w.u32(record.length);
    w.bytes(record);
  }
  return w.done();
}

export function decodeAnswer(ab: ArrayBuffer): SubtreeAnswer {
  const r = new Reader(ab);
  const roots: { index: number; root: SubtreeRoot }[] = new Array(r.u32());
  for (let i = 0; i < roots.length; i++) {
    const index = r.u8();
    const kind = r.u8();
    let root: SubtreeRoot;
    if (kind === KIND.empty) root = { kind: 'empty' };
    else if (kind === KIND.leaf) root = { kind: 'leaf', path: r.bytes(HASH_SIZE), valueHash: r.bytes(HASH_SIZE), key: r.bytes(r.u32()) };
    else if (kind === KIND.stored) root = { kind: 'stored', hash: r.bytes(HASH_SIZE), seq: r.f64() };
    else throw new Error(`smt wire: unknown subtree root kind ${kind} (internal error)`);
    roots[i] = { index, root };
  }
  const records: PendingNodes = new Map();
  for (let n = r.u32(); n > 0; n--) {
    const locator = r.latin1(LOCATOR_SIZE);
    records.set(locator, r.bytes(r.u32()));
  }
  r.end();
  return { roots, records };
}
