/**
 * The parallel executor on a real network: two validators, one running FinalizeBlock on Block-STM
 * worker threads and one sequentially, must agree on every tx result and app hash — CometBFT would
 * halt the two-validator chain otherwise. Blocks are filled with bursts of transfers (independent
 * senders, a hot recipient, failing txs) so the parallel path really runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { composeChain } from '../../app/app.js';
import { broadcastTxSync, rpcCall } from '../../app/node/cometbft.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';

const cleanup = cleanupAfterAll();
const config = composeChain().config;
const accounts = makeAccounts(60, config.addresses);
let net: TestNetwork;

beforeAll(async () => {
  net = await startTestNetwork(
    {
      validators: 2,
      accounts: accounts.map((a) => ({
        address: a.address,
        coins: [{ denom: 'upara', amount: a.accountNumber < 50n ? '1000000000' : '30000' }],
      })),
      // min_parallel_txs 8: Block-STM for every block this test fills, whatever the core count picks.
      nodeAppConfig: (i) =>
        i === 0 ? { executor: 'parallel', workers: 2, minParallelTxs: 8, logLevel: 'info' } : { executor: 'sequential' },
    },
    cleanup,
  );
  await pollUntil('block 2', async () => ((await net.height(0)) >= 2 ? true : undefined), 60_000, 200);
}, 120_000);

it('agrees with a sequential validator on every result and app hash, with blocks full of txs', async () => {
  const hot = accounts[0]!.address;
  const hashes: string[] = [];
  for (let round = 0; round < 4; round++) {
    // 60 senders at once: most pay the hot account, some send to each other, the last ten send
    // more than they hold (a failing Msg that still pays its fee).
    const txs = accounts.map((from, i) =>
      signedTransfer(from, i % 3 === 0 ? accounts[(i + 7) % accounts.length]!.address : hot, {
        chainId: net.chainId,
        denom: 'upara',
        amount: i >= 50 ? '999999' : String(1 + i),
      }),
    );
    const results = await Promise.all(txs.map((tx, i) => broadcastTxSync(net.nodes[i % 2]!.info.rpc, tx)));
    for (const r of results) {
      expect(r.code).toBe(0);
      hashes.push(r.hash);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  // Every tx lands, on both nodes, with the same result.
  for (const hash of hashes) {
    const found = await pollUntil(
      `tx ${hash}`,
      async () => {
        try {
          return await Promise.all(
            net.nodes.map((n) =>
              rpcCall<{ height: string; tx_result: { code: number; gas_used: string } }>(n.info.rpc, 'tx', {
                hash: Buffer.from(hash, 'hex').toString('base64'),
              }),
            ),
          );
        } catch {
          return undefined;
        }
      },
      30_000,
      200,
    );
    expect(found[1]!.tx_result).toEqual(found[0]!.tx_result);
  }
  const top = Math.min(await net.height(0), await net.height(1));
  let biggest = 0;
  for (let h = 1; h <= top; h++) {
    const blocks = await Promise.all(
      net.nodes.map((n) =>
        rpcCall<{ block: { header: { app_hash: string }; data: { txs: string[] | null } } }>(n.info.rpc, 'block', { height: String(h) }),
      ),
    );
    expect(blocks[1]!.block.header.app_hash).toBe(blocks[0]!.block.header.app_hash);
    biggest = Math.max(biggest, blocks[0]!.block.data.txs?.length ?? 0);
  }
  // The parallel node did run blocks large enough for its workers (its threshold is set to 8).
  expect(biggest).toBeGreaterThanOrEqual(8);
  expect(fs.readFileSync(path.join(net.nodes[0]!.info.home, 'app.log'), 'utf8')).toContain('parallel (Block-STM) executor');
}, 180_000);
