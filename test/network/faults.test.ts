/**
 * A four-validator network on real processes, under a steady stream of transactions: SIGKILL one
 * validator's app, then another's CometBFT, then make an app kill itself inside FinalizeBlock.
 * The network never stalls for more than a few blocks, restarted nodes catch up through the
 * handshake and block sync, every node reports the same app hash at every height, no committed tx
 * is lost, and a full node added later syncs to the same state.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { rpcCall } from '../../app/node/cometbft.js';
import { AddressCodec } from '../../app/types/address.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { pollUntil, withTimeout } from '../helpers/cleanup.js';
import fs from 'node:fs';
import path from 'node:path';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';

const cleanup = cleanupAfterAll();
const DENOM = 'upara';
let net: TestNetwork;
let sender: string;
let client: SigningStargateClient;
const committed: string[] = [];
let streaming = true;
let stream: Promise<void>;
/** Longest gap, in ms, between two new heights seen on node0 while faults happen. */
let longestStallMs = 0;

beforeAll(async () => {
  const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' });
  sender = (await wallet.getAccounts())[0]!.address;
  net = await startTestNetwork(
    { validators: 4, accounts: [{ address: sender, coins: [{ denom: DENOM, amount: '1000000000000' }] }] },
    cleanup,
  );
  await pollUntil('network produces block 3', async () => ((await net.height(0)) >= 3 ? true : undefined), 60_000, 200);
  client = await SigningStargateClient.connectWithSigner(net.nodes[0]!.info.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${DENOM}`),
    broadcastPollIntervalMs: 150,
  });
  cleanup.add('disconnect', () => client.disconnect());
  const recipient = new AddressCodec('para').encode(new Uint8Array(20).fill(3));
  // A steady stream of transfers through node0, recording every tx the chain reports committed.
  stream = (async () => {
    while (streaming) {
      try {
        const res = await client.sendTokens(sender, recipient, [{ denom: DENOM, amount: '1' }], {
          amount: [{ denom: DENOM, amount: '5000' }],
          gas: '200000',
        });
        if (res.code === 0) committed.push(res.transactionHash);
      } catch {
        // A send can time out while a node restarts; the stream just goes on.
      }
    }
  })();
  // Watch node0's height for stalls.
  void (async () => {
    let last = await net.height(0);
    let since = Date.now();
    while (streaming) {
      await new Promise((r) => setTimeout(r, 100));
      const h = await net.height(0).catch(() => last);
      if (h > last) {
        longestStallMs = Math.max(longestStallMs, Date.now() - since);
        last = h;
        since = Date.now();
      }
    }
  })();
}, 180_000);

async function caughtUp(i: number) {
  await pollUntil(`node${i} catches up`, async () => ((await net.height(i)) >= (await net.height(0)) - 1 ? true : undefined), 90_000, 250);
}

async function appHashAt(i: number, height: number): Promise<string> {
  const res = await rpcCall<{ block: { header: { app_hash: string } } }>(net.nodes[i]!.info.rpc, 'block', { height: String(height) });
  return res.block.header.app_hash;
}

it('survives a SIGKILLed app: the node restarts, replays and catches up', async () => {
  const before = await net.height(0);
  await net.killApp(3); // its CometBFT exits too: it lost its app connection
  await net.nodes[3]!.comet!.exited;
  await pollUntil(
    '3 of 4 validators keep making blocks',
    async () => ((await net.height(0)) >= before + 5 ? true : undefined),
    30_000,
    200,
  );
  await net.startApp(3);
  await net.startComet(3);
  await caughtUp(3);
}, 180_000);

it('survives a SIGKILLed CometBFT whose app keeps running', async () => {
  const before = await net.height(0);
  await net.killComet(2);
  await pollUntil('blocks go on', async () => ((await net.height(0)) >= before + 5 ? true : undefined), 30_000, 200);
  await net.startComet(2);
  await caughtUp(2);
}, 180_000);

it('replays to the same state after an app is SIGKILLed inside FinalizeBlock', async () => {
  // Restart node1's app with a fault armed a few blocks ahead: it executes that block and dies
  // before answering CometBFT (which then exits too, its app gone).
  await net.killApp(1);
  await net.nodes[1]!.comet!.exited;
  const crashAt = (await net.height(0)) + 4;
  net.nodes[1]!.env = { PARAZONE_FAULT_KILL_IN_FINALIZE_AT: String(crashAt) };
  await net.startApp(1);
  await net.startComet(1);
  await withTimeout(net.nodes[1]!.comet!.exited, 60_000, 'node1 crashing at the armed height');
  expect(fs.readFileSync(path.join(net.nodes[1]!.info.home, 'app.log'), 'utf8')).toContain('fault injection: SIGKILL inside FinalizeBlock');
  // The plain restart replays the block it died in and lands on everyone's state (checked below).
  net.nodes[1]!.env = {};
  await net.killApp(1);
  await net.startApp(1);
  await net.startComet(1);
  await caughtUp(1);
}, 180_000);

it("adds a full node with one call; it syncs to the validators' state", async () => {
  const node = await net.addFullNode();
  const index = net.nodes.indexOf(node);
  await caughtUp(index);
}, 180_000);

it('has identical app hashes on every node at every height, lost no committed tx, and never stalled long', async () => {
  streaming = false;
  await stream;
  const top = Math.min(...(await Promise.all(net.nodes.map((_, i) => net.height(i)))));
  for (let h = 1; h <= top; h++) {
    const hashes = await Promise.all(net.nodes.map((_, i) => appHashAt(i, h)));
    expect({ height: h, distinct: new Set(hashes).size }).toEqual({ height: h, distinct: 1 });
  }
  expect(committed.length).toBeGreaterThan(10);
  for (const hash of committed) {
    for (let i = 0; i < net.nodes.length; i++) {
      const tx = await rpcCall<{ tx_result: { code: number } }>(net.nodes[i]!.info.rpc, 'tx', {
        hash: Buffer.from(hash, 'hex').toString('base64'),
      });
      expect(tx.tx_result.code).toBe(0);
    }
  }
  // "A few blocks": with ~0.3 s blocks, a stall of 10 s would be ~30 blocks; a failover costs one round.
  expect(longestStallMs).toBeLessThan(10_000);
}, 300_000);
