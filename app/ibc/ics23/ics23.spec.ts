/**
 * Our ICS-23 verifier against cosmos/ics23's own test data (read in place from
 * ../shared/vectors/ics23) and against the malformed cases its Go unit tests reject.
 */
import { existsSync } from 'node:fs';
import { CommitmentProof, HashOp, LengthOp, type ExistenceProof, type InnerOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import {
  IavlSpec,
  Ics23Error,
  SmtSpec,
  TendermintSpec,
  applyInnerOp,
  applyLeafOp,
  assertMembership,
  calculateCommitmentRoot,
  calculateExistenceRoot,
  checkExistenceAgainstSpec,
  checkInnerOp,
  checkLeafOp,
  doHash,
  leftBranchesAreEmpty,
  rightBranchesAreEmpty,
  validateIavlOps,
  validateTendermintOps,
  verifyExistence,
  verifyMembership,
  verifyNonExistence,
  verifyNonMembership,
  type Ics23ProofSpec,
} from './index.js';
import { b64, existenceFromGo, goField, innerOpFromGo, leafOpFromGo, readTable, readTreeVector, specFromGo, vectorsDir } from './test-vectors.js';

type Json = Record<string, unknown>;
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

test('the shared vectors folder is present (tests read it in place)', () => {
  expect(existsSync(vectorsDir)).toBe(true);
});

describe('table tests from cosmos/ics23 testdata', () => {
  const doHashCases = Object.entries(readTable<Record<string, Json>>('TestDoHashData.json'));
  test.each(doHashCases)('TestDoHash %s', (_name, tc) => {
    const op = goField(tc, 'HashOp') as number;
    expect(hex(doHash(op, utf8(goField(tc, 'Preimage') as string)))).toBe(goField(tc, 'ExpectedHash'));
  });

  const leafCases = Object.entries(readTable<Record<string, Json>>('TestLeafOpData.json'));
  test.each(leafCases)('TestLeafOp %s', (_name, tc) => {
    const run = () => applyLeafOp(leafOpFromGo(tc.Op as Json)!, b64(tc.Key), b64(tc.Value));
    if (tc.IsErr) expect(errorOf(run)).toBeDefined();
    else expect(hex(run())).toBe(hex(b64(tc.Expected)));
  });

  const innerCases = Object.entries(readTable<Record<string, Json>>('TestInnerOpData.json'));
  test.each(innerCases)('TestInnerOp %s', (_name, tc) => {
    const run = () => applyInnerOp(innerOpFromGo(tc.Op as Json), b64(tc.Child));
    if (tc.IsErr) expect(errorOf(run)).toBeDefined();
    else expect(hex(run())).toBe(hex(b64(tc.Expected)));
  });

  const existenceCases = Object.entries(readTable<Record<string, Json>>('TestExistenceProofData.json'));
  test.each(existenceCases)('TestExistenceProof %s', (_name, tc) => {
    const run = () => calculateExistenceRoot(existenceFromGo(tc.Proof as Json));
    if (tc.IsErr) expect(errorOf(run)).toBeDefined();
    else expect(hex(run())).toBe(hex(b64(tc.Expected)));
  });

  const checkLeafCases = Object.entries(readTable<Record<string, Json>>('TestCheckLeafData.json'));
  test.each(checkLeafCases)('TestCheckLeaf %s', (_name, tc) => {
    const spec: Ics23ProofSpec = { leafSpec: leafOpFromGo(tc.Spec as Json), maxDepth: 0, minDepth: 0 };
    const err = errorOf(() => checkLeafOp(leafOpFromGo(tc.Leaf as Json)!, spec));
    expect(err !== undefined).toBe(tc.IsErr);
  });

  const againstSpecCases = Object.entries(readTable<Record<string, Json>>('TestCheckAgainstSpecData.json'));
  test.each(againstSpecCases)('TestCheckAgainstSpec %s (exact Go error text)', (_name, tc) => {
    const err = errorOf(() => checkExistenceAgainstSpec(existenceFromGo(tc.Proof as Json), specFromGo(tc.Spec as Json)));
    expect(err ?? '').toBe(tc.Err);
  });

  const emptyBranchCases = readTable<Json[]>('TestEmptyBranchData.json').map((tc, i) => [i, tc] as const);
  test.each(emptyBranchCases)('TestEmptyBranch case %i', (_i, tc) => {
    const op = innerOpFromGo(tc.Op as Json);
    const spec = specFromGo(tc.Spec as Json);
    checkInnerOp(op, spec, 1);
    expect(leftBranchesAreEmpty(spec.innerSpec!, op)).toBe(tc.IsLeft);
    expect(rightBranchesAreEmpty(spec.innerSpec!, op)).toBe(tc.IsRight);
  });
});

describe('tree vectors (iavl, tendermint, smt)', () => {
  const specs: Record<string, Ics23ProofSpec> = { iavl: IavlSpec, tendermint: TendermintSpec, smt: SmtSpec };
  const files = ['exist_left', 'exist_middle', 'exist_right', 'nonexist_left', 'nonexist_middle', 'nonexist_right'];
  const cases = Object.keys(specs).flatMap((dir) => files.map((f) => [dir, f] as const));

  test.each(cases)('%s/%s verifies, and fails once tampered', (dir, file) => {
    const spec = specs[dir]!;
    const { proof, root, key, value } = readTreeVector(dir, `${file}.json`);
    expect(hex(calculateCommitmentRoot(proof))).toBe(hex(root));
    const otherRoot = Uint8Array.from(root);
    otherRoot[0]! ^= 1;
    const otherKey = Uint8Array.from([...key, 0x01]);
    if (value !== undefined) {
      expect(file.startsWith('exist')).toBe(true);
      expect(verifyMembership(spec, root, proof, key, value)).toBe(true);
      expect(verifyMembership(spec, otherRoot, proof, key, value)).toBe(false);
      expect(verifyMembership(spec, root, proof, otherKey, value)).toBe(false);
      expect(verifyMembership(spec, root, proof, key, Uint8Array.from([...value, 0]))).toBe(false);
      expect(verifyNonMembership(spec, root, proof, key)).toBe(false);
      // A proof whose value was swapped computes another root.
      const forged = CommitmentProof.fromPartial({ exist: { ...proof.exist!, value: utf8('forged') } });
      expect(verifyMembership(spec, root, forged, key, utf8('forged'))).toBe(false);
    } else {
      expect(verifyNonMembership(spec, root, proof, key)).toBe(true);
      expect(verifyNonMembership(spec, otherRoot, proof, key)).toBe(false);
      // A neighbour's own key is not absent.
      const neighbour = proof.nonexist!.left ?? proof.nonexist!.right!;
      expect(verifyNonMembership(spec, root, proof, neighbour.key)).toBe(false);
      expect(verifyMembership(spec, root, proof, key, utf8('x'))).toBe(false);
      // Dropping a neighbour that exists breaks the left-/right-most argument.
      if (proof.nonexist!.left !== undefined && proof.nonexist!.right !== undefined) {
        const rightOnly = CommitmentProof.fromPartial({ nonexist: { ...proof.nonexist!, left: undefined } });
        const leftOnly = CommitmentProof.fromPartial({ nonexist: { ...proof.nonexist!, right: undefined } });
        expect(verifyNonMembership(spec, root, rightOnly, key)).toBe(false);
        expect(verifyNonMembership(spec, root, leftOnly, key)).toBe(false);
      }
    }
  });

  test('a proof is rejected under another tree spec', () => {
    const iavl = readTreeVector('iavl', 'exist_middle.json');
    expect(verifyMembership(TendermintSpec, iavl.root, iavl.proof, iavl.key, iavl.value!)).toBe(false);
    expect(verifyMembership(SmtSpec, iavl.root, iavl.proof, iavl.key, iavl.value!)).toBe(false);
    const smt = readTreeVector('smt', 'exist_middle.json');
    expect(verifyMembership(IavlSpec, smt.root, smt.proof, smt.key, smt.value!)).toBe(false);
  });

  test('SMT non-membership depends on comparing hashed keys', () => {
    // Without prehash_key_before_comparison the neighbours no longer bracket the raw key.
    const smt = readTreeVector('smt', 'nonexist_middle.json');
    expect(verifyNonMembership(SmtSpec, smt.root, smt.proof, smt.key)).toBe(true);
    const rawOrder = { ...SmtSpec, prehashKeyBeforeComparison: false };
    const { left, right } = smt.proof.nonexist!;
    const bracketsRaw = Buffer.compare(left!.key, smt.key) < 0 && Buffer.compare(smt.key, right!.key) < 0;
    expect(verifyNonMembership(rawOrder, smt.root, smt.proof, smt.key)).toBe(bracketsRaw);
    expect(bracketsRaw).toBe(false);
  });

  test('non-existence neighbours given in the wrong order are rejected', () => {
    const mid = readTreeVector('tendermint', 'nonexist_middle.json');
    const { left, right } = mid.proof.nonexist!;
    expect(verifyNonExistence(mid.proof.nonexist!, TendermintSpec, mid.root, mid.key)).toBeUndefined();
    const swapped = { key: mid.key, left: right, right: left };
    expect(errorOf(() => verifyNonExistence(swapped, TendermintSpec, mid.root, mid.key))).toBeDefined();
  });
});

describe('neighbour checks in a tree with more than two children', () => {
  // A 3-ary root over leaves a, b, c: the only shape where "adjacent" is more than key order.
  const spec: Ics23ProofSpec = {
    leafSpec: { hash: HashOp.SHA256, prehashKey: HashOp.NO_HASH, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO, prefix: Uint8Array.of(0) },
    innerSpec: { childOrder: [0, 1, 2], childSize: 32, minPrefixLength: 1, maxPrefixLength: 1, emptyChild: new Uint8Array(), hash: HashOp.SHA256 },
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
  const nonexist = (left?: ExistenceProof, right?: ExistenceProof) => CommitmentProof.fromPartial({ nonexist: { key: utf8('ab'), left, right } });

  test('each leaf verifies, and the gap between adjacent leaves proves absence', () => {
    for (const k of ['a', 'b', 'c'] as const) expect(verifyMembership(spec, root, CommitmentProof.fromPartial({ exist: proofs[k] }), utf8(k), utf8(`v-${k}`))).toBe(true);
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
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(4, 8, 16, 32, 1)), 1))).toBe('remainder of prefix must be of length 1 or 34, got: 2');
    expect(errorOf(() => validateIavlOps(op(iavlInnerPrefix(), HashOp.NO_HASH), 1))).toBe('IAVL hash op must be SHA256');
    expect(errorOf(() => validateIavlOps(op(Uint8Array.of(0x80)), 1))).toBe('failed to read IAVL height varint: unexpected EOF');
  });

  test('validateTendermintOps', () => {
    const op = (prefix: number[], suffix: number[]): InnerOp => ({ hash: HashOp.SHA256, prefix: Uint8Array.from(prefix), suffix: Uint8Array.from(suffix) });
    expect(errorOf(() => validateTendermintOps(op([1], [1])))).toBeUndefined();
    expect(errorOf(() => validateTendermintOps(op([1, 2], [])))).toBeUndefined();
    expect(errorOf(() => validateTendermintOps(op([], [])))).toBe('inner op prefix must not be empty');
    expect(errorOf(() => validateTendermintOps(op([0], [1])))).toBe('expected inner op prefix: [1], got: [0]');
    expect(errorOf(() => validateTendermintOps(op([2, 1], [])))).toBe('expected inner op prefix to begin with: [1], got: [2]');
  });

  test('InnerOp checkAgainstSpec', () => {
    const base = () => ({ spec: clone(IavlSpec), op: { hash: HashOp.SHA256, prefix: iavlInnerPrefix(), suffix: new Uint8Array() } as InnerOp });
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
    for (const [proof, k] of [[aExist, 'a'], [bExist, 'b'], [b2Exist, 'b2'], [cExist, 'c']] as const) {
      expect(errorOf(() => verifyExistence(proof, spec, root, utf8(k), utf8(k)))).toBe(expected);
    }
    expect(verifyNonMembership(spec, root, CommitmentProof.fromPartial({ nonexist: { key: utf8('a'), right: bExist } }), utf8('a'))).toBe(false);
  });

  test('leaf op checks and hash/length ops', () => {
    const leaf = { ...IavlSpec.leafSpec!, prefix: Uint8Array.of(0, 2, 2) }; // height 0, size 1, version 1
    expect(errorOf(() => checkLeafOp(leaf, IavlSpec))).toBeUndefined();
    expect(errorOf(() => checkLeafOp({ ...leaf, prefix: Uint8Array.of(0, 2) }, IavlSpec))).toBe('failed to read IAVL version varint: EOF');
    expect(errorOf(() => checkLeafOp({ ...leaf, length: LengthOp.NO_PREFIX }, TendermintSpec))).toBe('unexpected LengthOp: 0');
    expect(errorOf(() => doHash(HashOp.KECCAK, utf8('food')))).toBe('unsupported hashop: 3');
    expect(errorOf(() => doHash(HashOp.NO_HASH, utf8('food')))).toBe('unsupported hashop: 0');
    expect(errorOf(() => applyLeafOp({ ...leaf, length: LengthOp.VAR_RLP }, utf8('k'), utf8('v')))).toBe('prehash key, unsupported lengthop: 2');
    expect(errorOf(() => applyLeafOp({ ...leaf, prehashValue: HashOp.NO_HASH, length: LengthOp.REQUIRE_32_BYTES }, new Uint8Array(32).fill(1), utf8('v')))).toBe(
      'prehash value, data was 1 bytes, not 32',
    );
  });

  test('the API returns false on a missing or wrong-kind proof and keeps Go error texts in assert*', () => {
    const v = readTreeVector('iavl', 'exist_left.json');
    expect(verifyMembership(IavlSpec, v.root, undefined, v.key, v.value!)).toBe(false);
    expect(verifyMembership(IavlSpec, v.root, CommitmentProof.fromPartial({}), v.key, v.value!)).toBe(false);
    expect(errorOf(() => assertMembership(IavlSpec, v.root, v.proof, v.key, utf8('other')))).toBe("provided value doesn't match proof");
    const root = Uint8Array.from(v.root);
    root[31]! ^= 0xff;
    expect(errorOf(() => assertMembership(IavlSpec, root, v.proof, v.key, v.value!))).toBe("calculated root doesn't match provided root");
    expect(verifyMembership(IavlSpec, root, v.proof, v.key, v.value!)).toBe(false);
  });
});
