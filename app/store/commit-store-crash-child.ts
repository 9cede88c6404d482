/**
 * Test helper for commit-store.spec.ts (not part of the app): commits blocks in a loop until it is
 * killed. Every block rewrites all `k<i>` keys to the block height and toggles one `x<j>` key, so a
 * torn commit would show as mixed heights or a root that does not match the data.
 *   node --import tsx app/store/commit-store-crash-child.ts <dir>
 */
import { CommitStore } from './commit-store.js';
import type { KVChange } from './types.js';

export const CRASH_KEYS = 2000;
const enc = (s: string) => new TextEncoder().encode(s);

export function crashBlock(height: number): KVChange[] {
  const changes: KVChange[] = [];
  for (let i = 0; i < CRASH_KEYS; i++) changes.push({ key: enc(`k${i}`), value: enc(String(height)) });
  changes.push({ key: enc(`x${height % 7}`), value: height % 2 === 0 ? null : enc(String(height)) });
  return changes;
}

function main(dir: string): void {
  const store = CommitStore.open(dir);
  for (let height = store.lastCommit().height + 1; ; height++) {
    store.commit(height, crashBlock(height));
    process.stdout.write(`${height}\n`);
  }
}

if (process.argv[2] !== undefined && process.argv[1]?.endsWith('commit-store-crash-child.ts')) main(process.argv[2]);
