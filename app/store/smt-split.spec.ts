import { seededRandom } from '../exec/prng.js';
import { EMPTY_REF, memoryNodeSource, sha256, updateSmt, type SmtRef, type SmtUpdate } from './smt.js';
import { SUBTREES, SubtreeWorker, threadOfSubtree, updateSmtSplit, type SubtreeRunner } from './smt-split.js';
import { decodeAnswer, decodeJobs, encodeAnswer, encodeJobs } from './smt-wire.js';
import type { KVChange } from './types.js';

/** Runs the other threads' jobs here, after `local`, through the wire format as real threads would. */
function inlineRunner(threads: number): SubtreeRunner & { source: ReturnType<typeof memoryNodeSource> } {
  const source = memoryNodeSource();
  const workers = Array.from({ length: threads }, () => new SubtreeWorker(source));
  return {
    source,
    threads,
    run(jobs, seq, local) {
      local();
      return jobs.map((threadJobs, t) => {
        const sent = decodeJobs(encodeJobs(threadJobs, seq));
        return decodeAnswer(encodeAnswer(workers[t]!.run(sent.jobs, sent.seq)));
      });
    },
  };
}

const subtreeOf = (key: Uint8Array) => sha256(key)[0]! >> 4;

/** One tree updated by `updateSmt`, one by `updateSmtSplit`, batch after batch; each keeps its own records. */
function pair(threads: number) {
  const runner = inlineRunner(threads);
  const one = memoryNodeSource();
  let oneRoot: SmtRef = EMPTY_REF;
  let splitRoot: SmtRef = EMPTY_REF;
  let seq = 0;
  return {
    apply(changes: KVChange[]): { one: SmtUpdate; split: SmtUpdate | undefined } {
      seq++;
      const a = updateSmt(one, oneRoot, changes, seq);
      const b = updateSmtSplit(runner.source, splitRoot, changes, seq, runner, 1);
      const used = b ?? updateSmt(runner.source, splitRoot, changes, seq);
      expect(Buffer.compare(used.root, a.root)).toBe(0);
      for (const [k, v] of a.pending) one.nodes.set(k, v);
      for (const [k, v] of used.pending) runner.source.nodes.set(k, v);
      oneRoot = a.rootNode.kind === 'empty' ? EMPTY_REF : (a.rootNode as unknown as SmtRef);
      splitRoot = used.rootNode.kind === 'empty' ? EMPTY_REF : (used.rootNode as unknown as SmtRef);
      return { one: a, split: b };
    },
  };
}

function expectSame(one: SmtUpdate, split: SmtUpdate | undefined): void {
  expect(split).toBeDefined();
  expect(Buffer.from(split!.root).toString('hex')).toBe(Buffer.from(one.root).toString('hex'));
  expect(split!.rootRef.seq).toBe(one.rootRef.seq);
  const records = (u: SmtUpdate) =>
    [...u.pending].map(([k, v]) => [Buffer.from(k, 'latin1').toString('hex'), Buffer.from(v).toString('hex')]).sort();
  expect(records(split!)).toEqual(records(one));
}

const key = (i: number) => Buffer.from(`key/${i}`);
const value = (i: number, version: number) => Buffer.from(`value ${i} v${version}`);

describe('updateSmtSplit', () => {
  it.each([1, 2, 3])('gives the root and the very records of a one-thread update, batch after batch (%i other threads)', (threads) => {
    const trees = pair(threads);
    const random = seededRandom(threads);
    const live = new Set<number>();
    const genesis: KVChange[] = [];
    for (let i = 0; i < 600; i++) {
      genesis.push({ key: key(i), value: value(i, 0) });
      live.add(i);
    }
    // The first batch builds the tree from nothing: no full top page yet, so it runs on one thread.
    expect(trees.apply(genesis).split).toBeUndefined();
    for (let batch = 1; batch <= 6; batch++) {
      const changes = new Map<number, KVChange>();
      for (let n = 0; n < 150; n++) {
        const i = Math.floor(random() * 900);
        if (live.has(i) && random() < 0.3) {
          changes.set(i, { key: key(i), value: null });
          live.delete(i);
        } else {
          changes.set(i, { key: key(i), value: value(i, batch) });
          live.add(i);
        }
      }
      const { one, split } = trees.apply([...changes.values()]);
      expectSame(one, split);
    }
  });

  it('matches when subtrees are emptied, shrink to one leaf, or a lone leaf floats past an emptied neighbour', () => {
    const trees = pair(1); // even subtrees on this thread, odd ones on the other
    const keys = Array.from({ length: 400 }, (_, i) => key(i));
    trees.apply(keys.map((k, i) => ({ key: k, value: value(i, 0) })));
    const inSubtree = (s: number) => keys.filter((k) => subtreeOf(k) === s);
    const drop = (ks: Uint8Array[]) => ks.map((k) => ({ key: k, value: null }));
    // 3 (the other thread's) and 6 (this one's) emptied; 5 down to one leaf, which stays on the
    // cut since its neighbour 4 is not empty; 9 rewritten.
    const first = trees.apply([
      ...drop(inSubtree(3)),
      ...drop(inSubtree(6)),
      ...drop(inSubtree(5).slice(1)),
      ...inSubtree(9).map((k) => ({ key: k, value: Buffer.from('changed') })),
    ]);
    expectSame(first.one, first.split);
    // 2 (this thread's) and 7 (the other's) down to one leaf each: their neighbours 3 and 6 are
    // empty, so both leaves float above the cut.
    const floated = trees.apply([...drop(inSubtree(2).slice(1)), ...drop(inSubtree(7).slice(1))]);
    expectSame(floated.one, floated.split);
    // The top page now holds leaves above the cut, so the next batch runs on one thread, and
    // gives the same root as the reference.
    const refill = trees.apply(
      [...inSubtree(2), ...inSubtree(3), ...inSubtree(6), ...inSubtree(7)].slice(1).map((k, i) => ({ key: k, value: value(i, 9) })),
    );
    expect(refill.split).toBeUndefined();
    const after = trees.apply(keys.slice(0, 20).map((k, i) => ({ key: k, value: value(i, 10) })));
    expectSame(after.one, after.split);
  });

  it('declines a small tree (its top page is not full) and a small batch', () => {
    const runner = inlineRunner(1);
    const few = Array.from({ length: 5 }, (_, i) => ({ key: key(i), value: value(i, 0) }));
    const first = updateSmt(runner.source, EMPTY_REF, few, 1);
    for (const [k, v] of first.pending) runner.source.nodes.set(k, v);
    expect(updateSmtSplit(runner.source, first.rootRef, [{ key: key(9), value: value(9, 0) }], 2, runner, 1)).toBeUndefined();
    expect(updateSmtSplit(runner.source, first.rootRef, few, 2, runner)).toBeUndefined();
  });

  it('gives every subtree to one fixed thread, this one included', () => {
    for (const threads of [1, 2, 3]) {
      const owners = Array.from({ length: SUBTREES }, (_, i) => threadOfSubtree(i, threads));
      expect(new Set(owners).size).toBe(threads + 1);
      expect(owners).toEqual(Array.from({ length: SUBTREES }, (_, i) => threadOfSubtree(i, threads)));
    }
  });

  it('rejects a key changed twice, as a one-thread update does', () => {
    const runner = inlineRunner(1);
    const base = Array.from({ length: 300 }, (_, i) => ({ key: key(i), value: value(i, 0) }));
    const first = updateSmt(runner.source, EMPTY_REF, base, 1);
    for (const [k, v] of first.pending) runner.source.nodes.set(k, v);
    const twice = [
      { key: key(1), value: value(1, 1) },
      { key: key(1), value: null },
    ];
    expect(() => updateSmtSplit(runner.source, first.rootRef, twice, 2, runner, 1)).toThrow(/changed twice/);
  });
});
