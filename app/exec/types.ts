import type { KVChange, KVReader, KVStore } from '../store/types.js';

/**
 * What an executor runs: tx `index` against a view of the state as of the txs before it.
 *
 * `run` must be a deterministic function of `index` and the values it reads through `view` (no
 * clock, randomness or state outside the view). It normally returns its result even when the tx
 * fails (baseapp's runTx never throws). If it throws anyway, the incarnation's writes are dropped
 * and its output is `recover(index, error)`; without `recover` the executor throws a
 * {@link TxRunError} for the first such tx of the block (sequential and parallel alike).
 *
 * Under Block-STM `run` can be re-run several times and may observe inconsistent speculative
 * state: every throw of a speculative run is caught, and validation decides what counts. Catching
 * and swallowing the executor's own {@link DependencyAbort} is harmless (the view stays poisoned
 * and the executor checks it), but rethrowing it with {@link isExecutorAbort} saves work.
 */
export interface BlockTask<Out> {
  readonly count: number;
  run(index: number, view: KVStore): Out;
  recover?(index: number, error: unknown): Out;
  /**
   * Everything `run` depends on, as plain data (header, raw txs): what a parallel executor sends
   * to its worker threads, which rebuild `run` from it with their task module. The sequential
   * executor ignores it.
   */
  readonly payload?: unknown;
}

export interface ExecStats {
  executor: 'sequential' | 'simulated' | 'workers';
  txs: number;
  /**
   * Incarnations run to the end (includes ones later found invalid), plus the txs a fallback ran
   * sequentially: never below `txs`, so `executions - txs` counts the re-executions.
   */
  executions: number;
  /** Read-set validations performed. */
  validations: number;
  /** Validations that failed and aborted an incarnation. */
  aborts: number;
  /** Incarnations stopped early because they read an ESTIMATE of a lower tx. */
  dependencyWaits: number;
  /** The parallel run hit the incarnation cap (or an internal error) and the block was re-run sequentially. */
  fellBackToSequential: boolean;
  /**
   * Why: 'incarnation-cap', 'conflicts' (bail-out ratio), or a worker failure; or, on a block run
   * sequentially by choice right after conflict bail-outs, 'conflict-backoff'.
   */
  fallbackReason?: string;
  workers: number;
  /** Worker-thread executor: how many of `executions` (plus dependency stops) ran on the coordinating thread itself. */
  mainThreadRuns?: number;
  /** After a fallback: leading txs whose parallel results were final and kept; only the rest ran sequentially. */
  keptPrefix?: number;
  /** Wall time of the whole block, ms. */
  ms: number;
  /** Worker-thread executor: where the time went, ms (see PhaseTimes). */
  phases?: PhaseTimes;
}

/**
 * Time per phase of a Block-STM block on worker threads. The coordinating thread's wall time is
 * split into what it did: running txs itself, coordinating (scheduler, recording results,
 * validation, log appends, messages), waiting for workers, and the sequential tail after a
 * fallback; `workersExecuteMs` is the time the worker threads spent running txs and `workersIdleMs`
 * the time they waited for one (each summed over them).
 */
export interface PhaseTimes {
  mainExecuteMs: number;
  validateMs: number;
  coordinateMs: number;
  waitMs: number;
  sequentialTailMs: number;
  workersExecuteMs: number;
  /** Worker threads waiting for a task while the block ran (summed over them). */
  workersIdleMs: number;
}

export interface ExecResult<Out> {
  outputs: Out[];
  /** The block's final writes, sorted by key (`value: null` = delete). */
  writes: KVChange[];
  stats: ExecStats;
}

export interface Executor {
  execute<Out>(base: KVReader, task: BlockTask<Out>): ExecResult<Out>;
}

/** Thrown by `execute` when a tx's `run` threw in its final incarnation and the task has no `recover`. */
export class TxRunError extends Error {
  constructor(
    readonly index: number,
    override readonly cause: unknown,
  ) {
    super(`tx ${index} threw while executing: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'TxRunError';
  }
}

/**
 * The executor's private signal: the incarnation read an ESTIMATE left by tx `blocking`, so it
 * is stopped and resumed after `blocking` re-executes. Never an output.
 */
export class DependencyAbort extends Error {
  constructor(readonly blocking: number) {
    super(`executor: waiting for tx ${blocking} (rethrow this; it is not a tx failure)`);
    this.name = 'DependencyAbort';
  }
}

export function isExecutorAbort(err: unknown): err is DependencyAbort {
  return err instanceof DependencyAbort;
}

export function emptyStats(executor: ExecStats['executor'], txs: number, workers: number): ExecStats {
  return {
    executor,
    txs,
    executions: 0,
    validations: 0,
    aborts: 0,
    dependencyWaits: 0,
    fellBackToSequential: false,
    workers,
    ms: 0,
  };
}
