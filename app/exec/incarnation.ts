import type { KVReader } from '../store/types.js';
import { coveredPrefix, type MVMemory, type ReadSet } from './mv-memory.js';
import { MVView } from './mv-view.js';
import type { BlockTask } from './types.js';

/**
 * What one incarnation produced, as plain data (it crosses the worker → coordinator boundary):
 *  - 'ok': `output` plus the write set (empty when `run` threw and `recover` produced the output);
 *  - 'threw': `run` threw and the task has no `recover` (only `error` is kept);
 *  - 'dep': it met an ESTIMATE of tx `blocking` and stopped.
 */
export interface IncarnationResult<Out> {
  txIdx: number;
  inc: number;
  kind: 'ok' | 'threw' | 'dep';
  blocking: number;
  output: Out | undefined;
  error: string | undefined;
  keys: string[];
  values: (Uint8Array | null)[];
  reads: ReadSet;
}

/** Runs incarnation `inc` of tx `txIdx` against `mv` (a replica is fine: validation is authoritative). */
export function runIncarnation<Out>(
  mv: MVMemory,
  base: KVReader,
  task: BlockTask<Out>,
  txIdx: number,
  inc: number,
): IncarnationResult<Out> {
  const view = new MVView(mv, base, txIdx);
  let output: Out | undefined;
  let threw = false;
  let error: unknown;
  try {
    output = task.run(txIdx, view);
  } catch (err) {
    threw = true;
    error = err;
  }
  const reads = view.reads;
  for (const range of reads.ranges) {
    const n = coveredPrefix(range.keys, range);
    if (n < range.keys.length) {
      range.keys = range.keys.slice(0, n);
      range.versions = range.versions.slice(0, n);
    }
  }
  const result: IncarnationResult<Out> = {
    txIdx,
    inc,
    kind: 'ok',
    blocking: -1,
    output: undefined,
    error: undefined,
    keys: [],
    values: [],
    reads,
  };
  if (view.poisoned !== null) {
    // Checked even when `run` returned: a handler may have swallowed the signal.
    result.kind = 'dep';
    result.blocking = view.poisoned.blocking;
    return result;
  }
  if (threw) {
    if (task.recover === undefined) {
      result.kind = 'threw';
      result.error = error instanceof Error ? error.message : String(error);
      return result;
    }
    result.output = task.recover(txIdx, error);
    return result;
  }
  result.output = output;
  const ws = view.writeSet();
  result.keys = ws.keys;
  result.values = ws.values;
  return result;
}
