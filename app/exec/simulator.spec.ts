import fc from 'fast-check';
import { memoryStore } from '../store/cache-kv.js';
import { utf8 } from '../store/bytes.js';
import { SequentialExecutor } from './sequential.js';
import { SimulatedExecutor } from './simulator.js';
import { syntheticTask, transferBlock, genesis, type SyntheticBlock } from './synthetic.js';
import { baseOf, blockArb, writesText } from './test-blocks.js';
import { TxRunError, type BlockTask } from './types.js';

const sequential = new SequentialExecutor();

function expectSame(base: ReturnType<typeof memoryStore>, block: SyntheticBlock, workers: number, seed: number, maxIncarnations?: number) {
  const want = sequential.execute(base, syntheticTask(block));
  const got = new SimulatedExecutor({ workers, seed, maxIncarnations }).execute(base, syntheticTask(block));
  expect(got.outputs).toEqual(want.outputs);
  expect(writesText(got.writes)).toEqual(writesText(want.writes));
  return got;
}

describe('SimulatedExecutor (Block-STM, seeded interleavings) equals sequential execution', () => {
  it('on random blocks, for many seeds and worker counts', () => {
    fc.assert(
      fc.property(blockArb(), fc.integer(), fc.constantFrom(1, 2, 3, 4, 8, 16), (g, seed, workers) => {
        expectSame(baseOf(g), g.block, workers, seed);
      }),
      { numRuns: 400, seed: 20261124 },
    );
  });

  it('on one contended block under 200 different schedules', () => {
    const g = fc.sample(blockArb(120), { numRuns: 1, seed: 7 })[0]!;
    for (let seed = 0; seed < 200; seed++) expectSame(baseOf(g), g.block, 1 + (seed % 8), seed);
  });

  it('re-executes when txs conflict and waits on ESTIMATEs', () => {
    // Two accounts: every tx conflicts with the previous one.
    const block = transferBlock({ accounts: 2, txs: 300, seed: 1, hotKey: true });
    let sawAbortOrWait = false;
    for (let seed = 0; seed < 20; seed++) {
      const r = expectSame(genesis(2), block, 4, seed);
      if (r.stats.aborts + r.stats.dependencyWaits > 0) sawAbortOrWait = true;
      expect(r.stats.fellBackToSequential).toBe(false);
    }
    expect(sawAbortOrWait).toBe(true);
  });

  it('abandoned at any moment, keeps the committed prefix and finishes sequentially with the same result', () => {
    let keptSome = 0;
    let keptAll = 0;
    fc.assert(
      fc.property(blockArb(), fc.integer(), fc.constantFrom(1, 2, 3, 8), fc.nat(200), (g, seed, workers, abandonAfter) => {
        const base = baseOf(g);
        const want = sequential.execute(base, syntheticTask(g.block));
        const got = new SimulatedExecutor({ workers, seed, abandonAfter }).execute(base, syntheticTask(g.block));
        expect(got.outputs).toEqual(want.outputs);
        expect(writesText(got.writes)).toEqual(writesText(want.writes));
        if (got.stats.fellBackToSequential) {
          expect(got.stats.fallbackReason).toBe('abandoned');
          expect(got.stats.keptPrefix).toBeLessThanOrEqual(g.block.txs.length);
          if (got.stats.keptPrefix! > 0) keptSome++;
          if (got.stats.keptPrefix === g.block.txs.length) keptAll++;
        }
      }),
      { numRuns: 400, seed: 20261125 },
    );
    // The property is not vacuous: prefixes were kept, partly and (all validated, not yet "done") wholly.
    expect(keptSome).toBeGreaterThan(50);
    expect(keptAll).toBeGreaterThan(0);
  });

  it('falls back to sequential past the incarnation cap, with the same result', () => {
    const block = transferBlock({ accounts: 2, txs: 200, seed: 2 });
    const r = expectSame(genesis(2), block, 8, 3, 1);
    expect(r.stats.fellBackToSequential).toBe(true);
  });

  it('reports a tx whose final run throws (no recover) exactly like sequential', () => {
    const task: BlockTask<number> = {
      count: 20,
      run(i, view) {
        const k = utf8('x');
        const v = (view.get(k)?.[0] ?? 0) + 1;
        view.set(k, Uint8Array.of(v));
        if (v === 13) throw new Error('boom');
        return v;
      },
    };
    expect(() => sequential.execute(memoryStore(), task)).toThrow(TxRunError);
    for (let seed = 0; seed < 10; seed++) {
      let err: unknown;
      try {
        new SimulatedExecutor({ workers: 4, seed }).execute(memoryStore(), task);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TxRunError);
      expect((err as TxRunError).index).toBe(12);
    }
  });

  it('is deterministic per seed (same schedule, same stats)', () => {
    const block = transferBlock({ accounts: 10, txs: 200, seed: 5 });
    const a = new SimulatedExecutor({ workers: 4, seed: 42 }).execute(genesis(10), syntheticTask(block));
    const b = new SimulatedExecutor({ workers: 4, seed: 42 }).execute(genesis(10), syntheticTask(block));
    expect({ ...a.stats, ms: 0 }).toEqual({ ...b.stats, ms: 0 });
  });

  it('handles an empty block', () => {
    const r = new SimulatedExecutor({ workers: 2, seed: 1 }).execute(memoryStore(), syntheticTask({ txs: [] }));
    expect(r.outputs).toEqual([]);
    expect(r.writes).toEqual([]);
  });
});
