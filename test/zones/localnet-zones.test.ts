/**
 * `parazone localnet --zones 2` as a user runs it: one command brings up two zones (own chain
 * ids, CometBFT and homes with endpoints.json) and the relayer between them; a transfer from
 * zone 1's faucet arrives on zone 2 and is acknowledged. SIGTERM stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';
import { repoRoot } from '../../app/node/cometbft.js';
import { ibcRegistry } from '../../app/relayer/index.js';
import type { ZonesLayout } from '../../app/cli/commands/localnet-zones.js';
import { IbcTypeUrls } from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { tempDir } from './zones-helpers.js';

const cleanup = cleanupAfterAll();

test('localnet --zones 2 runs two zones and a relayer in one command', async () => {
  const home = tempDir(cleanup);
  const logFile = path.join(home, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', '--zones', '2', '--home', home],
    { cwd: repoRoot(), stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  const exited = new Promise((r) => child.once('exit', r));
  cleanup.add('stop localnet', async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000).unref())]);
  });
  const layoutFile = path.join(home, 'zones.json');
  const layout = await pollUntil(
    'zones.json',
    () => {
      if (child.exitCode !== null) throw new Error(`localnet exited:\n${fs.readFileSync(logFile, 'utf8')}`);
      return fs.existsSync(layoutFile) ? (JSON.parse(fs.readFileSync(layoutFile, 'utf8')) as ZonesLayout) : undefined;
    },
    60_000,
    200,
  );
  expect(layout.zones.map((z) => z.chainId)).toEqual(['parazone-local-1', 'parazone-local-2']);
  expect(layout.relayers).toHaveLength(1);
  for (const [i, z] of layout.zones.entries()) {
    expect(z.home).toBe(path.join(home, `zone${i + 1}`));
    expect(JSON.parse(fs.readFileSync(path.join(z.home, 'endpoints.json'), 'utf8'))).toMatchObject({ chainId: z.chainId, rpc: z.rpc });
  }
  await pollUntil(
    'relayer set up the path',
    () =>
      fs.existsSync(layout.relayers[0]!.log) && fs.readFileSync(layout.relayers[0]!.log, 'utf8').includes('"msg":"relaying"')
        ? true
        : undefined,
    40_000,
    200,
  );

  const [z1, z2] = layout.zones as [ZonesLayout['zones'][number], ZonesLayout['zones'][number]];
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(z1.faucet.mnemonic, { prefix: z1.bech32Prefix });
  const signer = await SigningStargateClient.connectWithSigner(z1.rpc, wallet, {
    registry: ibcRegistry(),
    gasPrice: GasPrice.fromString(z1.gasPrice),
    broadcastPollIntervalMs: 100,
  });
  const q2 = await StargateClient.connect(z2.rpc);
  cleanup.add('disconnect clients', () => (signer.disconnect(), q2.disconnect()));
  const res = await signer.signAndBroadcast(
    z1.faucet.address,
    [
      {
        typeUrl: IbcTypeUrls.transfer,
        value: {
          sender: z1.faucet.address,
          receiver: z2.faucet.address,
          token: { denom: z1.denom, amount: '4242' },
          sourceClient: '07-tendermint-0',
          timeoutTimestamp: BigInt(Math.floor(Date.now() / 1000) + 600),
          memo: '',
        },
      },
    ],
    'auto',
  );
  expect(res.code).toBe(0);
  await pollUntil(
    'voucher on zone 2',
    async () =>
      (await q2.getAllBalances(z2.faucet.address)).some((c) => c.denom.startsWith('ibc/') && c.amount === '4242') ? true : undefined,
    30_000,
    200,
  );
  await pollUntil(
    'ack relayed',
    () => (fs.readFileSync(layout.relayers[0]!.log, 'utf8').includes('"msg":"acknowledged"') ? true : undefined),
    30_000,
    200,
  );

  child.kill('SIGTERM');
  await Promise.race([
    exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error('localnet did not stop on SIGTERM')), 15_000).unref()),
  ]);
}, 120_000);
