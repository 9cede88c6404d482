import { keyBytes } from '../store/bytes.js';
import { CacheKV } from '../store/cache-kv.js';
import type { KVChange, KVReader } from '../store/types.js';
import type { Coordinator } from './coordinator.js';
import { runOne } from './sequential.js';
import type { BlockTask } from './types.js';

/**
 * Finishes a block whose Block-STM run was abandoned (incarnation cap, conflict bail-out, a failed
 * worker): the committed prefix is kept as it is, and only the txs after it run one by one on top
 * of its writes. Throwing the parallel work away instead would make a bail-out cost the parallel
 * attempt plus a whole sequential block; with the prefix kept, a block that turns out to be
 * serial costs little more than running it sequentially from the start.
 *
 * Same outputs and writes as the sequential executor: the prefix is final (Coordinator.
 * committedPrefix), and the rest is the sequential executor's own loop over (base + prefix).
 * Each tail run counts in `coord.stats.executions`: every tx then ran at least once, so
 * `executions - txs` stays the re-executions (it went negative when a block fell back early).
 */
export function finishSequentially<Out>(
  coord: Coordinator<Out>,
  base: KVReader,
  task: BlockTask<Out>,
): { outputs: Out[]; writes: KVChange[]; kept: number } {
  const kept = coord.committedPrefix();
  const prefix = coord.prefix(kept);
  const block = new CacheKV(base);
  for (let i = 0; i < prefix.keys.length; i++) {
    const value = prefix.values[i]!;
    if (value === null) block.delete(keyBytes(prefix.keys[i]!));
    else block.set(keyBytes(prefix.keys[i]!), value);
  }
  const outputs: Out[] = prefix.outputs;
  outputs.length = task.count;
  for (let i = kept; i < task.count; i++) outputs[i] = runOne(block, task, i);
  coord.stats.executions += task.count - kept;
  return { outputs, writes: block.changes(), kept };
}
