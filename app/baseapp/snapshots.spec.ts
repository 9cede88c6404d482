/**
 * State-sync snapshots over real LMDB stores: the manager's round trip and every way a restore
 * must refuse (corrupted chunk, wrong app hash, unknown format, bad metadata, non-empty store),
 * BaseApp serving a restored state, and pruning of old heights.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueryBalanceRequest, QueryBalanceResponse } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import {
  ResponseApplySnapshotChunk_Result as ApplyResult,
  ResponseOfferSnapshot_Result as OfferResult,
  type Snapshot,
} from 'cosmjs-types/tendermint/abci/types';
import { composeChain } from '../app.js';
import { addGenesisAccount, defaultAppState } from '../node/genesis.js';
import { CommitStore } from '../store/commit-store.js';
import type { KVChange, KVReader } from '../store/types.js';
import { makeAccounts, signedTransfer } from '../../scripts/lib/signed-transfers.js';
import { BaseApp } from './baseapp.js';
import { finalizeRequest, INFO_REQUEST, initChainRequest } from '../../test/harness.js';
import { SNAPSHOT_FORMAT, SnapshotManager, parseChunk } from './snapshots.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-snap-'));
  dirs.push(dir);
  return dir;
}

function openStore(): CommitStore {
  return CommitStore.open(tempDir(), { noSync: true });
}

function manager(store: CommitStore, options: { chunkSize?: number; keepRecent?: number } = {}): SnapshotManager {
  return new SnapshotManager({ dir: tempDir(), store, ...options });
}

/** `n` pairs with keys of varied length (some containing 0x00) and values of varied size. */
function pairs(n: number, salt = 0): KVChange[] {
  const out: KVChange[] = [];
  for (let i = 0; i < n; i++) {
    const key = Buffer.from(`k/${(i * 7919) % 100_003}/${i % 3 === 0 ? '\u0000x' : ''}`, 'latin1');
    const value = Buffer.alloc(1 + ((i * 37) % 200), (i + salt) % 251);
    out.push({ key: new Uint8Array(key), value: new Uint8Array(value) });
  }
  return out;
}

function dump(reader: KVReader): Array<[string, string]> {
  return [...reader.iterator(undefined, undefined)].map(({ key, value }) => [
    Buffer.from(key).toString('hex'),
    Buffer.from(value).toString('hex'),
  ]);
}

/** A store committed up to `height` through a few blocks that write, overwrite and delete. */
function populatedStore(height: number, n: number): CommitStore {
  const store = openStore();
  const all = pairs(n);
  store.commit(height - 2, all.slice(0, n / 2));
  store.commit(height - 1, [...all.slice(n / 2), { key: all[0]!.key, value: Uint8Array.of(1, 2, 3) }]);
  store.commit(height, [
    { key: all[1]!.key, value: null },
    { key: Uint8Array.of(0), value: Uint8Array.of(9) },
  ]);
  return store;
}

/** Offers `snapshot` to `target` and applies every chunk from `source`; returns the last result. */
function restoreAll(source: SnapshotManager, target: SnapshotManager, snapshot: Snapshot, appHash: Uint8Array): ApplyResult {
  expect(target.offer(snapshot, appHash)).toBe(OfferResult.ACCEPT);
  let result = ApplyResult.UNKNOWN;
  for (let i = 0; i < snapshot.chunks; i++) {
    result = target.applyChunk(i, source.loadChunk(Number(snapshot.height), snapshot.format, i), 'peer-a').result;
    if (i < snapshot.chunks - 1) expect(result).toBe(ApplyResult.ACCEPT);
  }
  return result;
}

describe('SnapshotManager', () => {
  it('round trip: create → list → load chunks → offer → apply gives the same root and the same pairs', () => {
    const source = populatedStore(12, 3000);
    const served = manager(source, { chunkSize: 16 * 1024 });
    const snapshot = served.create(12, source.latest());
    expect(snapshot.format).toBe(SNAPSHOT_FORMAT);
    expect(snapshot.chunks).toBeGreaterThan(3);
    expect(served.list()).toEqual([snapshot]);
    // Chunks are whole pairs in key order and never exceed the chunk size (no pair here is that big).
    let all: KVChange[] = [];
    for (let i = 0; i < snapshot.chunks; i++) {
      const chunk = served.loadChunk(12, SNAPSHOT_FORMAT, i);
      expect(chunk.length).toBeLessThanOrEqual(16 * 1024);
      const parsed = parseChunk(chunk, all[all.length - 1]?.key);
      if (typeof parsed === 'string') throw new Error(parsed);
      all = all.concat(parsed);
    }
    expect(all.length).toBe(3000); // 3000 - 1 deleted + 1 new
    expect(served.loadChunk(12, SNAPSHOT_FORMAT, snapshot.chunks)).toEqual(new Uint8Array());
    expect(served.loadChunk(11, SNAPSHOT_FORMAT, 0)).toEqual(new Uint8Array());
    expect(served.loadChunk(12, 2, 0)).toEqual(new Uint8Array());

    const target = openStore();
    const restorer = manager(target);
    expect(restoreAll(served, restorer, snapshot, source.lastCommit().appHash)).toBe(ApplyResult.ACCEPT);
    expect(restorer.restoring).toBe(false);
    expect(target.lastCommit()).toEqual({ height: 12, appHash: source.lastCommit().appHash });
    expect(dump(target.latest())).toEqual(dump(source.latest()));
    // The restored store goes on like any other: the next height commits on top of it.
    const next = [{ key: Uint8Array.of(7), value: Uint8Array.of(7) }];
    expect(target.commit(13, next).appHash).toEqual(source.commit(13, next).appHash);
  });

  it('writes byte-identical snapshots for the same state reached through different histories', () => {
    const a = populatedStore(12, 500);
    const b = openStore();
    b.commit(
      12,
      [...a.latest().iterator(undefined, undefined)].map(({ key, value }) => ({ key: new Uint8Array(key), value: new Uint8Array(value) })),
    );
    const sa = manager(a, { chunkSize: 2048 }).create(12, a.latest());
    const sb = manager(b, { chunkSize: 2048 }).create(12, b.latest());
    expect(sb).toEqual(sa);
  });

  it('asks to refetch a corrupted chunk from another peer, then accepts the good one', () => {
    const source = populatedStore(5, 1000);
    const served = manager(source, { chunkSize: 4096 });
    const snapshot = served.create(5, source.latest());
    const target = openStore();
    const restorer = manager(target);
    expect(restorer.offer(snapshot, source.lastCommit().appHash)).toBe(OfferResult.ACCEPT);
    expect(restorer.applyChunk(0, served.loadChunk(5, 1, 0), 'good').result).toBe(ApplyResult.ACCEPT);
    const bad = served.loadChunk(5, 1, 1);
    bad[10] ^= 0xff;
    expect(restorer.applyChunk(1, bad, 'evil')).toEqual({ result: ApplyResult.RETRY, refetchChunks: [1], rejectSenders: ['evil'] });
    for (let i = 1; i < snapshot.chunks; i++) {
      expect(restorer.applyChunk(i, served.loadChunk(5, 1, i), 'good').result).toBe(ApplyResult.ACCEPT);
    }
    expect(target.lastCommit()).toEqual(source.lastCommit());
  });

  it('rejects a snapshot whose state does not hash to the trusted app hash, committing nothing', () => {
    const source = populatedStore(5, 800);
    const served = manager(source, { chunkSize: 4096 });
    const snapshot = served.create(5, source.latest());
    const target = openStore();
    const restorer = manager(target);
    const wrong = Uint8Array.from(source.lastCommit().appHash);
    wrong[0] ^= 1;
    expect(restoreAll(served, restorer, snapshot, wrong)).toBe(ApplyResult.REJECT_SNAPSHOT);
    expect(target.lastCommit().height).toBe(0);
    expect(dump(target.latest())).toEqual([]);
    expect(restorer.restoring).toBe(false);
    // The discarded restore leaves nothing behind: the same snapshot, offered with the right hash, restores.
    expect(restoreAll(served, restorer, snapshot, source.lastCommit().appHash)).toBe(ApplyResult.ACCEPT);
    expect(target.lastCommit()).toEqual(source.lastCommit());
  });

  it('rejects an unknown format, bad metadata, and aborts when the store already holds state', () => {
    const source = populatedStore(5, 200);
    const served = manager(source, { chunkSize: 1024 });
    const snapshot = served.create(5, source.latest());
    const appHash = source.lastCommit().appHash;
    const restorer = manager(openStore());
    expect(restorer.offer({ ...snapshot, format: 2 }, appHash)).toBe(OfferResult.REJECT_FORMAT);
    expect(restorer.offer({ ...snapshot, metadata: new TextEncoder().encode('{') }, appHash)).toBe(OfferResult.REJECT);
    expect(restorer.offer({ ...snapshot, chunks: snapshot.chunks + 1 }, appHash)).toBe(OfferResult.REJECT);
    expect(restorer.offer({ ...snapshot, hash: new Uint8Array(32) }, appHash)).toBe(OfferResult.REJECT);
    expect(restorer.offer(undefined, appHash)).toBe(OfferResult.REJECT);
    expect(restorer.applyChunk(0, served.loadChunk(5, 1, 0), 'p').result).toBe(ApplyResult.ABORT); // nothing accepted
    expect(manager(source).offer(snapshot, appHash)).toBe(OfferResult.ABORT);
  });

  it('rejects a snapshot whose chunks match its metadata but hold keys out of order', () => {
    const store = openStore();
    const target = manager(store);
    const pair = (k: number) => Buffer.concat([Buffer.from([0, 0, 0, 1, k, 0, 0, 0, 1, k])]);
    const chunk = Buffer.concat([pair(2), pair(1)]);
    const hash = createHash('sha256').update(chunk).digest();
    const snapshot: Snapshot = {
      height: 3n,
      format: 1,
      chunks: 1,
      hash: createHash('sha256').update(hash).digest(),
      metadata: new TextEncoder().encode(JSON.stringify({ chunk_hashes: [hash.toString('hex')] })),
    };
    expect(target.offer(snapshot, new Uint8Array(32).fill(1))).toBe(OfferResult.ACCEPT);
    expect(target.applyChunk(0, chunk, 'p')).toEqual({ result: ApplyResult.REJECT_SNAPSHOT, refetchChunks: [], rejectSenders: ['p'] });
    expect(store.lastCommit().height).toBe(0);
  });

  it('keeps only the newest keepRecent snapshots', () => {
    const store = populatedStore(3, 50);
    const m = manager(store, { keepRecent: 2 });
    for (let h = 4; h <= 7; h++) {
      store.commit(h, [{ key: Uint8Array.of(h), value: Uint8Array.of(h) }]);
      m.create(h, store.latest());
    }
    expect(m.list().map((s) => Number(s.height))).toEqual([7, 6]);
    expect(fs.readdirSync(m.dir).sort()).toEqual(['6', '7']);
    // A snapshot cut short by a crash is never listed, and is cleaned up by the next one.
    fs.mkdirSync(path.join(m.dir, '.8.tmp'));
    fs.writeFileSync(path.join(m.dir, '.8.tmp', '0'), 'partial');
    expect(m.list().map((s) => Number(s.height))).toEqual([7, 6]);
    store.commit(8, [{ key: Uint8Array.of(8), value: Uint8Array.of(8) }]);
    m.create(8, store.latest());
    expect(fs.readdirSync(m.dir).sort()).toEqual(['7', '8']);
  });
});

// ───────────────────────── BaseApp ─────────────────────────

const chainId = 'snapshot-test';
const chain = composeChain();
const [alice, bob] = makeAccounts(2, chain.config.addresses);
let appState = defaultAppState(chain);
appState = addGenesisAccount(appState, alice!.address, [{ denom: 'upara', amount: '1000000' }]);
const initChain = initChainRequest(chainId, appState);
const INFO = INFO_REQUEST;

const block = (height: number, txs: Uint8Array[] = []) => finalizeRequest(height, txs);

function balanceOf(app: BaseApp, address: string, height = 0) {
  const q = app.query({
    path: '/cosmos.bank.v1beta1.Query/Balance',
    data: QueryBalanceRequest.encode({ address, denom: 'upara' }).finish(),
    height: BigInt(height),
    prove: false,
  });
  return q.code === 0 ? QueryBalanceResponse.decode(q.value).balance!.amount : q;
}

describe('BaseApp with snapshots and pruning', () => {
  it('takes snapshots at the interval, and a fresh app restores one and serves it', () => {
    const store = openStore();
    const snapshots = manager(store, { keepRecent: 0 });
    const app = new BaseApp({ ...chain, store, snapshots: { manager: snapshots, interval: 3 } });
    app.initChain(initChain);
    let sequence = 0n;
    for (let h = 1; h <= 7; h++) {
      const tx = signedTransfer({ ...alice!, sequence: sequence++ }, bob!.address, { chainId, denom: 'upara', amount: '10' });
      expect(app.finalizeBlock(block(h, [tx])).txResults[0]!.code).toBe(0);
      app.commit();
    }
    const listed = app.listSnapshots();
    expect(listed.snapshots.map((s) => Number(s.height))).toEqual([6, 3]);
    const at6 = listed.snapshots[0]!;

    const freshStore = openStore();
    const fresh = new BaseApp({ ...chain, store: freshStore, snapshots: { manager: manager(freshStore), interval: 0 } });
    expect(fresh.info(INFO).lastBlockHeight).toBe(0n);
    expect(fresh.offerSnapshot({ snapshot: at6, appHash: store.rootAt(6) }).result).toBe(OfferResult.ACCEPT);
    for (let i = 0; i < at6.chunks; i++) {
      const { chunk } = app.loadSnapshotChunk({ height: 6n, format: at6.format, chunk: i });
      expect(fresh.applySnapshotChunk({ index: i, chunk, sender: 'p' }).result).toBe(ApplyResult.ACCEPT);
    }
    expect(fresh.info(INFO)).toMatchObject({ lastBlockHeight: 6n, lastBlockAppHash: store.rootAt(6) });
    expect(balanceOf(fresh, bob!.address)).toBe('60');
    // The chain id came back with the state: block 7 replays to the same app hash, and CheckTx
    // (which signs over the chain id) accepts alice's next tx.
    const tx7 = signedTransfer({ ...alice!, sequence: 6n }, bob!.address, { chainId, denom: 'upara', amount: '10' });
    expect(fresh.checkTx({ tx: tx7, type: 0 }).code).toBe(0);
    expect(fresh.finalizeBlock(block(7, [tx7])).appHash).toEqual(store.rootAt(7));
    fresh.commit();
    expect(fresh.info(INFO)).toMatchObject({ lastBlockHeight: 7n, lastBlockAppHash: store.rootAt(7) });
    // Heights before the snapshot were never here: a clear error, not an empty answer.
    expect(balanceOf(fresh, bob!.address, 5)).toMatchObject({ code: 26, log: expect.stringContaining('height 5 is pruned') });
  });

  it('without a snapshot manager answers that it has none and takes none', () => {
    const app = new BaseApp({ ...chain, store: openStore() });
    expect(app.listSnapshots()).toEqual({ snapshots: [] });
    expect(app.offerSnapshot({ snapshot: undefined, appHash: new Uint8Array() }).result).toBe(OfferResult.REJECT);
  });

  it('prunes to the newest keepRecent heights; queries at pruned heights fail clearly', () => {
    const store = openStore();
    const app = new BaseApp({ ...chain, store, pruneKeepRecent: 3 });
    app.initChain(initChain);
    let sequence = 0n;
    for (let h = 1; h <= 8; h++) {
      const tx = signedTransfer({ ...alice!, sequence: sequence++ }, bob!.address, { chainId, denom: 'upara', amount: '1' });
      app.finalizeBlock(block(h, [tx]));
      app.commit();
      expect(store.earliestHeight()).toBe(Math.max(1, h - 2));
    }
    // Heights 6, 7, 8 are kept and answer with their own state.
    expect(balanceOf(app, bob!.address, 6)).toBe('6');
    expect(balanceOf(app, bob!.address, 7)).toBe('7');
    expect(balanceOf(app, bob!.address)).toBe('8');
    const pruned = balanceOf(app, bob!.address, 5);
    expect(pruned).toMatchObject({
      code: 26,
      codespace: 'sdk',
      log: expect.stringContaining('height 5 is pruned on this node: it keeps heights 6..8'),
    });
    // Raw store queries with proofs as well.
    const raw = app.query({ path: '/store/tokens/key', data: Uint8Array.of(1), height: 4n, prove: true });
    expect(raw).toMatchObject({ code: 26, log: expect.stringContaining('pruned') });
    expect(app.query({ path: '/store/tokens/key', data: Uint8Array.of(1), height: 6n, prove: true }).code).toBe(0);
  });

  it('keeps every height when pruning is off', () => {
    const store = openStore();
    const app = new BaseApp({ ...chain, store, pruneKeepRecent: 0 });
    app.initChain(initChain);
    for (let h = 1; h <= 4; h++) {
      app.finalizeBlock(block(h));
      app.commit();
    }
    expect(store.earliestHeight()).toBe(1);
    expect(balanceOf(app, alice!.address, 1)).toBe('1000000');
  });
});
