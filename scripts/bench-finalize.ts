/**
 * `npm run bench:finalize -- [--accounts N] [--block-size N] [--blocks N] [--out FILE]`
 *
 * Drives FinalizeBlock + Commit in process (no CometBFT) with blocks of signed transfers over a
 * real LMDB store, twice in the same run: with every signature verified during FinalizeBlock, and
 * with signatures already verified at CheckTx (the verified-signature cache). Prints tx/s for both,
 * their ratio, and the share of time spent in Commit; writes the figures as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import { addGenesisAccount, defaultAppState } from '../app/node/genesis.js';
import { CommitStore } from '../app/store/commit-store.js';
import { seededRandom } from '../app/exec/prng.js';
import { makeAccounts, signedTransfer } from './lib/signed-transfers.js';
import { finalizeRequest } from '../test/harness.js';

const program = new Command('bench-finalize')
  .option('--accounts <n>', 'funded accounts (senders and recipients)', '10000')
  .option('--block-size <n>', 'transfers per block', '1000')
  .option('--blocks <n>', 'blocks per run', '8')
  .option('--out <file>', 'JSON result file', 'bench/results/finalize.json')
  .parse();
const opts = program.opts<{ accounts: string; blockSize: string; blocks: string; out: string }>();
const accountCount = Number(opts.accounts);
const blockSize = Number(opts.blockSize);
const blockCount = Number(opts.blocks);
const chainId = 'bench-chain';

const chainSpec = composeChain();
const denom = chainSpec.config.bondDenom;

// ─── workload: the same signed blocks for both runs ───
console.log(`workload: ${blockCount} blocks x ${blockSize} MsgSend txs over ${accountCount} accounts (1 signature each)`);
const accounts = makeAccounts(accountCount, chainSpec.config.addresses);
let appState = defaultAppState(chainSpec);
for (const account of accounts) appState = addGenesisAccount(appState, account.address, [{ denom, amount: '1000000000000' }]);
const random = seededRandom(42);
const blocks: Uint8Array[][] = [];
let sender = 0;
for (let b = 0; b < blockCount; b++) {
  const txs: Uint8Array[] = [];
  for (let i = 0; i < blockSize; i++) {
    const from = accounts[sender++ % accountCount]!;
    const to = accounts[Math.floor(random() * accountCount)]!;
    txs.push(signedTransfer(from, to.address, { chainId, denom }));
  }
  blocks.push(txs);
}
const appStateBytes = new TextEncoder().encode(JSON.stringify(appState));

interface RunResult {
  txPerSecond: number;
  finalizeMs: number;
  commitMs: number;
  commitShare: number;
  appHashes: string[];
}

/** One node under test: a fresh LMDB store and app, fed the same blocks. */
function openRun(preverified: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-bench-'));
  const store = CommitStore.open(dir);
  const app = new BaseApp({ ...composeChain(), store });
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId, validators: [], appStateBytes, initialHeight: 1n });
  const totals = { finalizeMs: 0, commitMs: 0, appHashes: [] as string[] };
  return {
    runBlock(b: number) {
      const txs = blocks[b]!;
      if (preverified) {
        for (const tx of txs) {
          const res = app.checkTx({ tx, type: 0 });
          if (res.code !== 0) throw new Error(`CheckTx failed: ${res.log}`);
        }
      }
      const t0 = performance.now();
      const res = app.finalizeBlock(finalizeRequest(b + 1, txs));
      const t1 = performance.now();
      app.commit();
      const t2 = performance.now();
      const failed = res.txResults.filter((r) => r.code !== 0);
      if (failed.length) throw new Error(`${failed.length} txs failed, first: ${failed[0]!.log}`);
      totals.finalizeMs += t1 - t0;
      totals.commitMs += t2 - t1;
      totals.appHashes.push(Buffer.from(res.appHash).toString('hex'));
    },
    async finish(): Promise<RunResult> {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
      const total = blockSize * blockCount;
      const { finalizeMs, commitMs } = totals;
      return {
        txPerSecond: Math.round((total / (finalizeMs + commitMs)) * 1000),
        finalizeMs: Math.round(finalizeMs),
        commitMs: Math.round(commitMs),
        commitShare: Number((commitMs / (finalizeMs + commitMs)).toFixed(3)),
        appHashes: totals.appHashes,
      };
    },
  };
}

// Both sides run in the same process, block by block in turn, so machine noise hits them alike.
const verifiedRun = openRun(false);
const cachedRun = openRun(true);
for (let b = 0; b < blocks.length; b++) {
  verifiedRun.runBlock(b);
  cachedRun.runBlock(b);
}
const verified = await verifiedRun.finish();
const cached = await cachedRun.finish();
const sameHashes = verified.appHashes.join() === cached.appHashes.join();
const result = {
  benchmark: 'finalize',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  workload: { accounts: accountCount, blockSize, blocks: blockCount, tx: 'MsgSend, 1 secp256k1 signature', executor: 'sequential' },
  signaturesVerifiedInBlock: { ...verified, appHashes: undefined },
  signaturesPreverifiedAtCheckTx: { ...cached, appHashes: undefined },
  speedupFromPreverification: Number((cached.txPerSecond / verified.txPerSecond).toFixed(2)),
  appHashesMatch: sameHashes,
};
console.table({
  'signatures verified in FinalizeBlock': { 'tx/s': verified.txPerSecond, 'finalize ms': verified.finalizeMs, 'commit ms': verified.commitMs, 'commit share': verified.commitShare },
  'signatures pre-verified at CheckTx': { 'tx/s': cached.txPerSecond, 'finalize ms': cached.finalizeMs, 'commit ms': cached.commitMs, 'commit share': cached.commitShare },
});
console.log(`ratio (pre-verified / verified): ${result.speedupFromPreverification}x; app hashes match: ${sameHashes}`);
if (!sameHashes) {
  console.error('app hashes differ between the two runs: that is a determinism bug');
  process.exitCode = 1;
}
fs.mkdirSync(path.dirname(opts.out), { recursive: true });
fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${opts.out}`);
