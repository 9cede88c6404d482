/**
 * A chain with an extra module (examples/notes), started through its own entry script, runs
 * FinalizeBlock on Block-STM worker threads without naming a task module: the workers import that
 * entry for its ChainSpec (app/chain-entry-task.ts). Node 0 runs parallel, node 1 sequentially;
 * with blocks mixing notes and transfers, both must agree on every tx result and app hash. Once
 * from the TypeScript entry (under tsx), once from the compiled one in dist/ (plain node).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { composeChain, type ChainSpec } from '../../app/app.js';
import { broadcastTxSync, repoRoot, rpcCall } from '../../app/node/cometbft.js';
import { freePorts } from '../../app/node/ports.js';
import { MsgCreateNote } from '../../examples/notes/generated/acme/notes/v1/notes.js';
import { createNotesModule } from '../../examples/notes/module.js';
import { makeAccounts, signedTransfer, signedTx, type BenchAccount } from '../../scripts/lib/signed-transfers.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';

const spec: ChainSpec = { extraModules: [({ config }) => createNotesModule(config)] };
const config = composeChain(spec).config;

describe.each([
  ['the TypeScript entry', 'examples/notes/chain.ts'],
  ['the compiled entry', 'dist/examples/notes/chain.js'],
])('the notes chain started from %s', (_, entry) => {
  const cleanup = cleanupAfterAll();
  const accounts = makeAccounts(40, config.addresses);
  let net: TestNetwork;
  let metricsPort: number;

  beforeAll(async () => {
    if (entry.startsWith('dist/')) await promisify(execFile)(process.execPath, [path.join(repoRoot(), 'scripts/build.js'), '--if-stale']);
    [metricsPort] = (await freePorts(1)) as [number];
    net = await startTestNetwork(
      {
        validators: 2,
        accounts: accounts.map((a) => ({ address: a.address, coins: [{ denom: 'upara', amount: '1000000000' }] })),
        entry: path.join(repoRoot(), entry),
        spec,
        // min_parallel_txs 8: Block-STM for every block this test fills, whatever the core count picks.
        nodeAppConfig: (i) =>
          i === 0
            ? { executor: 'parallel', workers: 2, minParallelTxs: 8, logLevel: 'info', metricsAddress: `127.0.0.1:${metricsPort}` }
            : { executor: 'sequential' },
      },
      cleanup,
    );
    await pollUntil('block 2', async () => ((await net.height(0)) >= 2 ? true : undefined), 60_000, 200);
  }, 120_000);

  function createNote(from: BenchAccount, text: string): Uint8Array {
    const value = MsgCreateNote.encode(MsgCreateNote.fromPartial({ author: from.address, text })).finish();
    return signedTx(from, [{ typeUrl: '/acme.notes.v1.MsgCreateNote', value }], { chainId: net.chainId, denom: 'upara' });
  }

  it('runs blocks of notes and transfers on worker threads, agreeing with a sequential validator', async () => {
    const hashes: string[] = [];
    for (let round = 0; round < 3; round++) {
      // Half the accounts write a note (the extra module, which a worker composing the stock chain
      // would reject), the other half pay their neighbour.
      const txs = accounts.map((from, i) =>
        i % 2 === 0
          ? createNote(from, `note ${round}/${i}`)
          : signedTransfer(from, accounts[(i + 1) % accounts.length]!.address, { chainId: net.chainId, denom: 'upara' }),
      );
      const results = await Promise.all(txs.map((tx, i) => broadcastTxSync(net.nodes[i % 2]!.info.rpc, tx)));
      for (const r of results) {
        expect(r.code).toBe(0);
        hashes.push(r.hash);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const hash of hashes) {
      const found = await pollUntil(
        `tx ${hash}`,
        async () => {
          try {
            return await Promise.all(
              net.nodes.map((n) =>
                rpcCall<{ tx_result: { code: number; gas_used: string; log?: string } }>(n.info.rpc, 'tx', {
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
      expect(found[0]!.tx_result.code).toBe(0);
      expect(found[1]!.tx_result).toEqual(found[0]!.tx_result);
    }
    const top = Math.min(await net.height(0), await net.height(1));
    for (let h = 1; h <= top; h++) {
      const headers = await Promise.all(
        net.nodes.map((n) => rpcCall<{ block: { header: { app_hash: string } } }>(n.info.rpc, 'block', { height: String(h) })),
      );
      expect(headers[1]!.block.header.app_hash).toBe(headers[0]!.block.header.app_hash);
    }
    // Node 0 ran blocks on Block-STM with its worker thread (the executor's own stats, as metrics).
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const parallelBlocks = /^parazone_executor_blocks_total\{executor="workers",workers="2"\} (\d+)$/m.exec(metrics);
    expect(Number(parallelBlocks?.[1] ?? 0)).toBeGreaterThanOrEqual(1);
    const log = fs.readFileSync(path.join(net.nodes[0]!.info.home, 'app.log'), 'utf8');
    expect(log).toContain('parallel (Block-STM) executor');
    expect(log).toMatch(entry.endsWith('.js') ? /dist\/app\/chain-entry-task\.js\?entry=/ : /app\/chain-entry-task\.ts\?entry=/);
    expect(log).not.toContain('running FinalizeBlock sequentially');
  }, 180_000);
});
