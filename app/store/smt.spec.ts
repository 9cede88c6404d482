import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { SmtSpec, verifyMembership, verifyNonMembership } from '../ics23/index.js';
import { keyString } from './bytes.js';
import {
  EMPTY_REF,
  EMPTY_ROOT,
  memoryNodeSource,
  overlaySource,
  proveSmt,
  smtGetValueHash,
  updateSmt,
  type NodeSource,
  type SmtRef,
} from './smt.js';
import type { KVChange } from './types.js';

const h = (...parts: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest();
};

/**
 * Reference root straight from the definition, independent of the batch code: split the key set
 * by path bit; a single leaf is the subtree; nothing is 32 zero bytes.
 */
function naiveRoot(model: Map<string, Uint8Array>): Buffer {
  const leaves = [...model].map(([k, v]) => ({ path: h(Buffer.from(k, 'latin1')), valueHash: h(v) }));
  const rec = (set: typeof leaves, depth: number): Buffer => {
    if (set.length === 0) return Buffer.alloc(32);
    if (set.length === 1) return h(Uint8Array.of(0), set[0]!.path, set[0]!.valueHash);
    const bit = (p: Buffer) => (p[depth >> 3]! >> (7 - (depth & 7))) & 1;
    return h(
      Uint8Array.of(1),
      rec(
        set.filter((l) => bit(l.path) === 0),
        depth + 1,
      ),
      rec(
        set.filter((l) => bit(l.path) === 1),
        depth + 1,
      ),
    );
  };
  return rec(leaves, 0);
}

/** Record seqs for in-memory stores: increasing, like the commit store's. */
let lastSeq = 0;

/** A growing in-memory record store that keeps every version, like the LMDB one. */
function applyBatches(batches: KVChange[][], source = memoryNodeSource(), base: SmtRef = EMPTY_REF) {
  const roots: Uint8Array[] = [];
  let ref = base;
  for (const batch of batches) {
    const next = updateSmt(source, ref, batch, ++lastSeq);
    for (const [k, v] of next.pending) source.nodes.set(k, v);
    ref = next.rootRef;
    roots.push(next.root);
  }
  return { root: ref.hash, ref, roots, source };
}

const keyArb = fc.uint8Array({ minLength: 0, maxLength: 3 }).map((a) => a.map((b) => [0, 1, 0x7f, 0xff][b % 4]!));
const valueArb = fc.uint8Array({ minLength: 0, maxLength: 3 });
/** One batch: distinct keys, each set or deleted. */
const batchArb = fc
  .uniqueArray(fc.record({ key: keyArb, value: fc.option(valueArb, { nil: null }) }), {
    selector: (c) => keyString(c.key),
    maxLength: 12,
  })
  .map((cs) => cs as KVChange[]);

function applyToModel(model: Map<string, Uint8Array>, batch: KVChange[]) {
  for (const { key, value } of batch) {
    if (value === null) model.delete(keyString(key));
    else model.set(keyString(key), value);
  }
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('sparse Merkle tree', () => {
  it('has the empty root for the empty tree and for deletes of absent keys', () => {
    expect(updateSmt(memoryNodeSource(), EMPTY_REF, [], 1).root).toEqual(EMPTY_ROOT);
    expect(updateSmt(memoryNodeSource(), EMPTY_REF, [{ key: enc('a'), value: null }], 1).root).toEqual(EMPTY_ROOT);
  });

  it('a single key is its leaf, at the root', () => {
    const { root } = updateSmt(memoryNodeSource(), EMPTY_REF, [{ key: enc('a'), value: enc('1') }], 1);
    expect(Buffer.from(root)).toEqual(h(Uint8Array.of(0), h(enc('a')), h(enc('1'))));
  });

  it('matches the reference root after any sequence of batches', () => {
    fc.assert(
      fc.property(fc.array(batchArb, { maxLength: 8 }), (batches) => {
        const model = new Map<string, Uint8Array>();
        const { roots } = applyBatches(batches);
        batches.forEach((batch, i) => {
          applyToModel(model, batch);
          expect(Buffer.from(roots[i]!)).toEqual(naiveRoot(model));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('root does not depend on how changes are ordered or split into batches', () => {
    fc.assert(
      fc.property(batchArb, fc.integer({ min: 0, max: 12 }), fc.integer(), (batch, cut, seed) => {
        const whole = applyBatches([batch]).root;
        // Same changes, shuffled, in two batches (distinct keys, so the split cannot reorder a key).
        const shuffled = [...batch].sort(
          (a, b) => ((keyString(a.key).length * 31 + seed) % 7) - ((keyString(b.key).length * 31 + seed) % 7),
        );
        const split = applyBatches([shuffled.slice(0, cut), shuffled.slice(cut)]).root;
        expect(split).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('deleting back to a previous key set gives the previous root (lone leaves float up)', () => {
    fc.assert(
      fc.property(batchArb, fc.uniqueArray(keyArb, { selector: keyString, maxLength: 10 }), (base, extra) => {
        const baseSets = base.filter((c) => c.value !== null);
        const { root: before, ref, source } = applyBatches([baseSets]);
        const present = new Set(baseSets.map((c) => keyString(c.key)));
        const added = extra.filter((k) => !present.has(keyString(k)));
        const { root: after } = applyBatches(
          [added.map((key) => ({ key, value: enc('x') })), added.map((key) => ({ key, value: null }))],
          source,
          ref,
        );
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps old roots readable and builds batches on pending nodes', () => {
    const source = memoryNodeSource();
    const first = updateSmt(
      source,
      EMPTY_REF,
      [
        { key: enc('a'), value: enc('1') },
        { key: enc('b'), value: enc('2') },
      ],
      1,
    );
    // The second batch reads the first one's nodes before they are "persisted".
    const second = updateSmt(overlaySource(first.pending, source), first.rootRef, [{ key: enc('a'), value: enc('9') }], 2);
    for (const [k, v] of first.pending) source.nodes.set(k, v);
    for (const [k, v] of second.pending) source.nodes.set(k, v);
    expect(smtGetValueHash(source, first.rootRef, enc('a'))).toEqual(h(enc('1')));
    expect(smtGetValueHash(source, second.rootRef, enc('a'))).toEqual(h(enc('9')));
    expect(smtGetValueHash(source, second.rootRef, enc('b'))).toEqual(h(enc('2')));
    expect(smtGetValueHash(source, second.rootRef, enc('c'))).toBeUndefined();
  });

  it('rejects a key changed twice in one batch', () => {
    expect(() =>
      updateSmt(
        memoryNodeSource(),
        EMPTY_REF,
        [
          { key: enc('a'), value: enc('1') },
          { key: enc('a'), value: null },
        ],
        1,
      ),
    ).toThrow(/twice/);
  });

  it('stays exact over many pages: in-memory root chained across batches, then re-read from records only', () => {
    // ~3,000 keys put leaves 10-14 levels deep, across several page cuts (PAGE_LEVELS = 4), and the
    // batches delete, re-add and overwrite so leaves move across cuts both ways.
    const model = new Map<string, Uint8Array>();
    const source = memoryNodeSource();
    let root: SmtRef = EMPTY_REF;
    let rootNode: ReturnType<typeof updateSmt>['rootNode'] | undefined;
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    for (let b = 0; b < 12; b++) {
      const batch = new Map<string, KVChange>();
      const size = b === 0 ? 3000 : b === 6 ? 2900 : 1 + (next() % 400);
      while (batch.size < size) {
        const key = enc(`key-${next() % 3400}`);
        const value = b !== 0 && next() % 4 === 0 ? null : enc(`v${b}-${next() % 10}`);
        batch.set(keyString(key), { key, value });
      }
      const changes = [...batch.values()];
      const update = updateSmt(source, rootNode ?? root, changes, 100 + b);
      for (const [k, v] of update.pending) source.nodes.set(k, v);
      applyToModel(model, changes);
      ({ rootRef: root, rootNode } = update);
      // The reference is slow on thousands of keys: check it on a few batches, the rest below.
      if (b % 4 === 3) expect(Buffer.from(root.hash)).toEqual(naiveRoot(model));
      // A fresh walk from the stored records alone (no linked nodes) finds every key and no other.
      const every = b % 4 === 3 ? 1 : 17;
      [...model].forEach(([k, v], i) => i % every === 0 && expect(smtGetValueHash(source, root, Buffer.from(k, 'latin1'))).toEqual(h(v)));
      for (let i = 3400; i < 3420; i++) expect(smtGetValueHash(source, root, enc(`key-${i}`))).toBeUndefined();
    }
    // The same state built in one batch from nothing has the same root and proves the same way.
    const fresh = applyBatches([[...model].map(([k, value]) => ({ key: Buffer.from(k, 'latin1'), value }))]);
    expect(fresh.root).toEqual(root.hash);
    const key = enc('key-17');
    const valueOf = (k: Uint8Array) => model.get(keyString(k));
    const proof = proveSmt(source, root, key, valueOf);
    expect(CommitmentProof.encode(proof).finish()).toEqual(
      CommitmentProof.encode(proveSmt(fresh.source, fresh.ref, key, valueOf)).finish(),
    );
  });

  it('reports a missing node instead of producing a wrong root', () => {
    const { ref } = applyBatches([
      [
        { key: enc('a'), value: enc('1') },
        { key: enc('b'), value: enc('1') },
      ],
    ]);
    expect(() => updateSmt(memoryNodeSource(), ref, [{ key: enc('c'), value: enc('1') }], 99)).toThrow(/missing node/);
  });
});

describe('ICS-23 proofs', () => {
  function setup(entries: Map<string, Uint8Array>) {
    const { root, ref, source } = applyBatches([[...entries].map(([k, value]) => ({ key: Buffer.from(k, 'latin1'), value }))]);
    const valueOf = (key: Uint8Array) => entries.get(keyString(key));
    return { root, ref, source: source as NodeSource, valueOf };
  }
  // ICS-23's leaf op needs a non-empty key and value (the store never proves others: its keys
  // carry a module prefix, and IBC values are never empty); the last test here shows the refusal.
  const modelArb = fc
    .uniqueArray(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.uint8Array({ minLength: 1, maxLength: 8 })), {
      selector: ([k]) => keyString(k),
      maxLength: 40,
    })
    .map((pairs) => new Map(pairs.map(([k, v]) => [keyString(k), v] as const)));

  it('proves membership of every key and non-membership of absent keys', () => {
    fc.assert(
      fc.property(modelArb, fc.array(fc.uint8Array({ minLength: 1, maxLength: 4 }), { maxLength: 10 }), (model, probes) => {
        const { root, ref, source, valueOf } = setup(model);
        expect(Buffer.from(root)).toEqual(naiveRoot(model));
        for (const [k, v] of model) {
          const key = Buffer.from(k, 'latin1');
          const proof = CommitmentProof.decode(CommitmentProof.encode(proveSmt(source, ref, key, valueOf)).finish());
          expect(verifyMembership(SmtSpec, root, proof, key, v)).toBe(true);
          expect(verifyMembership(SmtSpec, root, proof, key, Uint8Array.of(...v, 1))).toBe(false);
          expect(verifyNonMembership(SmtSpec, root, proof, key)).toBe(false);
        }
        for (const key of probes) {
          if (model.has(keyString(key))) continue;
          const proof = CommitmentProof.decode(CommitmentProof.encode(proveSmt(source, ref, key, valueOf)).finish());
          expect(proof.exist).toBeUndefined();
          // ICS-23 proves absence by neighbours, so the empty tree (none) proves nothing; the
          // ibc store is never empty (its sentinel key).
          expect(verifyNonMembership(SmtSpec, root, proof, key)).toBe(model.size > 0);
          // ICS-23 checks where a key falls between the neighbours, not the proof's key field, so
          // the proof covers every key of its gap; it never covers a present key or another root.
          for (const present of model.keys()) expect(verifyNonMembership(SmtSpec, root, proof, Buffer.from(present, 'latin1'))).toBe(false);
          if (model.size > 0) expect(verifyNonMembership(SmtSpec, h(root), proof, key)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a non-membership proof whose neighbours are not adjacent', () => {
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 64; i++) model.set(`k${i}`, enc(`v${i}`));
    const { root, ref, source, valueOf } = setup(model);
    // Sort keys by path and take two that have a third between them.
    const byPath = [...model.keys()].sort((a, b) => Buffer.compare(h(enc(a)), h(enc(b))));
    const exist = (k: string) => proveSmt(source, ref, enc(k), valueOf).exist!;
    const missing = enc('absent-key');
    const honest = proveSmt(source, ref, missing, valueOf).nonexist!;
    expect(verifyNonMembership(SmtSpec, root, { nonexist: honest }, missing)).toBe(true);
    // Claim the absent key lies between neighbours two apart: the verifier must refuse.
    const leftIdx = byPath.findIndex((k) => Buffer.compare(h(enc(k)), h(missing)) > 0) - 1;
    if (leftIdx >= 1) {
      const forged = { nonexist: { key: missing, left: exist(byPath[leftIdx - 1]!), right: honest.right } };
      expect(verifyNonMembership(SmtSpec, root, forged, missing)).toBe(false);
    }
    // A key that exists cannot be "proven" absent with its neighbours.
    const present = byPath[10]!;
    const fake = { nonexist: { key: enc(present), left: exist(byPath[9]!), right: exist(byPath[11]!) } };
    expect(verifyNonMembership(SmtSpec, root, fake, enc(present))).toBe(false);
  });

  it('proves absence at the edges of the key order; the empty tree has no neighbours to show', () => {
    const empty = proveSmt(memoryNodeSource(), EMPTY_REF, enc('x'), () => undefined);
    expect(empty.nonexist).toEqual({ key: enc('x'), left: undefined, right: undefined });
    // ICS-23 (and ibc-go) refuse a non-existence proof without neighbours.
    expect(verifyNonMembership(SmtSpec, EMPTY_ROOT, empty, enc('x'))).toBe(false);
    const model = new Map([['only', enc('1')]]);
    const { root, ref, source, valueOf } = setup(model);
    const proof = proveSmt(source, ref, enc('other'), valueOf);
    expect(verifyNonMembership(SmtSpec, root, proof, enc('other'))).toBe(true);
    expect(proof.nonexist!.left === undefined || proof.nonexist!.right === undefined).toBe(true);
  });

  it('stores an empty value but cannot prove it: ICS-23 leaves need a value', () => {
    const model = new Map([['k', new Uint8Array()]]);
    const { root, ref, source, valueOf } = setup(model);
    const proof = proveSmt(source, ref, enc('k'), valueOf);
    expect(proof.exist?.value).toEqual(new Uint8Array());
    expect(verifyMembership(SmtSpec, root, proof, enc('k'), new Uint8Array())).toBe(false);
  });
});
