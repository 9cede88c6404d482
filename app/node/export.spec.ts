/**
 * Genesis export round trip: the exported app_state, imported by InitChain into a new chain,
 * rebuilds exactly the exported state — the same app hash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeChain } from '../app.js';
import { BaseApp } from '../baseapp/baseapp.js';
import { CommitStore } from '../store/commit-store.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { addGenesisAccount, defaultAppState } from './genesis.js';
import { finalizeRequest, initChainRequest } from '../../test/harness.js';

const chainId = 'export-test';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function freshApp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-export-'));
  dirs.push(dir);
  const store = CommitStore.open(dir, { noSync: true });
  return { store, app: new BaseApp({ ...composeChain(), store }) };
}

function finalize(app: BaseApp, height: number, txs: Uint8Array[]) {
  const res = app.finalizeBlock(finalizeRequest(height, txs));
  app.commit();
  return res;
}

it('imports the exported state into a new chain with the same app hash', () => {
  const chain = composeChain();
  const accounts = makeAccounts(4, chain.config.addresses);
  let appState = defaultAppState(chain);
  for (const a of accounts.slice(0, 2)) appState = addGenesisAccount(appState, a.address, [{ denom: 'upara', amount: '1000000' }]);

  const { app } = freshApp();
  app.initChain(initChainRequest(chainId, appState));
  // Transfers that create new accounts (derived numbers), set pubkeys, bump sequences and collect fees.
  finalize(app, 1, [signedTransfer(accounts[0]!, accounts[2]!.address, { chainId, denom: 'upara', amount: '500' })]);
  const last = finalize(app, 2, [
    signedTransfer(accounts[1]!, accounts[3]!.address, { chainId, denom: 'upara', amount: '700' }),
    signedTransfer(accounts[0]!, accounts[3]!.address, { chainId, denom: 'upara', amount: '1' }),
  ]);
  expect(last.txResults.map((r) => r.code)).toEqual([0, 0]);
  expect(app.checkInvariants()).toEqual([]);

  const exported = app.exportGenesis();
  const { app: imported } = freshApp();
  const init = imported.initChain(initChainRequest(chainId, exported, 3n));
  expect(Buffer.from(init.appHash).toString('hex')).toBe(Buffer.from(last.appHash).toString('hex'));
});
