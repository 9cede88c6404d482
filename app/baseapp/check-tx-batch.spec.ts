/**
 * CheckTx in batches: a pipelined burst on the mempool connection is answered in request order,
 * exactly as one-by-one CheckTx answers it, with the burst's signatures verified at once on the
 * executor's pool; and a recheck after a block drops what the block made invalid without checking
 * a single signature again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { CheckTxType, Request, type ResponseCheckTx } from 'cosmjs-types/tendermint/abci/types';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { composeChain } from '../app.js';
import { withAbciDefaults } from '../abci/application.js';
import { startAbciServer, type AbciServer } from '../abci/server.js';
import { ParallelExecutor } from '../exec/parallel.js';
import type { AnySigItem } from '../exec/signatures.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { STOCK_TASK_MODULE } from '../node/parallel-executor.js';
import { CommitStore } from '../store/commit-store.js';
import { makeAccounts, signedTransfer, type BenchAccount } from '../../scripts/lib/signed-transfers.js';
import { AbciTestClient } from '../../test/helpers/abci-client.js';
import { finalizeRequest, initChainRequest } from '../../test/harness.js';
import { BaseApp } from './baseapp.js';

const chainId = 'checktx-batch';
const denom = 'upara';
const dirs: string[] = [];
const chain0 = composeChain();
const [alice, bob, carol, stranger] = makeAccounts(4, chain0.config.addresses) as [BenchAccount, BenchAccount, BenchAccount, BenchAccount];
let appState = defaultAppState(chain0);
for (const a of [alice, bob]) appState = addGenesisAccount(appState, a.address, [{ denom, amount: '1000000000' }]);
appState = addGenesisAccount(appState, carol.address, [{ denom, amount: '100000' }]);
const initChain = initChainRequest(chainId, appState);

/** Every signature check the app starts: pool verifications, and the ante's cache look-ups (it looks before it verifies). */
interface Counts {
  verified: number;
  verifyBatches: number[];
  cacheLookups: number;
}

/** A BaseApp over LMDB whose signature checks are counted; `verify` verifies for real (on `pool` when given). */
function openApp(pool?: ParallelExecutor) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-checktx-'));
  dirs.push(home);
  const store = CommitStore.open(home, { noSync: true });
  const chain = composeChain();
  const counts: Counts = { verified: 0, verifyBatches: [], cacheLookups: 0 };
  const cache = chain.signatureCache;
  const has = cache.has.bind(cache);
  cache.has = (key) => {
    counts.cacheLookups++;
    return has(key);
  };
  const verify = (items: readonly AnySigItem[]) => {
    counts.verified += items.length;
    counts.verifyBatches.push(items.length);
    return pool ? pool.verifySignatures(items) : items.map(() => false);
  };
  const app = new BaseApp({ ...chain, store, preverified: { cache, checks: chain.signatureChecks, verify } });
  app.initChain(initChain);
  return { app, store, counts };
}

const fresh = (a: BenchAccount, sequence: bigint): BenchAccount => ({ ...a, sequence });
const send = (from: BenchAccount, sequence: bigint, amount = '1', to = bob.address) =>
  signedTransfer(fresh(from, sequence), to, { chainId, denom, amount });
const checkReq = (tx: Uint8Array, type = CheckTxType.NEW) => Request.fromPartial({ checkTx: { tx, type } });

let pool: ParallelExecutor;
const stores: CommitStore[] = [];
beforeAll(async () => {
  pool = await ParallelExecutor.create({ taskModule: STOCK_TASK_MODULE, workers: 2 });
});
afterAll(async () => {
  await pool.close();
  for (const s of stores) await s.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('CheckTx batches', () => {
  it('answers a pipelined burst of valid and invalid txs in request order, as one-by-one CheckTx does, verifying its signatures in one batch', async () => {
    const good = send(alice, 0n);
    const forged = (() => {
      const raw = TxRaw.decode(send(alice, 1n, '7'));
      const sig = Uint8Array.from(raw.signatures[0]!);
      sig[10]! ^= 0xff;
      return TxRaw.encode({ ...raw, signatures: [sig] }).finish();
    })();
    const burst = [
      good,
      forged, // bad signature: rejected, alice's sequence stays 1
      new Uint8Array([1, 2, 3]), // not a tx
      send(alice, 1n), // valid after the forged one
      send(bob, 5n), // wrong sequence
      send(stranger, 0n), // unknown account
      good, // the same tx again: sequence now used
      send(bob, 0n, '2', alice.address),
      send(alice, 2n),
      send(carol, 0n, '999999999'), // fee paid, but the message is not run in CheckTx: accepted
    ];

    // The reference: a second, identical app asked one tx at a time.
    const reference = openApp(pool);
    stores.push(reference.store);
    const expected = burst.map((tx) => reference.app.checkTx({ tx, type: CheckTxType.NEW }));
    expect(expected.map((r) => r.code)).toEqual([0, 4, expected[2]!.code, 0, 32, 9, 32, 0, 0, 0]);
    expect(expected[2]!.code).not.toBe(0);

    const { app, store, counts } = openApp(pool);
    stores.push(store);
    const server: AbciServer = await startAbciServer('tcp://127.0.0.1:0', {
      app: withAbciDefaults(app),
      logger: pino({ level: 'silent' }),
    });
    const client = await AbciTestClient.connect(server.address!);
    try {
      client.send(...burst.map((tx) => checkReq(tx)), Request.fromPartial({ flush: {} }));
      const responses = await client.take(burst.length + 1, 20_000);
      expect(responses[burst.length]!.flush).toBeDefined();
      const answers = responses.slice(0, burst.length).map((r) => r.checkTx as ResponseCheckTx);
      expect(answers.every((a) => a !== undefined)).toBe(true);
      expect(answers).toEqual(expected);
    } finally {
      client.close();
      await server.close();
    }
    // Every decodable tx of a known, numbered account had its signature checked ahead, together:
    // not the garbage bytes, not the stranger's (the repeated tx twice: CometBFT's mempool cache
    // drops such duplicates before CheckTx).
    expect(counts.verifyBatches.reduce((a, b) => a + b, 0)).toBe(counts.verified);
    expect(counts.verifyBatches[0]).toBeGreaterThan(1);
    expect(counts.verified).toBe(8);
  });

  it('rechecks after a block drop what it invalidated (a used sequence, a fee no longer covered) and check no signature again', () => {
    const { app, store, counts } = openApp(pool);
    stores.push(store);
    const pendingAlice = send(alice, 0n); // will find its sequence used by the block
    const pendingCarol0 = send(carol, 0n);
    const pendingCarol1 = send(carol, 1n); // will find carol's balance gone
    const pendingBob = send(bob, 0n); // stays valid
    const newAnswers = app.checkTxBatch(
      [pendingAlice, pendingCarol0, pendingCarol1, pendingBob].map((tx) => ({ tx, type: CheckTxType.NEW })),
    );
    expect(newAnswers.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    expect(counts.verified).toBe(4);

    // The block: alice signs something else with sequence 0; carol moves out everything but the fee.
    const block = [send(alice, 0n, '5', carol.address), send(carol, 0n, String(100000 - 5000), alice.address)];
    const finalized = app.finalizeBlock(finalizeRequest(1, block));
    expect(finalized.txResults.map((r) => r.code)).toEqual([0, 0]);
    app.commit();

    counts.verified = 0;
    counts.verifyBatches.length = 0;
    counts.cacheLookups = 0;
    const rechecks = app.checkTxBatch([pendingAlice, pendingCarol1, pendingBob].map((tx) => ({ tx, type: CheckTxType.RECHECK })));
    expect(rechecks.map((r) => r.code)).toEqual([32, 5, 0]);
    expect(rechecks[0]!.log).toMatch(/account sequence mismatch, expected 1, got 0/);
    expect(rechecks[1]!.log).toMatch(/insufficient funds/);
    expect(counts).toEqual({ verified: 0, verifyBatches: [], cacheLookups: 0 });
    // CometBFT reads only the code of a recheck: no events, no data to encode.
    expect(rechecks.every((r) => r.events.length === 0 && r.data.length === 0)).toBe(true);
  });
});
