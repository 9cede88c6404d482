/**
 * End-to-end throughput under CometBFT, side by side with the Cosmos SDK (simd) and CometBFT's
 * kvstore ceiling:
 *   node --import tsx scripts/bench-e2e.ts [--quick] [--out-dir bench/results] [--no-profile]
 * For each workload (transfer, hot, mixed, drug), three times interleaved: the kvstore app, our
 * chain with the parallel and the sequential executor, and simd (not for drug: it has no drug
 * registry), each on a fresh single-validator localnet with the same CometBFT binary, settings,
 * accounts, fee, gas limit and tx size; medians are compared. Transfers also with async broadcast,
 * the three systems again. For transfers also two zones
 * at once (two localnets of ours, and two kvstore nodes as their ceiling; aggregate TPS). Then one
 * profiled run of ours. Writes e2e.json and e2e.png (--quick: one short round, e2e-quick.*).
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderSuiteChart } from '../app/loadgen/chart.js';
import { DEFAULT_COMET_SETTINGS } from '../app/loadgen/defaults.js';
import { DEFAULT_RUN_OPTIONS, runLoad } from '../app/loadgen/run.js';
import { formatSuite, runSuite } from '../app/loadgen/suite.js';
import { formatSystems, systemsTable } from '../app/loadgen/systems.js';
import { repoRoot } from '../app/node/cometbft.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const outDir = path.resolve(
  args[args.indexOf('--out-dir') + 1] && args.includes('--out-dir')
    ? args[args.indexOf('--out-dir') + 1]!
    : path.join(repoRoot(), 'bench/results'),
);
const profile = !args.includes('--no-profile');

const log = (l: string) => console.error(`bench:e2e: ${l}`);
const command = `npm run bench:e2e${args.length ? ` -- ${args.join(' ')}` : ''}`;
const load = {
  txs: quick ? 2_000 : 8_000,
  kvstoreTxs: quick ? 6_000 : 60_000,
  repeats: quick ? 1 : 3,
  accounts: quick ? 500 : 3_000,
  rate: 0,
  connections: 32,
  maxSendMs: quick ? 20_000 : 60_000,
  warmupMs: 2_000,
  drainTimeoutMs: 60_000,
  comet: DEFAULT_COMET_SETTINGS,
  seed: 1,
  progress: process.stderr.isTTY === true,
  log,
};
const report = await runSuite({
  ...load,
  targets: ['kvstore', 'parazone', 'simd'],
  workloads: ['transfer', 'hot', 'mixed', 'drug'],
  executors: ['parallel', 'sequential'],
  mode: 'sync',
  profileDir: profile ? fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'parazone-e2e-prof-')) : undefined,
  command,
  // Two zones at once for transfers (first executor, parallel), with the same txs and accounts per zone.
  zones: 2,
});
// The three systems again with async broadcast (the sender does not wait for CheckTx answers).
const asyncReport = await runSuite({
  ...load,
  targets: ['kvstore', 'parazone', 'simd'],
  workloads: ['transfer'],
  executors: ['parallel'],
  mode: 'async',
  command: `${command} (async part)`,
});
// Probe: the block path alone. Async broadcast fills the mempool at once, so CheckTx of the whole
// batch runs first and blocks are then as full as they get: committed TPS here is what
// FinalizeBlock + Commit sustain without CheckTx interleaved (its latency is mostly CheckTx queueing).
const prefill = await runLoad({
  ...DEFAULT_RUN_OPTIONS,
  target: 'parazone',
  workload: 'transfer',
  executor: 'parallel',
  txs: quick ? 3_000 : 10_000,
  accounts: quick ? 500 : 3_000,
  mode: 'async',
  connections: 64,
  warmupMs: 0,
  log,
});
const systems = systemsTable([...report.runs, ...asyncReport.runs]);
const full = {
  ...report,
  systems,
  async: asyncReport,
  probes: [
    {
      name: 'mempool-prefilled',
      description:
        'our chain, transfers, async broadcast of the whole batch at once: TPS = the block path (FinalizeBlock + Commit) with CheckTx done beforehand; compare with the sync runs to see the cost of CheckTx interleaved on the same app thread',
      run: prefill,
    },
  ],
};
fs.mkdirSync(outDir, { recursive: true });
const base = path.join(outDir, quick ? 'e2e-quick' : 'e2e');
fs.writeFileSync(`${base}.json`, `${JSON.stringify(full, null, 2)}\n`);
fs.writeFileSync(`${base}.png`, await renderSuiteChart(report));
console.log(formatSuite(full));
console.log(["all systems side by side (medians; ×: our tx/s over simd's and over kvstore's):", ...formatSystems(systems)].join('\n'));
console.log(`wrote ${base}.json and ${base}.png`);
