/**
 * The side-by-side run: for each workload, the kvstore ceiling, our chain (per executor mode) and
 * the Cosmos SDK's simd on the same machine, with the same CometBFT settings and the same tx size
 * (simd's differs only by its address prefix), one after another, then the ratios of our committed
 * TPS to the ceiling's and to simd's. What `parazone loadgen` and
 * `npm run bench:e2e` both call.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import { cometbftVersion } from '../node/cometbft.js';
import { WORKLOAD_DESCRIPTIONS, type WorkloadName } from './plan.js';
import { runLoad, sampleTxBytes, type ExecutorMode, type RunOptions, type RunReport, type Target } from './run.js';
import { DRUG_NEEDS_LOCALNET, isDrugWorkload, planTxs } from './plan.js';
import type { CometSettings } from './network.js';
import { ZONES_WORKLOAD } from './defaults.js';
import { runZones, zoneSetFigures, type ZoneSetFigures } from './zones.js';
import { median } from './stats.js';
import { formatSystems, systemsTable, type SystemRow } from './systems.js';

export interface SuiteOptions extends Omit<RunOptions, 'target' | 'workload' | 'executor'> {
  readonly workloads: readonly WorkloadName[];
  readonly executors: readonly ExecutorMode[];
  /** Which systems run, side by side: our chain, the kvstore ceiling, simd (not for drug workloads). */
  readonly targets: readonly Target[];
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
  /**
   * If ≥ 2: also this many zones at once (ZONES_WORKLOAD, first executor): that many localnets of
   * our chain loaded together, and as their ceiling that many kvstore nodes loaded together, each
   * zone with the txs and accounts of a one-zone run; interleaved with the other runs. Default off.
   */
  readonly zones?: number;
}

/** N zones at once versus N kvstore nodes at once (see SuiteOptions.zones). */
export interface ZonesComparison {
  readonly zones: number;
  readonly workload: WorkloadName;
  readonly executor: ExecutorMode;
  /** Median over the repeats of the aggregate committed TPS of our zones (undefined without parazone runs). */
  readonly tps?: number;
  /** Median aggregate committed TPS of the kvstore nodes (undefined without kvstore runs). */
  readonly ceilingTps?: number;
  /** tps / ceilingTps. */
  readonly ratio?: number;
  /** The one-zone figures of the same workload and executor (the ordinary comparison), to compare with. */
  readonly oneZone?: { tps?: number; ceilingTps?: number; ratio?: number };
  /** Aggregate over one zone: ×2 would be perfect scaling for two zones. */
  readonly scaling?: { ours?: number; ceiling?: number };
  /** Every repeat's figures. */
  readonly tpsRuns: ZoneSetFigures[];
  readonly ceilingRuns: ZoneSetFigures[];
  /** Every zone's run report, per set of zones loaded together. */
  readonly runs: { target: Target; repeat: number; zones: RunReport[] }[];
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
  /** The throughput goal: at least 90 % of the ceiling (for transfers with the parallel executor). */
  readonly meetsTarget: boolean;
  /**
   * The same ratio from the repeats that had the least other work on the machine (cores busy
   * outside our processes, in brackets): the best estimate of an idle machine.
   */
  readonly quietest?: { tps: number; ceilingTps: number; ratio: number; otherCores: [number, number] };
  /** With simd among the targets: its median committed TPS, every repeat's, and ours over it. */
  readonly simdTps?: number;
  readonly simdRuns?: number[];
  readonly ratioToSimd?: number;
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
  /** Every system side by side (ours, simd, kvstore), per workload and broadcast mode. */
  readonly systems: SystemRow[];
  /** With SuiteOptions.zones: several zones at once, aggregate TPS against as many kvstore nodes. */
  readonly zones?: ZonesComparison;
  readonly runs: RunReport[];
  readonly profile?: { run: RunReport; app: ProfileSummary };
  /** Extra single runs that isolate one part of the pipeline (see each description). */
  readonly probes?: { name: string; description: string; run: RunReport }[];
  readonly notes: string[];
}

export const STANDING_NOTES = [
  'TPS = successful txs of this run committed in blocks of the steady window (after warm-up, before the last block carrying our txs) divided by the time those blocks took (block h runs from its header time to the next header time); everything is read from /block and /block_results, not from our sends.',
  "Latency = time the tx was (last) submitted → time the observer first saw its block's results (polled every 20 ms).",
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
  if (options.external && options.targets.includes('parazone') && options.workloads.some(isDrugWorkload))
    throw new Error(DRUG_NEEDS_LOCALNET);
  const zones = options.zones !== undefined && options.zones >= 2 ? options.zones : undefined;
  if (zones && options.external) throw new Error('zones are localnets this tool starts: drop --node, or --zones');
  if (zones && !options.workloads.includes(ZONES_WORKLOAD))
    throw new Error(`zones are measured with the ${ZONES_WORKLOAD} workload: include it in the workloads`);
  let zonesReport: ZonesComparison | undefined;
  if (zones) notes.push(zonesNote(zones));
  for (const workload of options.workloads) {
    const ceilings: number[] = [];
    const ours = new Map<ExecutorMode, number[]>();
    const ceilingRuns: RunReport[] = [];
    const simd: number[] = [];
    const ourRuns = new Map<ExecutorMode, RunReport[]>();
    const zoneSets: ZonesComparison['runs'] = [];
    const withZones = zones !== undefined && workload === ZONES_WORKLOAD;
    const txBytes = options.targets.includes('kvstore')
      ? (options.txBytes ?? sampleTxBytes(planTxs(workload, Math.min(options.txs, 256), options.accounts, options.seed), options.seed))
      : undefined;
    // Interleaved (ceiling, ours per executor, zones, again…) so slow drift in machine load hits all alike.
    for (let rep = 0; rep < repeats; rep++) {
      if (options.targets.includes('kvstore')) {
        const ceiling = await runLoad({
          ...options,
          target: 'kvstore',
          workload,
          executor: 'sequential',
          txs: options.kvstoreTxs,
          txBytes,
        });
        runs.push(ceiling);
        if (ceiling.tps) {
          ceilings.push(ceiling.tps.tps);
          ceilingRuns.push(ceiling);
        }
      }
      if (options.targets.includes('parazone')) {
        for (const executor of options.executors) {
          const run = await runLoad({ ...options, target: 'parazone', workload, executor });
          runs.push(run);
          if (run.tps) {
            ours.set(executor, [...(ours.get(executor) ?? []), run.tps.tps]);
            ourRuns.set(executor, [...(ourRuns.get(executor) ?? []), run]);
          }
        }
      }
      if (options.targets.includes('simd') && !isDrugWorkload(workload)) {
        const run = await runLoad({ ...options, target: 'simd', workload, executor: 'sequential' });
        runs.push(run);
        if (run.tps) simd.push(run.tps.tps);
      }
      if (withZones && options.targets.includes('kvstore')) {
        const set = await runZones(
          { ...options, target: 'kvstore', workload, executor: 'sequential', txs: options.kvstoreTxs, txBytes },
          zones,
        );
        zoneSets.push({ target: 'kvstore', repeat: rep, zones: set });
      }
      if (withZones && options.targets.includes('parazone')) {
        const set = await runZones({ ...options, target: 'parazone', workload, executor: options.executors[0]! }, zones);
        zoneSets.push({ target: 'parazone', repeat: rep, zones: set });
      }
    }
    if (withZones) {
      const executor = options.executors[0]!;
      const oneZone = { ours: ours.get(executor), ceiling: ceilings.length ? ceilings : undefined };
      zonesReport = zonesComparison(zones, workload, executor, zoneSets, oneZone);
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
        ...(simd.length
          ? { simdTps: +median(simd).toFixed(1), simdRuns: simd.map((x) => +x.toFixed(1)), ratioToSimd: +(tps / median(simd)).toFixed(3) }
          : {}),
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
    systems: systemsTable(runs),
    ...(zonesReport ? { zones: zonesReport } : {}),
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
  const lines = [
    `machine: ${report.machine.cores} cores, ${report.machine.cpuModel}; load average ${report.machine.loadAverageStart.join(' ')} → ${report.machine.loadAverageEnd.join(' ')}`,
  ];
  for (const r of report.runs) lines.push(formatRun(r));
  for (const set of report.zones?.runs ?? []) {
    set.zones.forEach((r, i) => lines.push(`zone ${i + 1}/${set.zones.length} ${formatRun(r)}`));
  }
  if (report.profile) {
    const p = report.profile;
    lines.push(
      `profile (app main thread, ${p.app.seconds} s sampled, run at ${p.run.tps?.tps.toFixed(0) ?? '?'} tx/s under the profiler):`,
    );
    for (const a of p.app.areas.slice(0, 8)) lines.push(`  ${(a.share * 100).toFixed(1).padStart(5)} %  ${a.area}`);
    lines.push(`  by ABCI method: ${p.app.abci.map((a) => `${a.method} ${(a.share * 100).toFixed(1)} %`).join(', ')}`);
  }
  for (const p of report.probes ?? []) {
    lines.push(
      `probe ${p.name}: ${p.run.tps?.tps.toFixed(0) ?? '?'} tx/s committed, latency p50 ${p.run.latencyMs.p50} ms — ${p.description}`,
    );
  }
  for (const c of report.comparisons) {
    const spread = c.tpsRuns.length > 1 ? ` (runs ${c.tpsRuns.join(', ')} / ${c.ceilingRuns.join(', ')})` : '';
    lines.push(
      `ratio ${c.workload}/${c.executor}: ${c.tps} / ${c.ceilingTps} = ${(c.ratio * 100).toFixed(1)} % of the kvstore ceiling${spread}`,
    );
    if (c.ratioToSimd !== undefined)
      lines.push(`  against simd: ${c.tps} / ${c.simdTps} = ×${c.ratioToSimd} (simd runs ${c.simdRuns!.join(', ')})`);
    if (c.quietest && c.tpsRuns.length > 1) {
      const q = c.quietest;
      lines.push(
        `  quietest runs: ${q.tps} / ${q.ceilingTps} = ${(q.ratio * 100).toFixed(1)} % (other processes busy ${q.otherCores.join(' / ')} cores)`,
      );
    }
  }
  if (report.zones) lines.push(...formatZones(report.zones));
  if (report.systems.some((r) => r.system === 'simd'))
    lines.push('systems side by side (medians):', ...formatSystems(report.systems).map((l) => `  ${l}`));
  return lines.join('\n');
}

function formatRun(r: RunReport): string {
  const tps = r.tps
    ? `${r.tps.tps.toFixed(0)} tx/s over ${r.tps.seconds.toFixed(1)} s${r.tps.steady ? '' : ' (no steady window)'}`
    : 'no txs committed';
  return (
    `${r.target.padEnd(8)} ${r.workload.padEnd(8)} ${String(r.executor).padEnd(10)} committed ${tps}; ` +
    `latency p50/p95/p99 ${r.latencyMs.p50}/${r.latencyMs.p95}/${r.latencyMs.p99} ms; ` +
    `sent ${r.submit.sent}, rejected ${r.submit.rejected}, failed in block ${r.chain.failed}, tx ${r.txBytes.mean} B; ` +
    `cores busy ${Object.entries(r.cpu)
      .map(([k, v]) => `${k} ${v.coresBusy}`)
      .join(', ')}`
  );
}

/** The zones lines: aggregate of ours, of the ceiling, the ratio, and against one zone. */
export function formatZones(z: ZonesComparison): string[] {
  const percent = (x: number | undefined) => (x === undefined ? '?' : `${(x * 100).toFixed(1)} %`);
  const sets = (list: ZoneSetFigures[]) =>
    list.map((s) => `${s.zonesTps.join(' + ')} = ${s.aggregateTps} (windows overlap ${percent(s.overlap)})`).join('; ');
  const lines = [
    `zones ${z.workload}/${z.executor}, ${z.zones} zones loaded at once (aggregate committed tx/s, sum over the zones' chains):`,
  ];
  if (z.tps !== undefined) lines.push(`  ours:    ${z.tps} tx/s; runs ${sets(z.tpsRuns)}`);
  if (z.ceilingTps !== undefined) lines.push(`  kvstore: ${z.ceilingTps} tx/s; runs ${sets(z.ceilingRuns)}`);
  if (z.ratio !== undefined) {
    lines.push(
      `ratio ${z.workload}/${z.executor} ${z.zones} zones: ${z.tps} / ${z.ceilingTps} = ${percent(z.ratio)} of the ${z.zones}-zone kvstore ceiling` +
        (z.oneZone?.ratio !== undefined ? ` (one zone: ${percent(z.oneZone.ratio)})` : ''),
    );
  }
  const scaling = [
    z.scaling?.ours !== undefined ? `ours ×${z.scaling.ours} (${z.oneZone?.tps} → ${z.tps})` : undefined,
    z.scaling?.ceiling !== undefined ? `kvstore ×${z.scaling.ceiling} (${z.oneZone?.ceilingTps} → ${z.ceilingTps})` : undefined,
  ].filter(Boolean);
  if (scaling.length) lines.push(`  one zone → ${z.zones} zones: ${scaling.join(', ')}`);
  return lines;
}

/** Medians over the repeats; sets with a zone that committed nothing measurable are left out. */
export function zonesComparison(
  zones: number,
  workload: WorkloadName,
  executor: ExecutorMode,
  sets: ZonesComparison['runs'],
  oneZone: { ours?: readonly number[]; ceiling?: readonly number[] },
): ZonesComparison {
  const figures = (target: Target) => sets.filter((s) => s.target === target).flatMap((s) => zoneSetFigures(s.zones) ?? []);
  const [tpsRuns, ceilingRuns] = [figures('parazone'), figures('kvstore')];
  const round = (x: number | undefined, d = 1) => (x === undefined ? undefined : +x.toFixed(d));
  const med = (xs: readonly number[] | undefined) => (xs && xs.length ? median(xs) : undefined);
  const tps = med(tpsRuns.map((s) => s.aggregateTps));
  const ceilingTps = med(ceilingRuns.map((s) => s.aggregateTps));
  const [oneTps, oneCeiling] = [med(oneZone.ours), med(oneZone.ceiling)];
  const div = (a: number | undefined, b: number | undefined, digits = 3) => (a !== undefined && b ? +(a / b).toFixed(digits) : undefined);
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return defined({
    zones,
    workload,
    executor,
    tps: round(tps),
    ceilingTps: round(ceilingTps),
    ratio: div(tps, ceilingTps),
    oneZone: defined({ tps: round(oneTps), ceilingTps: round(oneCeiling), ratio: div(oneTps, oneCeiling) }),
    scaling: defined({ ours: div(tps, oneTps, 2), ceiling: div(ceilingTps, oneCeiling, 2) }),
    tpsRuns,
    ceilingRuns,
    runs: sets,
  });
}

export function zonesNote(zones: number): string {
  return (
    `Zones: ${zones} zones = ${zones} chains with their own validators (${zones} single-validator localnets, each its own CometBFT and app process, home, ports, chain id, seed and accounts), ` +
    `started together and loaded from the same moment with in-zone ${ZONES_WORKLOAD}s, each zone with the txs and accounts of the one-zone run; ` +
    `aggregate TPS = the sum of each chain's committed TPS read from its own blocks; the ${zones}-zone ceiling is ${zones} kvstore nodes loaded the same way. ` +
    "No relayer: in-zone transfers need none (cross-zone traffic is measured by bench:zones). All zones share this machine's cores and one load-generator process; " +
    '"windows overlap" is the share of the zones\' steady windows that ran at the same time (low = the sum overstates what ran at once).'
  );
}

/**
 * Whether the node honoured `[executor] mode`: a parallel executor runs worker threads, so the
 * app process of a "parallel" run has more OS threads than that of a "sequential" one.
 */
export function executorNotes(runs: readonly RunReport[]): string[] {
  const threads = (mode: string) =>
    runs.filter((r) => r.target === 'parazone' && r.executor === mode && r.appThreads !== undefined).map((r) => r.appThreads!);
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

const otherCores = (r: RunReport) => r.cpu.otherProcesses?.coresBusy ?? 0;
function quietest(runs: readonly RunReport[]): RunReport {
  return [...runs].sort((a, b) => otherCores(a) - otherCores(b))[0]!;
}

/**
 * The app's main thread among a process's profiles: the one that ran BaseApp's ABCI methods
 * (executor worker threads spin while waiting, so "busiest" would pick a worker).
 */
export function mainThreadProfile(summaries: readonly ProfileSummary[]): ProfileSummary | undefined {
  const inAbci = (p: ProfileSummary) =>
    p.abci.filter((a) => a.method !== 'idle' && !a.method.startsWith('outside')).reduce((t, a) => t + a.seconds, 0);
  return [...summaries].sort((a, b) => inAbci(b) - inAbci(a))[0];
}
