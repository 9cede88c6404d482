/**
 * Our ABCI server under the REAL CometBFT (.tools/bin/cometbft): blocks are produced, a tx sent
 * over RPC lands in a block, and after stopping both processes the handshake (Info → replay)
 * resumes at the right height — from a persisted app, and from an empty in-memory app that
 * CometBFT replays every block into. If CometBFT is missing this suite fails; it never skips.
 */
import { join } from 'node:path';
import { pino } from 'pino';
import { startAbciServer, type AbciServer } from '../../app/abci/server.js';
import { assertPinnedCometbft, broadcastTxSync, locateCometbft, rpcCall } from '../../app/node/cometbft.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { TestNode } from '../helpers/comet-node.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { KvApp } from './kv-app.js';

const cleanup = cleanupAfterAll();
const quiet = pino({ level: process.env.ABCI_LOG_LEVEL ?? 'warn' });

// Registered before any node so that teardown (LIFO) stops CometBFT first: closing the app
// under a running node makes it log "Did the application crash?" and exit.
const servers: AbciServer[] = [];
cleanup.add('close ABCI servers', () => Promise.all(servers.map((s) => s.close())));

async function serve(app: KvApp, address: string): Promise<AbciServer> {
  const server = await startAbciServer(address, { app, logger: quiet });
  servers.push(server);
  return server;
}

interface TxResponse {
  height: string;
  tx_result: { code: number; log: string; events: { type: string; attributes: { key: string; value: string }[] }[] };
}

describe('KV app behind our ABCI server under real CometBFT', () => {
  let dir: string;
  let stateFile: string;
  let node: TestNode;
  let app: KvApp;
  let server: AbciServer;
  let txHeight = 0;

  beforeAll(async () => {
    locateCometbft(); // throws "run npm run setup" when absent: a hard failure, not a skip
    await assertPinnedCometbft();
    const tmp = makeTempDir('kv');
    cleanup.add('remove kv dir', tmp.remove);
    dir = tmp.path;
    stateFile = join(dir, 'kv-state.json');
    app = new KvApp(stateFile);
    server = await serve(app, 'tcp://127.0.0.1:0');
    node = await TestNode.start({ proxyApp: server.address!, chainId: 'kv-chain', appState: { entries: { greeting: 'hello' } } }, cleanup);
  });

  it('handshakes (Info, InitChain with genesis) and produces blocks', async () => {
    await node.waitForHeight(3);
    expect(app.calls[0]).toBe('info');
    expect(app.calls).toContain('initChain');
    expect(app.chainId).toBe('kv-chain');
    expect(app.appState).toEqual({ entries: { greeting: 'hello' } });
    expect(app.calls.filter((c) => c.startsWith('finalizeBlock@'))[0]).toBe('finalizeBlock@1');
    expect(app.height).toBeGreaterThanOrEqual(2);
    // The app hash of height h is in the header of block h+1.
    const block = await rpcCall<{ block: { header: { app_hash: string } } }>(node.rpcUrl, 'block', { height: '3' });
    expect(block.block.header.app_hash.toLowerCase()).toBe(app.hashes.get(2));
    const status = await rpcCall<{ node_info: { network: string; version: string } }>(node.rpcUrl, 'status');
    expect(status.node_info.network).toBe('kv-chain');
    expect(status.node_info.version).toBe('0.38.25');
  });

  it('puts a tx broadcast over RPC into a block and serves it by query', async () => {
    const ok = await broadcastTxSync(node.rpcUrl, Buffer.from('name=parazone'));
    expect(ok.code).toBe(0);
    const bad = await broadcastTxSync(node.rpcUrl, Buffer.from('no-equals-sign'));
    expect(bad.code).toBe(2);
    expect(bad.log).toBe('tx must be key=value');

    const tx = await pollUntil(
      'tx to be indexed',
      () => rpcCall<TxResponse>(node.rpcUrl, 'tx', { hash: Buffer.from(ok.hash, 'hex').toString('base64') }),
      20_000,
    );
    txHeight = Number(tx.height);
    expect(tx.tx_result.code).toBe(0);
    expect(tx.tx_result.events).toContainEqual(
      expect.objectContaining({ type: 'kv', attributes: [expect.objectContaining({ key: 'key', value: 'name' })] }),
    );
    expect(app.calls).toContain(`finalizeBlock@${txHeight}`);

    await node.waitForHeight(txHeight + 1);
    const query = await rpcCall<{ response: { code: number; value: string; height: string } }>(node.rpcUrl, 'abci_query', {
      data: Buffer.from('name').toString('hex'),
    });
    expect(query.response.code).toBe(0);
    expect(Buffer.from(query.response.value, 'base64').toString()).toBe('parazone');
    expect(Number(query.response.height)).toBeGreaterThanOrEqual(txHeight);
  });

  it('resumes at the committed height after both processes restart (persisted app, unix socket)', async () => {
    await node.stop();
    await server.close();
    const stoppedAt = app.height;
    expect(stoppedAt).toBeGreaterThan(txHeight);

    app = new KvApp(stateFile); // reload what Commit persisted
    expect(app.height).toBe(stoppedAt);
    server = await serve(app, `unix://${join(dir, 'app.sock')}`);
    await node.restart({ proxyApp: server.address! });
    await node.waitForHeight(stoppedAt + 3);

    expect(app.calls[0]).toBe('info');
    expect(app.calls).not.toContain('initChain');
    const finalized = app.calls.filter((c) => c.startsWith('finalizeBlock@'));
    // CometBFT may hold one block the app never committed; either way the app resumes right after its height.
    expect(finalized[0]).toBe(`finalizeBlock@${stoppedAt + 1}`);
    expect(app.get('name')).toBe('parazone');
  });

  it('replays every block into an app that starts empty (Info reports 0 → InitChain → replay)', async () => {
    await node.stop();
    await server.close();
    const storeHeight = app.height;

    app = new KvApp(); // in memory: knows nothing
    server = await serve(app, 'tcp://127.0.0.1:0');
    await node.restart({ proxyApp: server.address! });
    await node.waitForHeight(storeHeight + 2);

    expect(app.calls[0]).toBe('info');
    expect(app.calls[1]).toBe('initChain');
    const finalized = app.calls.filter((c) => c.startsWith('finalizeBlock@')).map((c) => Number(c.split('@')[1]));
    expect(finalized.slice(0, storeHeight)).toEqual(Array.from({ length: storeHeight }, (_, i) => i + 1));
    // CometBFT checks the replayed app hash against its own record; reaching new heights means they matched.
    expect(app.get('name')).toBe('parazone');
    expect(app.get('greeting')).toBe('hello');
  });
});
