/**
 * The node's web page in a real browser (Debian's Chromium through playwright-core) on a real demo
 * localnet: verify packs, watch blocks, sign and send a shipment in the page and see it arrive,
 * vote and see the tally move; no JavaScript errors and no request leaving the page's origin.
 * With WEB_SCREENSHOTS_DIR set, it also saves a phone-sized screenshot of each page there.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { composeChain } from '../../app/app.js';
import { broadcastMsgs } from '../../app/cli/client.js';
import { Keyring } from '../../app/cli/keyring.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { gs1CheckDigit } from '../../modules/drugregistry/identifiers.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { launchChromium, openPage, type WatchedPage } from './browser.js';
import { dataMatrixPng, writeDataMatrixY4m } from './fake-camera.js';
import { startDemoLocalnet, type DemoLocalnet } from './demo-localnet.js';

const cleanup = cleanupAfterAll();
const GTIN = '00312345678906';
const GS = '\u001d';
const T = '/parazone.drugregistry.v1.';
const shotDir = process.env.WEB_SCREENSHOTS_DIR;
const CASE_BODY = '00312345600000001';
const CASE = `${CASE_BODY}${gs1CheckDigit(CASE_BODY)}`;

let net: DemoLocalnet;
let watched: WatchedPage;
let page: Page;

async function send(from: string, messages: { typeUrl: string; value: Record<string, unknown> }[]): Promise<void> {
  const config = makeChainConfig();
  const { result } = await broadcastMsgs(new Keyring(net.home, config.bech32Prefix), from, messages, {
    node: net.endpoints.rpc,
    gasPrice: net.endpoints.gasPrice,
    msgTypes: composeChain({ config }).modules.flatMap((m) => (m.msgs ?? []).map((msg) => ({ typeUrl: msg.typeUrl, type: msg.type }))),
    fee: 'auto',
  });
  if (result.code !== 0) throw new Error(`setup tx from ${from} failed: ${result.rawLog}`);
}

async function screenshot(name: string): Promise<void> {
  if (!shotDir) return;
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

async function connect(keyName: string): Promise<void> {
  const connected = page.getByTestId('connected-key');
  if (await connected.count()) await connected.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByLabel('devnet key').selectOption(keyName);
  await connected.filter({ hasText: keyName }).waitFor();
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(repoRoot(), 'dist/web/index.html')))
    throw new Error('dist/web is not built: run "npm run build:web" (scripts/setup.sh does)');
  net = await startDemoLocalnet(cleanup, 300);
  const { manufacturer, faucet } = { manufacturer: net.endpoints.demo.keys.manufacturer!.address, faucet: net.endpoints.faucet.address };
  // A batch to recall besides the demo's, packs of both, a case of two packs, and a proposal open for votes.
  await send('manufacturer', [
    {
      typeUrl: `${T}MsgCommissionUnits`,
      value: { signer: manufacturer, gtin: GTIN, lot: 'LOADGEN1', serials: ['SN1', 'SN2', 'SN3', 'CS1', 'CS2'] },
    },
    {
      typeUrl: `${T}MsgPack`,
      value: {
        signer: manufacturer,
        sscc: CASE,
        units: [
          { gtin: GTIN, serial: 'CS1' },
          { gtin: GTIN, serial: 'CS2' },
        ],
        containers: [],
      },
    },
    {
      typeUrl: `${T}MsgCommissionBatch`,
      value: { signer: manufacturer, gtin: GTIN, lot: 'BAD1', expiry: '2099-12-31', manufacturedOn: '' },
    },
    { typeUrl: `${T}MsgCommissionUnits`, value: { signer: manufacturer, gtin: GTIN, lot: 'BAD1', serials: ['RC1'] } },
    {
      typeUrl: `${T}MsgInitiateRecall`,
      value: {
        signer: manufacturer,
        scope: 'BATCH',
        gtin: GTIN,
        lot: 'BAD1',
        classification: 'II',
        reasonCode: 'CONTAMINATION',
        detailsHash: '',
      },
    },
  ]);
  const governance = makeChainConfig().addresses.moduleAddress('governance');
  const { MsgGrantRegulator } = await import('../../generated/parazone/drugregistry/v1/tx.js');
  const grant = MsgGrantRegulator.encode({
    authority: governance,
    address: faucet,
    name: 'Faucet inspector',
    jurisdictions: ['US'],
  }).finish();
  await send('faucet', [
    {
      typeUrl: '/parazone.governance.v1.MsgSubmitProposal',
      value: {
        messages: [{ typeUrl: `${T}MsgGrantRegulator`, value: grant }],
        initialDeposit: [{ denom: net.endpoints.denom, amount: '10000000' }],
        proposer: faucet,
        metadata: '',
        title: 'Appoint a second regulator',
        summary: 'REGULATOR role for the state inspector',
      },
    },
  ]);
  // Chromium's fake camera shows SN1's DataMatrix, rendered by zxing-wasm's writer.
  const media = makeTempDir('web-camera');
  cleanup.add('remove camera video', () => media.remove());
  const camera = path.join(media.path, 'sn1.y4m');
  await writeDataMatrixY4m(`(01)${GTIN}(21)SN1(10)LOADGEN1`, camera);
  const browser = await launchChromium(cleanup, { fakeCameraY4m: camera });
  watched = await openPage(browser, net.endpoints.web);
  page = watched.page;
  page.on('request', (request) => requested.push(request.url()));
}, 180_000);

const requested: string[] = [];

describe('Verify', () => {
  const verify = async (code: string) => {
    await page.goto(`${net.endpoints.web}/#/verify`);
    await page.locator('#code').fill(code);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
  };

  it('shows a genuine pack, from the raw DataMatrix string, with its custody history', async () => {
    await verify(`]d201${GTIN}21SN1${GS}10LOADGEN1`);
    await page.locator('[data-testid=verdict][data-kind=genuine]').waitFor();
    await page.getByTestId('timeline').getByText('Commissioned').waitFor();
    expect(await page.locator('.facts').innerText()).toMatch(/Loadgenamab/);
    await screenshot('verify');
  });

  it('shows a recalled pack, from the bracketed form', async () => {
    await verify(`(01)${GTIN}(21)RC1(10)BAD1`);
    await page.locator('[data-testid=verdict][data-kind=recalled]').waitFor();
    expect(await page.getByTestId('verdict').innerText()).toMatch(/Recalled/);
  });

  it('scans a pack with the camera (zxing-wasm, its wasm from this origin) and verifies it', async () => {
    await page.goto(`${net.endpoints.web}/#/verify`);
    await page.getByRole('button', { name: 'Scan with camera' }).click();
    await page.locator('[data-testid=verdict][data-kind=genuine]').waitFor();
    expect(await page.locator('#code').inputValue()).toBe(`]d201${GTIN}21SN1${GS}10LOADGEN1`);
    expect(await page.getByTestId('camera').count()).toBe(0); // the camera is off again
    const wasm = requested.filter((url) => url.endsWith('.wasm'));
    expect(wasm).toHaveLength(1);
    expect(wasm[0]!.startsWith(`${net.endpoints.web}/assets/zxing_reader-`)).toBe(true);
  });

  it('reads the DataMatrix from an uploaded photo', async () => {
    await page.goto(`${net.endpoints.web}/#/verify`);
    await page
      .getByLabel('photo of the code')
      .setInputFiles({ name: 'pack.png', mimeType: 'image/png', buffer: await dataMatrixPng(`(01)${GTIN}(21)SN2(10)LOADGEN1`) });
    await page.locator('[data-testid=verdict][data-kind=genuine]').waitFor();
    expect(await page.locator('.facts').innerText()).toMatch(/SN2/);
  });

  it('shows an unknown serial as unknown', async () => {
    await verify(`(01)${GTIN}(21)NOSUCHPACK`);
    await page.locator('[data-testid=verdict][data-kind=unknown]').waitFor();
  });

  it('explains a malformed code and stays usable', async () => {
    await verify('(01)00312345678907(21)SN1');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/not a readable pack code.*check digit/);
    expect(await page.getByTestId('verdict').count()).toBe(0);
    await page.locator('#code').fill(`(01)${GTIN}(21)SN2`);
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=verdict][data-kind=genuine]').waitFor();
  });
});

describe('Explorer', () => {
  it('shows new blocks as they come and the decoded txs', async () => {
    await page.goto(`${net.endpoints.web}/#/explorer`);
    const height = page.getByTestId('latest-height');
    await height.waitFor();
    const first = Number(await height.innerText());
    await page.waitForFunction(`Number(document.querySelector('[data-testid=latest-height]')?.textContent) > ${first}`, undefined, {
      timeout: 20_000,
    });
    // The proposal's tx, decoded in the page down to its own fields.
    const tx = page.getByTestId('txs').locator('li', { hasText: 'MsgSubmitProposal' });
    await tx.locator('summary').click();
    await tx.locator('pre', { hasText: 'Appoint a second regulator' }).waitFor();
    await page.getByTestId('blocks').locator('tbody tr').first().waitFor();
    expect(await page.getByText('runs as a single zone').count()).toBe(1);
    await screenshot('explorer');
  });
});

describe('Participants', () => {
  it('signs a shipment in the page and the recipient sees it arrive and receives it', async () => {
    const w1 = net.endpoints.demo.keys.wholesaler1!.address;
    await page.goto(`${net.endpoints.web}/#/participants`);
    await connect('manufacturer');
    await page.getByTestId('inventory').locator('label', { hasText: 'SN3' }).getByRole('checkbox').check();
    await page.getByLabel('ship to').selectOption(w1);
    await page.getByRole('button', { name: 'Ship', exact: true }).click();
    await page.getByTestId('tx-outcome').filter({ hasText: 'Ship: done' }).waitFor({ timeout: 40_000 });
    await page.getByTestId('outgoing').getByText('in transit').waitFor();

    await connect('wholesaler1');
    const incoming = page.getByTestId('incoming');
    await incoming.getByText('in transit').waitFor();
    await screenshot('participants');
    await incoming.getByRole('button', { name: 'Receive' }).click();
    await page.getByTestId('tx-outcome').filter({ hasText: 'Receive: done' }).waitFor({ timeout: 40_000 });
    await page.getByTestId('inventory').getByText('SN3').waitFor();
    await incoming.getByText('received').waitFor();
  });

  it('ships a whole case in one action and the recipient receives both packs in it', async () => {
    const w1 = net.endpoints.demo.keys.wholesaler1!.address;
    await connect('manufacturer');
    await page.getByTestId('cases').locator('label', { hasText: CASE }).getByRole('checkbox').check();
    await page.getByText('and 1 case(s) (2 packs) selected').waitFor();
    await page.getByLabel('ship to').selectOption(w1);
    await page.getByRole('button', { name: 'Ship', exact: true }).click();
    await page.getByTestId('tx-outcome').filter({ hasText: 'Ship: done' }).waitFor({ timeout: 40_000 });
    await page.getByTestId('outgoing').locator('li', { hasText: '2 pack(s)' }).getByText('in transit').waitFor();

    await connect('wholesaler1');
    const shipment = page.getByTestId('incoming').locator('li', { hasText: '2 pack(s)' });
    await shipment.getByRole('button', { name: 'Receive' }).click();
    await page.getByTestId('tx-outcome').filter({ hasText: 'Receive: done' }).waitFor({ timeout: 40_000 });
    await page.getByTestId('cases').locator('li', { hasText: CASE }).getByText('2 pack(s)').waitFor();
    await page.getByTestId('inventory').locator('li', { hasText: 'CS2' }).getByText(`in case ${CASE}`).waitFor();
  });
});

describe('Regulator & DAO', () => {
  it('votes on a proposal and the tally moves', async () => {
    await page.goto(`${net.endpoints.web}/#/dao`);
    const proposal = page.getByTestId('proposal-1');
    await proposal.waitFor();
    expect(await proposal.getByTestId('yes-count').innerText()).toBe('0');
    await page.getByTestId('recalls').getByText('contamination').waitFor();
    await connect('faucet');
    await proposal.getByRole('button', { name: 'Vote Yes' }).click();
    await proposal.getByTestId('tx-outcome').filter({ hasText: 'Vote Yes: done' }).waitFor({ timeout: 40_000 });
    await page.waitForFunction(
      `document.querySelector('[data-testid=proposal-1] [data-testid=yes-count]')?.textContent !== '0'`,
      undefined,
      { timeout: 20_000 },
    );
    expect(await proposal.getByTestId('yes-count').innerText()).toMatch(/^[1-9][\d,]*$/);
    await screenshot('dao');
  });
});

describe('Phone screen and keyboard', () => {
  const CONTROLS = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';

  // In-page scripts are strings: this file is type-checked without the DOM's types.
  /** Elements reaching past the 360 px viewport, as "tag.class" names (none when nothing overflows). */
  const overflowing = () =>
    page.evaluate<{ scroll: number; wide: string[] }>(`(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5);
      return { scroll: document.documentElement.scrollWidth - width, wide: wide.map((el) => el.tagName.toLowerCase() + '.' + el.className).slice(0, 10) };
    })()`);

  /** Tabs through the page; the visible, enabled controls that Tab never reached. */
  const unreachedByTab = async () => {
    const total = await page.evaluate<number>(`(() => {
      const controls = [...document.querySelectorAll(${JSON.stringify(CONTROLS)})].filter((el) => !el.disabled && el.getClientRects().length > 0);
      controls.forEach((el, i) => (el.dataset.tabCheck = String(i)));
      return controls.length;
    })()`);
    const reached = new Set<string>();
    await page.locator('body').focus();
    for (let i = 0; i < total + 3; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate<string | undefined>('document.activeElement?.dataset?.tabCheck');
      if (at !== undefined) reached.add(at);
    }
    return page.evaluate<string[]>(
      `[...document.querySelectorAll('[data-tab-check]')].filter((el) => !${JSON.stringify([...reached])}.includes(el.dataset.tabCheck)).map((el) => el.outerHTML.slice(0, 80))`,
    );
  };

  it.each([
    ['verify', '#code'],
    ['participants', '[data-testid=inventory] li'],
    ['dao', '[data-testid=proposal-1]'],
    ['explorer', '[data-testid=blocks] tbody tr'],
  ])('%s fits 360 px and Tab reaches every control', async (name, ready) => {
    await page.goto(`${net.endpoints.web}/#/${name}`);
    // With a key connected, so the signing controls are there too.
    if (name === 'participants') await connect('manufacturer');
    await page.locator(ready).first().waitFor();
    if (name === 'explorer') await page.getByTestId('txs').locator('li').first().waitFor();
    expect(await overflowing()).toEqual({ scroll: 0, wide: [] });
    expect(await unreachedByTab()).toEqual([]);
  });
});

afterAll(() => {
  // Checked last, over every page the tests opened.
  expect(watched?.problems ?? ['the page never opened']).toEqual([]);
});
