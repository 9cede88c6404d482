/**
 * Executor benchmark: sequential vs Block-STM on worker threads, same process, same blocks.
 *   node --import tsx scripts/bench-exec.ts [--quick] [--workers N] [--runs R]
 * Workloads: uniform transfers (bump sender sequence, move an amount) over 2, 100, 10k and 100k
 * accounts, blocks of 1k and 10k txs; a hot-key variant (every tx also credits one fee key); and
 * a "heavy handler" variant (plus ~20 µs of CPU per tx) showing where parallelism pays on 2 cores.
 * Writes bench/results/exec.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lineChart, renderPng } from '../app/loadgen/vega-chart.js';
import { measureParallelCeiling } from './lib/parallel-ceiling.js';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { keyString } from '../app/store/bytes.js';
import type { KVChange } from '../app/store/types.js';
import { ParallelExecutor } from '../app/exec/parallel.js';
import { SharedSnapshot } from '../app/exec/portable-base.js';
import { SequentialExecutor } from '../app/exec/sequential.js';
import { SimulatedExecutor } from '../app/exec/simulator.js';
import { genesis, syntheticTask, transferBlock, type SyntheticBlock, type TransferWorkload } from '../app/exec/synthetic.js';
import type { ExecResult } from '../app/exec/types.js';
import { createHash, randomBytes } from 'node:crypto';
import secp256k1 from 'secp256k1';
import { verifyOne, type SigItem } from '../app/exec/signatures.js';

/** Valid (pubkey, sha256(signDoc), sig) triples from fresh keys (benchmark input only). */
function signedItems(n: number): SigItem[] {
  return Array.from({ length: n }, (_, i) => {
    let priv: Uint8Array;
    do priv = randomBytes(32);
    while (!secp256k1.privateKeyVerify(priv));
    const msgHash = new Uint8Array(createHash('sha256').update(`sign doc ${i}`).digest());
    return { pubkey: secp256k1.publicKeyCreate(priv, true), msgHash, sig: secp256k1.ecdsaSign(msgHash, priv).signature };
  });
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argNum = (name: string, dflt: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const workers = argNum('--workers', availableParallelism());
const runs = argNum('--runs', quick ? 1 : 3);

interface Case {
  name: string;
  w: TransferWorkload;
  /** Run Block-STM to the end even when conflicts would make the pool bail out to sequential. */
  noBailout?: boolean;
}
const cases: Case[] = [];
for (const accounts of quick ? [2, 10_000] : [2, 100, 10_000, 100_000]) {
  for (const txs of quick ? [1_000] : [1_000, 10_000])
    cases.push({ name: `transfer a=${accounts} b=${txs}`, w: { accounts, txs, seed: accounts + txs } });
}
cases.push({ name: 'hot-key a=10000 b=10000', w: { accounts: 10_000, txs: quick ? 1_000 : 10_000, seed: 77, hotKey: true } });
cases.push({ name: 'heavy(20us) a=10000 b=10000', w: { accounts: 10_000, txs: quick ? 1_000 : 10_000, seed: 78, work: 20_000 } });
cases.push({ name: 'heavy(20us) a=100 b=10000', w: { accounts: 100, txs: quick ? 1_000 : 10_000, seed: 79, work: 20_000 } });
cases.push({
  name: 'heavy(20us) hot-key a=10000 b=10000',
  w: { accounts: 10_000, txs: quick ? 1_000 : 10_000, seed: 80, work: 20_000, hotKey: true },
});
// The same contended workloads with the bail-out disabled: what Block-STM itself does with them.
cases.push({ name: 'transfer a=100 b=10000 (no bail-out)', w: { accounts: 100, txs: quick ? 1_000 : 10_000, seed: 81 }, noBailout: true });
cases.push({
  name: 'hot-key a=10000 b=10000 (no bail-out)',
  w: { accounts: 10_000, txs: quick ? 1_000 : 10_000, seed: 82, hotKey: true },
  noBailout: true,
});
cases.push({
  name: 'heavy(20us) a=100 b=10000 (no bail-out)',
  w: { accounts: 100, txs: quick ? 1_000 : 10_000, seed: 83, work: 20_000 },
  noBailout: true,
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function sameWrites(a: readonly KVChange[], b: readonly KVChange[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (keyString(a[i]!.key) !== keyString(b[i]!.key)) return false;
    const x = a[i]!.value;
    const y = b[i]!.value;
    if ((x === null) !== (y === null) || (x !== null && Buffer.compare(x, y!) !== 0)) return false;
  }
  return true;
}

async function main() {
  const loadAtStart = loadavg().map((x) => +x.toFixed(2));
  // What two threads can gain on this machine at best, measured now (see parallel-ceiling.ts).
  const ceiling = await measureParallelCeiling();
  console.log(JSON.stringify({ parallelCeiling: ceiling }));
  const taskModule = { url: new URL('../app/exec/synthetic.ts', import.meta.url).href, exportName: 'syntheticTask' };
  const pool = await ParallelExecutor.create({ workers, taskModule });
  const poolNoBailout = await ParallelExecutor.create({ workers, taskModule, conflictBailout: { after: 0, ratio: Infinity } });
  const seq = new SequentialExecutor();
  const bases = new Map<number, SharedSnapshot>();
  const results: unknown[] = [];
  for (const c of cases) {
    let base = bases.get(c.w.accounts);
    if (base === undefined) bases.set(c.w.accounts, (base = SharedSnapshot.of(genesis(c.w.accounts))));
    const block: SyntheticBlock = transferBlock(c.w);
    const task = { ...syntheticTask(block), payload: block };
    // Warm-up (JIT, worker snapshot decode) — not measured.
    const want = seq.execute(base, task);
    const par = c.noBailout ? poolNoBailout : pool;
    par.execute(base, task);
    const seqMs: number[] = [];
    const parMs: number[] = [];
    const seqCpu: number[] = [];
    const parCpu: number[] = [];
    const cpuNow = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let last: ExecResult<unknown> | undefined;
    let match = true;
    for (let r = 0; r < runs; r++) {
      let t = performance.now();
      let c = cpuNow();
      const s = seq.execute(base, task);
      seqMs.push(performance.now() - t);
      seqCpu.push(cpuNow() - c);
      t = performance.now();
      c = cpuNow();
      const p = par.execute(base, task);
      parMs.push(performance.now() - t);
      parCpu.push(cpuNow() - c);
      last = p;
      match &&= sameWrites(p.writes, s.writes) && JSON.stringify(p.outputs) === JSON.stringify(want.outputs);
    }
    // Block-STM in one thread (the simulator with one virtual worker): the capture/validation overhead alone.
    let t = performance.now();
    const one = new SimulatedExecutor({ workers: 1, seed: 1, queueDepth: 1 }).execute(base, task);
    const oneMs = performance.now() - t;
    match &&= sameWrites(one.writes, want.writes);
    const s = last!.stats;
    const row = {
      workload: c.name,
      accounts: c.w.accounts,
      txs: c.w.txs,
      hotKey: !!c.w.hotKey,
      workItersPerTx: c.w.work ?? 0,
      sequentialMs: +median(seqMs).toFixed(2),
      parallelMs: +median(parMs).toFixed(2),
      sequentialTps: Math.round(c.w.txs / (median(seqMs) / 1000)),
      parallelTps: Math.round(c.w.txs / (median(parMs) / 1000)),
      speedup: +(median(seqMs) / median(parMs)).toFixed(2),
      // Process CPU time (all threads): on a shared, loaded machine wall time is noisy, CPU time shows the overhead.
      sequentialCpuMs: +median(seqCpu).toFixed(1),
      parallelCpuMs: +median(parCpu).toFixed(1),
      blockstmOneThreadMs: +oneMs.toFixed(2),
      executionsPerTx: +(s.executions / c.w.txs).toFixed(3),
      validationsPerTx: +(s.validations / c.w.txs).toFixed(3),
      abortsPerTx: +(s.aborts / c.w.txs).toFixed(3),
      dependencyWaitsPerTx: +(s.dependencyWaits / c.w.txs).toFixed(3),
      mainThreadShareOfRuns: s.mainThreadRuns === undefined ? null : +(s.mainThreadRuns / (s.executions + s.dependencyWaits)).toFixed(3),
      fellBackToSequential: s.fellBackToSequential,
      fallbackReason: s.fallbackReason ?? null,
      // After a bail-out, the txs whose parallel results were already final and were kept.
      keptPrefix: s.keptPrefix ?? null,
      // Time per phase of the last parallel run (ms): main thread running txs / validating /
      // coordinating / waiting, the sequential tail after a fallback, and the worker threads' run time.
      phasesMs: s.phases ? Object.fromEntries(Object.entries(s.phases).map(([k, v]) => [k.replace(/Ms$/, ''), +v.toFixed(1)])) : null,
      finalWritesMatch: match,
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
  // Signature verification off the critical path: one batch on this thread alone vs on the pool.
  const items = signedItems(quick ? 500 : 4_000);
  let t = performance.now();
  const alone = items.map((it) => verifyOne(it.pubkey, it.msgHash, it.sig));
  const aloneMs = performance.now() - t;
  pool.verifySignatures(items); // warm-up
  t = performance.now();
  const pooled = pool.verifySignatures(items);
  const poolMs = performance.now() - t;
  const signatures = {
    items: items.length,
    oneThreadMs: +aloneMs.toFixed(1),
    poolMs: +poolMs.toFixed(1),
    oneThreadPerSecond: Math.round(items.length / (aloneMs / 1000)),
    poolPerSecond: Math.round(items.length / (poolMs / 1000)),
    speedup: +(aloneMs / poolMs).toFixed(2),
    allValid: alone.every(Boolean) && pooled.every(Boolean),
  };
  console.log(JSON.stringify({ signatures }));
  await Promise.all([pool.close(), poolNoBailout.close()]);
  const out = {
    benchmark: 'exec',
    date: new Date().toISOString(),
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      availableParallelism: availableParallelism(),
      memGiB: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
    },
    workers,
    runsPerCase: runs,
    note: 'median of runs after one warm-up; sequential and parallel run the same block in the same process; parallel = ParallelExecutor with `workers` executing threads: the main thread (coordinator, also executes) + workers-1 worker threads. CPU ms = process CPU time of all threads. The machine is shared with other engineers: check loadAverage* before trusting wall-clock speedups.',
    parallelCeiling: ceiling,
    results,
    signatures,
  };
  const dir = fileURLToPath(new URL('../bench/results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(dir + 'exec.json', JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${dir}exec.json`);
  await writeChart(results as ChartRow[], dir + 'exec.png');
}

interface ChartRow {
  workload: string;
  accounts: number;
  txs: number;
  sequentialTps: number;
  parallelTps: number;
}

/** tx/s against contention (accounts) for the plain transfer blocks of 10k txs, both executors. */
async function writeChart(results: ChartRow[], file: string): Promise<void> {
  const rows = results.filter((r) => r.workload.startsWith('transfer a=') && r.txs === 10_000 && !r.workload.includes('no bail-out'));
  const data = rows.flatMap((r) => [
    { accounts: r.accounts, tps: r.sequentialTps, executor: 'sequential' },
    { accounts: r.accounts, tps: r.parallelTps, executor: 'parallel' },
  ]);
  const png = await renderPng(
    lineChart({
      title: 'Transfers, blocks of 10k txs: tx/s against number of accounts (fewer = more contention)',
      data,
      x: { field: 'accounts', title: 'accounts', log: true },
      y: { field: 'tps', title: 'tx/s' },
      series: 'executor',
    }),
  );
  writeFileSync(file, png);
  console.log(`wrote ${file}`);
}

if (process.argv.includes('--chart-only')) {
  // Redraw the chart from the committed figures without re-running the benchmark.
  const dir = fileURLToPath(new URL('../bench/results/', import.meta.url));
  const saved = JSON.parse(readFileSync(dir + 'exec.json', 'utf8')) as { results: ChartRow[] };
  await writeChart(saved.results, dir + 'exec.png');
} else
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
