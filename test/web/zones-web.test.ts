/**
 * The Explorer's zones view in a real browser on `parazone localnet --zones 2` (two real zones and
 * the relayer between them): zone 1's page shows both zones, each read from its own RPC through
 * zone 1's proxies, with the client that follows the other; a transfer sent while the relayer is
 * paused shows as in flight, and once the relayer runs again as acknowledged.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import type { Page } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../app/node/cometbft.js';
import { ibcRegistry } from '../../app/relayer/index.js';
import { IbcTypeUrls } from '../../modules/ibc/index.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { launchChromium, openPage, type WatchedPage } from './browser.js';
import { startZonesLocalnet, type ZonesLocalnet } from './demo-localnet.js';

const cleanup = cleanupAfterAll();
const CLIENT = '07-tendermint-0';
let net: ZonesLocalnet;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  if (!fs.existsSync(path.join(repoRoot(), 'dist/web/index.html')))
    throw new Error('dist/web is not built: run "npm run build:web" (scripts/setup.sh does)');
  net = await startZonesLocalnet(cleanup, 2);
  const relayer = net.layout.relayers[0]!;
  await pollUntil(
    'the relayer to set up the path',
    () => (fs.existsSync(relayer.log) && fs.readFileSync(relayer.log, 'utf8').includes('"msg":"relaying"') ? true : undefined),
    60_000,
    200,
  );
  const browser = await launchChromium(cleanup);
  watched = await openPage(browser, net.layout.zones[0]!.web!);
  page = watched.page;
}, 180_000);

test('zone 1 shows both zones, a packet in flight while the relayer is paused, then acknowledged', async () => {
  const [z1, z2] = net.layout.zones as [ZonesLocalnet['layout']['zones'][number], ZonesLocalnet['layout']['zones'][number]];
  await page.goto(`${z1.web}/#/explorer`);
  const zone1 = page.getByTestId(`zone-${z1.chainId}`);
  const zone2 = page.getByTestId(`zone-${z2.chainId}`);
  // Each zone's own client of the other, read from that zone's RPC.
  await zone1
    .getByTestId(`client-${CLIENT}`)
    .filter({ hasText: `follows ${z2.chainId}` })
    .waitFor();
  await zone2
    .getByTestId(`client-${CLIENT}`)
    .filter({ hasText: `follows ${z1.chainId}` })
    .waitFor();
  expect(Number(await zone2.getByTestId('zone-height').innerText())).toBeGreaterThan(1);

  const relayerPid = net.layout.relayers[0]!.pid!;
  expect(relayerPid).toBeGreaterThan(0);
  process.kill(relayerPid, 'SIGSTOP');
  // A paused relayer would ignore the localnet's SIGTERM; resuming one already gone is no error.
  cleanup.add('resume the relayer', () => {
    try {
      process.kill(relayerPid, 'SIGCONT');
    } catch {
      // already exited
    }
  });
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(z1.faucet.mnemonic, { prefix: z1.bech32Prefix });
  const signer = await SigningStargateClient.connectWithSigner(z1.rpc, wallet, {
    registry: ibcRegistry(),
    gasPrice: GasPrice.fromString(z1.gasPrice),
    broadcastPollIntervalMs: 100,
  });
  cleanup.add('disconnect signer', () => signer.disconnect());
  const sent = await signer.signAndBroadcast(
    z1.faucet.address,
    [
      {
        typeUrl: IbcTypeUrls.transfer,
        value: {
          sender: z1.faucet.address,
          receiver: z2.faucet.address,
          token: { denom: z1.denom, amount: '4242' },
          sourceClient: CLIENT,
          timeoutTimestamp: BigInt(Math.floor(Date.now() / 1000) + 600),
          memo: '',
        },
      },
    ],
    'auto',
  );
  expect(sent.code).toBe(0);

  const client1 = zone1.getByTestId(`client-${CLIENT}`);
  const packet = client1.locator('li[data-sequence="1"]');
  await packet.and(page.locator('[data-state="in flight"]')).waitFor();
  expect(await packet.innerText()).toMatch(/4242 upara to para1/);
  expect(await client1.getByTestId('in-flight').innerText()).toBe('1 in flight');
  await screenshot('zones');

  process.kill(relayerPid, 'SIGCONT');
  await packet.and(page.locator('[data-state="acknowledged"]')).waitFor({ timeout: 40_000 });
  expect(await client1.getByTestId('in-flight').innerText()).toBe('0 in flight');
}, 120_000);

async function screenshot(name: string): Promise<void> {
  const dir = process.env.WEB_SCREENSHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.getByTestId('zones').screenshot({ path: path.join(dir, `${name}.png`) });
}

afterAll(() => {
  expect(watched?.problems ?? ['the page never opened']).toEqual([]);
});
