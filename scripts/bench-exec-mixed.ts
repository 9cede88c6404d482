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
import { NodeParallelExecutor } from '../app/node/parallel-executor.js';
import { CommitStore } from '../app/store/commit-store.js';
import { finalizeRequest, initChainRequest } from '../test/harness.js';
import { mixedActors, mixedBlocks, mixedGenesis } from './lib/mixed-stream.js';
import { makeAccounts } from './lib/signed-transfers.js';

const opts = new Command('bench-exec-mixed')
  .option('--accounts <n>', 'accounts (senders and recipients)', '4000')
  .option('--transfers <n>', 'transfer txs attempted per block (each account sends at most once a block)', '2000')
  .option('--blocks <n>', 'blocks', '6')
  .option('--workers <n>', 'parallel executor threads, the main one included', String(os.availableParallelism()))
  .option('--out <file>', 'JSON result file', 'bench/results/exec-mixed.json')
  .parse()
  .opts<{ accounts: string; transfers: string; blocks: string; workers: string; out: string }>();

const chainId = 'bench-mixed';
const denom = 'upara';
const accounts = makeAccounts(Number(opts.accounts), composeChain().config.addresses);
const actors = mixedActors(accounts);
const genesis = initChainRequest(chainId, mixedGenesis(accounts, actors, denom));
const blocks = [...mixedBlocks({ seed: 7, accounts, actors, chainId, denom, blocks: Number(opts.blocks), transfersPerBlock: Number(opts.transfers) })];
const txCount = blocks.reduce((n, b) => n + b.length, 0);
console.log(`workload: ${blocks.length} blocks, ${txCount} txs (transfers, multi-Msg, governance, drug registry) over ${opts.accounts} accounts; ${os.cpus().length} cores, ${opts.workers} threads for the parallel node`);

interface Side {
  readonly app: BaseApp;
  readonly store: CommitStore;
  readonly dir: string;
  finalizeMs: number;
  commitMs: number;
  preverifyMs: number;
  reexecutions: number;
  hashes: string[];
  failed: number;
  close(): Promise<void>;
}

async function openSide(parallel: boolean): Promise<Side> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-mixed-'));
  const store = CommitStore.open(dir);
  const chain = composeChain();
  const executor = parallel ? await NodeParallelExecutor.create({ store, dir, workers: Number(opts.workers) }) : undefined;
  const side: Side = {
    app: undefined as unknown as BaseApp,
    store,
    dir,
    finalizeMs: 0,
    commitMs: 0,
    preverifyMs: 0,
    reexecutions: 0,
    hashes: [],
    failed: 0,
    async close() {
      await executor?.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  const app = new BaseApp({
    ...chain,
    store,
    executor,
    observer: { blockFinalized: (info) => (side.reexecutions += info.reexecutions) },
    preverified: executor
      ? {
          cache: chain.signatureCache,
          checks: chain.signatureChecks,
          verify: (items) => {
            const t = performance.now();
            const out = executor.verifySignatures(items);
            side.preverifyMs += performance.now() - t;
            return out;
          },
        }
      : undefined,
  });
  (side as { app: BaseApp }).app = app;
  app.initChain(genesis);
  return side;
}

const sequential = await openSide(false);
const parallel = await openSide(true);
for (let b = 0; b < blocks.length; b++) {
  for (const side of [sequential, parallel]) {
    const t0 = performance.now();
    const res = side.app.finalizeBlock(finalizeRequest(b + 1, blocks[b]!));
    const t1 = performance.now();
    side.app.commit();
    side.commitMs += performance.now() - t1;
    side.finalizeMs += t1 - t0;
    side.failed += res.txResults.filter((r) => r.code !== 0).length;
    side.hashes.push(Buffer.from(res.appHash).toString('hex'));
  }
}
const summary = (s: Side) => ({
  txPerSecond: Math.round((txCount / (s.finalizeMs + s.commitMs)) * 1000),
  finalizeMs: Math.round(s.finalizeMs),
  signaturePreverifyMs: Math.round(s.preverifyMs),
  executeMs: Math.round(s.finalizeMs - s.preverifyMs),
  commitMs: Math.round(s.commitMs),
  reexecutionsPerTx: Number((s.reexecutions / txCount).toFixed(3)),
  failedTxs: s.failed,
});
const hashesMatch = sequential.hashes.join() === parallel.hashes.join();
const result = {
  benchmark: 'exec-mixed',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
  workload: { blocks: blocks.length, txs: txCount, accounts: Number(opts.accounts), modules: 'auth, tokens, governance, drugregistry (ibc present, idle)', workers: Number(opts.workers) },
  sequential: summary(sequential),
  parallel: summary(parallel),
  speedup: 0,
  appHashesMatch: hashesMatch,
};
result.speedup = Number((result.parallel.txPerSecond / result.sequential.txPerSecond).toFixed(2));
console.table({ sequential: result.sequential, parallel: result.parallel });
console.log(`speedup ${result.speedup}x; app hashes match at every height: ${hashesMatch}`);
await sequential.close();
await parallel.close();
fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${opts.out}`);
if (!hashesMatch) process.exitCode = 1;
