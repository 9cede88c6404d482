/**
 * The generic task module on real worker threads: each worker imports the chain's entry script,
 * whose runCli(spec) only registers the spec there, and composes that chain; an entry that
 * registers no spec stops the pool from starting with a message that says what to do.
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ParallelExecutor } from './exec/parallel.js';
import { repoRoot } from './node/cometbft.js';
import { chainEntryTaskModule } from './node/parallel-executor.js';

const entryUrl = (rel: string) => pathToFileURL(path.join(repoRoot(), rel)).href;

describe('app/chain-entry-task.ts', () => {
  it("starts every worker on the notes chain's entry script without starting its CLI", async () => {
    const pool = await ParallelExecutor.create({ workers: 2, taskModule: chainEntryTaskModule(entryUrl('examples/notes/chain.ts')) });
    try {
      expect(pool.workers).toBe(2);
      expect(pool.failure).toBeUndefined();
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('refuses an entry that registers no ChainSpec, saying what to do', async () => {
    // The notes module itself: it imports the runtime but never calls runCli.
    const notRunningCli = entryUrl('examples/notes/module.ts');
    await expect(ParallelExecutor.create({ workers: 2, taskModule: chainEntryTaskModule(notRunningCli) })).rejects.toThrow(
      /ChainSpecNotRegisteredError: the chain entry .*module\.ts registered no ChainSpec .*call runCli\(spec\) at the top level/,
    );
  }, 60_000);
});
