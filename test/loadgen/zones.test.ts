/**
 * Smoke run of the zones comparison: besides the one-zone runs, two localnets of ours loaded at
 * once and two kvstore nodes loaded at once. Each zone's counts must be what its own chain's
 * blocks say (read independently, per chain id), and the aggregate the sum of the zones.
 */
import fs from 'node:fs';
import { renderSuiteChart } from '../../app/loadgen/chart.js';
import { formatSuite, runSuite } from '../../app/loadgen/suite.js';
import { fetchStatus, rpcCall } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { SMOKE_LOAD } from './smoke-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanup = cleanupAfterAll();

/** Every tx on a chain and those with code 0, from its blocks (the load's txs are the only ones). */
async function countChain(rpc: string): Promise<{ chainId: string; txs: number; ok: number }> {
  const status = await fetchStatus(rpc);
  let [txs, ok] = [0, 0];
  for (let h = 1; h <= Number(status.sync_info.latest_block_height); h++) {
    const results = await rpcCall<{ txs_results: { code: number }[] | null }>(rpc, 'block_results', { height: String(h) });
    txs += results.txs_results?.length ?? 0;
    ok += (results.txs_results ?? []).filter((r) => r.code === 0).length;
  }
  return { chainId: status.node_info.network, txs, ok };
}

describe('parazone loadgen with zones', () => {
  it('two zones at once: per-zone counts from their own chains, aggregate = sum, ratio to the two-zone ceiling', async () => {
    const dir = makeTempDir('loadgen-zones');
    cleanup.add('remove loadgen dir', () => dir.remove());
    const chains = new Map<string, { txs: number; ok: number }>();
    const report = await runSuite({
      workloads: ['transfer'],
      executors: ['parallel'],
      targets: ['kvstore', 'parazone'],
      zones: 2,
      txs: 150,
      kvstoreTxs: 300,
      accounts: 20,
      ...SMOKE_LOAD,
      seed: 5,
      workDir: dir.path,
      afterLoad: async ({ rpc, chainId }) => {
        const counted = await countChain(rpc);
        expect(counted.chainId).toBe(chainId);
        expect(chains.has(chainId)).toBe(false); // every run is its own chain
        chains.set(chainId, counted);
      },
    });

    // One-zone runs as before; the zone runs are kept apart from them.
    expect(report.runs.map((r) => r.chainId)).toEqual(['kvstore-loadgen', 'parazone-loadgen']);
    const z = report.zones!;
    expect(z).toMatchObject({ zones: 2, workload: 'transfer', executor: 'parallel' });
    expect(z.runs.map((s) => s.target)).toEqual(['kvstore', 'parazone']);
    const [kvSet, oursSet] = [z.runs[0]!.zones, z.runs[1]!.zones];
    expect(kvSet.map((r) => r.chainId)).toEqual(['kvstore-loadgen-zone1', 'kvstore-loadgen-zone2']);
    expect(oursSet.map((r) => r.chainId)).toEqual(['parazone-loadgen-zone1', 'parazone-loadgen-zone2']);
    expect(oursSet.map((r) => r.executor)).toEqual(['parallel', 'parallel']);

    // Each zone's report counts exactly what its own chain committed, with its own budget.
    for (const r of [...report.runs, ...kvSet, ...oursSet]) {
      const chain = chains.get(r.chainId)!;
      expect(chain).toBeDefined();
      expect(r.chain.committed).toBe(chain.txs);
      expect(r.chain.succeeded).toBe(chain.ok);
      expect(r.chain.succeeded).toBe(r.target === 'kvstore' ? 300 : 150);
    }

    // Aggregate = sum of the zones' own steady-window TPS; ratio against the two-zone ceiling.
    const sum = (rs: typeof oursSet) => rs.reduce((t, r) => t + r.tps!.tps, 0);
    expect(z.tpsRuns).toHaveLength(1);
    expect(z.tpsRuns[0]!.zonesTps).toEqual(oursSet.map((r) => +r.tps!.tps.toFixed(1)));
    expect(z.tpsRuns[0]!.aggregateTps).toBeCloseTo(sum(oursSet), 0);
    expect(z.ceilingRuns[0]!.aggregateTps).toBeCloseTo(sum(kvSet), 0);
    expect(z.tps).toBe(z.tpsRuns[0]!.aggregateTps);
    expect(z.ceilingTps).toBe(z.ceilingRuns[0]!.aggregateTps);
    expect(z.ratio).toBeCloseTo(z.tps! / z.ceilingTps!, 3);
    for (const f of [...z.tpsRuns, ...z.ceilingRuns]) {
      expect(f.overlap).toBeGreaterThanOrEqual(0);
      expect(f.overlap).toBeLessThanOrEqual(1);
    }
    expect(z.oneZone).toMatchObject({ tps: report.comparisons[0]!.tps, ceilingTps: report.comparisons[0]!.ceilingTps });
    expect(z.scaling!.ours).toBeCloseTo(z.tps! / z.oneZone!.tps!, 2);

    const text = formatSuite(report);
    expect(text).toContain('zone 2/2 parazone');
    expect(text).toMatch(/ratio transfer\/parallel 2 zones: [\d.]+ \/ [\d.]+ = [\d.]+ % of the 2-zone kvstore ceiling/);
    expect(report.notes.some((n) => n.includes('cross-zone traffic is measured by bench:zones'))).toBe(true);
    const png = await renderSuiteChart(report);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(fs.readdirSync(dir.path).filter((f) => f.startsWith('loadgen-'))).toEqual([]);
  }, 120_000);
});
