/**
 * Debian's Chromium driven by playwright-core (never Playwright's own browser download): headless,
 * a fresh profile (playwright-core makes a temporary one per launch and removes it on close), and
 * every background connection Chromium would make to the outside switched off; optionally a fake
 * camera playing a Y4M file. Each page records console errors, page errors and any request that
 * leaves its origin or this machine, for the test to check.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Cleanup } from '../helpers/cleanup.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(cleanup: Cleanup, options: { fakeCameraY4m?: string } = {}): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: scripts/setup.sh installs it (apt-get install chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.fakeCameraY4m
        ? ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCameraY4m}`]
        : []),
    ],
  });
  cleanup.add('close Chromium', () => browser.close());
  return browser;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface WatchedPage {
  readonly page: Page;
  /** Console errors, uncaught page errors and requests that left the page's own origin. */
  readonly problems: string[];
}

/** A new phone-sized page that records what went wrong in it. */
export async function openPage(browser: Browser, origin: string, size = { width: 360, height: 800 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1, permissions: ['camera'] });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (!LOOPBACK.has(new URL(url).hostname)) problems.push(`request left this machine: ${url}`);
    else if (!url.startsWith(origin)) problems.push(`request left the origin: ${url}`);
  });
  return { page, problems };
}
