import { keyBytes } from '../store/bytes.js';
import type { KVChange, KVReader } from '../store/types.js';
import type { IncarnationResult } from './incarnation.js';
import { MVMemory } from './mv-memory.js';
import { Scheduler, TxStatus, type Task } from './scheduler.js';
import { emptyStats, TxRunError, type ExecStats } from './types.js';

/** A mutation of the multi-version memory, replayed by every worker's replica in log order. */
export type LogOp =
  { op: 'write'; txIdx: number; inc: number; keys: string[]; values: (Uint8Array | null)[] } | { op: 'estimate'; txIdx: number };

export interface ExecTask {
  txIdx: number;
  inc: number;
}

/**
 * The single thread that owns Block-STM's shared state: the scheduler, the authoritative
 * multi-version memory with every tx's read set, and the validations. Executions happen
 * elsewhere (virtual workers in the simulator, worker threads in production) against replicas
 * that may lag; that only costs aborts, never correctness, because:
 *  1. a tx's write set is appended to the log (`sink`) before the scheduler marks it EXECUTED
 *     and lowers validation_idx, and its ESTIMATEs before finish_validation lowers it;
 *  2. validation always reads this authoritative copy, so VALIDAFTER(j, k) holds as in the paper;
 *  3. a task is dispatched after everything it depends on is in the log, so a worker that
 *     catches up to the log tail before executing never loops on a resolved ESTIMATE.
 */
export class Coordinator<Out> {
  readonly scheduler: Scheduler;
  readonly mv: MVMemory;
  readonly outputs: (Out | undefined)[];
  private readonly errors: (string | undefined)[];
  readonly stats: ExecStats;
  /** Time spent validating read sets, ms (a phase of its own in the benchmark's breakdown). */
  validateMs = 0;

  constructor(
    readonly n: number,
    private readonly base: KVReader,
    private readonly sink: (op: LogOp) => void,
    private readonly maxIncarnations: number,
    executor: ExecStats['executor'],
    workers: number,
  ) {
    this.scheduler = new Scheduler(n);
    this.mv = new MVMemory(n);
    this.outputs = new Array(n);
    this.errors = new Array(n);
    this.stats = emptyStats(executor, n, workers);
  }

  /** Some tx went past the incarnation cap: the caller abandons the run and re-runs the block sequentially. */
  get capped(): boolean {
    return this.scheduler.maxIncarnation > this.maxIncarnations;
  }

  get done(): boolean {
    return this.scheduler.done || this.capped;
  }

  /** The next execution to hand out, running the validations met on the way; null = none right now. */
  nextExecTask(): ExecTask | null {
    const s = this.scheduler;
    while (!this.done) {
      if (s.executionIdx >= this.n && s.validationIdx >= this.n) {
        s.nextTask(); // lets check_done observe the end
        return null;
      }
      const task = s.nextTask();
      if (task === null) continue;
      const exec = task.kind === 'exec' ? task : this.validate(task);
      if (exec !== null) return { txIdx: exec.txIdx, inc: exec.inc };
    }
    return null;
  }

  /** Applies a finished incarnation; returns a follow-up execution (dependency resolved, or none). */
  onResult(r: IncarnationResult<Out>): ExecTask | null {
    const s = this.scheduler;
    if (r.kind === 'dep') {
      this.stats.dependencyWaits++;
      if (!s.addDependency(r.txIdx, r.blocking)) return { txIdx: r.txIdx, inc: r.inc }; // already re-executed: retry now
      return null;
    }
    this.stats.executions++;
    const wroteNew = this.mv.applyWriteSet(r.txIdx, r.inc, r.keys, r.values);
    this.mv.recordReads(r.txIdx, r.reads);
    this.sink({ op: 'write', txIdx: r.txIdx, inc: r.inc, keys: r.keys, values: r.values });
    this.outputs[r.txIdx] = r.output;
    this.errors[r.txIdx] = r.kind === 'threw' ? (r.error ?? 'unknown error') : undefined;
    const next = s.finishExecution(r.txIdx, r.inc, wroteNew);
    if (next === null) return null;
    const exec = this.validate(next);
    return exec === null ? null : { txIdx: exec.txIdx, inc: exec.inc };
  }

  /**
   * How many leading txs are final right now: every tx below it is EXECUTED and validation_idx
   * has passed it. Validation runs synchronously on this thread, so each of those txs was
   * validated after the last execution of every tx below it (any later abort below would have
   * lowered validation_idx again): nothing can change their outputs or writes any more. This is
   * Block-STM's commit rule; a run abandoned midway keeps this prefix (finishSequentially).
   */
  committedPrefix(): number {
    const s = this.scheduler;
    const limit = Math.min(s.validationIdx, this.n);
    let k = 0;
    while (k < limit && s.status[k] === TxStatus.Executed) k++;
    return k;
  }

  /**
   * Outputs and writes of the first `k` txs (k ≤ committedPrefix(), or all of them once the block
   * is done); throws TxRunError for the first that threw.
   */
  prefix(k: number): { outputs: Out[]; keys: string[]; values: (Uint8Array | null)[] } {
    for (let i = 0; i < k; i++) {
      if (this.errors[i] !== undefined) throw new TxRunError(i, new Error(this.errors[i]));
    }
    return { outputs: this.outputs.slice(0, k) as Out[], ...this.mv.snapshotBelow(k) };
  }

  /** Final outputs and sorted writes; throws TxRunError for the first tx whose final run threw. */
  finish(): { outputs: Out[]; writes: KVChange[] } {
    const { outputs, keys, values } = this.prefix(this.n);
    const writes: KVChange[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) writes[i] = { key: keyBytes(keys[i]!), value: values[i]! };
    return { outputs, writes };
  }

  /** A validation task (paper: needs_reexecution + finish_validation); may yield a re-execution. */
  private validate(task: Task): Task | null {
    const s = this.scheduler;
    this.stats.validations++;
    const started = performance.now();
    const valid = this.mv.validate(task.txIdx, this.base);
    this.validateMs += performance.now() - started;
    const aborted = !valid && s.tryValidationAbort(task.txIdx, task.inc);
    if (aborted) {
      this.stats.aborts++;
      this.mv.markEstimates(task.txIdx);
      this.sink({ op: 'estimate', txIdx: task.txIdx });
    }
    return s.finishValidation(task.txIdx, aborted);
  }
}
