import type { KVReader } from '../store/types.js';
import { Coordinator, type ExecTask, type LogOp } from './coordinator.js';
import { runIncarnation, type IncarnationResult } from './incarnation.js';
import { MVMemory } from './mv-memory.js';
import { Prng } from './prng.js';
import { finishSequentially } from './fallback.js';
import type { BlockTask, ExecResult, Executor } from './types.js';

export interface SimulatorOptions {
  /** Virtual workers. */
  workers: number;
  /** Seeds the interleaving; the same seed replays the same schedule. */
  seed: number;
  /** Incarnation cap per tx before falling back to sequential execution. */
  maxIncarnations?: number;
  /** Tasks a virtual worker may hold at once (real workers are fed ahead too). */
  queueDepth?: number;
  /**
   * Abandon the run after this many results reached the coordinator, as the thread pool's
   * conflict bail-out does, and finish the block sequentially from its committed prefix.
   */
  abandonAfter?: number;
}

interface VirtualWorker {
  replica: MVMemory;
  /** Log position the replica has replayed up to. */
  cursor: number;
  queue: { task: ExecTask; logPos: number }[];
}

/**
 * Block-STM with N virtual workers in one thread, interleaved by a seeded PRNG: the production
 * coordinator (scheduler, authoritative multi-version memory, validation) driven exactly as the
 * worker-thread executor drives it, with every source of real-thread nondeterminism made explicit
 * and random:
 *  - when the coordinator hands out tasks and to which worker (with random queue depths);
 *  - when each worker runs its next task, against a replica that has caught up to a random log
 *    position between "what existed when the task was dispatched" and the current tail (a real
 *    worker reads the tail after the task arrived, while the coordinator keeps appending);
 *  - the order in which finished results reach the coordinator, across workers.
 * So CI on 2 cores covers schedules real threads rarely produce, reproducibly per seed.
 */
export class SimulatedExecutor implements Executor {
  constructor(private readonly opts: SimulatorOptions) {}

  execute<Out>(base: KVReader, task: BlockTask<Out>): ExecResult<Out> {
    const started = performance.now();
    const rng = new Prng(this.opts.seed);
    const n = task.count;
    const log: LogOp[] = [];
    const coord = new Coordinator<Out>(n, base, (op) => log.push(op), this.opts.maxIncarnations ?? 32, 'simulated', this.opts.workers);
    const depth = this.opts.queueDepth ?? (rng.next() < 0.5 ? 1 + rng.int(3) : 1 + rng.int(16));
    const workers: VirtualWorker[] = Array.from({ length: this.opts.workers }, () => ({ replica: new MVMemory(n), cursor: 0, queue: [] }));
    const inflight: IncarnationResult<Out>[] = [];
    // Per-run action weights, so different seeds stress different regimes (e.g. slow delivery).
    const wDispatch = 1 + rng.int(4);
    const wRun = 1 + rng.int(4);
    const wDeliver = 1 + rng.int(4);

    const assign = (t: ExecTask, preferred?: number) => {
      const w = preferred !== undefined && rng.next() < 0.5 ? preferred : rng.int(workers.length);
      workers[w]!.queue.push({ task: t, logPos: log.length });
    };

    let delivered = 0;
    const abandonAfter = this.opts.abandonAfter ?? Infinity;
    while (!coord.done && delivered < abandonAfter) {
      const canDispatch = workers.some((w) => w.queue.length < depth);
      const runnable = workers.filter((w) => w.queue.length > 0);
      const total = (canDispatch ? wDispatch : 0) + (runnable.length > 0 ? wRun : 0) + (inflight.length > 0 ? wDeliver : 0);
      if (total === 0) throw new Error('executor invariant: simulator reached a state with no work and no done marker');
      let pick = rng.next() * total;
      if (canDispatch && (pick -= wDispatch) < 0) {
        const t = coord.nextExecTask();
        if (t !== null) {
          const free = workers.map((w, i) => i).filter((i) => workers[i]!.queue.length < depth);
          workers[free[rng.int(free.length)]!]!.queue.push({ task: t, logPos: log.length });
        } else if (runnable.length === 0 && inflight.length === 0 && !coord.done) {
          throw new Error('executor invariant: no task to hand out, nothing running, yet not done');
        }
        continue;
      }
      if (runnable.length > 0 && (pick -= wRun) < 0) {
        const w = runnable[rng.int(runnable.length)]!;
        const { task: t, logPos } = w.queue.shift()!;
        const upTo = logPos + rng.int(log.length - logPos + 1);
        catchUp(w, log, Math.max(upTo, w.cursor));
        inflight.push(runIncarnation(w.replica, base, task, t.txIdx, t.inc));
        continue;
      }
      const r = inflight.splice(rng.int(inflight.length), 1)[0]!;
      delivered++;
      const follow = coord.onResult(r);
      if (follow !== null) assign(follow);
    }

    if (coord.capped || !coord.done) {
      const fallbackReason = coord.capped ? 'incarnation-cap' : 'abandoned';
      const { outputs, writes, kept } = finishSequentially(coord, base, task);
      const stats = { ...coord.stats, fellBackToSequential: true, fallbackReason, keptPrefix: kept, ms: performance.now() - started };
      return { outputs, writes, stats };
    }
    const { outputs, writes } = coord.finish();
    coord.stats.ms = performance.now() - started;
    return { outputs, writes, stats: coord.stats };
  }
}

/** Replays log ops into a worker's replica up to position `upTo`. */
export function catchUp(w: { replica: MVMemory; cursor: number }, log: readonly LogOp[], upTo: number): void {
  for (; w.cursor < upTo; w.cursor++) {
    const op = log[w.cursor]!;
    if (op.op === 'write') w.replica.applyWriteSet(op.txIdx, op.inc, op.keys, op.values);
    else w.replica.markEstimates(op.txIdx);
  }
}
