/**
 * Our ICS-23 verifier against the reference implementation, cosmos/ics23's Go verifier (run
 * through scripts/ics23-reference, see go-reference.ts): proofs from the reference's own seeded
 * trees must verify, our answers on malformed proofs must be Go's, and the single ops must compute
 * what Go computes. Then hand-made cases from the Go unit tests.
 */
import { CommitmentProof, HashOp, LengthOp, type ExistenceProof, type InnerOp, type LeafOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { Prng } from '../exec/prng.js';
import {
  IavlSpec,
  Ics23Error,
  SmtSpec,
  TendermintSpec,
  applyInnerOp,
  applyLeafOp,
  assertMembership,
  assertNonMembership,
  calculateCommitmentRoot,
  calculateExistenceRoot,
  checkExistenceAgainstSpec,
  checkInnerOp,
  checkLeafOp,
  doHash,
  validateIavlOps,
  validateTendermintOps,
  verifyExistence,
  verifyMembership,
  verifyNonExistence,
  verifyNonMembership,
  type Ics23ProofSpec,
} from './index.js';
import {
  generateTrees,
  goApplyInner,
  goApplyLeaf,
  goCalculate,
  goCheckAgainstSpec,
  goVerify,
  ourSpec,
  type Computed,
  type GeneratedTree,
  type TreeShape,
  type VerifyQuestion,
} from './go-reference.js';
import { malformedQuestions, type NamedQuestion } from './malformed-proofs.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const clone = (spec: Ics23ProofSpec): Ics23ProofSpec => ({
  ...spec,
  leafSpec: { ...spec.leafSpec!, prefix: Uint8Array.from(spec.leafSpec!.prefix) },
  innerSpec: { ...spec.innerSpec!, childOrder: [...spec.innerSpec!.childOrder] },
});
function errorOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof Ics23Error)) throw err;
    return err.message;
  }
}
/** Our result in the reference's form: a hash, or the error text. */
function computedBy(fn: () => Uint8Array): Computed {
  try {
    return { result: fn() };
  } catch (err) {
    if (!(err instanceof Ics23Error)) throw err;
    return { error: err.message };
  }
}
const shown = (c: Computed) => (c.error !== undefined ? `error: ${c.error}` : hex(c.result!));

const SHAPES: readonly TreeShape[] = ['iavl', 'tendermint', 'smt'];

/** Our answer, with our reason when it is no. */
function ourVerdict(q: VerifyQuestion): { ok: boolean; error?: string } {
  const spec = ourSpec(q.spec);
  const error = errorOf(() =>
    q.value === undefined ? assertNonMembership(spec, q.root, q.proof, q.key) : assertMembership(spec, q.root, q.proof, q.key, q.value),
  );
  const ok =
    q.value === undefined ? verifyNonMembership(spec, q.root, q.proof, q.key) : verifyMembership(spec, q.root, q.proof, q.key, q.value);
  expect(ok).toBe(error === undefined);
  return { ok, error };
}

/** Seeds and leaf counts of the generated trees: fixed, so every run checks the same proofs. */
const SEEDS = [1, 2, 3, 4];
const COUNTS = [1, 2, 3, 8, 33];
const treesOf = (shape: TreeShape): { seed: number; count: number; tree: GeneratedTree }[] =>
  COUNTS.flatMap((count) => generateTrees(shape, SEEDS, count).map((tree, i) => ({ seed: SEEDS[i]!, count, tree })));
/** Malformed variants of a tree's non-existence proofs and of its left-most, a middle and its right-most existence proof. */
function malformedOf(shape: TreeShape, tree: GeneratedTree, prng: Prng): NamedQuestion[] {
  const exists = tree.proofs.filter((p) => p.kind === 'exist');
  const chosen = [...tree.proofs.filter((p) => p.kind === 'nonexist'), exists[0]!, exists[exists.length >> 1]!, exists[exists.length - 1]!];
  const leaves = exists.map((p) => p.proof.exist!);
  return chosen.flatMap((p) =>
    malformedQuestions({ spec: shape, root: tree.root, proof: p.proof, key: p.key, value: p.value }, leaves, prng),
  );
}

describe.each(SHAPES)('proofs from the reference implementation’s %s trees', (shape) => {
  const trees = treesOf(shape);
  const spec = ourSpec(shape);

  test('every existence and non-existence proof verifies, at the root it computes', () => {
    let checked = 0;
    for (const { tree, count } of trees) {
      const positions = new Set(tree.proofs.filter((p) => p.kind === 'nonexist').map((p) => p.position));
      expect([...positions].sort()).toEqual(count === 1 ? ['left', 'right'] : ['left', 'middle', 'right']);
      for (const { proof, key, value } of tree.proofs) {
        expect(hex(calculateCommitmentRoot(proof))).toBe(hex(tree.root));
        const ok =
          value === undefined ? verifyNonMembership(spec, tree.root, proof, key) : verifyMembership(spec, tree.root, proof, key, value);
        expect(ok).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test('on malformed proofs (wrong key, value, root, spec; damaged paths, ops, neighbours) our answer is Go’s', () => {
    const questions: NamedQuestion[] = [];
    for (const { seed, count, tree } of trees.filter((t) => t.seed <= 2))
      questions.push(...malformedOf(shape, tree, new Prng(seed * 1000 + count)));
    const go = goVerify(questions);
    const disagreements: string[] = [];
    const wronglyAccepted: string[] = [];
    questions.forEach((q, i) => {
      const ours = ourVerdict(q);
      if (ours.ok !== go[i]!.ok) disagreements.push(`${q.name}: ours ${ours.ok} (${ours.error}), Go ${go[i]!.ok} (${go[i]!.error})`);
      if (q.name === 'as given' && !ours.ok) wronglyAccepted.push(`valid proof rejected: ${ours.error}`);
      if (q.mustReject && ours.ok) wronglyAccepted.push(q.name);
    });
    expect(disagreements).toEqual([]);
    expect(wronglyAccepted).toEqual([]);
    expect(questions.length).toBeGreaterThan(1000);
    expect(questions.filter((q) => q.mustReject).length).toBeGreaterThan(questions.length * 0.8);
  });

  test('damaged existence proofs: the root and the spec check come out as Go computes them', () => {
    const forged: ExistenceProof[] = [];
    for (const { seed, count, tree } of trees.filter((t) => t.seed >= 3)) {
      for (const { proof } of malformedOf(shape, tree, new Prng(seed * 1000 + count))) {
        for (const e of [proof.exist, proof.nonexist?.left, proof.nonexist?.right]) if (e !== undefined) forged.push(e);
      }
    }
    const roots = goCalculate(forged);
    const differentRoots = forged.flatMap((e, i) => {
      const ours = computedBy(() => calculateExistenceRoot(e));
      return shown(ours) === shown(roots[i]!) ? [] : [`ours ${shown(ours)}, Go ${shown(roots[i]!)}`];
    });
    expect(differentRoots).toEqual([]);

    const checks = SHAPES.flatMap((s) => forged.map((proof) => ({ proof, spec: s })));
    const go = goCheckAgainstSpec(checks);
    const disagreements = checks.flatMap(({ proof, spec: s }, i) => {
      const ours = errorOf(() => checkExistenceAgainstSpec(proof, ourSpec(s)));
      if ((ours === undefined) === go[i]!.ok) return [];
      // Two checks are newer than the reference's v0.11.0 (cosmos/ics23 main): ours may only be stricter there.
      if (go[i]!.ok && ours !== undefined && NEWER_THAN_REFERENCE.some((re) => re.test(ours))) return [];
      return [`${s}: ours ${ours ?? 'ok'}, Go ${go[i]!.error ?? 'ok'}`];
    });
    expect(disagreements).toEqual([]);
    expect(forged.length).toBeGreaterThan(500);
  });
});

/**
 * Op checks our verifier makes and the reference's v0.11.0 does not (both from cosmos/ics23's
 * main branch): Tendermint inner-op prefixes, and an IAVL leaf's height and size.
 */
const NEWER_THAN_REFERENCE = [/^inner, expected inner op prefix/, /^leaf, expected leaf node (height|size)/];

describe('single ops compute what the reference computes', () => {
  const prng = new Prng(23);
  const someBytes = (lengths: readonly number[]) => Uint8Array.from({ length: lengths[prng.int(lengths.length)]! }, () => prng.int(256));
  // Every HashOp and LengthOp number (and one past the end), keys and values of the lengths the length ops single out.
  const leafCases = Array.from({ length: 600 }, () => ({
    op: {
      hash: prng.int(11),
      prehashKey: prng.int(11),
      prehashValue: prng.int(11),
      length: prng.int(10),
      prefix: someBytes([0, 1, 3]),
    } as LeafOp,
    key: someBytes([0, 1, 7, 32, 64]),
    value: someBytes([0, 1, 7, 32, 64]),
  }));
  const innerCases = Array.from({ length: 300 }, () => ({
    op: { hash: prng.int(11), prefix: someBytes([0, 1, 33]), suffix: someBytes([0, 1, 32]) } as InnerOp,
    child: someBytes([0, 1, 32, 64]),
  }));

  test('LeafOp.Apply: the same hash or the same error text', () => {
    const go = goApplyLeaf(leafCases);
    const ours = leafCases.map((c) => shown(computedBy(() => applyLeafOp(c.op, c.key, c.value))));
    expect(ours).toEqual(go.map(shown));
    expect(go.filter((c) => c.error === undefined).length).toBeGreaterThan(50);
  });

  test('InnerOp.Apply: the same hash or the same error text', () => {
    const go = goApplyInner(innerCases);
    const ours = innerCases.map((c) => shown(computedBy(() => applyInnerOp(c.op, c.child))));
    expect(ours).toEqual(go.map(shown));
    expect(go.filter((c) => c.error === undefined).length).toBeGreaterThan(50);
  });
});

describe('hand-picked statements on reference-generated proofs', () => {
  const [iavl] = generateTrees('iavl', [7], 8);
  const [tendermint] = generateTrees('tendermint', [7], 8);
  const smtTrees = generateTrees('smt', [7, 8, 9], 8);
  const find = (tree: GeneratedTree, kind: 'exist' | 'nonexist', position: string) =>
    tree.proofs.find((p) => p.kind === kind && p.position === position)!;

  test('a proof is rejected under another tree spec', () => {
    const i = find(iavl!, 'exist', 'middle');
    expect(verifyMembership(TendermintSpec, iavl!.root, i.proof, i.key, i.value!)).toBe(false);
    expect(verifyMembership(SmtSpec, iavl!.root, i.proof, i.key, i.value!)).toBe(false);
    const s = find(smtTrees[0]!, 'exist', 'middle');
    expect(verifyMembership(IavlSpec, smtTrees[0]!.root, s.proof, s.key, s.value!)).toBe(false);
  });

  test('SMT non-membership depends on comparing hashed keys', () => {
    // Without prehash_key_before_comparison the neighbours no longer bracket the raw key.
    const cases = smtTrees.flatMap((tree) =>
      tree.proofs.filter((p) => p.kind === 'nonexist' && p.position === 'middle').map((p) => ({ tree, p })),
    );
    const unbracketed = cases.filter(({ p }) => {
      const { left, right } = p.proof.nonexist!;
      return !(Buffer.compare(left!.key, p.key) < 0 && Buffer.compare(p.key, right!.key) < 0);
    });
    expect(unbracketed.length).toBeGreaterThan(0);
    const rawOrder = { ...SmtSpec, prehashKeyBeforeComparison: false };
    for (const { tree, p } of unbracketed) {
      expect(verifyNonMembership(SmtSpec, tree.root, p.proof, p.key)).toBe(true);
      expect(verifyNonMembership(rawOrder, tree.root, p.proof, p.key)).toBe(false);
    }
    const go = goVerify(
      unbracketed.flatMap(({ tree, p }) => [SmtSpec, rawOrder].map((spec) => ({ spec, root: tree.root, proof: p.proof, key: p.key }))),
    );
    expect(go.map((v) => v.ok)).toEqual(unbracketed.flatMap(() => [true, false]));
  });

  test('non-existence neighbours given in the wrong order are rejected', () => {
    const mid = find(tendermint!, 'nonexist', 'middle');
    const { left, right } = mid.proof.nonexist!;
    expect(verifyNonExistence(mid.proof.nonexist!, TendermintSpec, tendermint!.root, mid.key)).toBeUndefined();
    const swapped = { key: mid.key, left: right, right: left };
    expect(errorOf(() => verifyNonExistence(swapped, TendermintSpec, tendermint!.root, mid.key))).toBeDefined();
  });

  test('the API returns false on a missing or wrong-kind proof and keeps Go error texts in assert*', () => {
    const v = find(iavl!, 'exist', 'left');
    expect(verifyMembership(IavlSpec, iavl!.root, undefined, v.key, v.value!)).toBe(false);
    expect(verifyMembership(IavlSpec, iavl!.root, CommitmentProof.fromPartial({}), v.key, v.value!)).toBe(false);
    expect(errorOf(() => assertMembership(IavlSpec, iavl!.root, v.proof, v.key, utf8('other')))).toBe("provided value doesn't match proof");
    const root = Uint8Array.from(iavl!.root);
    root[31]! ^= 0xff;
    expect(errorOf(() => assertMembership(IavlSpec, root, v.proof, v.key, v.value!))).toBe("calculated root doesn't match provided root");
    expect(verifyMembership(IavlSpec, root, v.proof, v.key, v.value!)).toBe(false);
  });
});

describe('neighbour checks in a tree with more than two children', () => {
  // A 3-ary root over leaves a, b, c: the only shape where "adjacent" is more than key order.
  const spec: Ics23ProofSpec = {
    leafSpec: {
      hash: HashOp.SHA256,
      prehashKey: HashOp.NO_HASH,
      prehashValue: HashOp.SHA256,
      length: LengthOp.VAR_PROTO,
      prefix: Uint8Array.of(0),
    },
    innerSpec: {
      childOrder: [0, 1, 2],
      childSize: 32,
      minPrefixLength: 1,
      maxPrefixLength: 1,
      emptyChild: new Uint8Array(),
      hash: HashOp.SHA256,
    },
    maxDepth: 0,
    minDepth: 0,
  };
  const leafHash = (k: string) => applyLeafOp(spec.leafSpec!, utf8(k), utf8(`v-${k}`));
  const [a, b, c] = [leafHash('a'), leafHash('b'), leafHash('c')];
  const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
  const one = Uint8Array.of(1);
  const exist = (k: string, prefix: Uint8Array, suffix: Uint8Array): ExistenceProof => ({
    key: utf8(k),
    value: utf8(`v-${k}`),
    leaf: spec.leafSpec,
    path: [{ hash: HashOp.SHA256, prefix, suffix }],
  });
  const proofs = { a: exist('a', one, cat(b, c)), b: exist('b', cat(one, a), c), c: exist('c', cat(one, a, b), new Uint8Array()) };
  const root = calculateExistenceRoot(proofs.a);
  const nonexist = (left?: ExistenceProof, right?: ExistenceProof) =>
    CommitmentProof.fromPartial({ nonexist: { key: utf8('ab'), left, right } });

  test('each leaf verifies, and the gap between adjacent leaves proves absence', () => {
    for (const k of ['a', 'b', 'c'] as const)
      expect(verifyMembership(spec, root, CommitmentProof.fromPartial({ exist: proofs[k] }), utf8(k), utf8(`v-${k}`))).toBe(true);
    expect(verifyNonMembership(spec, root, nonexist(proofs.a, proofs.b), utf8('ab'))).toBe(true);
  });

  test('neighbours that skip a child in between are rejected although they bracket the key', () => {
    expect(verifyNonMembership(spec, root, nonexist(proofs.a, proofs.c), utf8('ab'))).toBe(false);
  });
});

describe('malformed ops the Go verifier rejects (go/ops_test.go)', () => {
  /** An IAVL inner prefix: height 2, size 4, version 8 zig-zag varints and one length byte. */
  const iavlInnerPrefix = () => Uint8Array.of(4, 8, 16, 32);

  test('validateIavlOps', () => {
    const op = (prefix: Uint8Array, hash: HashOp = HashOp.SHA256) => ({ prefix, hash });
    expect(errorOf(() => validateIavlOps(op(iavlInnerPrefix()), 1))).toBeUndefined();
    expect(errorOf(() => validateIavlOps(op(new Uint8Array()), 1))).toBe('failed to read IAVL height varint: EOF');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(1)), 1))).toBe(
      'IAVL height (-1) must be non-negative and greater than or equal to the layer number (1)',
    );
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(10)), 1))).toBe('failed to read IAVL size varint: EOF');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(10, 1)), 1))).toBe('IAVL size must be non-negative');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(10, 20)), 1))).toBe('failed to read IAVL version varint: EOF');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(10, 20, 1)), 1))).toBe('IAVL version must be non-negative');
    expect(errorOf(() => validateIavlOps(op(iavlInnerPrefix()), 0))).toBe('expected remaining prefix length to be 0, got: 1');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(4, 8, 16, 32, 1)), 1))).toBe(
      'remainder of prefix must be of length 1 or 34, got: 2',
    );
    expect(errorOf(() => validateIavlOps(op(iavlInnerPrefix(), HashOp.NO_HASH), 1))).toBe('IAVL hash op must be SHA256');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(0x80)), 1))).toBe('failed to read IAVL height varint: unexpected EOF');
  });

  test('validateTendermintOps', () => {
    const op = (prefix: number[], suffix: number[]): InnerOp => ({
      hash: HashOp.SHA256,
      prefix: Uint8Array.from(prefix),
      suffix: Uint8Array.from(suffix),
    });
    expect(errorOf(() => validateTendermintOps(op([1], [1])))).toBeUndefined();
    expect(errorOf(() => validateTendermintOps(op([1, 2], [])))).toBeUndefined();
    expect(errorOf(() => validateTendermintOps(op([], [])))).toBe('inner op prefix must not be empty');
    expect(errorOf(() => validateTendermintOps(op([0], [1])))).toBe('expected inner op prefix: [1], got: [0]');
    expect(errorOf(() => validateTendermintOps(op([2, 1], [])))).toBe('expected inner op prefix to begin with: [1], got: [2]');
  });

  test('InnerOp checkAgainstSpec', () => {
    const base = () => ({
      spec: clone(IavlSpec),
      op: { hash: HashOp.SHA256, prefix: iavlInnerPrefix(), suffix: new Uint8Array() } as InnerOp,
    });
    let { spec, op } = base();
    expect(errorOf(() => checkInnerOp(op, spec, 1))).toBeUndefined();
    expect(errorOf(() => checkInnerOp(op, undefined, 1))).toBe('op and spec must be both non-nil');
    expect(errorOf(() => checkInnerOp(op, { ...spec, innerSpec: undefined }, 1))).toBe('spec.InnerSpec must be non-nil');
    expect(errorOf(() => checkInnerOp(op, { ...spec, leafSpec: undefined }, 1))).toBe('spec.LeafSpec must be non-nil');
    expect(errorOf(() => checkInnerOp({ ...op, hash: HashOp.BITCOIN }, spec, 1))).toBe('unexpected HashOp: 5');
    expect(errorOf(() => checkInnerOp({ ...op, prefix: Uint8Array.of(1) }, spec, 1))).toBe(
      'IAVL height (-1) must be non-negative and greater than or equal to the layer number (1)',
    );
    // A non-IAVL spec (prehash key changed) skips the strict IAVL checks.
    ({ spec, op } = base());
    spec.leafSpec!.prehashKey = HashOp.BITCOIN;
    expect(errorOf(() => checkInnerOp({ ...op, prefix: Uint8Array.from([0, ...op.prefix]) }, spec, 1))).toBe('inner Prefix starts with 00');
    expect(errorOf(() => checkInnerOp({ ...op, prefix: Uint8Array.of(1) }, spec, 1))).toBe('innerOp prefix too short (1)');
    expect(errorOf(() => checkInnerOp({ ...op, prefix: utf8('AgQIIGe3bHuC1g6+5/Qd0RoCU0waFu+nDCFzEDViMN/VrQwgIA==') }, spec, 1))).toBe(
      'innerOp prefix too long (52)',
    );
    ({ spec, op } = base());
    spec.innerSpec!.childSize = 0;
    expect(errorOf(() => checkInnerOp(op, spec, 1))).toBe('spec.InnerSpec.ChildSize must be >= 1');
    ({ spec, op } = base());
    spec.innerSpec!.maxPrefixLength = spec.innerSpec!.minPrefixLength + spec.innerSpec!.childSize;
    expect(errorOf(() => checkInnerOp(op, spec, 1))).toBe(
      'spec.InnerSpec.MaxPrefixLength must be < spec.InnerSpec.MinPrefixLength + spec.InnerSpec.ChildSize',
    );
    ({ spec, op } = base());
    expect(errorOf(() => checkInnerOp({ ...op, suffix: Uint8Array.of(1) }, spec, 1))).toBe('InnerOp suffix malformed');
  });

  test('a non-existence proof forged with a too-long max prefix (TestForgeNonExistenceProofWithIncorrectMaxPrefixLength)', () => {
    const spec = clone(TendermintSpec);
    spec.innerSpec!.maxPrefixLength = 33;
    const leafOp = spec.leafSpec!;
    const leaf = (s: string) => applyLeafOp(leafOp, utf8(s), utf8(s));
    const step = (prefix: Uint8Array, suffix: Uint8Array): InnerOp => ({ hash: HashOp.SHA256, prefix, suffix });
    const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
    const one = Uint8Array.of(1);
    const exist = (k: string, path: InnerOp[]): ExistenceProof => ({ key: utf8(k), value: utf8(k), leaf: leafOp, path });
    const aExist = exist('a', [step(one, cat(leaf('b'), leaf('b2'))), step(one, leaf('c'))]);
    const bExist = exist('b', [step(cat(one, leaf('a')), leaf('b2')), step(one, leaf('c'))]);
    const b2Exist = exist('b2', [step(cat(one, leaf('a'), leaf('b')), new Uint8Array()), step(one, leaf('c'))]);
    const yHash = applyInnerOp(aExist.path[0]!, leaf('a'));
    const cExist = exist('c', [step(cat(one, yHash), new Uint8Array())]);
    const root = calculateExistenceRoot(aExist);
    const expected = 'inner, spec.InnerSpec.MaxPrefixLength must be < spec.InnerSpec.MinPrefixLength + spec.InnerSpec.ChildSize';
    for (const [proof, k] of [
      [aExist, 'a'],
      [bExist, 'b'],
      [b2Exist, 'b2'],
      [cExist, 'c'],
    ] as const) {
      expect(errorOf(() => verifyExistence(proof, spec, root, utf8(k), utf8(k)))).toBe(expected);
    }
    expect(verifyNonMembership(spec, root, CommitmentProof.fromPartial({ nonexist: { key: utf8('a'), right: bExist } }), utf8('a'))).toBe(
      false,
    );
  });

  test('leaf op checks and hash/length ops', () => {
    const leaf = { ...IavlSpec.leafSpec!, prefix: Uint8Array.of(0, 2, 2) }; // height 0, size 1, version 1
    expect(errorOf(() => checkLeafOp(leaf, IavlSpec))).toBeUndefined();
    expect(errorOf(() => checkLeafOp({ ...leaf, prefix: Uint8Array.of(0, 2) }, IavlSpec))).toBe('failed to read IAVL version varint: EOF');
    expect(errorOf(() => checkLeafOp({ ...leaf, length: LengthOp.NO_PREFIX }, TendermintSpec))).toBe('unexpected LengthOp: 0');
    expect(errorOf(() => doHash(HashOp.KECCAK, utf8('food')))).toBe('unsupported hashop: 3');
    expect(errorOf(() => doHash(HashOp.NO_HASH, utf8('food')))).toBe('unsupported hashop: 0');
    expect(errorOf(() => applyLeafOp({ ...leaf, length: LengthOp.VAR_RLP }, utf8('k'), utf8('v')))).toBe(
      'prehash key, unsupported lengthop: 2',
    );
    expect(
      errorOf(() =>
        applyLeafOp({ ...leaf, prehashValue: HashOp.NO_HASH, length: LengthOp.REQUIRE_32_BYTES }, new Uint8Array(32).fill(1), utf8('v')),
      ),
    ).toBe('prehash value, data was 1 bytes, not 32');
  });
});
