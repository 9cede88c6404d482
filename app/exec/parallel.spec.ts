import fc from 'fast-check';
import { ParallelExecutor } from './parallel.js';
import { SharedSnapshot } from './portable-base.js';
import { SequentialExecutor } from './sequential.js';
import { genesis, syntheticTask, transferBlock, type SyntheticBlock } from './synthetic.js';
import { baseOf, blockArb, writesText } from './test-blocks.js';
import type { KVReader } from '../store/types.js';

const taskModule = { url: new URL('./synthetic.ts', import.meta.url).href, exportName: 'syntheticTask' };
const sequential = new SequentialExecutor();
const portable = (block: SyntheticBlock) => ({ ...syntheticTask(block), payload: block });

describe('ParallelExecutor (Block-STM on worker_threads) equals sequential execution', () => {
  let pool2: ParallelExecutor;
  let pool4: ParallelExecutor;
  beforeAll(async () => {
    // Exercise the threads on every block: no small-block shortcut, no conflict bail-out.
    const always = { minParallelTxs: 0, conflictBailout: { after: 0, ratio: Infinity } };
    [pool2, pool4] = await Promise.all([
      ParallelExecutor.create({ workers: 2, taskModule, ...always }),
      ParallelExecutor.create({ workers: 4, taskModule, queueDepth: 2, mainExecutes: false, ...always }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([pool2?.close(), pool4?.close()]);
  });

  function expectSame(pool: ParallelExecutor, base: KVReader, block: SyntheticBlock) {
    const want = sequential.execute(base, syntheticTask(block));
    const got = pool.execute(base, portable(block));
    expect(got.outputs).toEqual(want.outputs);
    expect(writesText(got.writes)).toEqual(writesText(want.writes));
    return got;
  }

  it('on random blocks (real threads: main + 1 worker; pure coordinator + 3 workers)', () => {
    fc.assert(
      fc.property(blockArb(80), (g) => {
        const base = SharedSnapshot.of(baseOf(g));
        expectSame(pool2, base, g.block);
        expectSame(pool4, base, g.block);
      }),
      { numRuns: 60, seed: 424242 },
    );
  });

  it('on a contended block repeated 20 times (races between real threads)', () => {
    const base = SharedSnapshot.of(genesis(3));
    const block = transferBlock({ accounts: 3, txs: 400, seed: 9, hotKey: true });
    let conflicts = 0;
    for (let i = 0; i < 20; i++) {
      const r = expectSame(i % 2 ? pool2 : pool4, base, block);
      conflicts += r.stats.aborts + r.stats.dependencyWaits;
      expect(r.stats.executor).toBe('workers');
    }
    expect(conflicts).toBeGreaterThan(0);
  });

  it('on a larger low-conflict block, with a non-portable base snapshotted on the fly', () => {
    const r = expectSame(pool2, genesis(10_000), transferBlock({ accounts: 10_000, txs: 3_000, seed: 4 }));
    expect(r.stats.executions).toBeGreaterThanOrEqual(3_000);
    // Time per phase is accounted: both threads ran txs, and the parts fit in the block's wall time.
    const p = r.stats.phases!;
    expect(p.mainExecuteMs + p.workersExecuteMs).toBeGreaterThan(0);
    expect(p.mainExecuteMs + p.validateMs + p.coordinateMs + p.waitMs).toBeLessThanOrEqual(r.stats.ms + 1);
  });

  it('falls back to sequential past the incarnation cap with the same result', async () => {
    const capped = await ParallelExecutor.create({
      workers: 2,
      taskModule,
      maxIncarnations: 0,
      conflictBailout: { after: 0, ratio: Infinity },
    });
    try {
      const r = expectSame(capped, SharedSnapshot.of(genesis(2)), transferBlock({ accounts: 2, txs: 300, seed: 3 }));
      expect(r.stats.fellBackToSequential).toBe(true);
      expect(r.stats.fallbackReason).toBe('incarnation-cap');
      // The sequential tail's runs count: every tx ran at least once, re-executions are never negative.
      expect(r.stats.executions).toBeGreaterThanOrEqual(r.stats.txs);
    } finally {
      await capped.close();
    }
  });

  it('bails out to sequential on a mostly-serial block (default options), same result', async () => {
    const pool = await ParallelExecutor.create({ workers: 2, taskModule });
    try {
      const r = expectSame(pool, SharedSnapshot.of(genesis(2)), transferBlock({ accounts: 2, txs: 2_000, seed: 3 }));
      expect(r.stats).toMatchObject({ fellBackToSequential: true, fallbackReason: 'conflicts' });
      // The txs the parallel attempt had already settled are kept, not run again.
      expect(r.stats.keptPrefix).toBeGreaterThan(0);
      expect(r.stats.executions).toBeGreaterThanOrEqual(r.stats.txs);
      expect(r.stats.phases!.sequentialTailMs).toBeGreaterThan(0);
      // Small blocks skip the threads altogether.
      expect(expectSame(pool, genesis(10), transferBlock({ accounts: 10, txs: 5, seed: 1 })).stats.executor).toBe('sequential');
    } finally {
      await pool.close();
    }
  });

  it('after a conflict bail-out, runs the next blocks sequentially (doubling backoff), then tries threads again', async () => {
    const pool = await ParallelExecutor.create({
      workers: 2,
      taskModule,
      conflictBailout: { after: 16, ratio: 0 },
      conflictBackoff: { maxBlocks: 2 },
    });
    try {
      const serial = SharedSnapshot.of(genesis(2));
      const block = transferBlock({ accounts: 2, txs: 400, seed: 5 });
      const reasons: (string | undefined)[] = [];
      for (let i = 0; i < 8; i++) reasons.push(expectSame(pool, serial, block).stats.fallbackReason);
      // ratio 0 bails out on the first conflict (2 accounts: practically every attempt):
      // bail, back off 1 block, bail, back off 2, bail, back off 2 (the cap), bail.
      const expected: (string | undefined)[] = [];
      let skip = 0;
      let next = 1;
      for (const reason of reasons) {
        if (skip > 0) {
          expected.push('conflict-backoff');
          skip--;
        } else {
          expected.push(reason === 'conflicts' ? 'conflicts' : undefined);
          if (reason === 'conflicts') [skip, next] = [Math.min(next, 2), Math.min(next * 2, 2)];
          else next = 1;
        }
      }
      expect(reasons).toEqual(expected);
      expect(reasons.filter((r) => r === 'conflicts').length).toBeGreaterThanOrEqual(2);
    } finally {
      await pool.close();
    }
  });

  it('with workers = 1 runs the plain sequential path', async () => {
    const one = await ParallelExecutor.create({ workers: 1, taskModule });
    const r = expectSame(one, genesis(5), transferBlock({ accounts: 5, txs: 50, seed: 1 }));
    expect(r.stats.executor).toBe('sequential');
    await one.close();
  });
});

describe('ParallelExecutor failure paths', () => {
  const faultyModule = { url: new URL('./test-fixtures.ts', import.meta.url).href, exportName: 'faultyTask' };
  const always = { minParallelTxs: 0, conflictBailout: { after: 0, ratio: Infinity } };

  it.each(['crash', 'hang'] as const)(
    'worker fault "%s": the block is re-run sequentially, the pool stops using threads',
    async (fault) => {
      const pool = await ParallelExecutor.create({ workers: 2, taskModule: faultyModule, watchdogMs: 500, ...always });
      try {
        const block = { ...transferBlock({ accounts: 50, txs: 200, seed: 8 }), fault };
        const base = SharedSnapshot.of(genesis(50));
        const want = new SequentialExecutor().execute(base, syntheticTask(block));
        const got = pool.execute(base, { ...syntheticTask(block), payload: block });
        expect(got.outputs).toEqual(want.outputs);
        expect(writesText(got.writes)).toEqual(writesText(want.writes));
        expect(got.stats.fellBackToSequential).toBe(true);
        expect(got.stats.executions).toBeGreaterThanOrEqual(got.stats.txs);
        expect(pool.failure).toMatch(fault === 'crash' ? /worker cannot build this block/ : /watchdog/);
        expect(pool.execute(base, { ...syntheticTask(block), payload: block }).stats.executor).toBe('sequential');
      } finally {
        await pool.close();
      }
    },
  );
});

describe('ParallelExecutor with an LMDB base opened by each worker', () => {
  it('reads the committed state concurrently from every thread and matches sequential', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { open } = await import('lmdb');
    const { LmdbReader } = await import('./test-fixtures.js');
    const { OverlayBase } = await import('./portable-base.js');
    const dir = mkdtempSync(join(tmpdir(), 'exec-lmdb-'));
    const writer = open<Buffer, Buffer>({ path: dir, keyEncoding: 'binary', encoding: 'binary' });
    const src = genesis(300);
    await writer.transaction(() => {
      for (const { key, value } of src.iterator(undefined, undefined)) writer.put(Buffer.from(key), Buffer.from(value));
    });
    await writer.close();
    const reader = LmdbReader.open({ path: dir });
    const pool = await ParallelExecutor.create({
      workers: 3,
      taskModule,
      minParallelTxs: 0,
      conflictBailout: { after: 0, ratio: Infinity },
    });
    try {
      const block = transferBlock({ accounts: 300, txs: 1_500, seed: 12 });
      block.txs.push({ ops: [{ t: 'sum', prefix: 'bal/0000', into: 'sum/x', limit: 50, reverse: true }], gasLimit: 1_000 });
      const want = new SequentialExecutor().execute(reader, syntheticTask(block));
      const got = pool.execute(reader, { ...syntheticTask(block), payload: block });
      expect(got.stats.executor).toBe('workers');
      expect(got.outputs).toEqual(want.outputs);
      expect(writesText(got.writes)).toEqual(writesText(want.writes));
      // Pending changes (e.g. BeginBlock's) over the LMDB state reach the workers as an overlay.
      const overlay = new OverlayBase(reader, [{ key: Buffer.from('bal/000007'), value: null }]);
      const want2 = new SequentialExecutor().execute(overlay, syntheticTask(block));
      const got2 = pool.execute(overlay, { ...syntheticTask(block), payload: block });
      expect(got2.outputs).toEqual(want2.outputs);
      expect(writesText(got2.writes)).toEqual(writesText(want2.writes));
    } finally {
      await pool.close();
      await reader.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
