/**
 * Determinism guard: the same random transaction stream, touching every module, runs through two
 * independent nodes (separate module instances and LMDB stores); their app hashes must agree at
 * every height, and any divergence names the first differing key.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import { CommitStore } from '../app/store/commit-store.js';
import { describeKey, firstDifference } from '../app/store/diff.js';
import { makeAccounts } from '../scripts/lib/signed-transfers.js';
import { mixedActors, mixedBlocks, mixedGenesis } from '../scripts/lib/mixed-stream.js';
import { finalizeRequest, initChainRequest } from './harness.js';

const chainId = 'determinism';
const denom = 'upara';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function node(appState: unknown) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-det-'));
  dirs.push(dir);
  const store = CommitStore.open(dir, { noSync: true });
  const app = new BaseApp({ ...composeChain(), store });
  app.initChain(initChainRequest(chainId, appState));
  return { app, store };
}

it.each([1, 2, 3])('two independent nodes agree on every app hash and result (seed %i)', (seed) => {
  const accounts = makeAccounts(8, composeChain().config.addresses);
  const actors = mixedActors(accounts);
  const appState = mixedGenesis(accounts, actors, denom);

  const a = node(appState);
  const b = node(appState);
  let height = 0;
  let failures = 0;
  for (const txs of mixedBlocks({ seed, accounts, actors, chainId, denom })) {
    height++;
    const req = finalizeRequest(height, txs);
    const ra = a.app.finalizeBlock(req);
    const rb = b.app.finalizeBlock(req);
    a.app.commit();
    b.app.commit();
    if (Buffer.compare(ra.appHash, rb.appHash) !== 0) {
      const diff = firstDifference(a.store.latest(), b.store.latest());
      throw new Error(
        `app hashes diverge at height ${height}; first differing key: ${diff ? describeKey(diff.key) : '(none in state: hash bug)'}`,
      );
    }
    expect(rb.txResults.map((r) => [r.code, r.gasUsed, r.data])).toEqual(ra.txResults.map((r) => [r.code, r.gasUsed, r.data]));
    expect(rb.events).toEqual(ra.events);
    failures += ra.txResults.filter((r) => r.code !== 0).length;
    expect(a.app.checkInvariants()).toEqual([]);
  }
  // The stream did exercise failing txs, and the two states are equal key by key.
  expect(failures).toBeGreaterThan(0);
  expect(firstDifference(a.store.latest(), b.store.latest())).toBeUndefined();
});
