import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from 'pino';
import type { ComposedChain } from '../app.js';
import { withAbciDefaults } from '../abci/application.js';
import { AbciServer } from '../abci/server.js';
import { BaseApp } from '../baseapp/baseapp.js';
import { parseNodeMinGasPrice } from '../baseapp/node-min-gas-price.js';
import { SnapshotManager, snapshotsDir } from '../baseapp/snapshots.js';
import type { Executor } from '../exec/types.js';
import { readAppConfig, type AppConfig } from './app-config.js';
import { autoMinParallelTxs, chainEntryTaskModule, NodeParallelExecutor, STOCK_TASK_MODULE } from './parallel-executor.js';
import { recordedChainEntry } from '../chain-entry.js';
import { CommitStore } from '../store/commit-store.js';
import { AppMetrics } from './metrics.js';
import { AdaptiveVerifier } from './adaptive-verifier.js';

export interface AppNodeOptions {
  readonly home: string;
  readonly chain: ComposedChain;
  readonly abciAddress: string;
  readonly logger: Logger;
  readonly executor?: Executor;
  /** Overrides app.toml `[executor] mode` (the `--executor` flag). */
  readonly executorMode?: 'parallel' | 'sequential';
  /** host:port for Prometheus metrics, or empty for none. */
  readonly metricsAddress?: string;
  /** This node's mempool gas-price floor, e.g. "0.05upara" (empty: none beyond the chain's). */
  readonly minGasPrice?: string;
  /** State sync and pruning; each defaults to app.toml's `[state_sync]` / `[pruning]` value. */
  readonly snapshotInterval?: number;
  readonly snapshotKeepRecent?: number;
  readonly pruningKeepRecent?: number;
}

/** A running application: its store, its BaseApp and the ABCI server CometBFT talks to. */
export interface AppNode {
  readonly app: BaseApp;
  readonly store: CommitStore;
  /** The address actually bound (a `tcp://…:0` request resolves to the real port). */
  readonly address: string;
  /** Port of the Prometheus endpoint, when enabled. */
  readonly metricsPort?: number;
  /** The app's ABCI Query, taken in turn with CometBFT's own calls (for the gRPC and REST servers). */
  query(req: RequestQuery): Promise<ResponseQuery>;
  /** Stops taking requests, lets a running one (e.g. Commit) finish, then closes the store. */
  close(): Promise<void>;
}

export function appDataDir(home: string): string {
  return path.join(home, 'data', 'application');
}

export async function startAppNode(options: AppNodeOptions): Promise<AppNode> {
  const store = CommitStore.open(appDataDir(options.home));
  const { chain } = options;
  const metrics = new AppMetrics();
  const config = readAppConfig(options.home);
  const parallel = await parallelExecutorFor(options, store, config);
  // Signatures not yet cached (CheckTx batches, blocks) go to the pool or stay on this thread,
  // whichever has lately been faster.
  const verifier = parallel ? new AdaptiveVerifier((items) => parallel.verifySignatures(items)) : undefined;
  // Always present, so a fresh node can restore a snapshot even when it takes none itself.
  const snapshots = new SnapshotManager({
    dir: snapshotsDir(options.home),
    store,
    keepRecent: options.snapshotKeepRecent ?? config.snapshotKeepRecent,
    logger: options.logger,
  });
  const app = new BaseApp({
    modules: chain.modules,
    ante: chain.ante,
    store,
    genesisOrder: chain.genesisOrder,
    beginBlockOrder: chain.beginBlockOrder,
    endBlockOrder: chain.endBlockOrder,
    executor: options.executor ?? parallel,
    preverified: verifier
      ? {
          cache: chain.signatureCache,
          checks: chain.signatureChecks,
          verify: (items) => verifier.verify(items),
          worthCheckingAhead: (txs) => verifier.worthCheckingAhead(txs),
        }
      : undefined,
    logger: options.logger,
    observer: metrics.observer(),
    nodeMinGasPrice: parseNodeMinGasPrice(options.minGasPrice ?? ''),
    snapshots: { manager: snapshots, interval: options.snapshotInterval ?? config.snapshotInterval },
    pruneKeepRecent: options.pruningKeepRecent ?? config.pruningKeepRecent,
    pruneInterval: config.pruningInterval,
    indexEvents: config.indexEvents,
  });
  injectFaults(app, options.logger);
  const server = new AbciServer({ app: withAbciDefaults(app), logger: options.logger });
  const address = await server.listen(options.abciAddress);
  const { height, appHash } = store.lastCommit();
  options.logger.info({ abci: address, height, appHash: Buffer.from(appHash).toString('hex') }, 'app listening for CometBFT');
  const metricsServer = options.metricsAddress ? await metrics.serve(...splitHostPort(options.metricsAddress)) : undefined;
  if (metricsServer) options.logger.info({ port: metricsServer.port }, 'serving Prometheus metrics at /metrics');
  let closed: Promise<void> | undefined;
  return {
    app,
    store,
    address,
    metricsPort: metricsServer?.port,
    query: (req) => server.exclusive(() => app.query(req)),
    close() {
      closed ??= (async () => {
        await metricsServer?.close();
        await server.close();
        await parallel?.close();
        await store.close();
      })();
      return closed;
    },
  };
}

function splitHostPort(address: string): [string, number] {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match) throw new Error(`metrics address "${address}" must look like 127.0.0.1:26660`);
  return [match[1]!, Number(match[2])];
}

/**
 * Fault injection for crash tests, off unless the environment asks for it:
 * PARAZONE_FAULT_KILL_IN_FINALIZE_AT=<height> makes the process SIGKILL itself inside
 * FinalizeBlock of that height, after executing the block and before answering CometBFT.
 */
function injectFaults(app: BaseApp, logger: Logger): void {
  const at = process.env.PARAZONE_FAULT_KILL_IN_FINALIZE_AT;
  if (!at) return;
  const height = BigInt(at);
  const finalize = app.finalizeBlock.bind(app);
  app.finalizeBlock = (req) => {
    const res = finalize(req);
    if (req.height === height) {
      logger.warn({ height: at }, 'fault injection: SIGKILL inside FinalizeBlock');
      logger.flush();
      // Written synchronously too: an asynchronous log line would die with the process.
      fs.writeSync(2, `fault injection: SIGKILL inside FinalizeBlock at height ${at}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    return res;
  };
}

/**
 * The Block-STM executor when app.toml (or `--executor`) asks for it. Workers rebuild the chain's
 * tx runner from a task module: the ChainSpec's `parallelTaskModule` when it names one; else the
 * stock chain's; else, for a chain with extra modules, its entry script's (the script whose
 * runCli started this process, see app/chain-entry.ts). When there is none, or the workers cannot
 * compose the chain from the entry, FinalizeBlock runs sequentially and the log says why.
 */
async function parallelExecutorFor(
  options: AppNodeOptions,
  store: CommitStore,
  config: AppConfig,
): Promise<NodeParallelExecutor | undefined> {
  if (options.executor) return undefined;
  const mode = options.executorMode ?? config.executor;
  if (mode !== 'parallel') return undefined;
  const { chain, logger } = options;
  const entry = recordedChainEntry();
  const fromEntry = !chain.parallelTaskModule && chain.hasExtraModules;
  const taskModule = chain.parallelTaskModule ?? (!chain.hasExtraModules ? STOCK_TASK_MODULE : entry && chainEntryTaskModule(entry));
  if (!taskModule) {
    logger.warn(
      'this chain has extra modules, was not started through runCli(spec) and names no parallelTaskModule in its ChainSpec: running FinalizeBlock sequentially',
    );
    return undefined;
  }
  let executor: NodeParallelExecutor;
  try {
    executor = await NodeParallelExecutor.create({
      store,
      dir: appDataDir(options.home),
      workers: config.workers,
      taskModule,
      minParallelTxs: config.minParallelTxs || autoMinParallelTxs(availableParallelism(), config.workers),
    });
  } catch (err) {
    // A task module the chain builder named must work. The entry script is only inferred (from
    // process.argv), and running sequentially gives the same results, so the node keeps going.
    if (!fromEntry) throw err;
    logger.warn(
      { entry, error: err instanceof Error ? err.message : String(err) },
      'the parallel executor cannot compose this chain from its entry script: running FinalizeBlock sequentially',
    );
    return undefined;
  }
  logger.info(
    { workers: config.workers || 'one per core', minParallelTxs: config.minParallelTxs || 'by core count', taskModule: taskModule.url },
    'FinalizeBlock runs blocks of at least minParallelTxs txs on the parallel (Block-STM) executor; its threads also verify signatures ahead',
  );
  return executor;
}
