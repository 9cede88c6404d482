import type { RunReport } from './run.js';
import { formatSystems, systemsTable } from './systems.js';

/** Just the fields systemsTable reads. */
const run = (target: RunReport['target'], tps: number, p50: number, appMs?: number): RunReport =>
  ({
    target,
    workload: 'transfer',
    executor: target === 'parazone' ? 'parallel' : 'n/a',
    submit: { mode: 'sync' },
    tps: { tps },
    latencyMs: { p50, p95: 2 * p50 },
    cpuMsPerTx: { cometbft: 0.5, ...(appMs !== undefined ? { app: appMs } : {}) },
    chain: { eventsPerTx: 8, indexedAttributesPerTx: 20 },
  }) as unknown as RunReport;

describe('systemsTable', () => {
  it("takes medians per system and our tx/s over simd's and kvstore's", () => {
    const rows = systemsTable([
      run('kvstore', 6000, 100),
      run('parazone', 600, 400, 1.2),
      run('simd', 500, 500, 1.6),
      run('kvstore', 5000, 120),
      run('parazone', 700, 300, 1.0),
      run('simd', 300, 700, 2.0),
      run('parazone', 650, 350, 1.1),
      run('simd', 400, 600, 1.8),
      run('kvstore', 5500, 90),
    ]);
    expect(rows.map((r) => [r.system, r.runs, r.tps, r.latencyP50Ms, r.appMsPerTx])).toEqual([
      ['kvstore', 3, 5500, 100, undefined],
      ['parazone', 3, 650, 350, 1.1],
      ['simd', 3, 400, 600, 1.8],
    ]);
    const ours = rows[1]!;
    expect(ours.xSimd).toBe(1.63);
    expect(ours.xKvstore).toBe(0.12);
    expect(rows[2]!.xSimd).toBe(1);
    expect(formatSystems(rows)[0]).toMatch(/^workload\s+mode\s+system/);
    expect(formatSystems(rows)[2]).toMatch(
      /^transfer\s+sync\s+parazone\/parallel\s+3\s+650\s+350\s+700\s+1\.1\s+0\.5\s+8\s+20\s+1\.63\s+0\.12$/,
    );
  });

  it('leaves out runs that committed nothing measurable', () => {
    expect(systemsTable([{ ...run('simd', 1, 1), tps: null } as RunReport])).toEqual([]);
  });
});
