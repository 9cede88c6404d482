import type { RunReport } from './run.js';
import { formatZones, zonesComparison } from './suite.js';
import { StartGate, zoneChainId, zoneSeed, zoneSetFigures } from './zones.js';

/** A run report with just what the zones figures read. */
function run(tps: number, startMs: number, endMs: number, cpu: Record<string, number> = {}): RunReport {
  return {
    target: 'parazone',
    tps: { tps, startMs, endMs, fromHeight: 1, toHeight: 5, blocks: 4, seconds: (endMs - startMs) / 1000, txs: 0, steady: true },
    cpu: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, { cpuSeconds: v, coresBusy: v }])),
  } as unknown as RunReport;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('StartGate', () => {
  it('opens only when every party has arrived', async () => {
    const gate = new StartGate(2);
    let opened = false;
    const first = gate.arrive().then(() => (opened = true));
    await tick();
    expect(opened).toBe(false);
    await gate.arrive();
    await first;
    expect(opened).toBe(true);
  });

  it('releases the waiting parties with an error when one fails before arriving', async () => {
    const gate = new StartGate(3);
    const waiting = gate.arrive();
    gate.abort(new Error('port taken'));
    await expect(waiting).rejects.toThrow(/another zone failed before the load started: port taken/);
  });

  it('an abort with nobody waiting is not an unhandled rejection', async () => {
    new StartGate(2).abort(new Error('x'));
    await tick();
  });
});

describe('zone identities', () => {
  it('gives every zone its own seed and chain id, none equal to the one-zone run', () => {
    expect([0, 1].map((z) => zoneSeed(1, z))).toEqual([1001, 2001]);
    expect(zoneChainId('parazone', 1)).toBe('parazone-loadgen-zone2');
    expect(zoneChainId('kvstore', 0)).toBe('kvstore-loadgen-zone1');
  });
});

describe('zoneSetFigures', () => {
  it('adds the zones, measures how much their windows overlap, and counts shared cores once', () => {
    const a = run(100, 0, 10_000, { app: 0.9, cometbft: 0.3, loadgen: 0.5, otherProcesses: 1.4 });
    const b = run(80, 2_000, 12_000, { app: 0.8, cometbft: 0.2, loadgen: 0.5, otherProcesses: 1.3 });
    const f = zoneSetFigures([a, b])!;
    expect(f.aggregateTps).toBe(180);
    expect(f.zonesTps).toEqual([100, 80]);
    expect(f.overlap).toBeCloseTo(8 / 12, 3); // [2 s, 10 s] of [0 s, 12 s]
    // other = each zone's "other processes" minus the other zone's app + cometbft: 1.4-1.0, 1.3-1.2.
    expect(f.coresBusy).toEqual({ app: 1.7, cometbft: 0.5, loadgen: 0.5, otherProcesses: 0.25 });
  });

  it('disjoint windows overlap 0; a zone with nothing committed voids the set', () => {
    expect(zoneSetFigures([run(1, 0, 1000), run(1, 2000, 3000)])!.overlap).toBe(0);
    expect(zoneSetFigures([run(1, 0, 1000), { ...run(1, 0, 1000), tps: null }])).toBeUndefined();
  });
});

describe('zonesComparison', () => {
  it('takes medians of the aggregates, the ratio to the N-zone ceiling, and the scaling from one zone', () => {
    const set = (target: 'parazone' | 'kvstore', repeat: number, tps: number[]) => ({
      target,
      repeat,
      zones: tps.map((t) => run(t, 0, 1000)),
    });
    const z = zonesComparison(
      2,
      'transfer',
      'parallel',
      [
        set('kvstore', 0, [500, 500]),
        set('parazone', 0, [100, 110]),
        set('kvstore', 1, [400, 420]),
        set('parazone', 1, [90, 100]),
        set('kvstore', 2, [450, 450]),
        set('parazone', 2, [120, 100]),
      ],
      { ours: [100, 120, 110], ceiling: [600, 500, 550] },
    );
    expect(z).toMatchObject({ zones: 2, workload: 'transfer', executor: 'parallel', tps: 210, ceilingTps: 900 });
    expect(z.ratio).toBeCloseTo(210 / 900, 3);
    expect(z.oneZone).toEqual({ tps: 110, ceilingTps: 550, ratio: +(110 / 550).toFixed(3) });
    expect(z.scaling).toEqual({ ours: 1.91, ceiling: 1.64 });
    expect(z.tpsRuns.map((r) => r.aggregateTps)).toEqual([210, 190, 220]);
    const text = formatZones(z).join('\n');
    expect(text).toContain('ratio transfer/parallel 2 zones: 210 / 900 = 23.3 % of the 2-zone kvstore ceiling (one zone: 20.0 %)');
    expect(text).toContain('100 + 110 = 210');
  });

  it('without a ceiling: our aggregate only, no ratio', () => {
    const z = zonesComparison(
      2,
      'transfer',
      'sequential',
      [{ target: 'parazone', repeat: 0, zones: [run(10, 0, 1000), run(20, 0, 1000)] }],
      {},
    );
    expect(z.tps).toBe(30);
    expect(z.ceilingTps).toBeUndefined();
    expect(z.ratio).toBeUndefined();
    expect(formatZones(z).join('\n')).not.toContain('ratio');
  });
});
