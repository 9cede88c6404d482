import fc from 'fast-check';
import { CacheKV, memoryStore } from './cache-kv.js';
import { TxView, validateReadSet } from './tx-view.js';
import type { KVStore } from './types.js';

const b = (...bytes: number[]) => Uint8Array.from(bytes);
const keysOf = (pairs: readonly { key: Uint8Array }[]) => pairs.map((p) => [...p.key]);

function baseWith(entries: [number, number][]): CacheKV {
  const base = memoryStore();
  for (const [k, v] of entries) base.set(b(k), b(v));
  return base;
}

describe('TxView', () => {
  it('buffers writes and exposes them as a sorted write set, leaving the base alone', () => {
    const base = baseWith([[1, 10]]);
    const tx = new TxView(base);
    tx.set(b(3), b(30));
    tx.delete(b(1));
    tx.set(b(2), b(20));
    expect(tx.get(b(1))).toBeUndefined();
    expect(base.get(b(1))).toEqual(b(10));
    expect(tx.writeSet()).toEqual([
      { key: b(1), value: null },
      { key: b(2), value: b(20) },
      { key: b(3), value: b(30) },
    ]);
  });

  it('records point reads from the base, including absence, but not reads of its own writes', () => {
    const tx = new TxView(baseWith([[1, 10], [2, 20]]));
    tx.get(b(1));
    tx.get(b(1));
    tx.get(b(9));
    tx.has(b(2));
    tx.has(b(8));
    tx.set(b(5), b(50));
    tx.get(b(5));
    tx.has(b(5));
    const reads = tx.readSet();
    expect(reads.gets).toEqual([
      { key: b(1), value: b(10) },
      { key: b(9), value: undefined },
    ]);
    expect(reads.has).toEqual([
      { key: b(2), exists: true },
      { key: b(8), exists: false },
    ]);
  });

  it('records only the consumed part of a range, in both directions', () => {
    const base = baseWith([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]]);
    const tx = new TxView(base);
    tx.set(b(2), b(99)); // shadows a base key: still recorded, conservatively
    const forward: number[] = [];
    for (const { key } of tx.iterator(b(1), b(5))) {
      forward.push(key[0]!);
      if (key[0] === 3) break;
    }
    expect(forward).toEqual([1, 2, 3]);
    const backward = [...tx.iterator(b(2), undefined, true)].map((p) => p.key[0]);
    expect(backward).toEqual([5, 4, 3, 2]);
    [...tx.iterator(b(7), b(9))]; // empty but exhausted: absence of keys in [7, 9) is a read
    tx.iterator(b(1), b(9)); // created, never advanced: reads nothing, records nothing

    const ranges = tx.readSet().ranges;
    expect(ranges).toHaveLength(3);
    const [r1, r2, r3] = ranges;
    expect(r1).toMatchObject({ reverse: false, exhausted: false, lastKey: b(3) });
    expect(keysOf(r1!.pairs)).toEqual([[1], [2], [3]]);
    expect(r1!.pairs[1]!.value).toEqual(b(20)); // the base value, not the tx's own write
    expect(r2).toMatchObject({ reverse: true, exhausted: true, lastKey: b(2) });
    expect(keysOf(r2!.pairs)).toEqual([[5], [4], [3], [2]]);
    expect(r3).toMatchObject({ exhausted: true, lastKey: undefined, pairs: [] });
  });

  it('validates against the same base and detects conflicting writes', () => {
    const base = baseWith([[1, 10], [3, 30], [5, 50]]);
    const tx = new TxView(base);
    tx.get(b(1));
    tx.has(b(2));
    for (const { key } of tx.iterator(b(3), undefined)) if (key[0] === 3) break;
    const reads = tx.readSet();
    expect(validateReadSet(reads, base)).toBe(true);

    const changed = (fn: (s: KVStore) => void) => {
      const next = new CacheKV(base);
      fn(next);
      return validateReadSet(reads, next);
    };
    expect(changed((s) => s.set(b(1), b(11)))).toBe(false); // point read changed
    expect(changed((s) => s.set(b(2), b(1)))).toBe(false); // existence changed
    expect(changed((s) => s.set(b(3), b(31)))).toBe(false); // value inside the consumed span
    expect(changed((s) => s.delete(b(3)))).toBe(false);
    expect(changed((s) => s.set(b(5), b(0)))).toBe(true); // beyond what the iterator consumed
    expect(changed((s) => s.set(b(9), b(0)))).toBe(true); // untouched key
  });

  it('validation accepts exactly the bases on which the tx would read the same things', () => {
    // Property: replaying the same tx program on a modified base gives the same observations
    // (outputs) whenever validation passes. (Validation may fail needlessly; never wrongly pass.)
    const entries = fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 3 })), { maxLength: 8 });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), k: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('has' as const), k: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('set' as const), k: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('del' as const), k: fc.integer({ min: 0, max: 9 }) }),
      fc.record({
        kind: fc.constant('iter' as const),
        start: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
        end: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
        reverse: fc.boolean(),
        take: fc.integer({ min: 0, max: 5 }),
      }),
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
    const run = (base: CacheKV, ops: Op[]) => {
      const tx = new TxView(base);
      const seen: unknown[] = [];
      for (const o of ops) {
        if (o.kind === 'get') seen.push(tx.get(b(o.k))?.[0]);
        else if (o.kind === 'has') seen.push(tx.has(b(o.k)));
        else if (o.kind === 'set') tx.set(b(o.k), b(7));
        else if (o.kind === 'del') tx.delete(b(o.k));
        else {
          const got: number[] = [];
          if (o.take > 0) {
            for (const p of tx.iterator(o.start === undefined ? undefined : b(o.start), o.end === undefined ? undefined : b(o.end), o.reverse)) {
              got.push(p.key[0]!, p.value[0]!);
              if (got.length / 2 >= o.take) break;
            }
          }
          seen.push(got);
        }
      }
      return { tx, seen };
    };
    fc.assert(
      fc.property(entries, entries, fc.array(op, { maxLength: 10 }), (before, after, ops) => {
        const base1 = baseWith(before);
        const first = run(base1, ops);
        expect(validateReadSet(first.tx.readSet(), base1)).toBe(true);
        const base2 = baseWith(after);
        const second = run(base2, ops);
        if (validateReadSet(first.tx.readSet(), base2)) {
          expect(second.seen).toEqual(first.seen);
          expect(second.tx.writeSet()).toEqual(first.tx.writeSet());
        }
        // Validation is not vacuous: identical bases always validate.
        expect(validateReadSet(second.tx.readSet(), baseWith(after))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
