/**
 * The Dockerfile and docker-compose.yml as a user runs them, on a real Docker engine: builds the
 * image, brings up the default network (four validators and a full node, homes made by the init
 * container), sends tokens with stock cosmjs through the full node, SIGKILLs one validator's
 * container and sees the other three keep committing without it. Everything is torn down
 * afterwards, also on failure. Needs `docker` and a compose (`docker compose` or docker-compose)
 * and the Dockerfile's base images; `npm run setup` as root provides all three
 * (scripts/docker/), and this test fails, never skips, without them.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { repoRoot, rpcCall } from '../../app/node/cometbft.js';
import { Cleanup, pollUntil } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const root = repoRoot();
const project = `parazone-test-${randomBytes(4).toString('hex')}`;
const image = 'parazone:test';
const cleanup = new Cleanup();
afterAll(() => cleanup.run(120_000), 300_000);

interface Endpoints {
  chainId: string;
  denom: string;
  bech32Prefix: string;
  gasPrice: string;
  faucet: { address: string; mnemonic: string };
}
interface Network {
  nodes: { name: string; validator: boolean; rpc: string; home: string }[];
}

let dataDir: string;
let compose: (args: string[], timeoutMs?: number) => Promise<string>;
let network: Network;
let endpoints: Endpoints;

/** `docker compose` when the plugin is there, else the standalone docker-compose. */
async function composeCommand(): Promise<string[]> {
  try {
    await run('docker', ['compose', 'version'], { timeout: 10_000 });
    return ['docker', 'compose'];
  } catch {
    await run('docker-compose', ['version'], { timeout: 10_000 }).catch(() => {
      throw new Error(
        'neither `docker compose` nor docker-compose is installed; run `npm run setup` as root (scripts/docker/start-dockerd.sh)',
      );
    });
    return ['docker-compose'];
  }
}

async function height(rpc: string): Promise<number> {
  const status = await rpcCall<{ sync_info: { latest_block_height: string } }>(rpc, 'status', {}, 2000);
  return Number(status.sync_info.latest_block_height);
}

beforeAll(async () => {
  await run('docker', ['info'], { timeout: 20_000 }).catch((err: Error) => {
    throw new Error(
      `no Docker engine answers (${err.message.split('\n')[0]}); run \`npm run setup\` as root (scripts/docker/start-dockerd.sh) or start one`,
    );
  });
  const [bin, ...pre] = await composeCommand();
  const dir = makeTempDir('docker');
  cleanup.add('remove data dir', () => dir.remove());
  dataDir = dir.path;
  // The containers run as uid 1000 (the image's `node` user) and write the network here.
  fs.chmodSync(dataDir, 0o777);
  const env = { ...process.env, COMPOSE_PROJECT_NAME: project, PARAZONE_DATA: dataDir, PARAZONE_IMAGE: image, VALIDATORS: '4' };
  compose = async (args, timeoutMs = 120_000) =>
    (
      await run(bin!, [...pre, '-f', path.join(root, 'docker-compose.yml'), '--project-directory', root, ...args], {
        env,
        timeout: timeoutMs,
        maxBuffer: 64 << 20,
      })
    ).stdout;

  const started = Date.now();
  await compose(['build', 'init'], 30 * 60_000);
  console.log(`docker: image built in ${Math.round((Date.now() - started) / 1000)} s`);
  cleanup.add('compose down', async () => {
    await compose(['down', '-v', '--remove-orphans', '-t', '5'], 110_000);
  });
  await compose(['up', '-d'], 180_000);
  network = await pollUntil(
    'the init container to write network.json with the full node',
    () => {
      const file = path.join(dataDir, 'chain', 'network.json');
      const layout = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Network) : undefined;
      return layout && layout.nodes.length === 5 ? layout : undefined;
    },
    120_000,
    500,
  );
  endpoints = JSON.parse(fs.readFileSync(path.join(dataDir, 'chain', 'endpoints.json'), 'utf8')) as Endpoints;
  for (const node of network.nodes) {
    await pollUntil(`${node.name} to commit height 2`, async () => ((await height(node.rpc)) >= 2 ? true : undefined), 180_000, 500);
  }
  console.log(`docker: network up ${Math.round((Date.now() - started) / 1000)} s after the build started`);
}, 40 * 60_000);

afterEach(async () => {
  // What a failure needs to be understood: the containers' last words.
  const state = expect.getState();
  if (compose && state.assertionCalls !== state.numPassingAsserts) {
    console.log((await compose(['logs', '--no-color', '--tail', '40']).catch((err: Error) => err.message)).slice(-20_000));
  }
});

test('a bank send through the full node commits, and the chain goes on without a killed validator', async () => {
  const fullNode = network.nodes.find((n) => !n.validator)!;
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(endpoints.faucet.mnemonic, { prefix: endpoints.bech32Prefix });
  const client = await SigningStargateClient.connectWithSigner(fullNode.rpc, wallet, {
    gasPrice: GasPrice.fromString(endpoints.gasPrice),
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect', () => client.disconnect());
  const [{ address: to }] = await (await DirectSecp256k1HdWallet.generate(12, { prefix: endpoints.bech32Prefix })).getAccounts();
  const sent = await client.sendTokens(endpoints.faucet.address, to, [{ denom: endpoints.denom, amount: '1000' }], 'auto');
  expect(sent.code).toBe(0);
  // Committed on the validators too, not only seen by the node we sent through.
  const validator0 = await StargateClient.connect(network.nodes[0]!.rpc);
  cleanup.add('disconnect validator0', () => validator0.disconnect());
  await pollUntil(
    'the transfer on node0',
    async () => ((await validator0.getBalance(to, endpoints.denom)).amount === '1000' ? true : undefined),
    30_000,
    200,
  );

  // SIGKILL one validator's container; its home (and so its key) is in its log.
  const ids = (await compose(['ps', '-q', 'validator'])).split('\n').filter((id) => id.trim() !== '');
  expect(ids).toHaveLength(4);
  const victim = ids[0]!.trim();
  const { stdout: log, stderr: logErr } = await run('docker', ['logs', victim], { timeout: 20_000, maxBuffer: 64 << 20 });
  const ran = /start-free-node: running (\S+)/.exec(`${log}\n${logErr}`)?.[1];
  expect(ran).toBeDefined();
  const killedHome = path.join(dataDir, 'chain', path.basename(ran!));
  const killedAddress = (
    JSON.parse(fs.readFileSync(path.join(killedHome, 'config', 'priv_validator_key.json'), 'utf8')) as { address: string }
  ).address;
  await run('docker', ['kill', victim], { timeout: 30_000 });
  const { stdout: running } = await run('docker', ['inspect', '-f', '{{.State.Running}}', victim], { timeout: 20_000 });
  expect(running.trim()).toBe('false');

  // The three others commit blocks that the killed validator did not sign.
  const killedAt = await height(fullNode.rpc);
  const target = killedAt + 5;
  await pollUntil(`height ${target} after the kill`, async () => ((await height(fullNode.rpc)) >= target ? true : undefined), 90_000, 300);
  for (let h = killedAt + 3; h <= target; h++) {
    const commit = await rpcCall<{ signed_header: { commit: { signatures: { block_id_flag: number; validator_address: string }[] } } }>(
      fullNode.rpc,
      'commit',
      { height: String(h) },
    );
    const signers = commit.signed_header.commit.signatures.filter((s) => s.block_id_flag === 2).map((s) => s.validator_address);
    expect(signers.length).toBeGreaterThanOrEqual(3);
    expect(signers).not.toContain(killedAddress);
  }
  // And a second transfer still commits.
  const again = await client.sendTokens(endpoints.faucet.address, to, [{ denom: endpoints.denom, amount: '1' }], 'auto');
  expect(again.code).toBe(0);
}, 180_000);
