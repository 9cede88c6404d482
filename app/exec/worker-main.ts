/**
 * Entry point of an executor worker thread. It imports the block-task factory named in
 * workerData (so it builds the same tx runner as the main thread), then serves messages pulled
 * synchronously from its port — no event-loop hop per task:
 *   block  → build the task from the payload, open the base, reset the replica and log cursor;
 *   exec   → for each (txIdx, incarnation): replay the shared write log into the replica, run the
 *            incarnation, post the result, wake the coordinator;
 *   verify → check a range of a shared signature batch;
 *   call   → call a module's function export on a transferred buffer (the state root's subtrees).
 * Every error is caught and reported (`fatal`): the coordinator falls back to sequential.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { KVReader } from '../store/types.js';
import { runIncarnation } from './incarnation.js';
import { MVMemory } from './mv-memory.js';
import { openBase, type BaseDescriptor } from './portable-base.js';
import { verifyRange } from './signatures.js';
import type { BlockTask } from './types.js';
import { SharedLogReader, type SharedLogHandles } from './write-log.js';
import { CTRL_GEN, CTRL_MAIN, ctrlWorker, spinThenWait, type TaskModuleRef } from './worker-protocol.js';

interface WorkerInit {
  index: number;
  port: MessagePort;
  ctrl: SharedArrayBuffer;
  taskModule: TaskModuleRef;
  log: SharedLogHandles;
  spinMs: number;
}

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.ctrl);
const port = init.port;
const me = init.index;
const FLUSH_EVERY = 4;
/** How long an idle worker spins before sleeping (see spinThenWait). */
const SPIN_MS = init.spinMs;

function post(msg: unknown, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
  Atomics.add(ctrl, CTRL_MAIN, 1);
  Atomics.notify(ctrl, CTRL_MAIN);
}

const callables = new Map<string, (arg: unknown, input: ArrayBuffer) => ArrayBuffer>();

/** A function export another thread asks this one to call (imported once). */
async function callable(fn: TaskModuleRef): Promise<(arg: unknown, input: ArrayBuffer) => ArrayBuffer> {
  const key = `${fn.url}#${fn.exportName}`;
  let f = callables.get(key);
  if (f === undefined) {
    const mod = (await import(fn.url)) as Record<string, unknown>;
    const exported = mod[fn.exportName];
    if (typeof exported !== 'function') throw new Error(`${fn.url} has no function export "${fn.exportName}"`);
    f = exported as (arg: unknown, input: ArrayBuffer) => ArrayBuffer;
    callables.set(key, f);
  }
  return f;
}

async function main(): Promise<void> {
  const mod = (await import(init.taskModule.url)) as Record<string, unknown>;
  const factory = mod[init.taskModule.exportName];
  if (typeof factory !== 'function') throw new Error(`${init.taskModule.url} has no function export "${init.taskModule.exportName}"`);
  const log = new SharedLogReader(init.log);
  let gen = -1;
  let task: BlockTask<unknown> | undefined;
  let base: KVReader | undefined;
  let replica: MVMemory | undefined;
  /** Time spent waiting for tasks while a block runs, reported with the next results. */
  let idleMs = 0;
  post({ k: 'ready', w: me });

  for (;;) {
    const seen = Atomics.load(ctrl, ctrlWorker(me));
    const got = receiveMessageOnPort(port);
    if (got === undefined) {
      const waitStarted = performance.now();
      spinThenWait(ctrl, ctrlWorker(me), seen, task === undefined ? 0 : SPIN_MS, 1000);
      if (Atomics.load(ctrl, CTRL_GEN) === gen) idleMs += performance.now() - waitStarted; // idle inside a block
      continue;
    }
    const msg = got.message as { k: string; [f: string]: unknown };
    try {
      switch (msg.k) {
        case 'block': {
          gen = msg.gen as number;
          task = (factory as (p: unknown) => BlockTask<unknown>)(msg.payload);
          base = await openBase(msg.base as BaseDescriptor);
          replica = new MVMemory(msg.n as number);
          log.reset();
          idleMs = 0;
          break;
        }
        case 'exec': {
          const tasks = msg.tasks as number[];
          let rs: unknown[] = [];
          let ms = 0; // time running txs (replay included), reported for the benchmark's phase breakdown
          for (let i = 0; i < tasks.length; i += 2) {
            // A newer block (or an abandoned run) makes queued tasks stale.
            if ((msg.gen as number) !== gen || Atomics.load(ctrl, CTRL_GEN) !== gen) break;
            const started = performance.now();
            log.catchUp(replica!);
            rs.push(runIncarnation(replica!, base!, task!, tasks[i]!, tasks[i + 1]!));
            ms += performance.now() - started;
            // Results go back in small batches: fewer messages, still early enough for validation.
            if (rs.length >= FLUSH_EVERY) {
              post({ k: 'results', w: me, gen, rs, ms, idleMs });
              rs = [];
              ms = 0;
              idleMs = 0;
            }
          }
          if (rs.length > 0) {
            post({ k: 'results', w: me, gen, rs, ms, idleMs });
            idleMs = 0;
          }
          break;
        }
        case 'verify':
          verifyRange(msg.batch as SharedArrayBuffer, msg.results as SharedArrayBuffer, msg.from as number, msg.to as number);
          post({ k: 'verified', w: me, id: msg.id });
          break;
        case 'call': {
          const fn = msg.fn as TaskModuleRef;
          try {
            const output = (await callable(fn))(msg.arg, msg.input as ArrayBuffer);
            post({ k: 'called', w: me, id: msg.id, output }, [output]);
          } catch (err) {
            post({ k: 'call-failed', w: me, id: msg.id, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
          }
          break;
        }
        case 'exit':
          port.close();
          return;
      }
    } catch (err) {
      post({ k: 'fatal', w: me, gen, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
    }
  }
}

main().catch((err) => {
  post({ k: 'fatal', w: me, gen: -1, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
});
