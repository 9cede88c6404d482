import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { keyString } from './bytes.js';
import {
  EMPTY_ROOT,
  memoryNodeSource,
  overlaySource,
  proveSmt,
  smtGetValueHash,
  updateSmt,
  verifySmtMembership,
  verifySmtNonMembership,
  type NodeSource,
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
    return h(Uint8Array.of(1), rec(set.filter((l) => bit(l.path) === 0), depth + 1), rec(set.filter((l) => bit(l.path) === 1), depth + 1));
  };
  return rec(leaves, 0);
}

/** A growing in-memory node store that keeps every version, like the LMDB one. */
function applyBatches(batches: KVChange[][], source = memoryNodeSource(), root: Uint8Array = EMPTY_ROOT) {
  const roots: Uint8Array[] = [];
  for (const batch of batches) {
    const next = updateSmt(source, root, batch);
    for (const [k, v] of next.pending) source.nodes.set(k, v);
    root = next.root;
    roots.push(root);
  }
  return { root, roots, source };
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
    expect(updateSmt(memoryNodeSource(), EMPTY_ROOT, []).root).toEqual(EMPTY_ROOT);
    expect(updateSmt(memoryNodeSource(), EMPTY_ROOT, [{ key: enc('a'), value: null }]).root).toEqual(EMPTY_ROOT);
  });

  it('a single key is its leaf, at the root', () => {
    const { root } = updateSmt(memoryNodeSource(), EMPTY_ROOT, [{ key: enc('a'), value: enc('1') }]);
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
        const shuffled = [...batch].sort((a, b) => ((keyString(a.key).length * 31 + seed) % 7) - ((keyString(b.key).length * 31 + seed) % 7));
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
        const { root: before, source } = applyBatches([baseSets]);
        const present = new Set(baseSets.map((c) => keyString(c.key)));
        const added = extra.filter((k) => !present.has(keyString(k)));
        const { root: after } = applyBatches(
          [added.map((key) => ({ key, value: enc('x') })), added.map((key) => ({ key, value: null }))],
          source,
          before,
        );
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps old roots readable and builds batches on pending nodes', () => {
    const source = memoryNodeSource();
    const first = updateSmt(source, EMPTY_ROOT, [{ key: enc('a'), value: enc('1') }, { key: enc('b'), value: enc('2') }]);
    // The second batch reads the first one's nodes before they are "persisted".
    const second = updateSmt(overlaySource(first.pending, source), first.root, [{ key: enc('a'), value: enc('9') }]);
    for (const [k, v] of first.pending) source.nodes.set(k, v);
    for (const [k, v] of second.pending) source.nodes.set(k, v);
    expect(smtGetValueHash(source, first.root, enc('a'))).toEqual(h(enc('1')));
    expect(smtGetValueHash(source, second.root, enc('a'))).toEqual(h(enc('9')));
    expect(smtGetValueHash(source, second.root, enc('b'))).toEqual(h(enc('2')));
    expect(smtGetValueHash(source, second.root, enc('c'))).toBeUndefined();
  });

  it('rejects a key changed twice in one batch', () => {
    expect(() =>
      updateSmt(memoryNodeSource(), EMPTY_ROOT, [
        { key: enc('a'), value: enc('1') },
        { key: enc('a'), value: null },
      ]),
    ).toThrow(/twice/);
  });

  it('reports a missing node instead of producing a wrong root', () => {
    const { root } = applyBatches([[{ key: enc('a'), value: enc('1') }, { key: enc('b'), value: enc('1') }]]);
    expect(() => updateSmt(memoryNodeSource(), root, [{ key: enc('c'), value: enc('1') }])).toThrow(/missing node/);
  });
});

describe('ICS-23 proofs', () => {
  function setup(entries: Map<string, Uint8Array>) {
    const { root, source } = applyBatches([[...entries].map(([k, value]) => ({ key: Buffer.from(k, 'latin1'), value }))]);
    const valueOf = (key: Uint8Array) => entries.get(keyString(key));
    return { root, source: source as NodeSource, valueOf };
  }
  const modelArb = fc
    .uniqueArray(fc.tuple(fc.uint8Array({ maxLength: 4 }), valueArb), { selector: ([k]) => keyString(k), maxLength: 40 })
    .map((pairs) => new Map(pairs.map(([k, v]) => [keyString(k), v] as const)));

  it('proves membership of every key and non-membership of absent keys', () => {
    fc.assert(
      fc.property(modelArb, fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 10 }), (model, probes) => {
        const { root, source, valueOf } = setup(model);
        expect(Buffer.from(root)).toEqual(naiveRoot(model));
        for (const [k, v] of model) {
          const key = Buffer.from(k, 'latin1');
          const proof = CommitmentProof.decode(CommitmentProof.encode(proveSmt(source, root, key, valueOf)).finish());
          expect(verifySmtMembership(proof, root, key, v)).toBe(true);
          expect(verifySmtMembership(proof, root, key, Uint8Array.of(...v, 1))).toBe(false);
          expect(verifySmtNonMembership(proof, root, key)).toBe(false);
        }
        for (const key of probes) {
          if (model.has(keyString(key))) continue;
          const proof = CommitmentProof.decode(CommitmentProof.encode(proveSmt(source, root, key, valueOf)).finish());
          expect(proof.exist).toBeUndefined();
          expect(verifySmtNonMembership(proof, root, key)).toBe(true);
          // The same proof says nothing about another key or another root.
          expect(verifySmtNonMembership(proof, root, Uint8Array.of(...key, 9))).toBe(false);
          if (model.size > 0) expect(verifySmtNonMembership(proof, h(root), key)).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a non-membership proof whose neighbours are not adjacent', () => {
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 64; i++) model.set(`k${i}`, enc(`v${i}`));
    const { root, source, valueOf } = setup(model);
    // Sort keys by path and take two that have a third between them.
    const byPath = [...model.keys()].sort((a, b) => Buffer.compare(h(enc(a)), h(enc(b))));
    const exist = (k: string) => proveSmt(source, root, enc(k), valueOf).exist!;
    const missing = enc('absent-key');
    const honest = proveSmt(source, root, missing, valueOf).nonexist!;
    expect(verifySmtNonMembership({ nonexist: honest }, root, missing)).toBe(true);
    // Claim the absent key lies between neighbours two apart: the verifier must refuse.
    const leftIdx = byPath.findIndex((k) => Buffer.compare(h(enc(k)), h(missing)) > 0) - 1;
    if (leftIdx >= 1) {
      const forged = { nonexist: { key: missing, left: exist(byPath[leftIdx - 1]!), right: honest.right } };
      expect(verifySmtNonMembership(forged, root, missing)).toBe(false);
    }
    // A key that exists cannot be "proven" absent with its neighbours.
    const present = byPath[10]!;
    const fake = { nonexist: { key: enc(present), left: exist(byPath[9]!), right: exist(byPath[11]!) } };
    expect(verifySmtNonMembership(fake, root, enc(present))).toBe(false);
  });

  it('proves absence in the empty tree and at the edges of the key order', () => {
    const empty = proveSmt(memoryNodeSource(), EMPTY_ROOT, enc('x'), () => undefined);
    expect(verifySmtNonMembership(empty, EMPTY_ROOT, enc('x'))).toBe(true);
    const model = new Map([['only', enc('1')]]);
    const { root, source, valueOf } = setup(model);
    const proof = proveSmt(source, root, enc('other'), valueOf);
    expect(verifySmtNonMembership(proof, root, enc('other'))).toBe(true);
    expect(proof.nonexist!.left === undefined || proof.nonexist!.right === undefined).toBe(true);
  });
});
