/**
 * `npm run bench:cli -- [--repeats N] [--out FILE]`
 *
 * Wall time of whole `parazone` processes, start to exit, as a user at the keyboard sees them:
 * `--help`, a local command (`keys list`) and a query against a running node (started here in a
 * temporary home), each run N times after one warm-up run; medians are compared with the targets
 * (help < 300 ms, query < 600 ms). The same commands through tsx from the TypeScript sources
 * (how the CLI ran before it was compiled) are timed as the comparison rows, and `node -e ''` as
 * the floor (Node's own start on this machine at this load).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { QueryAllBalancesRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { repoRoot, rpcCall } from '../app/node/cometbft.js';
import { Cleanup } from '../test/helpers/cleanup.js';
import { startTestChain, TEST_DENOM } from '../test/helpers/chain.js';
import { build, isBuildCurrent } from '../bin/build.js';

const program = new Command('bench-cli')
  .option('--repeats <n>', 'timed runs of each command (after one warm-up run)', '15')
  .option('--out <file>', 'JSON result file', 'bench/results/cli.json')
  .parse();
const opts = program.opts<{ repeats: string; out: string }>();
const repeats = Number(opts.repeats);
const root = repoRoot();
const TARGET_MS = { help: 300, query: 600 };

const loadAverageAtStart = os.loadavg().map((x) => +x.toFixed(2));
if (!isBuildCurrent()) await build();

const cleanup = new Cleanup();
try {
  console.log(`workload: each command run ${repeats} times (plus one warm-up) as a new process; medians`);
  const chain = await startTestChain({ accounts: { alice: `1000000000${TEST_DENOM}` } }, cleanup);
  const alice = chain.keys.alice!.address;
  const compiled = [path.join(root, 'bin/parazone.js')];
  const viaTsx = ['--import', 'tsx', path.join(root, 'app/cli/main.ts')];
  const commands: Record<string, string[]> = {
    help: ['--help'],
    keysList: ['keys', 'list', '--home', chain.home],
    query: ['query', 'bank', 'balances', alice, '--node', chain.rpc],
  };

  const rows: Record<string, { command: string; medianMs: number; minMs: number; maxMs: number }> = {};
  const time = (label: string, runner: string[], args: string[]) => {
    const samples: number[] = [];
    for (let i = 0; i <= repeats; i++) {
      const started = performance.now();
      const run = spawnSync(process.execPath, [...runner, ...args], { cwd: root, encoding: 'utf8' });
      const ms = performance.now() - started;
      if (run.status !== 0) throw new Error(`${label} failed (${run.status}): ${run.stderr}`);
      if (i > 0) samples.push(ms);
    }
    samples.sort((a, b) => a - b);
    const row = {
      command: `node ${[...runner, ...args].map((a) => (a.startsWith(`${root}/`) ? path.relative(root, a) : a)).join(' ')}`,
      medianMs: round(samples[Math.floor(samples.length / 2)]!),
      minMs: round(samples[0]!),
      maxMs: round(samples.at(-1)!),
    };
    rows[label] = row;
    console.log(`${label.padEnd(16)} median ${String(row.medianMs).padStart(6)} ms  (min ${row.minMs}, max ${row.maxMs})  ${row.command}`);
  };
  // The floor every command pays: starting Node itself, on this machine under its current load.
  time('nodeStartup', ['-e', ''], []);
  for (const [name, args] of Object.entries(commands)) time(name, compiled, args);
  // The node's share of a query: the same abci_query from this warm process, no CLI around it.
  const data = Buffer.from(QueryAllBalancesRequest.encode(QueryAllBalancesRequest.fromPartial({ address: alice })).finish()).toString(
    'hex',
  );
  const roundTrips: number[] = [];
  for (let i = 0; i <= repeats; i++) {
    const started = performance.now();
    await rpcCall(chain.rpc, 'abci_query', { path: '/cosmos.bank.v1beta1.Query/AllBalances', data, prove: false });
    if (i > 0) roundTrips.push(performance.now() - started);
  }
  roundTrips.sort((a, b) => a - b);
  const queryRoundTripMs = round(roundTrips[Math.floor(roundTrips.length / 2)]!);
  console.log(
    `${'queryRoundTrip'.padEnd(16)} median ${String(queryRoundTripMs).padStart(6)} ms  (the abci_query over HTTP from a warm process)`,
  );
  time('tsxHelp', viaTsx, commands.help!);
  time('tsxQuery', viaTsx, commands.query!);

  const result = {
    benchmark: 'cli',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(2)),
      note: 'shared 2-core machine: other processes were running; see the load averages',
    },
    workload: { repeats, warmup: 1, query: '/cosmos.bank.v1beta1.Query/AllBalances against a local single-validator node' },
    nodeStartup: rows.nodeStartup,
    queryRoundTripMs,
    compiled: { help: rows.help, keysList: rows.keysList, query: rows.query },
    tsx: { help: rows.tsxHelp, query: rows.tsxQuery },
    targets: {
      helpUnderMs: TARGET_MS.help,
      queryUnderMs: TARGET_MS.query,
      helpMet: rows.help!.medianMs < TARGET_MS.help,
      queryMet: rows.query!.medianMs < TARGET_MS.query,
    },
    speedup: {
      help: +(rows.tsxHelp!.medianMs / rows.help!.medianMs).toFixed(1),
      query: +(rows.tsxQuery!.medianMs / rows.query!.medianMs).toFixed(1),
    },
  };
  console.log(
    `targets: help ${result.targets.helpMet ? 'met' : 'MISSED'}, query ${result.targets.queryMet ? 'met' : 'MISSED'}; speedup over tsx: help ${result.speedup.help}x, query ${result.speedup.query}x`,
  );
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${opts.out}`);
} finally {
  await cleanup.run();
}

function round(ms: number): number {
  return Math.round(ms);
}
