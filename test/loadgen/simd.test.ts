/**
 * The three-way smoke run of bench:e2e: our localnet, the Cosmos SDK's simd and the kvstore app,
 * each under the pinned CometBFT with the same settings, a few hundred txs each; every count in the
 * report is checked against what that chain's own blocks hold. simd is built by setup
 * (scripts/install-simd.sh); this test builds nothing and fails if the binary is missing.
 */
import { fetchStatus, pinnedCometbftVersion, rpcCall } from '../../app/node/cometbft.js';
import { locateSimd } from '../../app/loadgen/simd-network.js';
import { runSuite, type SuiteOptions } from '../../app/loadgen/suite.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { SMOKE_LOAD } from './smoke-options.js';

const cleanup = cleanupAfterAll();

interface ChainCount {
  txs: number;
  ok: number;
  cometbft: string;
}

/** Every tx in blocks 1…latest of a fresh localnet, and those with code 0 (all of them are the run's). */
async function countChain(rpc: string): Promise<ChainCount> {
  const status = await fetchStatus(rpc);
  let [txs, ok] = [0, 0];
  for (let h = 1; h <= Number(status.sync_info.latest_block_height); h++) {
    const block = await rpcCall<{ block: { data: { txs: string[] | null } } }>(rpc, 'block', { height: String(h) });
    const results = await rpcCall<{ txs_results: { code: number }[] | null }>(rpc, 'block_results', { height: String(h) });
    txs += (block.block.data.txs ?? []).length;
    ok += (results.txs_results ?? []).filter((r) => r.code === 0).length;
  }
  return { txs, ok, cometbft: status.node_info.version };
}

describe('bench:e2e three-way smoke run', () => {
  it("our chain, simd and kvstore under the same CometBFT: counts match each chain's blocks", async () => {
    locateSimd();
    const dir = makeTempDir('loadgen-simd');
    cleanup.add('remove loadgen dir', () => dir.remove());
    const counted = new Map<string, ChainCount>();
    const options: SuiteOptions = {
      ...SMOKE_LOAD,
      targets: ['kvstore', 'parazone', 'simd'],
      workloads: ['transfer'],
      executors: ['parallel'],
      txs: 300,
      kvstoreTxs: 300,
      accounts: 40,
      seed: 11,
      workDir: dir.path,
      afterLoad: async ({ rpc, chainId }) => void counted.set(chainId, await countChain(rpc)),
    };
    const report = await runSuite(options);

    expect(report.runs.map((r) => r.target)).toEqual(['kvstore', 'parazone', 'simd']);
    for (const run of report.runs) {
      const chain = counted.get(run.chainId)!;
      expect(chain.cometbft).toBe(pinnedCometbftVersion());
      expect(run.chain.committed).toBe(chain.txs);
      expect(run.chain.succeeded).toBe(chain.ok);
      expect(run.chain.succeeded).toBe(300);
      expect(run.chain.failed).toBe(0);
      expect(run.tps?.tps).toBeGreaterThan(0);
      expect(run.cpuMsPerTx.cometbft).toBeGreaterThan(0);
    }
    const [, ours, simd] = report.runs as [unknown, (typeof report.runs)[0], (typeof report.runs)[0]];
    expect(simd.chainId).toBe('simd-loadgen');
    // The same MsgSend envelope; only the bech32 prefix differs ("cosmos" vs "para", in two addresses).
    expect(simd.txBytes.mean - ours.txBytes.mean).toBe(2 * ('cosmos'.length - 'para'.length));
    expect(simd.cpuMsPerTx.app).toBeGreaterThan(0);
    expect(simd.chain.eventsPerTx).toBeGreaterThan(0);
    expect(simd.chain.indexedAttributesPerTx).toBeGreaterThan(0);

    expect(report.comparisons).toHaveLength(1);
    const c = report.comparisons[0]!;
    expect(c.ratioToSimd).toBeCloseTo(ours.tps!.tps / simd.tps!.tps, 2);
    expect(report.systems.map((r) => r.system)).toEqual(['kvstore', 'parazone', 'simd']);
    const row = report.systems.find((r) => r.system === 'parazone')!;
    expect(row.xSimd).toBeCloseTo(ours.tps!.tps / simd.tps!.tps, 1);
    expect(row.xKvstore).toBeGreaterThan(0);
  }, 240_000);
});
