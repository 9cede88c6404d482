/**
 * Two validators, each CometBFT behind its own KV app and ABCI server, peered on 127.0.0.1:
 * blocks need both votes, a tx sent to one node is executed by both apps, and both compute the
 * same app hashes. Fails (never skips) when CometBFT is missing.
 */
import { pino } from 'pino';
import { startAbciServer, type AbciServer } from '../../app/abci/server.js';
import { broadcastTxSync, rpcCall } from '../../app/node/cometbft.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestNetwork, type TestNode } from '../helpers/comet-node.js';
import { KvApp } from './kv-app.js';

const cleanup = cleanupAfterAll();
// Registered first so teardown (LIFO) stops the nodes before closing their apps.
const servers: AbciServer[] = [];
cleanup.add('close ABCI servers', () => Promise.all(servers.map((s) => s.close())));

describe('two-validator local network', () => {
  const apps = [new KvApp(), new KvApp()];
  let nodes: TestNode[];

  beforeAll(async () => {
    for (const app of apps) {
      servers.push(await startAbciServer('tcp://127.0.0.1:0', { app, logger: pino({ level: 'warn' }) }));
    }
    nodes = await startTestNetwork({ proxyApps: servers.map((s) => s.address!), chainId: 'kv-net' }, cleanup);
  });

  it('reaches consensus and both apps execute the same tx to the same app hash', async () => {
    await Promise.all(nodes.map((n) => n.waitForHeight(3, 60_000)));
    const validators = await rpcCall<{ total: string }>(nodes[0]!.rpcUrl, 'validators');
    expect(validators.total).toBe('2');

    const sent = await broadcastTxSync(nodes[0]!.rpcUrl, Buffer.from('city=lisbon'));
    expect(sent.code).toBe(0);
    const hash = Buffer.from(sent.hash, 'hex').toString('base64');
    const tx = await pollUntil('tx on the other node', () => rpcCall<{ height: string }>(nodes[1]!.rpcUrl, 'tx', { hash }), 30_000);
    const height = Number(tx.height);

    await Promise.all(nodes.map((n) => n.waitForHeight(height + 1, 30_000)));
    await pollUntil('both apps to commit the tx height', () => (apps.every((a) => a.height >= height) ? true : undefined), 10_000);
    expect(apps.map((a) => a.get('city'))).toEqual(['lisbon', 'lisbon']);
    expect(apps[0]!.hashes.get(height)).toBeDefined();
    expect(apps[1]!.hashes.get(height)).toBe(apps[0]!.hashes.get(height));
  });
});
