/**
 * Rough state-sync benchmark (not a test): snapshot an N-key state, restore it into a fresh store,
 * and prune a store with a few blocks of history.
 *   node --import tsx app/baseapp/snapshots.bench.ts [stateKeys=100000]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommitStore } from '../store/commit-store.js';
import type { KVChange } from '../store/types.js';
import { SnapshotManager } from './snapshots.js';

const [stateKeys = 100_000] = process.argv.slice(2).map(Number);
const key = (i: number) => Buffer.from(`tokens/balances/para1${createHash('sha256').update(String(i)).digest('hex').slice(0, 38)}/upara`);
const value = (i: number, h: number) => Buffer.from(`{"amount":"${i * 1000 + h}"}`);
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-snapbench-'));
const source = CommitStore.open(path.join(root, 'source'));
const target = CommitStore.open(path.join(root, 'target'));
try {
  const genesis: KVChange[] = [];
  for (let i = 0; i < stateKeys; i++) genesis.push({ key: key(i), value: value(i, 1) });
  genesis.sort((a, b) => Buffer.compare(a.key, b.key));
  source.commit(1, genesis);
  // A few blocks touching 1% of the keys each, so pruning has history to drop.
  for (let h = 2; h <= 6; h++) {
    const changes: KVChange[] = [];
    for (let i = h; i < stateKeys; i += 100) changes.push({ key: key(i), value: value(i, h) });
    source.commit(
      h,
      changes.sort((a, b) => Buffer.compare(a.key, b.key)),
    );
  }

  const served = new SnapshotManager({ dir: path.join(root, 'snapshots'), store: source });
  let t = performance.now();
  const snapshot = served.create(6, source.latest());
  const created = ms(t);
  const bytes = fs
    .readdirSync(path.join(root, 'snapshots', '6'))
    .reduce((n, f) => n + fs.statSync(path.join(root, 'snapshots', '6', f)).size, 0);
  console.log(`create: ${stateKeys} keys → ${snapshot.chunks} chunk(s), ${(bytes / 1024 / 1024).toFixed(1)} MiB, ${created}`);

  const restorer = new SnapshotManager({ dir: path.join(root, 'restored-snapshots'), store: target });
  t = performance.now();
  restorer.offer(snapshot, source.lastCommit().appHash);
  let result = 0;
  for (let i = 0; i < snapshot.chunks; i++) result = restorer.applyChunk(i, served.loadChunk(6, 1, i), 'peer').result;
  console.log(
    `restore: result ${result} (1 = ACCEPT), ${ms(t)}, root matches: ${Buffer.compare(target.lastCommit().appHash, source.lastCommit().appHash) === 0}`,
  );

  t = performance.now();
  source.pruneBefore(6);
  console.log(`pruneBefore(6) over 6 heights of history: ${ms(t)}`);
} finally {
  await source.close();
  await target.close();
  fs.rmSync(root, { recursive: true, force: true });
}
