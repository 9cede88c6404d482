/**
 * One node for in-process benchmarks: a fresh LMDB store in a temporary folder and a BaseApp over
 * it, with the sequential executor (`workers: 1`) or Block-STM on worker threads (more), wired as
 * `parazone start` wires them (signatures not verified at CheckTx are verified on the pool).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { composeChain } from '../../app/app.js';
import { BaseApp } from '../../app/baseapp/baseapp.js';
import type { Executor } from '../../app/exec/types.js';
import { NodeParallelExecutor } from '../../app/node/parallel-executor.js';
import { CommitStore } from '../../app/store/commit-store.js';

export interface BenchNode {
  readonly app: BaseApp;
  /** Re-executions and fallbacks of the parallel executor since the node opened (zero when sequential). */
  readonly stats: { reexecutions: number; fallbacks: number };
  close(): Promise<void>;
}

export async function openBenchNode(options: { genesis: RequestInitChain; workers: number }): Promise<BenchNode> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-bench-'));
  const store = CommitStore.open(dir);
  const chain = composeChain();
  const parallel = options.workers > 1 ? await NodeParallelExecutor.create({ store, dir, workers: options.workers }) : undefined;
  const stats = { reexecutions: 0, fallbacks: 0 };
  const executor: Executor | undefined = parallel && {
    execute(base, task) {
      const out = parallel.execute(base, task);
      if (out.stats.fellBackToSequential) stats.fallbacks++;
      return out;
    },
  };
  const app = new BaseApp({
    ...chain,
    store,
    executor,
    observer: { blockFinalized: (info) => void (stats.reexecutions += info.reexecutions) },
    preverified: parallel
      ? { cache: chain.signatureCache, checks: chain.signatureChecks, verify: (items) => parallel.verifySignatures(items) }
      : undefined,
  });
  app.initChain(options.genesis);
  return {
    app,
    stats,
    async close() {
      await parallel?.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
