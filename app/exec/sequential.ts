import { CacheKV } from '../store/cache-kv.js';
import type { KVReader } from '../store/types.js';
import { emptyStats, TxRunError, type BlockTask, type ExecResult, type Executor } from './types.js';

/**
 * The reference executor: tx i runs on a write buffer over (base + writes of txs < i), and its
 * writes join the block state only when `run` returns. Every parallel executor must produce
 * exactly this (outputs and final writes); the property tests compare against it.
 */
export class SequentialExecutor implements Executor {
  execute<Out>(base: KVReader, task: BlockTask<Out>): ExecResult<Out> {
    const started = performance.now();
    const block = new CacheKV(base);
    const outputs: Out[] = new Array(task.count);
    for (let i = 0; i < task.count; i++) outputs[i] = runOne(block, task, i);
    const stats = emptyStats('sequential', task.count, 1);
    stats.executions = task.count;
    stats.ms = performance.now() - started;
    return { outputs, writes: block.changes(), stats };
  }
}

/** Runs tx `index` on a branch of `block` and keeps its writes unless it threw. */
export function runOne<Out>(block: CacheKV, task: BlockTask<Out>, index: number): Out {
  const view = new CacheKV(block);
  let out: Out;
  try {
    out = task.run(index, view);
  } catch (err) {
    if (!task.recover) throw new TxRunError(index, err);
    return task.recover(index, err);
  }
  view.write();
  return out;
}

export const sequentialExecutor = new SequentialExecutor();
