/**
 * The block path may get faster, never different: fixed streams of blocks (every module's Msgs,
 * failing txs included, and a plain transfer stream) run through a node, and a digest of every
 * FinalizeBlock response (app hash, each tx's code, log, gas, data and events, the block's events)
 * must equal the one recorded in golden-stream.json. A change that alters a result, an event or
 * the state layout changes the digest; if that change is intended (and old data directories are
 * refused), record the new digests with `UPDATE_GOLDEN=1` and say why in the commit.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import { composeChain } from '../app/app.js';
import { BaseApp } from '../app/baseapp/baseapp.js';
import { CommitStore } from '../app/store/commit-store.js';
import { seededRandom } from '../app/exec/prng.js';
import { addGenesisAccounts, defaultAppState } from '../app/node/genesis.js';
import { makeAccounts, signedTransfer } from '../scripts/lib/signed-transfers.js';
import { mixedActors, mixedBlocks, mixedGenesis } from '../scripts/lib/mixed-stream.js';
import { finalizeRequest, initChainRequest } from './harness.js';
import { makeTempDir } from './helpers/temp-dir.js';

const GOLDEN = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden-stream.json');
const chainId = 'golden';
const denom = 'upara';

function digestOf(appState: unknown, blocks: Iterable<Uint8Array[]>): string {
  const dir = makeTempDir('golden');
  const store = CommitStore.open(dir.path, { noSync: true });
  const app = new BaseApp({ ...composeChain(), store });
  app.initChain(initChainRequest(chainId, appState));
  const digest = createHash('sha256');
  let height = 0;
  for (const txs of blocks) {
    height++;
    digest.update(ResponseFinalizeBlock.encode(app.finalizeBlock(finalizeRequest(height, txs))).finish());
    app.commit();
  }
  void store.close().then(dir.remove);
  return `${height} blocks ${digest.digest('hex')}`;
}

function mixedStream(seed: number): string {
  const accounts = makeAccounts(8, composeChain().config.addresses);
  const actors = mixedActors(accounts);
  return digestOf(mixedGenesis(accounts, actors, denom), mixedBlocks({ seed, accounts, actors, chainId, denom }));
}

function transferStream(): string {
  const chain = composeChain();
  const accounts = makeAccounts(40, chain.config.addresses);
  const appState = addGenesisAccounts(
    defaultAppState(chain),
    accounts.map((a) => ({ address: a.address, coins: [{ denom: chain.config.bondDenom, amount: '1000000000' }] })),
  );
  const random = seededRandom(3);
  const blocks: Uint8Array[][] = [];
  for (let b = 0; b < 6; b++) {
    const txs: Uint8Array[] = [];
    for (let i = 0; i < 30; i++) {
      const from = accounts[Math.floor(random() * accounts.length)]!;
      const to = accounts[Math.floor(random() * accounts.length)]!;
      txs.push(
        signedTransfer(from, to.address, { chainId, denom: chain.config.bondDenom, amount: String(1 + Math.floor(random() * 1000)) }),
      );
    }
    blocks.push(txs);
  }
  return digestOf(appState, blocks);
}

const streams: Record<string, () => string> = {
  'mixed seed 1': () => mixedStream(1),
  'mixed seed 2': () => mixedStream(2),
  'mixed seed 3': () => mixedStream(3),
  transfers: transferStream,
};

if (process.env.UPDATE_GOLDEN) {
  it('records the golden digests', () => {
    const out = Object.fromEntries(Object.entries(streams).map(([name, run]) => [name, run()]));
    fs.writeFileSync(GOLDEN, JSON.stringify(out, null, 2) + '\n');
  });
} else {
  const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
  it.each(Object.keys(streams))('%s: every FinalizeBlock response equals the recorded one', (name) => {
    expect(streams[name]!()).toBe(golden[name]);
  });
}
