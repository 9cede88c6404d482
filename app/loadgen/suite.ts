/**
 * The side-by-side run: for each workload, the kvstore ceiling and our chain (per executor mode)
 * on the same machine, with the same CometBFT settings and the same tx size, one after another,
 * then the ratio of our committed TPS to the ceiling. What `parazone loadgen` and
 * `npm run bench:e2e` both call.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import { cometbftVersion } from '../node/cometbft.js';
import { WORKLOAD_DESCRIPTIONS, type WorkloadName } from './plan.js';
import { runLoad, sampleTxBytes, type ExecutorMode, type RunOptions, type RunReport } from './run.js';
import { DRUG_NEEDS_LOCALNET, isDrugWorkload, planTxs } from './plan.js';
import type { CometSettings } from './network.js';

export interface SuiteOptions extends Omit<RunOptions, 'target' | 'workload' | 'executor'> {
  readonly workloads: readonly WorkloadName[];
  readonly executors: readonly ExecutorMode[];
  /** Run our chain, the kvstore ceiling, or both (the default: side by side). */
  readonly targets: readonly ('parazone' | 'kvstore')[];
  /** Txs budget of a kvstore run (it commits more per second, so it needs more to reach steady state). */
  readonly kvstoreTxs: number;
  /** The command line, recorded in the report. */
  readonly command?: string;
  /** Runs of each (target, workload, executor), interleaved; figures are medians. Default 1. */
  readonly repeats?: number;
  /** Extra notes for the report (e.g. what the node does not honour yet). */
  readonly extraNotes?: readonly string[];
  /**
   * If set: one more run of our chain (first workload, first executor) with the app process under
   * `node --cpu-prof`, profiles written here and summarised in the report. Not counted in the
   * comparisons (the profiler slows the app).
   */
  readonly profileDir?: string;
}

export interface Comparison {
  readonly workload: WorkloadName;
  readonly executor: ExecutorMode;
  /** Median committed TPS over the repeats (each run's steady window). */
  readonly tps: number;
  readonly ceilingTps: number;
  /** Every repeat's figure, to show the spread. */
  readonly tpsRuns: number[];
  readonly ceilingRuns: number[];
  /** Our committed TPS / kvstore committed TPS. */
  readonly ratio: number;
  /** The issue's target: at least 90 % of the ceiling (for transfers with the parallel executor). */
  readonly meetsTarget: boolean;
  /**
   * The same ratio from the repeats that had the least other work on the machine (cores busy
   * outside our processes, in brackets): the best estimate of an idle machine.
   */
  readonly quietest?: { tps: number; ceilingTps: number; ratio: number; otherCores: [number, number] };
}

export interface SuiteReport {
  readonly schema: 'parazone.loadgen/1';
  readonly createdAt: string;
  readonly command?: string;
  readonly machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    platform: string;
    node: string;
    cometbft: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
    gitCommit?: string;
  };
  readonly cometSettings: CometSettings;
  readonly load: {
    mode: RunOptions['mode'];
    connections: number;
    rate: number;
    txs: number;
    kvstoreTxs: number;
    accounts: number;
    maxSendSeconds: number;
    warmupSeconds: number;
    repeats: number;
  };
  readonly workloads: Record<string, string>;
  readonly comparisons: Comparison[];
  readonly runs: RunReport[];
  readonly profile?: { run: RunReport; app: ProfileSummary };
  /** Extra single runs that isolate one part of the pipeline (see each description). */
  readonly probes?: { name: string; description: string; run: RunReport }[];
  readonly notes: string[];
}

export const STANDING_NOTES = [
  'TPS = successful txs of this run committed in blocks of the steady window (after warm-up, before the last block carrying our txs) divided by the time those blocks took (block h runs from its header time to the next header time); everything is read from /block and /block_results, not from our sends.',
  'Latency = time the tx was (last) submitted → time the observer first saw its block\'s results (polled every 20 ms).',
  'The kvstore ceiling is CometBFT\'s built-in kvstore app (proxy_app = "kvstore", in-process, no signatures, no fees, trivial CheckTx), fed key=value txs of the same byte size as our signed txs of the same workload (MsgSend, or MsgShip for drug), with the same CometBFT settings.',
  'The load generator, CometBFT and (for our chain) the app process share the same machine; on a small machine the load generator takes part of the CPU it measures. Each run reports the cores kept busy by each process, and by every other process on the machine ("otherProcesses"): a run with other work on the machine reads low.',
  'With repeats, runs are interleaved (ceiling, ours, …, again) and comparisons use the median of each.',
];

export async function runSuite(options: SuiteOptions): Promise<SuiteReport> {
  const loadAverageStart = os.loadavg().map((x) => +x.toFixed(2));
  const runs: RunReport[] = [];
  const comparisons: Comparison[] = [];
  const notes = [...STANDING_NOTES, ...(options.extraNotes ?? [])];
  const repeats = Math.max(1, options.repeats ?? 1);
  // Refuse before any run, not after the ceiling of earlier workloads.
  if (options.external && options.targets.includes('parazone') && options.workloads.some(isDrugWorkload)) throw new Error(DRUG_NEEDS_LOCALNET);
  for (const workload of options.workloads) {
    const ceilings: number[] = [];
    const ours = new Map<ExecutorMode, number[]>();
    const ceilingRuns: RunReport[] = [];
    const ourRuns = new Map<ExecutorMode, RunReport[]>();
    // Interleaved (ceiling, ours per executor, again…) so slow drift in machine load hits all alike.
    for (let rep = 0; rep < repeats; rep++) {
      if (options.targets.includes('kvstore')) {
        const txBytes = options.txBytes ?? sampleTxBytes(planTxs(workload, Math.min(options.txs, 256), options.accounts, options.seed), options.seed);
        const ceiling = await runLoad({ ...options, target: 'kvstore', workload, executor: 'sequential', txs: options.kvstoreTxs, txBytes });
        runs.push(ceiling);
        if (ceiling.tps) {
          ceilings.push(ceiling.tps.tps);
          ceilingRuns.push(ceiling);
        }
      }
      if (!options.targets.includes('parazone')) continue;
      for (const executor of options.executors) {
        const run = await runLoad({ ...options, target: 'parazone', workload, executor });
        runs.push(run);
        if (run.tps) {
          ours.set(executor, [...(ours.get(executor) ?? []), run.tps.tps]);
          ourRuns.set(executor, [...(ourRuns.get(executor) ?? []), run]);
        }
      }
    }
    for (const [executor, list] of ours) {
      if (ceilings.length === 0) continue;
      const [tps, ceilingTps] = [median(list), median(ceilings)];
      const [q, qc] = [quietest(ourRuns.get(executor)!), quietest(ceilingRuns)];
      comparisons.push({
        workload,
        executor,
        tps: +tps.toFixed(1),
        ceilingTps: +ceilingTps.toFixed(1),
        tpsRuns: list.map((x) => +x.toFixed(1)),
        ceilingRuns: ceilings.map((x) => +x.toFixed(1)),
        ratio: +(tps / ceilingTps).toFixed(3),
        meetsTarget: tps / ceilingTps >= 0.9,
        quietest: {
          tps: +q.tps!.tps.toFixed(1),
          ceilingTps: +qc.tps!.tps.toFixed(1),
          ratio: +(q.tps!.tps / qc.tps!.tps).toFixed(3),
          otherCores: [otherCores(q), otherCores(qc)],
        },
      });
    }
  }
  notes.push(...executorNotes(runs));
  let profile: SuiteReport['profile'];
  if (options.profileDir && options.targets.includes('parazone')) {
    fs.mkdirSync(options.profileDir, { recursive: true });
    const before = new Set(fs.readdirSync(options.profileDir));
    const run = await runLoad({
      ...options,
      target: 'parazone',
      workload: options.workloads[0]!,
      executor: options.executors[0]!,
      appNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`],
    });
    const summaries = fs
      .readdirSync(options.profileDir)
      .filter((f) => f.endsWith('.cpuprofile') && !before.has(f))
      .map((f) => summarizeCpuProfile(path.join(options.profileDir!, f)));
    const app = mainThreadProfile(summaries);
    if (app) profile = { run, app };
  }
  const cometbft = await cometbftVersion().catch(() => 'unknown');
  return {
    schema: 'parazone.loadgen/1',
    createdAt: new Date().toISOString(),
    command: options.command,
    machine: {
      cores: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      cometbft,
      loadAverageStart,
      loadAverageEnd: os.loadavg().map((x) => +x.toFixed(2)),
      gitCommit: gitCommit(),
    },
    cometSettings: options.comet,
    load: {
      mode: options.mode,
      connections: options.connections,
      rate: options.rate,
      txs: options.txs,
      kvstoreTxs: options.kvstoreTxs,
      accounts: options.accounts,
      maxSendSeconds: options.maxSendMs / 1000,
      warmupSeconds: options.warmupMs / 1000,
      repeats,
    },
    workloads: Object.fromEntries(options.workloads.map((w) => [w, WORKLOAD_DESCRIPTIONS[w]])),
    comparisons,
    runs,
    ...(profile ? { profile } : {}),
    notes,
  };
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** A few lines for the terminal: one per run, then the comparisons. */
export function formatSuite(report: SuiteReport): string {
  const lines = [`machine: ${report.machine.cores} cores, ${report.machine.cpuModel}; load average ${report.machine.loadAverageStart.join(' ')} → ${report.machine.loadAverageEnd.join(' ')}`];
  for (const r of report.runs) {
    const tps = r.tps ? `${r.tps.tps.toFixed(0)} tx/s over ${r.tps.seconds.toFixed(1)} s${r.tps.steady ? '' : ' (no steady window)'}` : 'no txs committed';
    lines.push(
      `${r.target.padEnd(8)} ${r.workload.padEnd(8)} ${String(r.executor).padEnd(10)} committed ${tps}; ` +
        `latency p50/p95/p99 ${r.latencyMs.p50}/${r.latencyMs.p95}/${r.latencyMs.p99} ms; ` +
        `sent ${r.submit.sent}, rejected ${r.submit.rejected}, failed in block ${r.chain.failed}, tx ${r.txBytes.mean} B; ` +
        `cores busy ${Object.entries(r.cpu).map(([k, v]) => `${k} ${v.coresBusy}`).join(', ')}`,
    );
  }
  if (report.profile) {
    const p = report.profile;
    lines.push(`profile (app main thread, ${p.app.seconds} s sampled, run at ${p.run.tps?.tps.toFixed(0) ?? '?'} tx/s under the profiler):`);
    for (const a of p.app.areas.slice(0, 8)) lines.push(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
    lines.push(`  by ABCI method: ${p.app.abci.map((a) => `${a.method} ${(a.share * 100).toFixed(1)} %`).join(', ')}`);
  }
  for (const p of report.probes ?? []) {
    lines.push(`probe ${p.name}: ${p.run.tps?.tps.toFixed(0) ?? '?'} tx/s committed, latency p50 ${p.run.latencyMs.p50} ms — ${p.description}`);
  }
  for (const c of report.comparisons) {
    const spread = c.tpsRuns.length > 1 ? ` (runs ${c.tpsRuns.join(', ')} / ${c.ceilingRuns.join(', ')})` : '';
    lines.push(`ratio ${c.workload}/${c.executor}: ${c.tps} / ${c.ceilingTps} = ${(c.ratio * 100).toFixed(1)} % of the kvstore ceiling${spread}`);
    if (c.quietest && c.tpsRuns.length > 1) {
      const q = c.quietest;
      lines.push(`  quietest runs: ${q.tps} / ${q.ceilingTps} = ${(q.ratio * 100).toFixed(1)} % (other processes busy ${q.otherCores.join(' / ')} cores)`);
    }
  }
  return lines.join('\n');
}

/**
 * Whether the node honoured `[executor] mode`: a parallel executor runs worker threads, so the
 * app process of a "parallel" run has more OS threads than that of a "sequential" one.
 */
export function executorNotes(runs: readonly RunReport[]): string[] {
  const threads = (mode: string) => runs.filter((r) => r.target === 'parazone' && r.executor === mode && r.appThreads !== undefined).map((r) => r.appThreads!);
  const [par, seq] = [threads('parallel'), threads('sequential')];
  if (par.length === 0 || seq.length === 0) return [];
  const [maxPar, maxSeq] = [Math.max(...par), Math.max(...seq)];
  return maxPar > maxSeq
    ? [`[executor] mode took effect: the app ran ${maxPar} OS threads with "parallel" and ${maxSeq} with "sequential".`]
    : [
        `[executor] mode did NOT take effect: the app ran ${maxPar} OS threads with "parallel" and ${maxSeq} with "sequential" (no executor worker threads), ` +
          'so both modes ran the same executor; the node does not yet read app.toml [executor] (startNode passes no executor to BaseApp).',
      ];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const otherCores = (r: RunReport) => r.cpu.otherProcesses?.coresBusy ?? 0;
function quietest(runs: readonly RunReport[]): RunReport {
  return [...runs].sort((a, b) => otherCores(a) - otherCores(b))[0]!;
}

/**
 * The app's main thread among a process's profiles: the one that ran BaseApp's ABCI methods
 * (executor worker threads spin while waiting, so "busiest" would pick a worker).
 */
export function mainThreadProfile(summaries: readonly ProfileSummary[]): ProfileSummary | undefined {
  const inAbci = (p: ProfileSummary) => p.abci.filter((a) => a.method !== 'idle' && !a.method.startsWith('outside')).reduce((t, a) => t + a.seconds, 0);
  return [...summaries].sort((a, b) => inAbci(b) - inAbci(a))[0];
}
