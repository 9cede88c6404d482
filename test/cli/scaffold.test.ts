/**
 * `parazone scaffold module`: scaffold into a temporary folder, type-check what it wrote, start a
 * node of the chain file it wrote, and send the sample Msg with stock cosmjs through a Registry.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DirectSecp256k1HdWallet, Registry, type GeneratedType } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import type { ModuleFactory } from '../../app/app.js';
import { repoRoot } from '../../app/node/cometbft.js';
import type { ProtoType } from '../../app/types/module.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM } from '../helpers/chain.js';

const exec = promisify(execFile);
const root = repoRoot();
const cleanup = cleanupAfterAll();
// Inside the repository (its git-ignored tmp/), so the module resolves the repository's packages.
fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
const dir = fs.mkdtempSync(path.join(root, 'tmp', 'scaffold-'));
cleanup.add('remove scaffold dir', () => fs.rmSync(dir, { recursive: true, force: true }));
const parazone = (...args: string[]) =>
  exec(process.execPath, ['--import', 'tsx', path.join(root, 'app/cli/main.ts'), ...args], { cwd: root, timeout: 60_000 });

let printed: string;
beforeAll(async () => {
  printed = (await parazone('scaffold', 'module', 'inventory', '--dir', dir, '--org', 'acme')).stdout;
});

it('writes the module in the house template, its codecs and a chain file, and says what to edit next', async () => {
  const moduleDir = path.join(dir, 'inventory');
  for (const file of [
    'module.ts',
    'keeper.ts',
    'msgs.ts',
    'queries.ts',
    'genesis.ts',
    'keys.ts',
    'errors.ts',
    'events.ts',
    'expected-keepers.ts',
    'module.spec.ts',
    'buf.yaml',
    'buf.gen.yaml',
  ]) {
    expect(fs.existsSync(path.join(moduleDir, file))).toBe(true);
  }
  expect(fs.existsSync(path.join(moduleDir, 'proto/acme/inventory/v1/inventory.proto'))).toBe(true);
  expect(fs.readFileSync(path.join(moduleDir, 'generated/acme/inventory/v1/inventory.ts'), 'utf8')).toContain('export const MsgSetRecord');
  expect(fs.readFileSync(path.join(dir, 'chain.ts'), 'utf8')).toContain('extraModules: [inventoryModule]');
  expect(printed).toContain('next:');
  expect(printed).toContain('inventory.proto');

  await expect(parazone('scaffold', 'module', 'inventory', '--dir', dir)).rejects.toMatchObject({
    stderr: expect.stringContaining('already exists'),
  });
  await expect(parazone('scaffold', 'module', 'tokens', '--dir', dir)).rejects.toMatchObject({
    stderr: expect.stringContaining("core module's name"),
  });
});

it('type-checks', async () => {
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ extends: path.join(root, 'tsconfig.json'), include: ['.'] }));
  await exec(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', path.join(dir, 'tsconfig.json')], {
    cwd: root,
    timeout: 280_000,
  });
}, 300_000);

it('runs in a node started from its chain file and takes its sample Msg from stock cosmjs', async () => {
  const { inventoryModule } = (await import(pathToFileURL(path.join(dir, 'inventory/module.ts')).href)) as {
    inventoryModule: ModuleFactory;
  };
  type Codec = ProtoType<unknown> & GeneratedType;
  const codecs = (await import(pathToFileURL(path.join(dir, 'inventory/generated/acme/inventory/v1/inventory.ts')).href)) as Record<
    string,
    Codec
  >;
  const chain = await startTestChain(
    { accounts: { alice: `1000000000${TEST_DENOM}` }, entry: path.join(dir, 'chain.ts'), spec: { extraModules: [inventoryModule] } },
    cleanup,
  );

  const registry = new Registry(defaultRegistryTypes);
  registry.register('/acme.inventory.v1.MsgSetRecord', codecs.MsgSetRecord!);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.alice!.mnemonic, { prefix: 'para' });
  const alice = (await wallet.getAccounts())[0]!.address;
  const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    registry,
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect client', () => client.disconnect());

  const msg = {
    typeUrl: '/acme.inventory.v1.MsgSetRecord',
    value: codecs.MsgSetRecord!.fromPartial({ owner: alice, key: 'widgets', value: '42' }),
  };
  const result = await client.signAndBroadcast(alice, [msg], 'auto');
  expect(result.code).toBe(0);
  expect(result.events.some((e) => e.type === 'inventory_record_set')).toBe(true);

  const comet = await connectComet(chain.rpc);
  cleanup.add('disconnect comet', () => comet.disconnect());
  const raw = await new QueryClient(comet).queryAbci(
    '/acme.inventory.v1.Query/Record',
    codecs.QueryRecordRequest!.encode(codecs.QueryRecordRequest!.fromPartial({ owner: alice, key: 'widgets' })).finish(),
  );
  expect(codecs.QueryRecordResponse!.decode(raw.value)).toEqual({ record: { owner: alice, key: 'widgets', value: '42' } });

  // Bad input gets the module's registered error, and the chain goes on.
  const empty = { typeUrl: msg.typeUrl, value: codecs.MsgSetRecord!.fromPartial({ owner: alice, key: '', value: 'x' }) };
  await expect(client.signAndBroadcast(alice, [empty], 'auto')).rejects.toThrow(/empty key/);
  const height = await chain.height();
  await expect(
    chain.height().then(async () => {
      await new Promise((r) => setTimeout(r, 1000));
      return chain.height();
    }),
  ).resolves.toBeGreaterThan(height);
});
