/**
 * `npm run bench:exec` (second part): the real chain, every module present. The same blocks of a
 * mixed stream (transfers, some failing or with two Msgs, a governance round, the drug-registry
 * scenario) run through two nodes in one process — one with the sequential executor, one with the
 * parallel (Block-STM, worker threads) executor — block by block in turn. Prints tx/s, time per
 * phase (signature pre-verification, the rest of FinalizeBlock, Commit), re-executions, and whether
 * every app hash matched; writes bench/results/exec-mixed.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import type { Executor, PhaseTimes } from '../app/exec/types.js';
import { NodeParallelExecutor } from '../app/node/parallel-executor.js';
import { sequentialExecutor } from '../app/exec/sequential.js';
import { CommitStore } from '../app/store/commit-store.js';
import { finalizeRequest, initChainRequest } from '../test/harness.js';
import { mixedActors, mixedBlocks, mixedGenesis } from './lib/mixed-stream.js';
import { measureParallelCeiling } from './lib/parallel-ceiling.js';
import { makeAccounts } from './lib/signed-transfers.js';

const opts = new Command('bench-exec-mixed')
  .option('--accounts <n>', 'accounts (senders and recipients)', '4000')
  .option('--transfers <n>', 'transfer txs attempted per block (each account sends at most once a block)', '2000')
  .option('--blocks <n>', 'blocks, warm-up included', '24')
  .option('--warmup-blocks <n>', 'first blocks run on both nodes but not measured (JIT in every thread, caches)', '8')
  .option('--workers <n>', 'parallel executor threads, the main one included', String(os.availableParallelism()))
  .option('--out <file>', 'JSON result file', 'bench/results/exec-mixed.json')
  .parse()
  .opts<{ accounts: string; transfers: string; blocks: string; warmupBlocks: string; workers: string; out: string }>();

const chainId = 'bench-mixed';
const denom = 'upara';
const accounts = makeAccounts(Number(opts.accounts), composeChain().config.addresses);
const actors = mixedActors(accounts);
const genesis = initChainRequest(chainId, mixedGenesis(accounts, actors, denom));
const blocks = [
  ...mixedBlocks({ seed: 7, accounts, actors, chainId, denom, blocks: Number(opts.blocks), transfersPerBlock: Number(opts.transfers) }),
];
const txCount = blocks.reduce((n, b) => n + b.length, 0);
console.log(
  `workload: ${blocks.length} blocks, ${txCount} txs (transfers, multi-Msg, governance, drug registry) over ${opts.accounts} accounts; ${os.cpus().length} cores, ${opts.workers} threads for the parallel node`,
);

interface Side {
  readonly app: BaseApp;
  readonly store: CommitStore;
  readonly dir: string;
  readonly executor?: NodeParallelExecutor;
  /** Time inside the executor (BaseApp's sequential one is timed through a wrapper). */
  executorMs: number;
  finalizeMs: number;
  commitMs: number;
  preverifyMs: number;
  reexecutions: number;
  measuredTxs: number;
  hashes: string[];
  failed: number;
  phases: Record<keyof PhaseTimes, number>;
  fallbacks: number;
  keptPrefix: number;
  close(): Promise<void>;
}

/** Counting starts after the warm-up blocks (JIT in every thread, LMDB pages, caches). */
let measuring = false;

async function openSide(parallel: boolean): Promise<Side> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-mixed-'));
  const store = CommitStore.open(dir);
  const chain = composeChain();
  const executor = parallel ? await NodeParallelExecutor.create({ store, dir, workers: Number(opts.workers) }) : undefined;
  const side: Side = {
    app: undefined as unknown as BaseApp,
    store,
    dir,
    executor,
    executorMs: 0,
    finalizeMs: 0,
    commitMs: 0,
    preverifyMs: 0,
    reexecutions: 0,
    measuredTxs: 0,
    hashes: [],
    failed: 0,
    phases: { mainExecuteMs: 0, workersExecuteMs: 0, workersIdleMs: 0, validateMs: 0, coordinateMs: 0, waitMs: 0, sequentialTailMs: 0 },
    fallbacks: 0,
    keptPrefix: 0,
    async close() {
      await executor?.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const inner: Executor = executor ?? sequentialExecutor;
  const timed: Executor = {
    execute(base, task) {
      const started = performance.now();
      const out = inner.execute(base, task);
      if (!measuring) return out;
      side.executorMs += performance.now() - started;
      const { stats } = out;
      if (stats.phases) for (const k of Object.keys(side.phases) as (keyof PhaseTimes)[]) side.phases[k] += stats.phases[k];
      if (stats.fellBackToSequential) {
        side.fallbacks++;
        side.keptPrefix += stats.keptPrefix ?? 0;
      }
      return out;
    },
  };
  const app = new BaseApp({
    ...chain,
    store,
    executor: timed,
    observer: { blockFinalized: (info) => measuring && (side.reexecutions += info.reexecutions) },
    preverified: executor
      ? {
          cache: chain.signatureCache,
          checks: chain.signatureChecks,
          verify: (items) => {
            const t = performance.now();
            const out = executor.verifySignatures(items);
            if (measuring) side.preverifyMs += performance.now() - t;
            return out;
          },
        }
      : undefined,
  });
  (side as { app: BaseApp }).app = app;
  app.initChain(genesis);
  return side;
}

const ceiling = await measureParallelCeiling();
console.log(`ideal two-thread speedup on this machine now (independent CPU loops): ${ceiling.twoThreadSpeedup}x`);
const warmup = Number(opts.warmupBlocks);
const sequential = await openSide(false);
const parallel = await openSide(true);
// Per measured block: (sequential / parallel) for execution with signature checks, and for
// FinalizeBlock + Commit. The two nodes run each block back to back, so a ratio per block is
// robust to the machine slowing down for a while; the summary gives their median and range.
const perBlock: { execution: number; finalizeCommit: number }[] = [];
const spent = (s: Side) => ({ execution: s.executorMs + s.preverifyMs, finalizeCommit: s.finalizeMs + s.commitMs });
for (let b = 0; b < blocks.length; b++) {
  measuring = b >= warmup;
  const before = [spent(sequential), spent(parallel)];
  for (const side of [sequential, parallel]) {
    const t0 = performance.now();
    const res = side.app.finalizeBlock(finalizeRequest(b + 1, blocks[b]!));
    const t1 = performance.now();
    side.app.commit();
    side.hashes.push(Buffer.from(res.appHash).toString('hex'));
    if (!measuring) continue;
    side.commitMs += performance.now() - t1;
    side.finalizeMs += t1 - t0;
    side.measuredTxs += blocks[b]!.length;
    side.failed += res.txResults.filter((r) => r.code !== 0).length;
  }
  if (measuring) {
    const [seq, par] = [spent(sequential), spent(parallel)];
    perBlock.push({
      execution: (seq.execution - before[0]!.execution) / (par.execution - before[1]!.execution),
      finalizeCommit: (seq.finalizeCommit - before[0]!.finalizeCommit) / (par.finalizeCommit - before[1]!.finalizeCommit),
    });
  }
}
const spread = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const r = (x: number) => Number(x.toFixed(2));
  return { median: r(sorted[Math.floor(sorted.length / 2)]!), min: r(sorted[0]!), max: r(sorted[sorted.length - 1]!) };
};
const ms = (x: number) => Math.round(x);
const summary = (s: Side) => ({
  txPerSecond: Math.round((s.measuredTxs / (s.finalizeMs + s.commitMs)) * 1000),
  finalizeMs: ms(s.finalizeMs),
  signaturePreverifyMs: ms(s.preverifyMs),
  executorMs: ms(s.executorMs),
  // Decoding, block hooks, result conversion and the state root (SMT) — the same code on both sides.
  restOfFinalizeMs: ms(s.finalizeMs - s.preverifyMs - s.executorMs),
  commitMs: ms(s.commitMs),
  reexecutionsPerTx: Number((s.reexecutions / s.measuredTxs).toFixed(3)),
  failedTxs: s.failed,
});
const hashesMatch = sequential.hashes.join() === parallel.hashes.join();
const measuredBlocks = blocks.length - warmup;
const result = {
  benchmark: 'exec-mixed',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
  workload: {
    blocks: blocks.length,
    warmupBlocks: warmup,
    measuredBlocks,
    txs: txCount,
    measuredTxs: sequential.measuredTxs,
    accounts: Number(opts.accounts),
    modules: 'auth, tokens, governance, drugregistry (ibc present, idle)',
    workers: Number(opts.workers),
  },
  sequential: summary(sequential),
  parallel: {
    ...summary(parallel),
    // Where the executor's time went (summed over the measured blocks): the coordinating thread ran
    // txs itself (mainExecute), validated read sets, coordinated and waited; the worker threads ran
    // txs (workersExecute, in parallel with the rest). Fallbacks keep their committed prefix.
    phasesMs: Object.fromEntries(Object.entries(parallel.phases).map(([k, v]) => [k.replace(/Ms$/, ''), ms(v)])),
    fallbacks: parallel.fallbacks,
    keptPrefixTxs: parallel.keptPrefix,
  },
  parallelCeiling: ceiling,
  speedup: 0,
  // The sequential node verifies signatures inside its executor (the ante); the parallel one just
  // before, on all threads: compare execution with the signature checks on both sides.
  perBlockSpeedup: {
    executionWithSignatures: spread(perBlock.map((p) => p.execution)),
    finalizeBlockPlusCommit: spread(perBlock.map((p) => p.finalizeCommit)),
  },
  executionWithSignaturesSpeedup: Number(
    ((sequential.executorMs + sequential.preverifyMs) / (parallel.executorMs + parallel.preverifyMs)).toFixed(2),
  ),
  appHashesMatch: hashesMatch,
};
result.speedup = Number((result.parallel.txPerSecond / result.sequential.txPerSecond).toFixed(2));
const { phasesMs, fallbacks, keptPrefixTxs, ...parallelRow } = result.parallel;
console.table({ sequential: result.sequential, parallel: parallelRow });
console.log(
  `parallel executor phases (ms, ${measuredBlocks} blocks): ${JSON.stringify(phasesMs)}; fallbacks ${fallbacks} (kept ${keptPrefixTxs} txs)`,
);
console.log(
  `FinalizeBlock+Commit speedup ${result.speedup}x; execution with signature checks ${result.executionWithSignaturesSpeedup}x; app hashes match at every height: ${hashesMatch}`,
);
console.log(
  `per block (median, min–max): execution ${JSON.stringify(result.perBlockSpeedup.executionWithSignatures)}, FinalizeBlock+Commit ${JSON.stringify(result.perBlockSpeedup.finalizeBlockPlusCommit)}`,
);
await sequential.close();
await parallel.close();
fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${opts.out}`);
if (!hashesMatch) process.exitCode = 1;
