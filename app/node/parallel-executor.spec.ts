import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommitStore } from '../store/commit-store.js';
import type { SubtreeRunner } from '../store/smt-split.js';
import type { KVChange } from '../store/types.js';
import { NodeParallelExecutor } from './parallel-executor.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-pexec-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const key = (i: number) => Buffer.from(`acct/${i}`);

describe('NodeParallelExecutor and the state root', () => {
  it('updates the state root on its worker threads too, with the same roots and stored records as one thread', async () => {
    const one = CommitStore.open(tempDir(), { noSync: true });
    const splitDir = tempDir();
    const split = CommitStore.open(splitDir, { noSync: true });
    // Count the split updates that reach the pool (the executor hands its runner to the store).
    let runs = 0;
    const useRunner = split.useSubtreeRunner.bind(split);
    split.useSubtreeRunner = (runner: SubtreeRunner | undefined) =>
      useRunner(
        runner && {
          get threads() {
            return runner.threads;
          },
          run: (jobs, seq, local) => (runs++, runner.run(jobs, seq, local)),
        },
      );
    const executor = await NodeParallelExecutor.create({ store: split, dir: splitDir, workers: 2 });
    try {
      for (let height = 1; height <= 5; height++) {
        const changes: KVChange[] = [];
        for (let i = 0; i < 3000; i++) {
          const n = height === 1 ? i : (i * 7 + height * 131) % 6000;
          changes.push({ key: key(n), value: height > 2 && n % 11 === 0 ? null : Buffer.from(`balance ${n} at ${height}`) });
        }
        const unique = [...new Map(changes.map((c) => [c.key.toString(), c])).values()];
        const a = one.commit(height, unique);
        const b = split.commit(height, unique, split.computeRoot(unique));
        expect(Buffer.from(b.appHash).toString('hex')).toBe(Buffer.from(a.appHash).toString('hex'));
      }
      // Height 1 builds the tree from nothing (one thread); every later block ran split.
      expect(runs).toBe(4);
      // What each store keeps is the same: proofs from either verify against the same root.
      const probe = key(77);
      expect(Buffer.from(split.prove(5, probe).root).toString('hex')).toBe(Buffer.from(one.prove(5, probe).root).toString('hex'));
    } finally {
      await executor.close();
      await one.close();
      await split.close();
    }
  });
});
