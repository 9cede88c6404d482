/**
 * BaseApp's ABCI method logic in process, over a real LMDB CommitStore: genesis, blocks, commit,
 * restart from disk, queries at heights and with proofs, and the answers that must never be empty.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { ResponseProcessProposal_ProposalStatus as ProposalStatus } from 'cosmjs-types/tendermint/abci/types';
import { composeChain } from '../app.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { CommitStore } from '../store/commit-store.js';
import { MAX_KEY_BYTES } from '../store/types.js';
import { keyString } from '../store/bytes.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { balanceKey } from '../../modules/tokens/keys.js';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { verifyItem } from '../exec/signatures.js';
import { BaseApp } from './baseapp.js';
import { sequentialExecutor } from '../exec/sequential.js';
import { finalizeRequest, INFO_REQUEST, initChainRequest } from '../../test/harness.js';

const chainId = 'baseapp-test';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function openApp(dir?: string) {
  const home = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-baseapp-'));
  if (!dir) dirs.push(home);
  const store = CommitStore.open(home, { noSync: true });
  const chain = composeChain();
  return { home, store, chain, app: new BaseApp({ ...chain, store }) };
}

const block = (height: number, txs: Uint8Array[] = []) => finalizeRequest(height, txs);

describe('BaseApp', () => {
  const { chain } = openApp();
  const [alice, bob] = makeAccounts(2, chain.config.addresses);
  let appState = defaultAppState(chain);
  appState = addGenesisAccount(appState, alice!.address, [{ denom: 'upara', amount: '1000000' }]);
  const initChain = initChainRequest(chainId, appState);

  it('starts at height 0 with an empty app hash, and returns a non-empty one from InitChain', () => {
    const { app } = openApp();
    expect(app.info(INFO_REQUEST)).toMatchObject({ lastBlockHeight: 0n, lastBlockAppHash: new Uint8Array() });
    const res = app.initChain(initChain);
    expect(res.appHash.length).toBe(32);
    expect(res.validators).toEqual([]);
  });

  it('checks txs against the genesis state before the first commit', () => {
    const { app } = openApp();
    app.initChain(initChain);
    const tx = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara' });
    expect(app.checkTx({ tx, type: 0 }).code).toBe(0);
  });

  it('finalizes, commits, answers Info and queries at each height, and survives a reopen', async () => {
    const { app, store, home } = openApp();
    app.initChain(initChain);
    const sender = { ...alice!, sequence: 0n };
    const tx = signedTransfer(sender, bob!.address, { chainId, denom: 'upara', amount: '250' });
    const res1 = app.finalizeBlock(block(1, [tx]));
    expect(res1.txResults).toHaveLength(1);
    expect(res1.txResults[0]!.code).toBe(0);
    app.commit();
    const res2 = app.finalizeBlock(block(2));
    app.commit();
    expect(app.info(INFO_REQUEST)).toMatchObject({ lastBlockHeight: 2n, lastBlockAppHash: res2.appHash });

    const balanceAt = (a: BaseApp, height: number) => {
      const q = a.query({
        path: '/cosmos.bank.v1beta1.Query/Balance',
        data: QueryBalanceRequest.encode({ address: bob!.address, denom: 'upara' }).finish(),
        height: BigInt(height),
        prove: false,
      });
      expect(q.code).toBe(0);
      expect(q.height).toBe(BigInt(height === 0 ? 2 : height)); // 0 means latest, echoed as the real height
      return QueryBalanceResponse.decode(q.value).balance!.amount;
    };
    expect(balanceAt(app, 0)).toBe('250'); // 0 = latest
    expect(balanceAt(app, 1)).toBe('250');

    // A raw store query with an ICS-23 proof of bob's balance key against the root at that height.
    const key = balanceKey(chain.config.addresses.decode(bob!.address), 'upara');
    const raw = app.query({ path: '/store/tokens/key', data: key, height: 2n, prove: true });
    expect(raw.code).toBe(0);
    expect(raw.value.length).toBeGreaterThan(0);
    const proof = CommitmentProof.decode(raw.proofOps!.ops[0]!.data);
    expect(proof.exist?.value).toEqual(raw.value);
    const missing = app.query({ path: '/store/tokens/key', data: Uint8Array.of(9, 9, 9), height: 2n, prove: true });
    expect(missing.value.length).toBe(0);
    expect(CommitmentProof.decode(missing.proofOps!.ops[0]!.data).nonexist).toBeDefined();

    expect(app.query({ path: '/nope', data: new Uint8Array(), height: 0n, prove: false })).toMatchObject({
      code: 6,
      codespace: 'sdk',
      height: 2n,
    });
    expect(app.query({ path: '/cosmos.bank.v1beta1.Query/Balance', data: new Uint8Array(), height: 99n, prove: false }).code).toBe(26);

    await store.close();
    const reopened = new BaseApp({ ...composeChain(), store: CommitStore.open(home, { noSync: true }) });
    expect(reopened.info(INFO_REQUEST)).toMatchObject({ lastBlockHeight: 2n, lastBlockAppHash: res2.appHash });
    expect(balanceAt(reopened, 0)).toBe('250');
  });

  it('answers invalid request (18) naming the path for query data that does not decode, on every path', () => {
    const { app } = openApp();
    app.initChain(initChain);
    app.finalizeBlock(block(1));
    app.commit();
    expect(app.router.queryPaths.length).toBeGreaterThan(50);
    for (const path of app.router.queryPaths) {
      for (const data of [Uint8Array.of(0xff), Uint8Array.of(0x0a, 0x05, 0x61)]) {
        const res = app.query({ path, data, height: 0n, prove: false });
        expect({ path, code: res.code, codespace: res.codespace }).toEqual({ path, code: 18, codespace: 'sdk' });
        expect(res.log).toContain(`${path}: the request data does not decode`);
      }
    }
  });

  it('answers the same for a raw store key at the latest and a past height: up to MAX_KEY_BYTES read, longer ones invalid request (18)', () => {
    const { app } = openApp();
    app.initChain(initChain);
    for (const height of [1, 2]) {
      app.finalizeBlock(block(height));
      app.commit();
    }
    const prefix = 'tokens/'.length;
    const longest = new Uint8Array(MAX_KEY_BYTES - prefix); // zeros: the longest history entry
    for (const height of [0n, 1n]) {
      for (const prove of [false, true]) {
        expect(app.query({ path: '/store/tokens/key', data: longest, height, prove }).code).toBe(0);
        const res = app.query({ path: '/store/tokens/key', data: new Uint8Array(2013), height, prove });
        expect({ code: res.code, codespace: res.codespace }).toEqual({ code: 18, codespace: 'sdk' });
        expect(res.log).toBe(`store key of ${2013 + prefix} bytes is longer than the limit of ${MAX_KEY_BYTES} bytes: invalid request`);
      }
    }
  });

  it('re-running a height it never committed starts that height over (CometBFT restarted mid-block)', () => {
    const { app } = openApp();
    app.initChain(initChain);
    app.finalizeBlock(block(1));
    app.commit();
    const tx = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara' });
    const first = app.finalizeBlock(block(2, [tx]));
    const again = app.finalizeBlock(block(2, [tx]));
    expect(again.txResults[0]!.code).toBe(0); // not "sequence mismatch": the first run was dropped
    expect(again.appHash).toEqual(first.appHash);
  });

  it('keeps only decodable txs within max_tx_bytes, and accepts or rejects proposals (never UNKNOWN)', () => {
    const { app } = openApp();
    app.initChain(initChain);
    const good = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara' });
    const junk = Uint8Array.of(1, 2, 3);
    const prepared = app.prepareProposal({
      maxTxBytes: BigInt(good.length + 3),
      txs: [junk, good, good],
      localLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      height: 1n,
      time: undefined as never,
      nextValidatorsHash: new Uint8Array(),
      proposerAddress: new Uint8Array(),
    });
    expect(prepared.txs).toEqual([good]);
    const base = {
      proposedLastCommit: { round: 0, votes: [] },
      misbehavior: [],
      hash: new Uint8Array(),
      height: 1n,
      time: undefined as never,
      nextValidatorsHash: new Uint8Array(),
      proposerAddress: new Uint8Array(),
    };
    expect(app.processProposal({ ...base, txs: [good] }).status).toBe(ProposalStatus.ACCEPT);
    expect(app.processProposal({ ...base, txs: [junk] }).status).toBe(ProposalStatus.REJECT);
  });

  it('gives every tx in a block a result, bad ones included', () => {
    const { app } = openApp();
    app.initChain(initChain);
    const res = app.finalizeBlock(block(1, [Uint8Array.of(0xff, 0x00), new Uint8Array()]));
    expect(res.txResults.map((r) => r.code)).toEqual([2, 2]);
  });

  it("enforces this node's own mempool gas-price floor in CheckTx only, never in blocks", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-baseapp-'));
    dirs.push(dir);
    const app = new BaseApp({
      ...composeChain(),
      store: CommitStore.open(dir, { noSync: true }),
      nodeMinGasPrice: { price: '0.05', denom: 'upara' },
    });
    app.initChain(initChain);
    // 200000 gas at 0.05 needs 10000upara; the tx pays 5000 (enough for the chain's 0.025).
    const cheap = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara', feeAmount: '5000' });
    const check = app.checkTx({ tx: cheap, type: 0 });
    expect({ code: check.code, codespace: check.codespace }).toEqual({ code: 13, codespace: 'sdk' });
    expect(check.log).toMatch(/this node requires at least 10000upara/);
    const paying = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara', feeAmount: '10000' });
    expect(app.checkTx({ tx: paying, type: 0 }).code).toBe(0);
    expect(app.finalizeBlock(block(1, [cheap])).txResults[0]!.code).toBe(0);
  });

  it('hands the executor the signatures CheckTx already verified, keyed as the ante checks them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-baseapp-'));
    dirs.push(dir);
    const chain = composeChain();
    const payloads: unknown[] = [];
    const app = new BaseApp({
      ...chain,
      store: CommitStore.open(dir, { noSync: true }),
      preverified: { cache: chain.signatureCache, checks: chain.signatureChecks },
      executor: {
        execute(base, task) {
          payloads.push(task.payload);
          return sequentialExecutor.execute(base, task);
        },
      },
    });
    app.initChain(initChain);
    const checked = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara' });
    const unchecked = signedTransfer({ ...alice!, sequence: 1n }, bob!.address, { chainId, denom: 'upara' });
    expect(app.checkTx({ tx: checked, type: 0 }).code).toBe(0);
    const res = app.finalizeBlock(block(1, [checked, unchecked]));
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    const { verifiedSignatures } = payloads[0] as { verifiedSignatures: string[] };
    expect(verifiedSignatures).toHaveLength(1);
    expect(verifiedSignatures[0]!.startsWith(`${keyString(app.decode(checked).hash)}/0/`)).toBe(true);
  });

  it('verifies the other signatures before execution; a bad one is left to the ante, which rejects it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-baseapp-'));
    dirs.push(dir);
    const chain = composeChain();
    const payloads: unknown[] = [];
    let verified = 0;
    const app = new BaseApp({
      ...chain,
      store: CommitStore.open(dir, { noSync: true }),
      preverified: {
        cache: chain.signatureCache,
        checks: chain.signatureChecks,
        verify: (items) => items.map((it) => (verified++, verifyItem(it))),
      },
      executor: {
        execute(base, task) {
          payloads.push(task.payload);
          return sequentialExecutor.execute(base, task);
        },
      },
    });
    app.initChain(initChain);
    const good = signedTransfer({ ...alice!, sequence: 0n }, bob!.address, { chainId, denom: 'upara' });
    const raw = TxRaw.decode(signedTransfer({ ...alice!, sequence: 1n }, bob!.address, { chainId, denom: 'upara' }));
    raw.signatures[0]![5] ^= 1;
    const forged = TxRaw.encode(raw).finish();
    const res = app.finalizeBlock(block(1, [good, forged]));
    expect(res.txResults.map((r) => r.code)).toEqual([0, 4]);
    expect(verified).toBe(2);
    const { verifiedSignatures } = payloads[0] as { verifiedSignatures: string[] };
    expect(verifiedSignatures).toHaveLength(1);
    expect(verifiedSignatures[0]!.startsWith(`${keyString(app.decode(good).hash)}/0/`)).toBe(true);
  });
});
