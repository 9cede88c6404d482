/**
 * Smoke run of the `drug` workload on a real localnet (our app + CometBFT) beside the kvstore
 * ceiling: every MsgShip committed with code 0, the report's counts equal to what the blocks say,
 * and custody of every shipped unit moved, read back through ABCI queries of the drug registry.
 */
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgShip } from '../../generated/parazone/drugregistry/v1/tx.js';
import {
  QueryShipmentRequest,
  QueryShipmentResponse,
  QueryUnitRequest,
  QueryUnitResponse,
} from '../../generated/parazone/drugregistry/v1/query.js';
import { DEFAULT_COMET_SETTINGS } from '../../app/loadgen/defaults.js';
import { drugSerial, DRUG_GTIN } from '../../app/loadgen/drug-genesis.js';
import { planTxs } from '../../app/loadgen/plan.js';
import { TX_GAS } from '../../app/loadgen/run.js';
import { runSuite } from '../../app/loadgen/suite.js';
import { loadAccounts } from '../../app/loadgen/txs.js';
import { rpcCall } from '../../app/node/cometbft.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { SMOKE_LOAD } from './smoke-options.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanup = cleanupAfterAll();
const TXS = 300;
const SENDERS = 40;
const SEED = 7;

interface Codec<T> {
  encode(m: T): { finish(): Uint8Array };
  decode(b: Uint8Array): T;
}

async function abciQuery<Q, R>(rpc: string, method: string, req: Q, reqType: Codec<Q>, resType: Codec<R>): Promise<R> {
  const { response } = await rpcCall<{ response: { code: number; log: string; value: string | null } }>(rpc, 'abci_query', {
    path: `/parazone.drugregistry.v1.Query/${method}`,
    data: Buffer.from(reqType.encode(req).finish()).toString('hex'),
  });
  if (response.code !== 0) throw new Error(`${method} query failed (${response.code}): ${response.log}`);
  return resType.decode(Buffer.from(response.value ?? '', 'base64'));
}

describe('parazone loadgen --workload drug', () => {
  it('ships every planned unit: all txs succeed, counts match the blocks, custody moved on chain', async () => {
    const dir = makeTempDir('loadgen-drug');
    cleanup.add('remove loadgen dir', () => dir.remove());
    const { addresses } = makeChainConfig();
    const accounts = loadAccounts(`run${SEED}`, SENDERS, addresses);
    const plan = planTxs('drug', TXS, SENDERS, SEED);
    const senders = new Set(accounts.map((a) => a.address));

    const onChain = { txs: 0, ok: 0, ships: 0, maxGasUsed: 0, checkedUnits: 0 };
    const report = await runSuite({
      workloads: ['drug'],
      executors: ['parallel'],
      targets: ['kvstore', 'parazone'],
      txs: TXS,
      kvstoreTxs: 600,
      accounts: SENDERS,
      ...SMOKE_LOAD,
      seed: SEED,
      workDir: dir.path,
      afterLoad: async ({ rpc, chainId }) => {
        if (chainId !== 'parazone-loadgen') return; // the kvstore ceiling run
        // Every block of the localnet (it carries nothing but our txs), read independently.
        const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(rpc, 'status');
        for (let h = 1; h <= Number(status.sync_info.latest_block_height); h++) {
          const block = await rpcCall<{ block: { data: { txs: string[] | null } } }>(rpc, 'block', { height: String(h) });
          const results = await rpcCall<{ txs_results: { code: number; gas_used: string }[] | null }>(rpc, 'block_results', {
            height: String(h),
          });
          const txs = block.block.data.txs ?? [];
          const codes = results.txs_results ?? [];
          expect(codes).toHaveLength(txs.length);
          onChain.txs += txs.length;
          onChain.ok += codes.filter((r) => r.code === 0).length;
          for (const r of codes) onChain.maxGasUsed = Math.max(onChain.maxGasUsed, Number(r.gas_used));
          for (const b64 of txs) {
            const [msg, ...more] = TxBody.decode(TxRaw.decode(Buffer.from(b64, 'base64')).bodyBytes).messages;
            if (more.length === 0 && msg?.typeUrl === '/parazone.drugregistry.v1.MsgShip' && senders.has(MsgShip.decode(msg.value).signer))
              onChain.ships++;
          }
        }
        // Each planned tx moved its unit: in transit from the sender to the planned recipient, in
        // the sender's n-th shipment (shipment ids are "<sender>-<per-sender nonce>").
        for (let i = 0; i < TXS; i++) {
          const [from, to, round] = [accounts[plan.from[i]!]!.address, accounts[plan.to[i]!]!.address, plan.round[i]!];
          const serial = drugSerial(plan.from[i]!, round);
          const { unit } = await abciQuery(rpc, 'Unit', { gtin: DRUG_GTIN, serial }, QueryUnitRequest, QueryUnitResponse);
          const shipmentId = `${from}-${round + 1}`;
          expect(unit).toMatchObject({ serial, status: 'IN_TRANSIT', holder: from, shipmentId });
          const { shipment } = await abciQuery(rpc, 'Shipment', { id: shipmentId }, QueryShipmentRequest, QueryShipmentResponse);
          expect(shipment).toMatchObject({
            from,
            to,
            purpose: 'SALE',
            status: 'IN_TRANSIT',
            units: [{ gtin: DRUG_GTIN, serial }],
            totalUnits: 1n,
          });
          onChain.checkedUnits++;
        }
      },
    });

    expect(report.runs.map((r) => [r.target, r.workload])).toEqual([
      ['kvstore', 'drug'],
      ['parazone', 'drug'],
    ]);
    const [kv, ours] = report.runs as [(typeof report.runs)[0], (typeof report.runs)[0]];
    expect(ours.submit).toMatchObject({ planned: TXS, sent: TXS, accepted: TXS, rejected: 0 });
    expect(ours.chain).toMatchObject({ committed: TXS, succeeded: TXS, failed: 0, acceptedButNotCommitted: 0 });
    expect(onChain).toMatchObject({ txs: TXS, ok: TXS, ships: TXS, checkedUnits: TXS });
    // Well within the gas limit loadgen signs every tx with (run.ts TX_GAS).
    expect(onChain.maxGasUsed).toBeGreaterThan(0);
    expect(onChain.maxGasUsed).toBeLessThan(Number(TX_GAS.gasLimit) * 0.75);
    // The ceiling gets txs of our MsgShip size (not the smaller MsgSend size).
    expect(Math.abs(kv.txBytes.mean - ours.txBytes.mean)).toBeLessThan(4);
    expect(ours.txBytes.mean).toBeGreaterThan(350);
    expect(kv.chain.succeeded).toBe(600);
    expect(report.comparisons).toHaveLength(1);
    expect(report.workloads.drug).toMatch(/MsgShip/);
  }, 120_000);

  it('refuses a running chain before starting any run (its senders must be registered at genesis)', async () => {
    const started = Date.now();
    await expect(
      runSuite({
        workloads: ['transfer', 'drug'],
        executors: ['parallel'],
        targets: ['kvstore', 'parazone'],
        txs: 10,
        kvstoreTxs: 10,
        accounts: 2,
        rate: 0,
        mode: 'sync',
        connections: 1,
        maxSendMs: 1000,
        warmupMs: 0,
        drainTimeoutMs: 1000,
        comet: DEFAULT_COMET_SETTINGS,
        seed: 1,
        progress: false,
        external: { rpc: 'http://127.0.0.1:1', faucetMnemonic: 'unused' },
      }),
    ).rejects.toThrow(/drug workload needs a localnet/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
