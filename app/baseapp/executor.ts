import { CacheKV } from '../store/cache-kv.js';
import type { KVChange, KVReader, KVStore } from '../store/types.js';

/** A block's worth of work for an executor: tx `index` runs against a view of state. */
export interface BlockTask<Out> {
  readonly count: number;
  run(index: number, view: KVStore): Out;
  /**
   * Everything `run` depends on, as plain data (header, raw txs): what a parallel executor sends
   * to worker threads, which rebuild `run` from it. Sequential execution ignores it.
   */
  readonly payload?: unknown;
}

export interface BlockExecution<Out> {
  outputs: Out[];
  /** Final writes of the whole block, sorted by key. */
  writes: KVChange[];
  /** How much work it took: `executions - txs` is the re-executions a parallel run needed. */
  stats?: { executions: number; txs: number };
}

/**
 * Runs a block's txs against `base`. Implementations must commit exactly what running them one
 * by one in block order would (app/exec has the parallel one).
 */
export interface BlockExecutor {
  execute<Out>(base: KVReader, task: BlockTask<Out>): BlockExecution<Out>;
}

/** The reference executor: tx i sees the writes of txs 0..i-1. */
export const sequentialExecutor: BlockExecutor = {
  execute<Out>(base: KVReader, task: BlockTask<Out>): BlockExecution<Out> {
    const block = new CacheKV(base);
    const outputs: Out[] = [];
    for (let i = 0; i < task.count; i++) {
      const view = new CacheKV(block);
      outputs.push(task.run(i, view));
      view.write();
    }
    return { outputs, writes: block.changes() };
  },
};
