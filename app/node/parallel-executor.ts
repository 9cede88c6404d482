import { availableParallelism } from 'node:os';
import { CacheKV } from '../store/cache-kv.js';
import type { CommitStore } from '../store/commit-store.js';
import { SubtreeRunnerError, type SubtreeRunner } from '../store/smt-split.js';
import { decodeAnswer, encodeJobs } from '../store/smt-wire.js';
import type { KVPair, KVReader } from '../store/types.js';
import { ParallelExecutor, PoolCallError } from '../exec/parallel.js';
import { OverlayBase, type BaseDescriptor, type PortableBase } from '../exec/portable-base.js';
import type { BlockTask, ExecResult, Executor } from '../exec/types.js';
import type { AnySigItem } from '../exec/signatures.js';
import { sourceModuleUrl } from './source-url.js';

/** Where a worker finds the code that runs a block's txs (see app/baseapp/deliver-task.ts). */
export interface TaskModule {
  readonly url: string;
  readonly exportName: string;
}

/** What a worker calls to update its share of the state root's subtrees. */
const SUBTREE_JOBS: TaskModule = { url: sourceModuleUrl('../store/commit-store.ts', import.meta.url), exportName: 'runSubtreeJobs' };

/**
 * The block size from which Block-STM runs a block, when app.toml leaves `min_parallel_txs` at 0.
 * On 2 cores or fewer: never (every block runs sequentially), because it was never faster there
 * end to end — in the committed e2e runs (blocks of 280–415 txs, CometBFT and the load generator
 * on the same cores) sequential out-ran parallel in 11 of 12 pairs, and bench:finalize's 10k-tx
 * blocks ran at 0.84–0.92× on both threads. The pool still verifies signatures (AdaptiveVerifier).
 * On more cores: the pool's own threshold, 4 txs per thread (not measured on such a machine yet).
 */
export function autoMinParallelTxs(cores: number, workers: number): number {
  const threads = workers > 0 ? workers : cores;
  return cores <= 2 ? Number.MAX_SAFE_INTEGER : 4 * threads;
}

/** The stock chain's tx runner for worker threads. */
export const STOCK_TASK_MODULE: TaskModule = { url: sourceModuleUrl('../chain-task.ts', import.meta.url), exportName: 'deliverTask' };

/**
 * The tx runner of the chain that the entry script `entry` (a file URL) composes with
 * `runCli(spec)`: workers import that script for its spec (app/chain-entry-task.ts).
 */
export function chainEntryTaskModule(entry: string): TaskModule {
  const url = new URL(sourceModuleUrl('../chain-entry-task.ts', import.meta.url));
  url.searchParams.set('entry', entry);
  return { url: url.href, exportName: 'deliverTask' };
}

/**
 * FinalizeBlock on Block-STM worker threads (app/exec), for a node whose state lives in a
 * CommitStore: workers read committed state from the same LMDB environment (no message per read)
 * and the block's earlier writes (BeginBlock) travel as a shared overlay. Results are identical to
 * the sequential executor's; the property tests in app/exec prove it.
 */
export class NodeParallelExecutor implements Executor {
  private constructor(
    private readonly pool: ParallelExecutor,
    private readonly store: CommitStore,
    private readonly dir: string,
  ) {}

  /**
   * `workers` counts the main thread: 1 = sequential, 0 = one per core. Blocks of fewer than
   * `minParallelTxs` txs run sequentially on this thread (absent: the pool's own threshold).
   */
  static async create(options: {
    store: CommitStore;
    dir: string;
    workers: number;
    taskModule?: TaskModule;
    minParallelTxs?: number;
  }): Promise<NodeParallelExecutor> {
    const workers = options.workers > 0 ? options.workers : availableParallelism();
    const pool = await ParallelExecutor.create({
      taskModule: options.taskModule ?? STOCK_TASK_MODULE,
      workers,
      ...(options.minParallelTxs !== undefined ? { minParallelTxs: options.minParallelTxs } : {}),
    });
    const executor = new NodeParallelExecutor(pool, options.store, options.dir);
    // The state root is computed on the same threads (smt-split.ts).
    options.store.useSubtreeRunner(executor.subtreeRunner());
    return executor;
  }

  /** The pool's threads as subtree updaters of the store's state root. */
  private subtreeRunner(): SubtreeRunner {
    const { pool, dir } = this;
    return {
      get threads() {
        return pool.helperThreads;
      },
      run(jobs, seq, local) {
        const inputs = jobs.map((threadJobs) => encodeJobs(threadJobs, seq));
        try {
          return pool.callOnWorkers(SUBTREE_JOBS, { dir }, inputs, local).map(decodeAnswer);
        } catch (err) {
          if (err instanceof PoolCallError) throw new SubtreeRunnerError(err.message);
          throw err;
        }
      },
    };
  }

  execute<Out>(base: KVReader, task: BlockTask<Out>): ExecResult<Out> {
    if (!(base instanceof CacheKV) || task.payload === undefined) {
      throw new Error('the parallel executor needs the block overlay (CacheKV over committed state) and a portable task payload');
    }
    const committed = new CommittedBase(this.store, this.dir);
    return this.pool.execute(new OverlayBase(committed, base.changes()), task);
  }

  /** Verifies secp256k1 and ML-DSA signatures on every thread of the pool; one boolean per item. */
  verifySignatures(items: readonly AnySigItem[]): boolean[] {
    return this.pool.verifySignatures(items);
  }

  close(): Promise<void> {
    this.store.useSubtreeRunner(undefined);
    return this.pool.close();
  }
}

/** The latest committed state, described to workers as "open this LMDB directory". */
class CommittedBase implements PortableBase {
  private readonly reader: KVReader;
  constructor(
    private readonly store: CommitStore,
    private readonly dir: string,
  ) {
    // One instance per block: it may remember what it read, since the committed state is fixed meanwhile.
    this.reader = new CacheKV(store.latest(), { cacheReads: true });
  }
  get(key: Uint8Array) {
    return this.reader.get(key);
  }
  has(key: Uint8Array) {
    return this.reader.has(key);
  }
  iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse?: boolean): Iterable<KVPair> {
    return this.reader.iterator(start, end, reverse);
  }
  forWorkers(): BaseDescriptor {
    return {
      kind: 'module',
      url: sourceModuleUrl('../store/commit-store.ts', import.meta.url),
      exportName: 'openLatestReader',
      arg: { dir: this.dir },
      // A new key per committed height makes each worker renew its LMDB read transaction.
      cacheKey: `${this.dir}@${this.store.lastCommit().height}`,
    };
  }
}
