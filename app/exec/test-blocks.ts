import fc from 'fast-check';
import { keyString } from '../store/bytes.js';
import { memoryStore } from '../store/cache-kv.js';
import type { KVChange } from '../store/types.js';
import { Prng } from './prng.js';
import { encodeInt, type Op, type SyntheticBlock, type TxProgram } from './synthetic.js';

/**
 * fast-check generators of random blocks for the differential tests (simulator and worker
 * threads): read-modify-writes over 2..100k keys, hot keys, same-sender chains, range sums over a
 * prefix, conditional (value-dependent) writes, deletes, `has`, panics, out-of-gas after reads.
 */
export interface GeneratedBlock {
  keys: number;
  /** Which keys the base state holds, and their values (deterministic from the seed). */
  baseSeed: number;
  baseFill: number;
  block: SyntheticBlock;
}

const key = (n: number) => `k/${n}`;

export function opArb(keys: number): fc.Arbitrary<Op> {
  // Hot keys: a third of the picks hit key 0..2.
  const k = fc
    .oneof(fc.integer({ min: 0, max: Math.min(2, keys - 1) }), fc.integer({ min: 0, max: keys - 1 }), fc.integer({ min: 0, max: keys - 1 }))
    .map(key);
  const prefix = fc.oneof(
    fc.constant('k/'),
    fc.integer({ min: 0, max: 9 }).map((d) => `k/${d}`),
    fc.integer({ min: 10, max: 99 }).map((d) => `k/${d}`),
  );
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ t: fc.constant('rmw' as const), key: k, delta: fc.integer({ min: -5, max: 20 }) }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('transfer' as const), from: k, to: k, amount: fc.integer({ min: 0, max: 40 }) }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('read' as const), key: k }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('has' as const), key: k }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('put' as const), key: k, value: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('del' as const), key: k }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('sum' as const),
        prefix,
        into: fc.integer({ min: 0, max: 4 }).map((n) => `sum/${n}`),
        limit: fc.integer({ min: 1, max: 30 }),
        reverse: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        t: fc.constant('cond' as const),
        key: k,
        threshold: fc.integer({ min: 0, max: 30 }),
        target: k,
        value: fc.integer({ min: 0, max: 9 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ t: 'throw' as const }) },
  );
}

export function txArb(keys: number): fc.Arbitrary<TxProgram> {
  const sender = fc.integer({ min: 0, max: 3 }).map((s) => ({ t: 'rmw' as const, key: `seq/${s}`, delta: 1 }));
  return fc.record({
    // Same-sender chains: most txs start by bumping one of 4 sender sequences.
    ops: fc
      .tuple(fc.option(sender, { freq: 2 }), fc.array(opArb(keys), { minLength: 1, maxLength: 6 }))
      .map(([s, ops]) => (s ? [s, ...ops] : ops)),
    // Mostly generous, sometimes tight: out of gas after some reads.
    gasLimit: fc.oneof({ weight: 4, arbitrary: fc.constant(10_000) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 12 }) }),
  });
}

export function blockArb(maxTxs = 60): fc.Arbitrary<GeneratedBlock> {
  const keys = fc.oneof(fc.integer({ min: 2, max: 10 }), fc.integer({ min: 11, max: 200 }), fc.integer({ min: 201, max: 100_000 }));
  return keys.chain((n) =>
    fc.record({
      keys: fc.constant(n),
      baseSeed: fc.integer(),
      baseFill: fc.double({ min: 0, max: 1, noNaN: true }),
      // size 'max': fast-check's default size would keep arrays at ~10 elements.
      block: fc.record({ txs: fc.array(txArb(n), { minLength: 1, maxLength: maxTxs, size: 'max' }) }),
    }),
  );
}

/** The base state of a generated block: a seeded subset of the keys (at most 2000 of them). */
export function baseOf(g: GeneratedBlock) {
  const store = memoryStore();
  const rng = new Prng(g.baseSeed);
  const limit = Math.min(g.keys, 2000);
  for (let i = 0; i < limit; i++) if (rng.next() < g.baseFill) store.set(new TextEncoder().encode(key(i)), encodeInt(rng.int(60)));
  return store;
}

/** Writes as comparable plain data. */
export function writesText(writes: readonly KVChange[]): [string, string | null][] {
  return writes.map((w) => [keyString(w.key), w.value === null ? null : Buffer.from(w.value).toString('latin1')]);
}
