/**
 * State sync on real processes: three validators take a snapshot every 5 heights; a new full node
 * configured for CometBFT state sync (two validators' RPC, a trusted header from a validator's
 * /block) restores the newest snapshot instead of replaying from height 1, then follows the chain
 * and computes the same app hash as the validators at every height it has. The validators prune
 * their state to the newest few heights meanwhile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { QueryBalanceRequest } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { rpcCall } from '../../app/node/cometbft.js';
import { fetchTrustPoint } from '../../app/node/network.js';
import { AddressCodec } from '../../app/types/address.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';

const cleanup = cleanupAfterAll();
const DENOM = 'upara';
const INTERVAL = 5;
const KEEP_RECENT = 4;
let net: TestNetwork;
let client: SigningStargateClient;
let sender: string;
const codec = new AddressCodec('para');
const recipients = [1, 2, 3].map((i) => codec.encode(new Uint8Array(20).fill(i)));

async function appHashAt(i: number, height: number): Promise<string> {
  const res = await rpcCall<{ block: { header: { app_hash: string } } }>(net.nodes[i]!.info.rpc, 'block', { height: String(height) });
  return res.block.header.app_hash;
}

async function status(i: number) {
  return rpcCall<{ sync_info: { latest_block_height: string; earliest_block_height: string; catching_up: boolean } }>(
    net.nodes[i]!.info.rpc,
    'status',
  );
}

function snapshotHeights(i: number): number[] {
  const dir = path.join(net.nodes[i]!.info.home, 'data', 'snapshots');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(dir, d, 'snapshot.json')))
    .map(Number);
}

beforeAll(async () => {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' });
  sender = (await wallet.getAccounts())[0]!.address;
  net = await startTestNetwork(
    {
      validators: 3,
      accounts: [{ address: sender, coins: [{ denom: DENOM, amount: '1000000000000' }] }],
      // Validators also prune: state sync must not need their old heights.
      appConfig: { snapshotInterval: INTERVAL, snapshotKeepRecent: 3, pruningKeepRecent: KEEP_RECENT },
    },
    cleanup,
  );
  await pollUntil('network produces block 2', async () => ((await net.height(0)) >= 2 ? true : undefined), 60_000, 200);
  client = await SigningStargateClient.connectWithSigner(net.nodes[0]!.info.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${DENOM}`),
    broadcastPollIntervalMs: 150,
  });
  cleanup.add('disconnect', () => client.disconnect());
}, 180_000);

it('validators take snapshots at every interval, with state worth restoring in them', async () => {
  for (const [i, to] of recipients.entries()) {
    const res = await client.sendTokens(sender, to, [{ denom: DENOM, amount: String(1000 * (i + 1)) }], 'auto');
    expect(res.code).toBe(0);
  }
  // A snapshot strictly after the transfers, and two more blocks on top of it (the light client
  // verifies heights H+1 and H+2 of a snapshot at H).
  const after = await net.height(0);
  const target = (Math.floor(after / INTERVAL) + 1) * INTERVAL;
  await pollUntil(
    `every validator has a snapshot at ${target}`,
    () => (net.nodes.every((_, i) => snapshotHeights(i).includes(target)) ? true : undefined),
    60_000,
    200,
  );
  await pollUntil(`height ${target + 3}`, async () => ((await net.height(0)) >= target + 3 ? true : undefined), 60_000, 200);
  // Same state → byte-identical snapshots on every validator (CometBFT pools them across peers).
  const metas = net.nodes.map((n) => fs.readFileSync(path.join(n.info.home, 'data', 'snapshots', String(target), 'snapshot.json'), 'utf8'));
  expect(new Set(metas).size).toBe(1);
}, 180_000);

it('a new node joins by state sync, not by replaying from height 1, and follows the chain', async () => {
  const trust = await fetchTrustPoint(net.nodes[0]!.info.rpc);
  const node = await net.addStateSyncNode({ rpcServers: [net.nodes[0]!.info.rpc, net.nodes[1]!.info.rpc], ...trust });
  const index = net.nodes.indexOf(node);

  await pollUntil(
    'the state-synced node catches up',
    async () => {
      const s = await status(index);
      return !s.sync_info.catching_up && Number(s.sync_info.latest_block_height) >= (await net.height(0)) - 1 ? true : undefined;
    },
    120_000,
    250,
  );
  const earliest = Number((await status(index)).sync_info.earliest_block_height);
  // Its block store starts right after the restored snapshot's height.
  expect(earliest).toBeGreaterThan(1);
  expect((earliest - 1) % INTERVAL).toBe(0);
  const appLog = fs.readFileSync(path.join(node.info.home, 'app.log'), 'utf8');
  expect(appLog).toContain('state snapshot restored');
  expect(appLog).not.toContain('genesis loaded'); // InitChain state was never what it ran on

  // The restored state answers queries: the transfers made before the snapshot are there.
  const reader = await StargateClient.connect(node.info.rpc);
  cleanup.add('disconnect reader', () => reader.disconnect());
  for (const [i, to] of recipients.entries()) {
    expect((await reader.getBalance(to, DENOM)).amount).toBe(String(1000 * (i + 1)));
  }

  // New txs after the join land on the new node too.
  const res = await client.sendTokens(sender, recipients[0]!, [{ denom: DENOM, amount: '7' }], 'auto');
  expect(res.code).toBe(0);
  await pollUntil(
    'the new node has the tx block',
    async () => ((await net.height(index)) > res.height + 1 ? true : undefined),
    30_000,
    200,
  );
  expect((await reader.getBalance(recipients[0]!, DENOM)).amount).toBe('1007');

  // Same app hash as every validator at every height the new node has.
  const top = Math.min(...(await Promise.all(net.nodes.map((_, i) => net.height(i)))));
  expect(top).toBeGreaterThan(earliest);
  for (let h = earliest; h <= top; h++) {
    const hashes = await Promise.all(net.nodes.map((_, i) => appHashAt(i, h)));
    expect({ height: h, distinct: new Set(hashes).size }).toEqual({ height: h, distinct: 1 });
  }
}, 240_000);

it('validators answer queries at recent heights and refuse pruned ones with a clear error', async () => {
  const query = (height: number) =>
    rpcCall<{ response: { code: number; log: string; height: string } }>(net.nodes[0]!.info.rpc, 'abci_query', {
      path: '/cosmos.bank.v1beta1.Query/Balance',
      data: Buffer.from(QueryBalanceRequest.encode({ address: recipients[1]!, denom: DENOM }).finish()).toString('hex'),
      height: String(height),
    });
  const top = await net.height(0);
  expect((await query(top - 1)).response.code).toBe(0);
  const pruned = await query(2);
  expect(pruned.response.code).toBe(26);
  expect(pruned.response.log).toMatch(/height 2 is pruned on this node: it keeps heights \d+\.\.\d+/);
}, 60_000);

it('the state-synced node restarts from its restored store and keeps following', async () => {
  const index = net.nodes.length - 1;
  await net.nodes[index]!.comet!.stop();
  await net.killApp(index);
  const stoppedAt = await net.height(index).catch(() => 0);
  await net.startApp(index);
  await net.startComet(index);
  await pollUntil(
    'the restarted node catches up',
    async () => ((await net.height(index)) >= Math.max(stoppedAt + 2, (await net.height(0)) - 1) ? true : undefined),
    60_000,
    250,
  );
  const h = (await net.height(index)) - 1;
  expect(await appHashAt(index, h)).toBe(await appHashAt(0, h));
}, 120_000);
