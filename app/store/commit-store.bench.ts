/**
 * Rough commit benchmark (not a test): a block of N changed keys over an M-key state.
 *   node --import tsx app/store/commit-store.bench.ts [stateKeys=100000] [blockKeys=10000] [blocks=5]
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommitStore } from './commit-store.js';
import type { KVChange } from './types.js';

const [stateKeys = 100_000, blockKeys = 10_000, blocks = 5] = process.argv.slice(2).map(Number);
const key = (i: number) => Buffer.from(`balances/para1${createHash('sha256').update(String(i)).digest('hex').slice(0, 38)}/upara`);
const value = (i: number, h: number) => Buffer.from(`{"amount":"${i * 1000 + h}"}`);
const sorted = (cs: KVChange[]) => cs.sort((a, b) => Buffer.compare(a.key, b.key));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-bench-'));
const store = CommitStore.open(dir);
try {
  let t = performance.now();
  const genesis: KVChange[] = [];
  for (let i = 0; i < stateKeys; i++) genesis.push({ key: key(i), value: value(i, 1) });
  store.commit(1, sorted(genesis));
  console.log(`genesis: ${stateKeys} keys committed in ${(performance.now() - t).toFixed(0)} ms`);
  let seed = 1;
  const rand = () => {
    // mulberry32: deterministic, integer-exact
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  for (let h = 2; h < 2 + blocks; h++) {
    const picked = new Map<number, KVChange>();
    while (picked.size < blockKeys) {
      // 90% updates of existing keys, 10% new keys.
      const i = rand() < 0.9 ? Math.floor(rand() * stateKeys) : stateKeys + Math.floor(rand() * 1e9);
      picked.set(i, { key: key(i), value: value(i, h) });
    }
    const changes = sorted([...picked.values()]);
    t = performance.now();
    const prepared = store.computeRoot(changes);
    const t1 = performance.now();
    store.commit(h, changes, prepared);
    const t2 = performance.now();
    console.log(
      `block ${h}: ${blockKeys} changes, ${prepared.pending.size} new SMT records: computeRoot ${(t1 - t).toFixed(0)} ms, ` +
        `commit ${(t2 - t1).toFixed(0)} ms, total ${(t2 - t).toFixed(0)} ms`,
    );
  }
  t = performance.now();
  const reader = store.latest();
  for (let i = 0; i < 100_000; i++) reader.get(key(i % stateKeys));
  console.log(`100k latest point reads: ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  const past = store.readerAt(2);
  for (let i = 0; i < 10_000; i++) past.get(key(i % stateKeys));
  console.log(`10k point reads at a past height: ${(performance.now() - t).toFixed(0)} ms`);
} finally {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
