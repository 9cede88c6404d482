/**
 * The side-by-side table of whole systems under the same CometBFT: our chain, the Cosmos SDK's
 * simd and the kvstore app, per workload and broadcast mode, each figure the median over that
 * system's repeats, with our throughput as a multiple of simd's and of kvstore's.
 */
import type { BroadcastMode } from './submitter.js';
import type { ExecutorMode, RunReport, Target } from './run.js';
import type { WorkloadName } from './plan.js';
import { median } from './stats.js';

export interface SystemRow {
  readonly workload: WorkloadName;
  readonly mode: BroadcastMode;
  readonly system: Target;
  readonly executor: ExecutorMode | 'n/a';
  /** Runs the medians are taken over. */
  readonly runs: number;
  readonly tps: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  /** CPU ms per committed tx, per process (kvstore: its one CometBFT process runs the app). */
  readonly appMsPerTx?: number;
  readonly cometbftMsPerTx?: number;
  readonly eventsPerTx: number;
  readonly indexedAttributesPerTx: number;
  /** tps over simd's and over kvstore's, same workload and mode. */
  readonly xSimd?: number;
  readonly xKvstore?: number;
}

export function systemsTable(runs: readonly RunReport[]): SystemRow[] {
  const groups = new Map<string, RunReport[]>();
  for (const r of runs) {
    if (!r.tps) continue;
    const key = [r.workload, r.submit.mode, r.target, r.executor].join('|');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows = [...groups.values()].map((list): SystemRow => {
    const r0 = list[0]!;
    const med = (f: (r: RunReport) => number | undefined) => {
      const xs = list.map(f).filter((x): x is number => x !== undefined);
      return xs.length ? +median(xs).toFixed(3) : undefined;
    };
    return {
      workload: r0.workload,
      mode: r0.submit.mode,
      system: r0.target,
      executor: r0.executor,
      runs: list.length,
      tps: +median(list.map((r) => r.tps!.tps)).toFixed(1),
      latencyP50Ms: med((r) => r.latencyMs.p50)!,
      latencyP95Ms: med((r) => r.latencyMs.p95)!,
      appMsPerTx: med((r) => r.cpuMsPerTx?.app),
      cometbftMsPerTx: med((r) => r.cpuMsPerTx?.cometbft),
      eventsPerTx: med((r) => r.chain.eventsPerTx) ?? 0,
      indexedAttributesPerTx: med((r) => r.chain.indexedAttributesPerTx) ?? 0,
    };
  });
  return rows.map((row) => {
    const peer = (system: Target) => rows.find((r) => r.system === system && r.workload === row.workload && r.mode === row.mode);
    const ratio = (p: SystemRow | undefined) => (p && p.tps > 0 ? +(row.tps / p.tps).toFixed(2) : undefined);
    const [xSimd, xKvstore] = [ratio(peer('simd')), ratio(peer('kvstore'))];
    return { ...row, ...(xSimd !== undefined ? { xSimd } : {}), ...(xKvstore !== undefined ? { xKvstore } : {}) };
  });
}

/** The table as aligned text lines, one row per system. */
export function formatSystems(rows: readonly SystemRow[]): string[] {
  const head = [
    'workload',
    'mode',
    'system',
    'runs',
    'tx/s',
    'p50 ms',
    'p95 ms',
    'app ms/tx',
    'comet ms/tx',
    'events/tx',
    'indexed/tx',
    '×simd',
    '×kvstore',
  ];
  const cell = (x: number | undefined) => (x === undefined ? '–' : String(x));
  const body = rows.map((r) => [
    r.workload,
    r.mode,
    r.system === 'parazone' ? `parazone/${r.executor}` : r.system,
    String(r.runs),
    cell(r.tps),
    cell(r.latencyP50Ms),
    cell(r.latencyP95Ms),
    cell(r.appMsPerTx),
    cell(r.cometbftMsPerTx),
    cell(r.eventsPerTx),
    cell(r.indexedAttributesPerTx),
    cell(r.xSimd),
    cell(r.xKvstore),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((cols) =>
    cols
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}
