/**
 * `npm run bench:finalize -- [--accounts 1000,100000] [--block-size N] [--blocks N] [--workloads transfers,hot] [--out FILE]`
 *
 * FinalizeBlock + Commit in process (no CometBFT) over a real LMDB store, with blocks of signed
 * MsgSend txs whose signatures were verified at CheckTx (the node's normal case). Two nodes run the
 * same blocks, block by block in turn so machine noise hits both alike: one thread (the sequential
 * executor) and all threads (the Block-STM executor on worker threads). For each state size
 * (`--accounts`: funded accounts in genesis) and workload it prints and writes tx/s, µs per tx,
 * FinalizeBlock / Commit / GC time, the two-thread speedup and whether the app hashes agreed; then
 * the one-thread cost per tx from the smallest to the largest state; then where one thread's time
 * goes (decode, ante, Msg, events, state root, LMDB write, GC), from a CPU profile of one extra block.
 *
 * Workloads: `transfers` (senders in turn, random recipients among all accounts) and `hot` (every
 * tx pays one account: full contention for the parallel executor).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { Command } from 'commander';
import { composeChain } from '../app/app.js';
import { addGenesisAccounts, defaultAppState } from '../app/node/genesis.js';
import { seededRandom } from '../app/exec/prng.js';
import { finalizeRequest, initChainRequest } from '../test/harness.js';
import { openBenchNode, type BenchNode } from './lib/bench-node.js';
import { profilePhases, type PhaseShares } from './lib/phase-profile.js';
import { makeAccounts, signedTransfer, type BenchAccount } from './lib/signed-transfers.js';

const program = new Command('bench-finalize')
  .option('--accounts <list>', 'funded accounts in genesis, one run per value (comma-separated)', '1000,100000')
  .option('--block-size <n>', 'txs per block', '10000')
  .option('--blocks <n>', 'measured blocks per run', '3')
  .option('--warmup-blocks <n>', 'blocks run first and not measured (JIT, caches)', '1')
  .option('--workers <n>', 'threads of the parallel node, the main one included', String(os.availableParallelism()))
  .option('--workloads <list>', 'transfers and/or hot', 'transfers,hot')
  .option(
    '--first-signatures',
    "senders' public keys are not in genesis, so each sender's first tx stores its key (the rare case); by default they are, as for accounts that signed before",
  )
  .option('--no-profile', "skip the profiled block that splits one thread's time into phases")
  .option('--out <file>', 'JSON result file', 'bench/results/finalize.json')
  .parse();
const opts = program.opts<{
  accounts: string;
  blockSize: string;
  blocks: string;
  warmupBlocks: string;
  workers: string;
  workloads: string;
  firstSignatures?: boolean;
  profile: boolean;
  out: string;
}>();
const accountCounts = opts.accounts.split(',').map(Number);
const blockSize = Number(opts.blockSize);
const measuredBlocks = Number(opts.blocks);
const warmupBlocks = Number(opts.warmupBlocks);
const workers = Number(opts.workers);
const workloads = opts.workloads.split(',') as ('transfers' | 'hot')[];
const chainId = 'bench-chain';
const chain = composeChain();
const denom = chain.config.bondDenom;
const FUNDS = '1000000000000';

// GC pauses, attributed afterwards to the node whose block was running when they started.
const gcPauses: { start: number; duration: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
});
gcObserver.observe({ entryTypes: ['gc'] });
const gcWithin = (windows: readonly [number, number][]) =>
  gcPauses.reduce((ms, p) => ms + (windows.some(([a, b]) => p.start >= a && p.start < b) ? p.duration : 0), 0);

interface SideFigures {
  txPerSecond: number;
  usPerTx: number;
  finalizeMs: number;
  commitMs: number;
  gcMs: number;
}

interface RunFigures {
  workload: string;
  accounts: number;
  oneThread: SideFigures;
  allThreads: SideFigures & { workers: number; reexecutionsPerTx: number; fallbacks: number };
  speedup: number;
  appHashesMatch: boolean;
  phases?: PhaseShares;
}

/**
 * Genesis with `count` funded accounts: the first `keyed` have keys (they send), the rest are
 * addresses only (they make the state that size). Keyed accounts come first, so their account
 * numbers are their indexes.
 */
function buildGenesis(count: number, keyed: number): { senders: BenchAccount[]; addresses: string[]; appStateBytes: Uint8Array } {
  const senders = makeAccounts(Math.min(count, keyed), chain.config.addresses);
  const addresses = senders.map((a) => a.address);
  const random = seededRandom(7);
  const bytes = Buffer.alloc(20);
  while (addresses.length < count) {
    for (let i = 0; i < 20; i++) bytes[i] = Math.floor(random() * 256);
    addresses.push(chain.config.addresses.encode(bytes));
  }
  const appState = addGenesisAccounts(
    defaultAppState(chain),
    addresses.map((address) => ({ address, coins: [{ denom, amount: FUNDS }] })),
  );
  if (!opts.firstSignatures) {
    const keyOf = new Map(senders.map((a) => [a.address, Buffer.from(a.pubkey).toString('base64')]));
    const auth = appState.auth as { accounts: { address: string; pubKey?: string }[] };
    auth.accounts = auth.accounts.map((a) => (keyOf.has(a.address) ? { ...a, pubKey: keyOf.get(a.address) } : a));
  }
  return { senders, addresses, appStateBytes: initChainRequest(chainId, appState).appStateBytes };
}

function signBlocks(workload: 'transfers' | 'hot', senders: BenchAccount[], addresses: string[], count: number): Uint8Array[][] {
  const random = seededRandom(42);
  const hot = addresses[addresses.length - 1]!;
  const blocks: Uint8Array[][] = [];
  let next = 0;
  for (let b = 0; b < count; b++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < blockSize; i++) {
      const from = senders[next++ % senders.length]!;
      const to = workload === 'hot' ? hot : addresses[Math.floor(random() * addresses.length)]!;
      txs.push(signedTransfer(from, to, { chainId, denom }));
    }
    blocks.push(txs);
  }
  return blocks;
}

interface Tally {
  finalizeMs: number;
  commitMs: number;
  windows: [number, number][];
  hashes: string[];
}

/** CheckTx of every tx, as the mempool would have done: it verifies and caches their signatures. */
function checkBlock(node: BenchNode, height: number, txs: Uint8Array[]): void {
  for (const tx of txs) {
    const res = node.app.checkTx({ tx, type: 0 });
    if (res.code !== 0) throw new Error(`CheckTx failed at height ${height}: ${res.log}`);
  }
}

function runBlock(node: BenchNode, height: number, txs: Uint8Array[], tally: Tally | undefined): void {
  checkBlock(node, height, txs);
  finalizeAndCommit(node, height, txs, tally);
}

function finalizeAndCommit(node: BenchNode, height: number, txs: Uint8Array[], tally: Tally | undefined): void {
  const t0 = performance.now();
  const res = node.app.finalizeBlock(finalizeRequest(height, txs));
  const t1 = performance.now();
  node.app.commit();
  const t2 = performance.now();
  const failed = res.txResults.filter((r) => r.code !== 0);
  if (failed.length) throw new Error(`${failed.length} txs failed at height ${height}, first: ${failed[0]!.log}`);
  if (!tally) return;
  tally.finalizeMs += t1 - t0;
  tally.commitMs += t2 - t1;
  tally.windows.push([t0, t2]);
  tally.hashes.push(Buffer.from(res.appHash).toString('hex'));
}

function figures(t: Tally): SideFigures {
  const txs = blockSize * measuredBlocks;
  const ms = t.finalizeMs + t.commitMs;
  return {
    txPerSecond: Math.round((txs / ms) * 1000),
    usPerTx: Number(((ms * 1000) / txs).toFixed(1)),
    finalizeMs: Math.round(t.finalizeMs),
    commitMs: Math.round(t.commitMs),
    gcMs: Math.round(gcWithin(t.windows)),
  };
}

async function run(workload: 'transfers' | 'hot', accounts: number): Promise<RunFigures> {
  const totalBlocks = warmupBlocks + measuredBlocks + (opts.profile ? 1 : 0);
  const { senders, addresses, appStateBytes } = buildGenesis(accounts, blockSize * totalBlocks);
  const blocks = signBlocks(workload, senders, addresses, totalBlocks);
  const genesis = { ...initChainRequest(chainId, {}), appStateBytes };
  const one = await openBenchNode({ genesis, workers: 1 });
  const all = await openBenchNode({ genesis, workers });
  const tallies = [one, all].map((): Tally => ({ finalizeMs: 0, commitMs: 0, windows: [], hashes: [] }));
  try {
    for (let b = 0; b < warmupBlocks + measuredBlocks; b++) {
      const measuring = b >= warmupBlocks;
      runBlock(one, b + 1, blocks[b]!, measuring ? tallies[0] : undefined);
      runBlock(all, b + 1, blocks[b]!, measuring ? tallies[1] : undefined);
    }
    // GC entries reach the observer from the event loop, which the synchronous blocks never yielded to.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [oneFigures, allFigures] = [figures(tallies[0]!), figures(tallies[1]!)];
    let phases: PhaseShares | undefined;
    if (opts.profile) {
      checkBlock(one, totalBlocks, blocks[totalBlocks - 1]!);
      phases = await profilePhases(() => finalizeAndCommit(one, totalBlocks, blocks[totalBlocks - 1]!, undefined), oneFigures.usPerTx);
    }
    const stats = all.stats;
    return {
      workload,
      accounts,
      oneThread: oneFigures,
      allThreads: {
        ...allFigures,
        workers,
        reexecutionsPerTx: Number((stats.reexecutions / (blockSize * measuredBlocks)).toFixed(3)),
        fallbacks: stats.fallbacks,
      },
      speedup: Number((allFigures.txPerSecond / oneFigures.txPerSecond).toFixed(2)),
      appHashesMatch: tallies[0]!.hashes.join() === tallies[1]!.hashes.join(),
      phases,
    };
  } finally {
    await one.close();
    await all.close();
  }
}

/** The young-generation flag the node processes run with (app/node/app-process.ts), if this run has it too. */
const semiSpaceFlag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(' ')].find((a) =>
  a.startsWith('--max-semi-space-size'),
);
console.log(
  `node ${process.version}, V8 young generation: ${semiSpaceFlag ?? "V8's default (the node runs with a larger one: npm run bench:finalize sets it)"}`,
);
console.log(
  `workload: ${workloads.join(', ')} — ${measuredBlocks} measured blocks (after ${warmupBlocks} warm-up) of ${blockSize} MsgSend txs, ` +
    `signatures verified at CheckTx; state of ${accountCounts.join(' / ')} funded accounts; one thread vs ${workers} threads; ${os.cpus().length} cores`,
);
const runs: RunFigures[] = [];
for (const workload of workloads) {
  for (const accounts of accountCounts) {
    const r = await run(workload, accounts);
    runs.push(r);
    console.log(
      `${workload.padEnd(9)} ${String(accounts).padStart(8)} accounts: one thread ${r.oneThread.txPerSecond} tx/s (${r.oneThread.usPerTx} µs/tx, GC ${r.oneThread.gcMs} ms), ` +
        `${workers} threads ${r.allThreads.txPerSecond} tx/s (${r.allThreads.usPerTx} µs/tx) → ${r.speedup}x; app hashes match: ${r.appHashesMatch}`,
    );
    if (r.phases)
      console.log(
        `  one thread by phase (µs/tx): ${Object.entries(r.phases.usPerTx)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
  }
}
gcObserver.disconnect();

/** One-thread cost per tx at the largest state over the smallest, per workload. */
const scaling = workloads.map((workload) => {
  const own = runs.filter((r) => r.workload === workload).sort((a, b) => a.accounts - b.accounts);
  const [small, large] = [own[0]!, own[own.length - 1]!];
  return {
    workload,
    fromAccounts: small.accounts,
    toAccounts: large.accounts,
    costPerTxRatio: Number((large.oneThread.usPerTx / small.oneThread.usPerTx).toFixed(2)),
  };
});
for (const s of scaling) console.log(`${s.workload}: cost per tx at ${s.toAccounts} accounts / at ${s.fromAccounts}: ${s.costPerTxRatio}x`);

const mismatch = runs.some((r) => !r.appHashesMatch);
if (mismatch) {
  console.error('app hashes differ between the one-thread and the parallel node: that is a determinism bug');
  process.exitCode = 1;
}
const result = {
  benchmark: 'finalize',
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    v8YoungGeneration: semiSpaceFlag ?? 'default',
  },
  workload: {
    blockSize,
    measuredBlocks,
    warmupBlocks,
    tx: 'MsgSend, 1 secp256k1 signature verified at CheckTx',
    sendersKeysInGenesis: !opts.firstSignatures,
    workers,
  },
  runs,
  scaling,
};
fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${opts.out}`);
