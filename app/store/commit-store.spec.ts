import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { open } from 'lmdb';
import { keyBytes, keyString } from './bytes.js';
import { CommitStore } from './commit-store.js';
import { CRASH_KEYS, crashBlock } from './commit-store-crash-child.js';
import { SmtSpec, verifyMembership, verifyNonMembership } from '../ics23/index.js';
import { EMPTY_ROOT, smtRootOf } from './smt.js';
import { MAX_KEY_BYTES, type KVChange, type KVReader } from './types.js';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-store-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const enc = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

type Model = Map<string, Uint8Array>;

function modelRange(model: Model, start?: Uint8Array, end?: Uint8Array, reverse = false): string[] {
  const lo = start && keyString(start);
  const hi = end && keyString(end);
  const keys = [...model.keys()].filter((k) => (lo === undefined || k >= lo) && (hi === undefined || k < hi)).sort();
  if (reverse) keys.reverse();
  return keys.map((k) => `${hex(keyBytes(k))}=${hex(model.get(k)!)}`);
}

function readerRange(reader: KVReader, start?: Uint8Array, end?: Uint8Array, reverse = false): string[] {
  return [...reader.iterator(start, end, reverse)].map((p) => `${hex(p.key)}=${hex(p.value)}`);
}

function rootOf(model: Model): Uint8Array {
  return smtRootOf([...model].map(([k, value]) => ({ key: keyBytes(k), value }))).root;
}

/** Keys over a tiny alphabet with 0x00 and 0xff, so prefixes, escapes and overwrites all happen. */
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => a.map((b) => [0, 1, 0xff, 0x61][b % 4]!));
const valueArb = fc.uint8Array({ minLength: 0, maxLength: 3 });
const blockArb = fc
  .uniqueArray(fc.record({ key: keyArb, value: fc.option(valueArb, { nil: null, freq: 3 }) }), {
    selector: (c) => keyString(c.key),
    maxLength: 10,
  })
  .map((cs) => [...cs].sort((a, b) => Buffer.compare(a.key, b.key)) as KVChange[]);
const boundArb = fc.option(keyArb, { nil: undefined });

function checkReader(reader: KVReader, model: Model, probes: Uint8Array[], ranges: [Uint8Array | undefined, Uint8Array | undefined][]) {
  for (const key of probes) {
    const want = model.get(keyString(key));
    const got = reader.get(key);
    expect(got === undefined ? undefined : hex(got)).toEqual(want === undefined ? undefined : hex(want));
    expect(reader.has(key)).toBe(want !== undefined);
  }
  for (const [start, end] of ranges) {
    expect(readerRange(reader, start, end)).toEqual(modelRange(model, start, end));
    expect(readerRange(reader, start, end, true)).toEqual(modelRange(model, start, end, true));
  }
}

describe('CommitStore', () => {
  it('reads latest and past heights exactly like an in-memory model (point and range)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(blockArb, { minLength: 1, maxLength: 8 }),
        fc.array(keyArb, { maxLength: 12 }),
        fc.array(fc.tuple(boundArb, boundArb), { maxLength: 4 }),
        async (initialHeight, blocks, probes, ranges) => {
          const store = CommitStore.open(tempDir(), { noSync: true });
          try {
            const snapshots: Model[] = [];
            const model: Model = new Map();
            blocks.forEach((block, i) => {
              const height = initialHeight + i;
              const prepared = store.computeRoot(block);
              const info = store.commit(height, block, prepared);
              for (const { key, value } of block) {
                if (value === null) model.delete(keyString(key));
                else model.set(keyString(key), value);
              }
              snapshots.push(new Map(model));
              expect(hex(info.appHash)).toEqual(hex(rootOf(model)));
              expect(store.lastCommit()).toEqual({ height, appHash: info.appHash });
            });
            const allProbes = [...probes, ...blocks.flat().map((c) => c.key), new Uint8Array()];
            const allRanges: [Uint8Array | undefined, Uint8Array | undefined][] = [[undefined, undefined], ...ranges];
            checkReader(store.latest(), model, allProbes, allRanges);
            snapshots.forEach((snapshot, i) => {
              checkReader(store.readerAt(initialHeight + i), snapshot, allProbes, allRanges);
              expect(hex(store.rootAt(initialHeight + i))).toEqual(hex(rootOf(snapshot)));
            });
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('persists across close and reopen, and continues from the last height', async () => {
    const dir = tempDir();
    let store = CommitStore.open(dir);
    expect(store.lastCommit()).toEqual({ height: 0, appHash: EMPTY_ROOT });
    expect(() => store.readerAt(0)).toThrow(/nothing is committed/);
    store.commit(1, [
      { key: enc('a'), value: enc('1') },
      { key: enc('b'), value: enc('2') },
    ]);
    const info2 = store.commit(2, [
      { key: enc('a'), value: null },
      { key: enc('c'), value: enc('3') },
    ]);
    await store.close();
    expect(() => store.latest()).toThrow(/after close/);

    store = CommitStore.open(dir);
    expect(store.lastCommit()).toEqual(info2);
    expect(store.latest().get(enc('c'))).toEqual(enc('3'));
    expect(store.latest().get(enc('a'))).toBeUndefined();
    expect(store.readerAt(1).get(enc('a'))).toEqual(enc('1'));
    expect(store.readerAt(1).get(enc('c'))).toBeUndefined();
    expect(() => store.commit(4, [])).toThrow(/consecutive/);
    const info3 = store.commit(3, [{ key: enc('d'), value: enc('4') }]);
    expect(hex(info3.appHash)).toEqual(
      hex(
        rootOf(
          new Map([
            ['b', enc('2')],
            ['c', enc('3')],
            ['d', enc('4')],
          ]),
        ),
      ),
    );
    await store.close();
  });

  it('keeps a reader at a past height stable while later blocks commit, and rejects unknown heights', async () => {
    const store = CommitStore.open(tempDir(), { noSync: true });
    store.commit(10, [{ key: enc('a'), value: enc('1') }]);
    const at10 = store.readerAt(10);
    const latest = store.latest();
    store.commit(11, [{ key: enc('a'), value: enc('2') }]);
    expect(at10.get(enc('a'))).toEqual(enc('1'));
    expect(latest.get(enc('a'))).toEqual(enc('2'));
    expect(() => store.readerAt(9)).toThrow(/height 9 is not readable \(stored heights are 10..11\)/);
    expect(() => store.readerAt(12)).toThrow(/not readable/);
    await store.close();
  });

  it('holds keys of MAX_KEY_BYTES at every height, even all zeros (the longest history entry)', async () => {
    const store = CommitStore.open(tempDir(), { noSync: true });
    const zeros = new Uint8Array(MAX_KEY_BYTES);
    const ones = new Uint8Array(MAX_KEY_BYTES).fill(0xff);
    store.commit(1, [
      { key: zeros, value: enc('1') },
      { key: ones, value: enc('1') },
    ]);
    store.commit(2, [
      { key: zeros, value: enc('2') },
      { key: ones, value: null },
    ]);
    const past = store.readerAt(1);
    expect([past.get(zeros), past.get(ones)]).toEqual([enc('1'), enc('1')]);
    expect(readerRange(past, zeros)).toEqual([`${hex(zeros)}=${hex(enc('1'))}`, `${hex(ones)}=${hex(enc('1'))}`]);
    expect([store.latest().get(zeros), store.latest().get(ones)]).toEqual([enc('2'), undefined]);
    const proof = store.prove(1, zeros);
    expect(verifyMembership(SmtSpec, proof.root, proof.proof, zeros, enc('1'))).toBe(true);
    await store.close();
  });

  it('drops deletes of keys the committed state lacks: same root, nothing written for them', async () => {
    const dir = tempDir();
    const store = CommitStore.open(dir, { noSync: true });
    store.commit(1, [{ key: enc('a'), value: enc('1') }]);
    const plan = store.computeRoot([
      { key: enc('a'), value: null },
      { key: enc('ghost'), value: null },
      { key: enc('b'), value: enc('2') },
    ]);
    expect(plan.changes.map((c) => new TextDecoder().decode(c.key))).toEqual(['a', 'b']);
    expect(hex(plan.root)).toBe(
      hex(
        store.computeRoot([
          { key: enc('a'), value: null },
          { key: enc('b'), value: enc('2') },
        ]).root,
      ),
    );
    store.commit(
      2,
      [
        { key: enc('a'), value: null },
        { key: enc('ghost'), value: null },
        { key: enc('b'), value: enc('2') },
      ],
      plan,
    );
    await store.close();
    // The raw history holds versions of `a` and `b` only.
    const env = open({ path: dir, readOnly: true });
    const history = env.openDB({ name: 'history', keyEncoding: 'binary', encoding: 'binary' });
    const keys = [...history.getKeys()].map((k) => Buffer.from(k as Buffer).toString('latin1'));
    expect(keys.some((k) => k.includes('ghost'))).toBe(false);
    expect(keys.some((k) => k.includes('b'))).toBe(true);
    await env.close();
  });

  it('refuses a prepared commit computed on another root', async () => {
    const store = CommitStore.open(tempDir(), { noSync: true });
    const stale = store.computeRoot([{ key: enc('a'), value: enc('1') }]);
    store.commit(1, [{ key: enc('b'), value: enc('1') }]);
    expect(() => store.commit(2, [{ key: enc('a'), value: enc('1') }], stale)).toThrow(/another root/);
    expect(store.lastCommit().height).toBe(1);
    await store.close();
  });

  it('serves ICS-23 proofs at current and past heights', async () => {
    const store = CommitStore.open(tempDir(), { noSync: true });
    const block1: KVChange[] = [];
    for (let i = 0; i < 50; i++) block1.push({ key: enc(`key${i}`), value: enc(`v${i}`) });
    store.commit(1, block1);
    store.commit(2, [
      { key: enc('key7'), value: null },
      { key: enc('key8'), value: enc('new') },
    ]);
    const p1 = store.prove(1, enc('key7'));
    expect(verifyMembership(SmtSpec, p1.root, p1.proof, enc('key7'), enc('v7'))).toBe(true);
    const p2 = store.prove(2, enc('key7'));
    expect(verifyNonMembership(SmtSpec, p2.root, p2.proof, enc('key7'))).toBe(true);
    const p3 = store.prove(2, enc('key8'));
    expect(verifyMembership(SmtSpec, store.lastCommit().appHash, p3.proof, enc('key8'), enc('new'))).toBe(true);
    await store.close();
  });

  it('prunes history before a height and keeps later heights exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 2, maxLength: 8 }), fc.nat(), async (blocks, cut) => {
        const store = CommitStore.open(tempDir(), { noSync: true });
        try {
          const snapshots: Model[] = [];
          const model: Model = new Map();
          blocks.forEach((block, i) => {
            store.commit(i + 1, block);
            for (const { key, value } of block) {
              if (value === null) model.delete(keyString(key));
              else model.set(keyString(key), value);
            }
            snapshots.push(new Map(model));
          });
          const pruneAt = 1 + (cut % blocks.length);
          store.pruneBefore(pruneAt);
          expect(store.earliestHeight()).toBe(pruneAt);
          if (pruneAt > 1) expect(() => store.readerAt(pruneAt - 1)).toThrow(/not readable/);
          const probes = blocks.flat().map((c) => c.key);
          for (let h = pruneAt; h <= blocks.length; h++) {
            checkReader(store.readerAt(h), snapshots[h - 1]!, probes, [[undefined, undefined]]);
            expect(hex(store.rootAt(h))).toEqual(hex(rootOf(snapshots[h - 1]!)));
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it.each([300, 1200, 2500])(
    'a prepared block that is dropped leaves the next commit and every later read intact (%i keys)',
    async (keys) => {
      // computeRoot may run more than once per height (genesis, a re-proposed block): a dropped
      // preparation shares in-memory nodes with the committed tree and must not corrupt it. Key
      // counts vary so that leaves sit on and next to page cuts.
      const dir = tempDir();
      let store = CommitStore.open(dir, { noSync: true });
      const model: Model = new Map();
      let seed = 11;
      const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
      const block = (size: number, tag: string): KVChange[] => {
        const out = new Map<string, KVChange>();
        while (out.size < size) {
          const key = enc(`k${next() % keys}`);
          out.set(keyString(key), { key, value: next() % 3 === 0 ? null : enc(`${tag}${next() % 7}`) });
        }
        return [...out.values()].sort((a, b) => Buffer.compare(a.key, b.key));
      };
      for (let height = 1; height <= 12; height++) {
        const changes = block(height === 1 ? keys : keys / 10, `h${height}-`);
        for (let d = 0; d < 3; d++) store.computeRoot(block(keys / 10, `dropped${height}-`)); // prepared, never committed
        store.commit(height, changes, store.computeRoot(changes));
        for (const { key, value } of changes) {
          if (value === null) model.delete(keyString(key));
          else model.set(keyString(key), value);
        }
        expect(hex(store.lastCommit().appHash)).toEqual(hex(rootOf(model)));
      }
      await store.close();
      // Reopened, nothing is in memory: every key must be provable from the stored records alone.
      store = CommitStore.open(dir, { noSync: true });
      try {
        const { height, appHash } = store.lastCommit();
        for (let i = 0; i < keys; i++) {
          const key = enc(`k${i}`);
          const { proof } = store.prove(height, key);
          const want = model.get(keyString(key));
          if (want === undefined) expect(verifyNonMembership(SmtSpec, appHash, proof, key)).toBe(true);
          else expect(verifyMembership(SmtSpec, appHash, proof, key, want)).toBe(true);
        }
      } finally {
        await store.close();
      }
    },
  );

  it('refuses a data directory whose SMT nodes predate the paged layout', async () => {
    const dir = tempDir();
    const store = CommitStore.open(dir);
    store.commit(1, [{ key: enc('a'), value: enc('1') }]);
    await store.close();
    // Reopening our own store works; removing the format marker makes it an old-layout store.
    const again = CommitStore.open(dir);
    expect(again.lastCommit().height).toBe(1);
    await again.close();
    const env = open({ path: dir, maxDbs: 8 });
    const meta = env.openDB<Buffer, Buffer>({ name: 'meta', keyEncoding: 'binary', encoding: 'binary' });
    meta.removeSync(Buffer.from('format'));
    await env.close();
    expect(() => CommitStore.open(dir)).toThrow(/format 1.*delete it/);
  });

  it('refuses a data directory whose accounts were numbered by height (format 2)', async () => {
    const dir = tempDir();
    const store = CommitStore.open(dir);
    store.commit(1, [{ key: enc('a'), value: enc('1') }]);
    await store.close();
    const env = open({ path: dir, maxDbs: 8 });
    const meta = env.openDB<Buffer, Buffer>({ name: 'meta', keyEncoding: 'binary', encoding: 'binary' });
    meta.putSync(Buffer.from('format'), Buffer.of(2));
    await env.close();
    expect(() => CommitStore.open(dir)).toThrow(
      /format 2, this node reads format 3; this data directory predates dense account numbers.*parazone export/,
    );
  });

  it('survives being killed mid-commit: reopens at a consistent height whose root matches its data', async () => {
    const dir = tempDir();
    const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'commit-store-crash-child.ts');
    for (let round = 0; round < 3; round++) {
      await new Promise<void>((resolve, reject) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let committed = 0;
        let stderr = '';
        let killed = false;
        proc.stderr.on('data', (d) => (stderr += d));
        proc.stdout.on('data', (d: Buffer) => {
          committed += d.toString().split('\n').filter(Boolean).length;
          // Kill after a few commits, at a moment that varies with timing, usually inside a commit.
          if (committed >= 2 + round && !killed) {
            killed = true;
            setTimeout(() => proc.kill('SIGKILL'), 3 + round * 7);
          }
        });
        proc.on('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolve();
          else reject(new Error(`child exited with ${code}: ${stderr}`));
        });
      });
      const store = CommitStore.open(dir);
      try {
        const { height, appHash } = store.lastCommit();
        expect(height).toBeGreaterThanOrEqual(2);
        const latest = store.latest();
        const model: Model = new Map();
        for (const { key, value } of latest.iterator(undefined, undefined)) model.set(keyString(key), value);
        // Every k-key carries the last committed height: no half-written block.
        for (let i = 0; i < CRASH_KEYS; i++) expect(new TextDecoder().decode(latest.get(enc(`k${i}`)))).toBe(String(height));
        expect(hex(appHash)).toEqual(hex(rootOf(model)));
        expect(hex(store.rootAt(height))).toEqual(hex(appHash));
        // History agrees with the same blocks replayed in memory.
        const replay: Model = new Map();
        for (let h = 1; h <= height; h++) {
          for (const { key, value } of crashBlock(h)) {
            if (value === null) replay.delete(keyString(key));
            else replay.set(keyString(key), value);
          }
        }
        expect(modelRange(model)).toEqual(modelRange(replay));
        expect(readerRange(store.readerAt(height - 1), enc('x'), enc('y'))).toEqual(
          modelRange(new Map([...replayUpTo(height - 1)].filter(([k]) => k.startsWith('x')))),
        );
      } finally {
        await store.close();
      }
    }
  });
});

function replayUpTo(height: number): Model {
  const model: Model = new Map();
  for (let h = 1; h <= height; h++) {
    for (const { key, value } of crashBlock(h)) {
      if (value === null) model.delete(keyString(key));
      else model.set(keyString(key), value);
    }
  }
  return model;
}
