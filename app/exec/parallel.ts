import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { KVReader } from '../store/types.js';
import { Coordinator, type ExecTask } from './coordinator.js';
import { finishSequentially } from './fallback.js';
import { runIncarnation, type IncarnationResult } from './incarnation.js';
import { isPortableBase, SharedSnapshot, type BaseDescriptor } from './portable-base.js';
import { SequentialExecutor } from './sequential.js';
import { encodeSigBatch, verifyRange, type AnySigItem } from './signatures.js';
import type { BlockTask, ExecResult, Executor, PhaseTimes } from './types.js';
import { SharedLogWriter } from './write-log.js';
import { CTRL_GEN, CTRL_MAIN, ctrlSlots, ctrlWorker, spinThenWait, type TaskModuleRef } from './worker-protocol.js';

/**
 * A task the worker threads can rebuild: `payload` is structured-cloned to every worker, which
 * calls the pool's task factory (`taskModule`) on it. `run`/`recover` on the main thread must be
 * what that factory returns for the same payload (the main thread uses them for the sequential
 * fallback).
 */
export interface PortableTask<Out> extends BlockTask<Out> {
  readonly payload: unknown;
}

export interface ParallelOptions {
  /**
   * Threads that execute txs, this one included (it also coordinates): `workers - 1` worker
   * threads are spawned. Default os.availableParallelism(). 1 = plain sequential execution.
   */
  workers?: number;
  /** Module + export that builds a BlockTask from a payload, imported by every worker. */
  taskModule: TaskModuleRef;
  /** Incarnation cap per tx before the block is re-run sequentially (default 32). */
  maxIncarnations?: number;
  /** Execution tasks queued per worker at once; hides message latency and the coordinator being descheduled (default 16). */
  queueDepth?: number;
  /** No message from any worker for this long → give up on the pool for this block, run it sequentially (default 30 s). */
  watchdogMs?: number;
  /** Blocks with fewer txs run sequentially: setting up the workers costs more than it saves (default 4 × workers). */
  minParallelTxs?: number;
  /**
   * Abandon the parallel run and execute the block sequentially when, after `after` executions,
   * conflict events (failed validations + dependency waits) exceed `ratio` per execution: a
   * mostly-serial block (2 accounts, one hot key) costs several times the sequential time under
   * Block-STM. Default { after: 64, ratio: 1 }; `ratio: Infinity` disables it.
   */
  conflictBailout?: { after: number; ratio: number };
  /**
   * After a conflict bail-out, run this many of the next blocks sequentially straight away, then
   * try parallel again; the count doubles with each consecutive bail-out up to `maxBlocks` and
   * resets after a block that ran in parallel to the end. Contention usually lasts (a hot account,
   * a popular mint), and a bail-out costs the abandoned attempt; a block run sequentially costs
   * exactly the sequential time. Results never depend on it. Default { maxBlocks: 16 }; 0 = off.
   */
  conflictBackoff?: { maxBlocks: number };
  /**
   * Whether the coordinating thread also executes txs when it has nothing else to do. Default:
   * with up to 4 threads (on 2 cores idling it would waste half the machine); beyond that its
   * coordination work (~5–10 µs per tx) is the bottleneck and it should only coordinate.
   */
  mainExecutes?: boolean;
}

interface WorkerHandle {
  worker: Worker;
  port: MessagePort;
  inflight: number;
  error: unknown;
}

/**
 * Block-STM on worker_threads.
 *
 * Where the pieces live, and why (figures measured on the 2-vCPU CI-class machine, Node 20.20;
 * the reference notes §4.2 give the message costs on an idle machine):
 *  - Workers run the tx code themselves: each imports `taskModule` and rebuilds the block's task
 *    from the payload. Pre-block state is read locally (a SharedArrayBuffer snapshot, or a reader
 *    the worker opens itself, e.g. LMDB read-only), never through a message.
 *  - Multi-version memory: one authoritative copy on this thread (the coordinator), replicated
 *    into every worker through an append-only log in a growable SharedArrayBuffer (single writer,
 *    so no CAS, no concurrent hash table, no memory reclamation problem). A worker replays the log
 *    tail before each execution, then every read is a local Map lookup (~0.1–0.3 µs). Measured:
 *    append ~1–2 µs and replay ~4–8 µs per 3-write record (keys interned per block), against
 *    ≥ 18 µs per read for a coordinator round trip with Atomics.wait/notify (idle machine; ~1 ms
 *    per wake-up on the loaded one) or ~40 µs with postMessage — a transfer does 3–4 reads, so
 *    per-read RPC would cost 3–10× the transfer itself. Replicas may lag: a stale read only fails
 *    validation.
 *  - Scheduler, read sets and validation stay on this thread: the paper's algorithm with its
 *    atomics turned into plain fields, driven by the same Coordinator the seeded simulator
 *    checks. Results come back by postMessage in batches of up to 4 (~1.5 µs structured clone per
 *    result). Cost: the coordinator is a serial stage, ~5–10 µs per tx (receive, record, log
 *    append, validate), which caps a block near 100–200k tx/s whatever the core count. On 16+
 *    cores the next step is moving the scheduler words (status/incarnation per tx, the indices,
 *    num_active_tasks) into an Int32Array with Atomics.compareExchange and the read sets into the
 *    log, so workers validate too.
 *  - This thread executes txs as well whenever it has nothing to coordinate (against the
 *    authoritative memory: no message, no replay), taking dependency retries and re-executions
 *    first: with `workers: 2` on 2 cores that is this thread + 1 worker thread.
 *  - Messages are pulled synchronously (receiveMessageOnPort) and idle threads spin ≤ 0.5 ms
 *    before sleeping in Atomics.wait (a wake-up averaged ~1 ms on the loaded machine), so
 *    `execute` stays synchronous like every store in the state machine.
 * Single-thread Block-STM bookkeeping (the simulator with one virtual worker) costs ~1.3–1.5×
 * the sequential executor's CPU on the synthetic transfer (~6–10 µs per tx); on 2 cores that
 * leaves room for a speedup only when txs carry real work (bench: `heavy(20us)`).
 */
export class ParallelExecutor implements Executor {
  private readonly ctrl: Int32Array;
  private readonly log = new SharedLogWriter();
  private gen = 0;
  private broken: string | undefined;
  /** Blocks still to run sequentially after a conflict bail-out, and the next backoff length. */
  private backoff = { skip: 0, next: 1 };
  /** Idle threads spin this long before sleeping: 0 when there are more threads than cores. */
  private readonly spinMs: number;

  private constructor(
    private readonly opts: Required<Omit<ParallelOptions, 'workers'>> & { workers: number },
    private readonly handles: WorkerHandle[],
    ctrl: SharedArrayBuffer,
  ) {
    this.ctrl = new Int32Array(ctrl);
    this.spinMs = opts.workers <= availableParallelism() ? 0.5 : 0;
  }

  /** Spawns the workers and waits until each has imported the task module. */
  static async create(options: ParallelOptions): Promise<ParallelExecutor> {
    const workers = Math.max(1, options.workers ?? availableParallelism());
    const opts = {
      maxIncarnations: 32,
      queueDepth: 16,
      watchdogMs: 30_000,
      minParallelTxs: 4 * workers,
      conflictBailout: { after: 64, ratio: 1 },
      conflictBackoff: { maxBlocks: 16 },
      mainExecutes: workers <= 4,
      ...options,
      workers,
    };
    const ctrlBuf = new SharedArrayBuffer(4 * ctrlSlots(workers - 1));
    const handles: WorkerHandle[] = [];
    const pool = new ParallelExecutor(opts, handles, ctrlBuf);
    if (workers === 1) return pool; // the plain sequential path: no threads at all
    const entry = workerEntry();
    for (let i = 0; i < workers - 1; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(entry.script, {
        eval: entry.eval,
        // Spinning before sleeping only pays when every thread can have its own core.
        workerData: { index: i, port: port2, ctrl: ctrlBuf, taskModule: opts.taskModule, log: pool.log.handles(), spinMs: pool.spinMs },
        transferList: [port2],
      });
      const h: WorkerHandle = { worker, port: port1, inflight: 0, error: undefined };
      worker.on('error', (err) => (h.error = err));
      worker.unref();
      handles.push(h);
    }
    try {
      await waitUntilReady(handles);
    } catch (err) {
      // The caller may go on without the pool (sequentially): the threads that did start must not linger.
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw err;
    }
    return pool;
  }

  get workers(): number {
    return this.opts.workers;
  }

  /** Why the pool stopped using its threads (a worker failed or the watchdog fired), if it did. */
  get failure(): string | undefined {
    return this.broken;
  }

  /** Runs the block; `task` must be a PortableTask (its `payload` is what workers rebuild it from). */
  execute<Out>(base: KVReader, task: PortableTask<Out> | BlockTask<Out>): ExecResult<Out> {
    const started = performance.now();
    const n = task.count;
    if (this.handles.length === 0 || n === 0 || n < this.opts.minParallelTxs || this.broken !== undefined) {
      const r = new SequentialExecutor().execute(base, task);
      return { ...r, stats: { ...r.stats, workers: this.opts.workers } };
    }
    if (this.backoff.skip > 0) {
      this.backoff.skip--;
      const r = new SequentialExecutor().execute(base, task);
      return { ...r, stats: { ...r.stats, workers: this.opts.workers, fallbackReason: 'conflict-backoff' } };
    }
    if (task.payload === undefined) throw new Error('ParallelExecutor needs a PortableTask (a payload the workers rebuild the task from)');
    const desc: BaseDescriptor = (isPortableBase(base) ? base : SharedSnapshot.of(base)).forWorkers();

    const gen = ++this.gen;
    Atomics.store(this.ctrl, CTRL_GEN, gen);
    this.log.reset();
    for (const h of this.handles) {
      h.inflight = 0;
      this.send(h, { k: 'block', gen, n, payload: (task as PortableTask<Out>).payload, base: desc });
    }
    const coord = new Coordinator<Out>(n, base, (op) => this.log.append(op), this.opts.maxIncarnations, 'workers', this.opts.workers);
    const phases: PhaseTimes = {
      mainExecuteMs: 0,
      validateMs: 0,
      coordinateMs: 0,
      waitMs: 0,
      sequentialTailMs: 0,
      workersExecuteMs: 0,
      workersIdleMs: 0,
    };
    const failure = this.drive(coord, gen, base, task, phases);
    const driven = performance.now();
    phases.validateMs = coord.validateMs;
    phases.coordinateMs = Math.max(0, driven - started - phases.mainExecuteMs - phases.waitMs - phases.validateMs);
    if (failure !== undefined || coord.capped || this.bailedOut(coord)) {
      Atomics.store(this.ctrl, CTRL_GEN, ++this.gen); // strand whatever is still queued
      // A failed pool is not trusted again: its threads are stopped (one may be stuck in a
      // speculative infinite loop) and later blocks run sequentially; the caller may create a new pool.
      if (failure !== undefined) {
        this.broken = failure;
        for (const h of this.handles) void h.worker.terminate();
      }
      const fallbackReason = failure ?? (coord.capped ? 'incarnation-cap' : 'conflicts');
      if (fallbackReason === 'conflicts') {
        this.backoff.skip = Math.min(this.backoff.next, this.opts.conflictBackoff.maxBlocks);
        this.backoff.next = Math.min(this.backoff.next * 2, Math.max(1, this.opts.conflictBackoff.maxBlocks));
      }
      // What the parallel run already settled (its committed prefix) is kept; the rest runs here.
      const { outputs, writes, kept } = finishSequentially(coord, base, task);
      const ended = performance.now();
      phases.sequentialTailMs = ended - driven;
      return {
        outputs,
        writes,
        stats: { ...coord.stats, fellBackToSequential: true, fallbackReason, keptPrefix: kept, phases, ms: ended - started },
      };
    }
    const { outputs, writes } = coord.finish();
    this.backoff.next = 1;
    coord.stats.ms = performance.now() - started;
    coord.stats.phases = phases;
    return { outputs, writes, stats: coord.stats };
  }

  /** Verifies signatures on the workers (and this thread); per-item results in input order. */
  verifySignatures(items: readonly AnySigItem[]): boolean[] {
    const n = items.length;
    const batch = encodeSigBatch(items);
    const results = new SharedArrayBuffer(Math.max(1, n));
    const helpers = this.broken === undefined ? this.handles : []; // a failed pool verifies on this thread
    const parts = helpers.length + 1;
    const chunk = Math.ceil(n / parts);
    let pending = 0;
    const id = ++this.gen;
    for (let i = 0; i < helpers.length; i++) {
      const from = Math.min(n, (i + 1) * chunk);
      const to = Math.min(n, (i + 2) * chunk);
      if (from >= to) continue;
      this.send(helpers[i]!, { k: 'verify', id, batch, results, from, to });
      pending++;
    }
    verifyRange(batch, results, 0, Math.min(n, chunk)); // our own share meanwhile
    while (pending > 0) {
      const seen = Atomics.load(this.ctrl, CTRL_MAIN);
      let got = 0;
      for (const h of this.handles) {
        for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
          const msg = m.message as { k: string; id?: number; error?: string };
          if (msg.k === 'verified' && msg.id === id) {
            pending--;
            got++;
          } else if (msg.k === 'fatal') {
            return this.verifyAloneAfterFailure(`executor worker failed: ${msg.error}`, batch, results, n);
          }
        }
      }
      if (got === 0 && pending > 0 && Atomics.wait(this.ctrl, CTRL_MAIN, seen, this.opts.watchdogMs) === 'timed-out') {
        return this.verifyAloneAfterFailure('signature verification: workers stopped answering', batch, results, n);
      }
    }
    const out = new Uint8Array(results);
    return Array.from({ length: n }, (_, i) => out[i] === 1);
  }

  /** Threads besides this one. */
  get helperThreads(): number {
    return this.broken === undefined ? this.handles.length : 0;
  }

  /**
   * Calls `fn` (a module's function export `(arg, input: ArrayBuffer) => ArrayBuffer`) on worker t
   * with `inputs[t]`, runs `local` on this thread meanwhile, and returns the outputs in worker
   * order. Inputs and outputs are transferred, not copied. A worker that fails or stops answering
   * breaks the pool (later blocks run sequentially) and makes this throw a PoolCallError.
   */
  callOnWorkers(fn: TaskModuleRef, arg: unknown, inputs: readonly ArrayBuffer[], local: () => void): ArrayBuffer[] {
    if (this.broken !== undefined) throw new PoolCallError(`the executor's worker threads are not in use: ${this.broken}`);
    if (inputs.length > this.handles.length) throw new Error(`callOnWorkers: ${inputs.length} inputs for ${this.handles.length} workers`);
    const id = ++this.gen;
    inputs.forEach((input, t) => this.send(this.handles[t]!, { k: 'call', id, fn, arg, input }, [input]));
    local();
    const outputs: (ArrayBuffer | undefined)[] = new Array(inputs.length);
    let pending = inputs.length;
    while (pending > 0) {
      const seen = Atomics.load(this.ctrl, CTRL_MAIN);
      let got = 0;
      for (let t = 0; t < this.handles.length; t++) {
        const port = this.handles[t]!.port;
        for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
          const msg = m.message as { k: string; id?: number; output?: ArrayBuffer; error?: string };
          if (msg.k === 'called' && msg.id === id) {
            outputs[t] = msg.output;
            pending--;
            got++;
          } else if (msg.k === 'fatal' || (msg.k === 'call-failed' && msg.id === id)) {
            throw this.breakPool(`executor worker failed in ${fn.exportName}: ${msg.error}`);
          }
        }
      }
      if (got === 0 && pending > 0 && Atomics.wait(this.ctrl, CTRL_MAIN, seen, this.opts.watchdogMs) === 'timed-out') {
        throw this.breakPool(`${fn.exportName}: executor workers stopped answering`);
      }
    }
    return outputs as ArrayBuffer[];
  }

  private breakPool(reason: string): PoolCallError {
    this.broken = reason;
    for (const h of this.handles) void h.worker.terminate();
    return new PoolCallError(reason);
  }

  /** A worker failed mid-batch: stop using the pool and verify everything on this thread. */
  private verifyAloneAfterFailure(reason: string, batch: SharedArrayBuffer, results: SharedArrayBuffer, n: number): boolean[] {
    this.broken = reason;
    for (const h of this.handles) void h.worker.terminate();
    verifyRange(batch, results, 0, n);
    const out = new Uint8Array(results);
    return Array.from({ length: n }, (_, i) => out[i] === 1);
  }

  async close(): Promise<void> {
    if (this.broken === undefined) for (const h of this.handles) this.send(h, { k: 'exit' });
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
    this.handles.length = 0;
  }

  /**
   * Runs the coordinator until done; returns an error text when the pool failed. This thread is
   * an executor too: between coordination steps it runs tasks itself against the authoritative
   * multi-version memory (no message, no replay), and it takes the dependency retries and
   * re-executions first — they are on the block's critical path, and a hop to a worker and back
   * costs two message latencies.
   */
  private drive<Out>(coord: Coordinator<Out>, gen: number, base: KVReader, task: BlockTask<Out>, phases: PhaseTimes): string | undefined {
    const depth = this.opts.queueDepth;
    const follow: ExecTask[] = [];
    const batch: number[] = [];
    let lastProgress = Date.now();
    while (!coord.done) {
      if (this.bailedOut(coord)) return undefined;
      const seen = Atomics.load(this.ctrl, CTRL_MAIN);
      let got = 0;
      for (const h of this.handles) {
        for (let m = receiveMessageOnPort(h.port); m !== undefined; m = receiveMessageOnPort(h.port)) {
          const msg = m.message as { k: string; gen: number; rs?: IncarnationResult<Out>[]; ms?: number; idleMs?: number; error?: string };
          if (msg.k === 'fatal' && (msg.gen === gen || msg.gen === -1)) return `executor worker failed: ${msg.error}`;
          if (msg.gen !== gen) continue; // from an abandoned run
          if (msg.k !== 'results') continue;
          phases.workersExecuteMs += msg.ms ?? 0;
          phases.workersIdleMs += msg.idleMs ?? 0;
          for (const r of msg.rs!) {
            h.inflight--;
            got++;
            const f = coord.onResult(r);
            if (f !== null) follow.push(f);
          }
        }
      }
      if (got > 0) lastProgress = Date.now();
      if (coord.done) break;
      // Keep every worker's queue full (it may take follow-ups beyond the one this thread runs next).
      // Deep queues feed workers through scheduling hiccups but, once txs conflict, they run far
      // ahead on data that is about to change: on a hot-key block the simulator measured dependency
      // stops per tx going from 1.7 (depth 1) to 8 (depth 16). So the depth shrinks with conflicts.
      const st = coord.stats;
      const limit = st.executions >= 16 && st.aborts + st.dependencyWaits > 0.25 * st.executions ? Math.min(depth, 2) : depth;
      for (const h of this.handles) {
        while (h.inflight < limit) {
          const t = follow.length > (this.opts.mainExecutes ? 1 : 0) ? follow.shift()! : coord.nextExecTask();
          if (t === null) break;
          batch.push(t.txIdx, t.inc);
          h.inflight++;
        }
        if (batch.length > 0) {
          this.send(h, { k: 'exec', gen, tasks: batch.slice() });
          batch.length = 0;
        }
      }
      const mine = this.opts.mainExecutes ? (takeLowest(follow) ?? coord.nextExecTask()) : null;
      if (mine !== null) {
        coord.stats.mainThreadRuns = (coord.stats.mainThreadRuns ?? 0) + 1;
        const runStarted = performance.now();
        const result = runIncarnation(coord.mv, base, task, mine.txIdx, mine.inc);
        phases.mainExecuteMs += performance.now() - runStarted;
        const f = coord.onResult(result);
        if (f !== null) follow.push(f);
        lastProgress = Date.now();
        continue;
      }
      if (coord.done) break;
      if (this.handles.every((h) => h.inflight === 0)) {
        // Free slots everywhere, nothing to hand out, nothing running: only a broken invariant
        // gets here (the simulator checks the same condition on every schedule).
        return 'executor invariant: nothing in flight, nothing to run, not done';
      }
      if (got === 0) {
        const waitStarted = performance.now();
        const woke = spinThenWait(this.ctrl, CTRL_MAIN, seen, this.spinMs / 2, 50);
        phases.waitMs += performance.now() - waitStarted;
        if (woke === 'timed-out' && Date.now() - lastProgress > this.opts.watchdogMs) {
          return `executor watchdog: no worker result for ${this.opts.watchdogMs} ms`;
        }
      }
    }
    return undefined;
  }

  private bailedOut(coord: Coordinator<unknown>): boolean {
    const s = coord.stats;
    const { after, ratio } = this.opts.conflictBailout;
    return !coord.scheduler.done && s.executions >= after && s.aborts + s.dependencyWaits > ratio * s.executions;
  }

  private send(h: WorkerHandle, msg: unknown, transfer: ArrayBuffer[] = []): void {
    h.port.postMessage(msg, transfer);
    const i = this.handles.indexOf(h);
    Atomics.add(this.ctrl, ctrlWorker(i), 1);
    Atomics.notify(this.ctrl, ctrlWorker(i));
  }
}

/** Removes and returns the follow-up with the lowest tx index: the block commits from the bottom. */
function takeLowest(follow: ExecTask[]): ExecTask | null {
  if (follow.length === 0) return null;
  let best = 0;
  for (let i = 1; i < follow.length; i++) if (follow[i]!.txIdx < follow[best]!.txIdx) best = i;
  return follow.splice(best, 1)[0]!;
}

/**
 * How to start a worker. From compiled JS: the worker file itself. From TypeScript (tsx, jest):
 * `execArgv: ['--import', 'tsx']` does NOT work on Node 20.20 (tsx registers its loader only on
 * the main thread: the worker fails with "Unknown file extension .ts"), so a two-line bootstrap
 * registers tsx's ESM hooks inside the worker and then imports the .ts entry.
 */
/** Until every worker has imported the task module; a worker that failed to makes it throw. */
async function waitUntilReady(handles: readonly WorkerHandle[]): Promise<void> {
  const ready = new Set<number>();
  const deadline = Date.now() + 60_000;
  while (ready.size < handles.length) {
    for (const [i, h] of handles.entries()) {
      if (h.error !== undefined) throw new Error(`executor worker ${i} failed to start: ${String(h.error)}`);
      const m = receiveMessageOnPort(h.port)?.message as { k: string; error?: string } | undefined;
      if (m?.k === 'ready') ready.add(i);
      else if (m?.k === 'fatal') throw new Error(`executor worker ${i} failed to start: ${m.error}`);
    }
    if (Date.now() > deadline) throw new Error('executor workers did not start within 60 s');
    if (ready.size < handles.length) await new Promise((r) => setTimeout(r, 2));
  }
}

function workerEntry(): { script: string | URL; eval: boolean } {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./worker-main.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return { script: url, eval: false };
  // The package's ESM entry (require.resolve gives the CJS one, whose register() breaks in a worker).
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const script = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return { script, eval: true };
}

/** A call on the pool's threads failed; the pool is broken and the caller should do the work itself. */
export class PoolCallError extends Error {
  override readonly name = 'PoolCallError';
}
