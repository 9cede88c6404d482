import { keyString, utf8 } from '../store/bytes.js';
import { memoryStore } from '../store/cache-kv.js';
import { MVMemory } from './mv-memory.js';
import { OverlayBase, SharedSnapshot } from './portable-base.js';
import { SharedLogReader, SharedLogWriter } from './write-log.js';

describe('shared write log', () => {
  it('replays into a replica identical to the coordinator copy, across growth and resets', () => {
    const writer = new SharedLogWriter();
    const reader = new SharedLogReader(writer.handles());
    const truth = new MVMemory(3000);
    const replica = new MVMemory(3000);
    const big = new Uint8Array(4096).fill(7);
    for (let i = 0; i < 3000; i++) {
      const keys = [keyString(utf8(`k/${i % 97}`)), keyString(Uint8Array.of(0, 255, i & 255))];
      const values = [i % 5 === 0 ? null : utf8(String(i)), big];
      truth.applyWriteSet(i, 0, keys, values);
      writer.append({ op: 'write', txIdx: i, inc: 0, keys, values });
      if (i % 7 === 0) {
        truth.markEstimates(i);
        writer.append({ op: 'estimate', txIdx: i });
      }
      if (i % 500 === 0) reader.catchUp(replica); // partial catch-ups
    }
    expect(writer.bytes).toBeGreaterThan(1 << 20); // it grew
    reader.catchUp(replica);
    for (let i = 0; i < 3000; i += 13) {
      for (const key of [keyString(utf8(`k/${i % 97}`)), keyString(Uint8Array.of(0, 255, i & 255))]) {
        expect(replica.read(key, i + 1)).toEqual(truth.read(key, i + 1));
      }
    }
    writer.reset();
    reader.reset();
    const fresh = new MVMemory(1);
    writer.append({ op: 'write', txIdx: 0, inc: 2, keys: ['z'], values: [utf8('1')] });
    reader.catchUp(fresh);
    expect(fresh.read('z', 1).version).toBe(2);
  });
});

describe('portable bases', () => {
  it('a snapshot and an overlay read like the stores they came from', () => {
    const src = memoryStore();
    for (const s of ['a', 'b', 'c', 'd']) src.set(utf8(s), utf8(s.toUpperCase()));
    const snap = SharedSnapshot.of(src);
    const copy = SharedSnapshot.decode(snap.forWorkers() as never);
    expect([...copy.iterator(utf8('b'), undefined, true)].map((p) => Buffer.from(p.key).toString())).toEqual(['d', 'c', 'b']);
    const overlay = new OverlayBase(snap, [
      { key: utf8('b'), value: null },
      { key: utf8('bb'), value: utf8('BB') },
    ]);
    const desc = overlay.forWorkers();
    expect(desc.kind).toBe('overlay');
    const decoded = OverlayBase.decode(copy, (desc as { changes: SharedArrayBuffer }).changes);
    for (const r of [overlay, decoded]) {
      expect([...r.iterator(undefined, undefined)].map((p) => Buffer.from(p.key).toString())).toEqual(['a', 'bb', 'c', 'd']);
      expect(r.has(utf8('b'))).toBe(false);
      expect(Buffer.from(r.get(utf8('bb'))!).toString()).toBe('BB');
    }
  });
});
