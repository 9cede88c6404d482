import fc from 'fast-check';
import { CacheKV, memoryStore } from './cache-kv.js';
import { keyString } from './bytes.js';

const bytes = fc.uint8Array({ minLength: 0, maxLength: 4 });

/** A model of a store: a plain map iterated in sorted key order. */
function modelRange(model: Map<string, Uint8Array>, start?: Uint8Array, end?: Uint8Array, reverse = false) {
  const lo = start && keyString(start);
  const hi = end && keyString(end);
  const keys = [...model.keys()].filter((k) => (lo === undefined || k >= lo) && (hi === undefined || k < hi)).sort();
  if (reverse) keys.reverse();
  return keys.map((k) => [k, Buffer.from(model.get(k)!).toString('hex')]);
}

describe('CacheKV', () => {
  it('reads its own writes over the parent and hides deletes', () => {
    const parent = memoryStore();
    parent.set(Uint8Array.of(1), Uint8Array.of(10));
    parent.set(Uint8Array.of(2), Uint8Array.of(20));
    const branch = new CacheKV(parent);
    branch.delete(Uint8Array.of(1));
    branch.set(Uint8Array.of(3), Uint8Array.of(30));
    expect(branch.get(Uint8Array.of(1))).toBeUndefined();
    expect(branch.has(Uint8Array.of(2))).toBe(true);
    expect([...branch.iterator(undefined, undefined)].map((p) => p.key[0])).toEqual([2, 3]);
    expect(parent.get(Uint8Array.of(3))).toBeUndefined();
    branch.write();
    expect(parent.get(Uint8Array.of(1))).toBeUndefined();
    expect(parent.get(Uint8Array.of(3))).toEqual(Uint8Array.of(30));
  });

  it('iterates exactly like a flat map under any stack of branches (property)', () => {
    const op = fc.record({ kind: fc.constantFrom('set', 'delete', 'branch', 'commit'), key: bytes, value: bytes });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), bytes, bytes, fc.boolean(), (ops, a, b, reverse) => {
        const model = new Map<string, Uint8Array>();
        const stack: CacheKV[] = [memoryStore()];
        const models: Map<string, Uint8Array>[] = [model];
        for (const o of ops) {
          const top = stack[stack.length - 1]!;
          const m = models[models.length - 1]!;
          if (o.kind === 'set') {
            top.set(o.key, o.value);
            m.set(keyString(o.key), o.value);
          } else if (o.kind === 'delete') {
            top.delete(o.key);
            m.delete(keyString(o.key));
          } else if (o.kind === 'branch') {
            stack.push(new CacheKV(top));
            models.push(new Map(m));
          } else if (stack.length > 1) {
            stack.pop()!.write();
            const committed = models.pop()!;
            models[models.length - 1] = committed;
          }
        }
        const top = stack[stack.length - 1]!;
        const m = models[models.length - 1]!;
        const [start, end] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
        const got = [...top.iterator(start, end, reverse)].map((p) => [keyString(p.key), Buffer.from(p.value).toString('hex')]);
        expect(got).toEqual(modelRange(m, start, end, reverse));
      }),
    );
  });
});

describe('CacheKV with cacheReads', () => {
  function countingParent() {
    const parent = memoryStore();
    parent.set(Uint8Array.of(1), Uint8Array.of(10));
    const reads: number[] = [];
    const reader = {
      get: (key: Uint8Array) => (reads.push(key[0]!), parent.get(key)),
      has: (key: Uint8Array) => (reads.push(key[0]!), parent.has(key)),
      iterator: parent.iterator.bind(parent),
    };
    return { reader, reads };
  }

  it('asks the parent once per key, absent keys included, and serves has() from the same lookup', () => {
    const { reader, reads } = countingParent();
    const cache = new CacheKV(reader, { cacheReads: true });
    expect(cache.has(Uint8Array.of(1))).toBe(true);
    expect(cache.get(Uint8Array.of(1))).toEqual(Uint8Array.of(10));
    expect(cache.get(Uint8Array.of(2))).toBeUndefined();
    expect(cache.has(Uint8Array.of(2))).toBe(false);
    expect(reads).toEqual([1, 2]);
  });

  it('lets its own writes and deletes win over what it read, and branches above it read through', () => {
    const { reader, reads } = countingParent();
    const cache = new CacheKV(reader, { cacheReads: true });
    expect(cache.get(Uint8Array.of(1))).toEqual(Uint8Array.of(10));
    cache.set(Uint8Array.of(1), Uint8Array.of(11));
    expect(cache.get(Uint8Array.of(1))).toEqual(Uint8Array.of(11));
    cache.delete(Uint8Array.of(1));
    expect(cache.has(Uint8Array.of(1))).toBe(false);
    const branch = new CacheKV(cache);
    expect(branch.get(Uint8Array.of(2))).toBeUndefined();
    expect(new CacheKV(cache).get(Uint8Array.of(2))).toBeUndefined();
    expect(reads).toEqual([1, 2]);
  });

  it('without the option, reads always reach the parent', () => {
    const { reader, reads } = countingParent();
    const cache = new CacheKV(reader);
    cache.get(Uint8Array.of(1));
    cache.get(Uint8Array.of(1));
    expect(reads).toEqual([1, 1]);
  });
});
