/**
 * Smoke runs of `parazone loadgen` on real nodes: a few hundred txs against a running chain
 * (accounts funded from its faucet), checked against the chain's own blocks read independently;
 * and the side-by-side localnet + kvstore run with its report and chart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fetchStatus, rpcCall } from '../../app/node/cometbft.js';
import { renderSuiteChart } from '../../app/loadgen/chart.js';
import { runSuite, type SuiteOptions } from '../../app/loadgen/suite.js';
import { txHash } from '../../app/loadgen/txs.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { SMOKE_LOAD } from './smoke-options.js';
import { startTestChain } from '../helpers/chain.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanup = cleanupAfterAll();

const base: Omit<SuiteOptions, 'targets' | 'external'> = {
  workloads: ['transfer'],
  executors: ['parallel'],
  txs: 300,
  kvstoreTxs: 600,
  accounts: 40,
  ...SMOKE_LOAD,
  seed: 7,
};

describe('parazone loadgen', () => {
  it('against a running chain: every count in the report is what the blocks say', async () => {
    const chain = await startTestChain({ accounts: { faucet: '1000000000000000upara' } }, cleanup);
    const report = await runSuite({
      ...base,
      targets: ['parazone'],
      external: { rpc: chain.rpc, faucetMnemonic: chain.keys.faucet!.mnemonic },
    });
    expect(report.runs).toHaveLength(1);
    const run = report.runs[0]!;
    expect(run).toMatchObject({ target: 'parazone', workload: 'transfer', network: 'external' });
    expect(run.submit).toMatchObject({ planned: 300, sent: 300, accepted: 300, rejected: 0 });

    // Read the observed heights ourselves and count the txs and their result codes. The first
    // observed block is the anchor taken before any send (it may hold the faucet's funding tx).
    expect(Number((await fetchStatus(chain.rpc)).sync_info.latest_block_height)).toBeGreaterThanOrEqual(run.chain.toHeight);
    let total = 0;
    let ok = 0;
    const perHeight = new Map<number, number>();
    for (let h = run.chain.fromHeight + 1; h <= run.chain.toHeight; h++) {
      const results = await rpcCall<{ txs_results: { code: number }[] | null }>(chain.rpc, 'block_results', { height: String(h) });
      const block = await rpcCall<{ block: { data: { txs: string[] | null } } }>(chain.rpc, 'block', { height: String(h) });
      const txs = block.block.data.txs ?? [];
      const codes = results.txs_results ?? [];
      expect(codes).toHaveLength(txs.length);
      total += txs.length;
      const good = codes.filter((r) => r.code === 0).length;
      ok += good;
      perHeight.set(h, good);
      txs.forEach((b64) => expect(txHash(Buffer.from(b64, 'base64'))).toMatch(/^[0-9A-F]{64}$/));
    }
    expect(run.chain.committed).toBe(total);
    expect(run.chain.succeeded).toBe(ok);
    expect(run.chain.succeeded).toBe(300);
    expect(run.chain.failed).toBe(0);
    expect(run.chain.acceptedButNotCommitted).toBe(0);

    // TPS is the successful txs in the window's blocks over their header time span.
    const tps = run.tps!;
    let windowTxs = 0;
    for (let h = tps.fromHeight + 1; h <= tps.toHeight; h++) windowTxs += perHeight.get(h) ?? 0;
    expect(tps.txs).toBe(windowTxs);
    expect(tps.tps).toBeCloseTo(tps.txs / tps.seconds, 6);
    expect(run.latencyMs.count).toBe(300);
    expect(run.latencyMs.p50).toBeGreaterThan(0);
    expect(run.latencyMs.p50).toBeLessThanOrEqual(run.latencyMs.p95);
    expect(run.latencyMs.p95).toBeLessThanOrEqual(run.latencyMs.p99);
    expect(run.series.blockTps.length).toBeGreaterThan(0);
  }, 180_000);

  it('side by side: a localnet of ours and the kvstore ceiling, with the ratio, a JSON report and a PNG', async () => {
    const dir = makeTempDir('loadgen');
    cleanup.add('remove loadgen dir', () => dir.remove());
    const report = await runSuite({ ...base, targets: ['kvstore', 'parazone'], workDir: dir.path });
    expect(report.schema).toBe('parazone.loadgen/1');
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.cometSettings.timeoutCommit).toBe('100ms');
    expect(report.runs.map((r) => r.target)).toEqual(['kvstore', 'parazone']);
    const [kv, ours] = report.runs as [(typeof report.runs)[0], (typeof report.runs)[0]];
    expect(ours.network).toBe('localnet');
    expect(ours.executor).toBe('parallel');
    // Same tx size within the few bytes sequence varints add.
    expect(Math.abs(kv.txBytes.mean - ours.txBytes.mean)).toBeLessThan(4);
    expect(kv.chain.succeeded).toBe(600);
    expect(ours.chain.succeeded).toBe(300);
    expect(report.comparisons).toHaveLength(1);
    const c = report.comparisons[0]!;
    expect(c).toMatchObject({ workload: 'transfer', executor: 'parallel' });
    expect(c.ratio).toBeCloseTo(ours.tps!.tps / kv.tps!.tps, 2);
    // The homes are removed after each run.
    expect(fs.readdirSync(dir.path).filter((f) => f.startsWith('loadgen-'))).toEqual([]);
    const png = await renderSuiteChart(report);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    fs.writeFileSync(path.join(dir.path, 'r.png'), png);
  }, 180_000);
});
