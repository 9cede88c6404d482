/**
 * `npm run bench:zone-scaling [-- --txs N --repeats N]`: the aggregate committed TPS of one zone
 * versus two zones on this machine. Each zone is its own chain (own CometBFT, own app process),
 * loaded by `parazone loadgen`'s engine with pre-signed transfers; for two zones both are loaded at
 * once (runZones: their loads start together) and their committed TPS (measured from each chain's
 * blocks) are added. `npm run bench:e2e` has the same two-zone figure beside the kvstore ceiling
 * (report section "zones"). The runs alternate
 * (one zone, two zones, …) so machine noise hits both alike. Writes bench/results/zone-scaling.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Command } from 'commander';
import { DEFAULT_RUN_OPTIONS, runLoad, type RunOptions, type RunReport } from '../app/loadgen/run.js';
import { runZones } from '../app/loadgen/zones.js';

const opts = new Command('bench-zone-scaling')
  .option('--txs <n>', 'transfers sent to each zone per run', '12000')
  .option('--accounts <n>', 'sending accounts per zone', '1500')
  .option('--repeats <n>', 'alternating repeats of each configuration', '2')
  .option('--out <file>', 'JSON result file', 'bench/results/zone-scaling.json')
  .parse()
  .opts<{ txs: string; accounts: string; repeats: string; out: string }>();

const runOptions = (seed: number): RunOptions => ({
  ...DEFAULT_RUN_OPTIONS,
  target: 'parazone',
  workload: 'transfer',
  txs: Number(opts.txs),
  accounts: Number(opts.accounts),
  seed,
  executor: 'sequential',
});

const tps = (r: RunReport) => r.tps?.tps ?? 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(
  `workload: ${opts.txs} pre-signed transfers per zone over ${opts.accounts} accounts, sync broadcast, ${opts.repeats} alternating repeats; ${os.cpus().length} cores`,
);
const one: number[] = [];
const two: { aggregate: number; zones: number[] }[] = [];
for (let r = 0; r < Number(opts.repeats); r++) {
  const single = await runLoad(runOptions(100 + r));
  one.push(tps(single));
  console.log(`one zone:  ${Math.round(tps(single))} tx/s`);
  const pair = await runZones(runOptions(200 + r), 2);
  const zones = pair.map(tps);
  two.push({ aggregate: zones[0]! + zones[1]!, zones });
  console.log(`two zones: ${zones.map(Math.round).join(' + ')} = ${Math.round(zones[0]! + zones[1]!)} tx/s`);
}
const result = {
  benchmark: 'zone-scaling',
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadAverageAtEnd: os.loadavg() },
  workload: {
    txsPerZone: Number(opts.txs),
    accountsPerZone: Number(opts.accounts),
    tx: 'MsgSend (310 B)',
    executor: 'sequential',
    broadcast: 'sync',
  },
  oneZoneTps: one.map(Math.round),
  twoZones: two.map((t) => ({ aggregateTps: Math.round(t.aggregate), zonesTps: t.zones.map(Math.round) })),
  medianOneZoneTps: Math.round(median(one)),
  medianTwoZonesAggregateTps: Math.round(median(two.map((t) => t.aggregate))),
  scaling: Number((median(two.map((t) => t.aggregate)) / median(one)).toFixed(2)),
};
console.log(
  `median: one zone ${result.medianOneZoneTps} tx/s, two zones ${result.medianTwoZonesAggregateTps} tx/s aggregate → ×${result.scaling}`,
);
fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${opts.out}`);
