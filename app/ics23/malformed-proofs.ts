/**
 * Malformed variants of a valid proof, for running through our verifier and the Go reference
 * side by side: wrong key, value, root or spec, and structurally damaged proofs (truncated or
 * padded paths, flipped bytes, wrong hash and length ops, bad prefixes, neighbours dropped,
 * swapped or replaced). Positions inside a proof are picked by a seeded PRNG, so a seed always
 * yields the same cases.
 */
import { CommitmentProof, type ExistenceProof, type InnerOp, type NonExistenceProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { Prng } from '../exec/prng.js';
import type { TreeShape, VerifyQuestion } from './go-reference.js';
import { SmtSpec } from './specs.js';

export interface NamedQuestion extends VerifyQuestion {
  readonly name: string;
  /** False where a correct verifier may still accept (e.g. a one-leaf tree read under another spec). */
  readonly mustReject: boolean;
}

/** A valid statement: `proof` proves `key` (→ `value` when given) under `root` and `spec`. */
export interface ValidStatement extends VerifyQuestion {
  readonly spec: TreeShape;
}

const SHAPES: readonly TreeShape[] = ['iavl', 'tendermint', 'smt'];

const encoded = (proof: CommitmentProof) => Buffer.from(CommitmentProof.encode(proof).finish());
/** Some damage is void on some proofs (dropping a step of an empty path). */
const changed = (a: CommitmentProof, b: CommitmentProof) => !encoded(a).equals(encoded(b));
const copyOf = (proof: CommitmentProof) => CommitmentProof.decode(CommitmentProof.encode(proof).finish());
const flipAt = (b: Uint8Array, i: number) => {
  const out = Uint8Array.from(b);
  if (out.length > 0) out[i % out.length]! ^= 1 << (i % 8);
  return out;
};
const append = (b: Uint8Array, ...extra: number[]) => Uint8Array.from([...b, ...extra]);

/** Damage done to one existence proof (the proof itself, or a non-existence proof's neighbour). */
type ExistMutation = readonly [name: string, mutate: (e: ExistenceProof, prng: Prng) => void];

function onStep(e: ExistenceProof, prng: Prng, change: (op: InnerOp, prng: Prng) => void): void {
  if (e.path.length === 0) e.path.push({ hash: 1, prefix: Uint8Array.of(1), suffix: new Uint8Array(32) });
  change(e.path[prng.int(e.path.length)]!, prng);
}

const existMutations: readonly ExistMutation[] = [
  ['value swapped inside the proof', (e) => void (e.value = append(e.value, 0x2a))],
  ['key swapped inside the proof', (e) => void (e.key = append(e.key, 0x2a))],
  ['leaf op missing', (e) => void (e.leaf = undefined)],
  ['leaf hash op changed', (e, p) => void (e.leaf!.hash = (e.leaf!.hash + 1 + p.int(9)) % 10)],
  ['leaf prehash-key op changed', (e, p) => void (e.leaf!.prehashKey = (e.leaf!.prehashKey + 1 + p.int(9)) % 10)],
  ['leaf prehash-value op changed', (e, p) => void (e.leaf!.prehashValue = (e.leaf!.prehashValue + 1 + p.int(9)) % 10)],
  ['leaf length op changed', (e, p) => void (e.leaf!.length = (e.leaf!.length + 1 + p.int(8)) % 9)],
  ['leaf prefix lengthened', (e, p) => void (e.leaf!.prefix = append(e.leaf!.prefix, p.int(256)))],
  ['leaf prefix emptied', (e) => void (e.leaf!.prefix = new Uint8Array())],
  ['leaf prefix byte flipped', (e, p) => void (e.leaf!.prefix = flipAt(e.leaf!.prefix, p.int(64)))],
  ['path emptied', (e) => void (e.path = [])],
  ['lowest step dropped', (e) => void e.path.shift()],
  ['top step dropped', (e) => void e.path.pop()],
  ['a step repeated', (e, p) => void (e.path.length > 0 && e.path.splice(p.int(e.path.length), 0, e.path[p.int(e.path.length)]!))],
  [
    'an empty step inserted',
    (e, p) => void e.path.splice(p.int(e.path.length + 1), 0, { hash: 1, prefix: new Uint8Array(), suffix: new Uint8Array() }),
  ],
  ['a step appended above the root', (e) => void e.path.push({ hash: 1, prefix: Uint8Array.of(1), suffix: new Uint8Array(32) })],
  ['step hash op changed', (e, p) => onStep(e, p, (op, q) => void (op.hash = (op.hash + 1 + q.int(9)) % 10))],
  ['step prefix byte flipped', (e, p) => onStep(e, p, (op, q) => void (op.prefix = flipAt(op.prefix, q.int(1 << 10))))],
  [
    'step suffix byte flipped',
    (e, p) => onStep(e, p, (op, q) => void (op.suffix = op.suffix.length > 0 ? flipAt(op.suffix, q.int(1 << 10)) : Uint8Array.of(0))),
  ],
  ['step prefix lengthened', (e, p) => onStep(e, p, (op, q) => void (op.prefix = append(op.prefix, q.int(256))))],
  ['step prefix shortened', (e, p) => onStep(e, p, (op) => void (op.prefix = op.prefix.subarray(0, Math.max(0, op.prefix.length - 1))))],
  ['step prefix starts like a leaf', (e, p) => onStep(e, p, (op) => void (op.prefix = Uint8Array.from([0, ...op.prefix])))],
  ['step suffix lengthened', (e, p) => onStep(e, p, (op, q) => void (op.suffix = append(op.suffix, q.int(256))))],
  [
    'step suffix lengthened by a whole child',
    (e, p) => onStep(e, p, (op) => void (op.suffix = Uint8Array.from([...op.suffix, ...new Uint8Array(32)]))),
  ],
  [
    'step sibling moved to the other side',
    (e, p) =>
      onStep(e, p, (op) => {
        const [prefix, suffix] = [op.prefix, op.suffix];
        if (suffix.length > 0) [op.prefix, op.suffix] = [Uint8Array.from([...prefix, ...suffix]), new Uint8Array()];
        else [op.prefix, op.suffix] = [prefix.subarray(0, 1), prefix.subarray(1)];
      }),
  ],
];

/**
 * Damage to a non-existence proof's choice of neighbours; `others` are other leaves of the same
 * tree. Returns false when the damage does not apply to this proof.
 */
type NonexistMutation = readonly [name: string, mutate: (n: NonExistenceProof, others: readonly ExistenceProof[], prng: Prng) => boolean];

const sameKey = (a: ExistenceProof | undefined, b: ExistenceProof | undefined) =>
  a !== undefined && b !== undefined && Buffer.compare(a.key, b.key) === 0;
function replaceBy(n: NonExistenceProof, side: 'left' | 'right', others: readonly ExistenceProof[], prng: Prng): boolean {
  const candidates = others.filter((o) => !sameKey(o, n[side]));
  if (candidates.length === 0) return false;
  n[side] = candidates[prng.int(candidates.length)];
  return true;
}

const nonexistMutations: readonly NonexistMutation[] = [
  [
    'neighbours swapped',
    (n) => {
      [n.left, n.right] = [n.right, n.left];
      return true;
    },
  ],
  [
    'left neighbour dropped',
    (n) => {
      if (n.left === undefined) return false;
      n.left = undefined;
      return true;
    },
  ],
  [
    'right neighbour dropped',
    (n) => {
      if (n.right === undefined) return false;
      n.right = undefined;
      return true;
    },
  ],
  [
    'both neighbours dropped',
    (n) => {
      n.left = n.right = undefined;
      return true;
    },
  ],
  [
    'the right neighbour also given as the left',
    (n) => {
      if (n.right === undefined) return false;
      n.left = n.right;
      return true;
    },
  ],
  ['left neighbour replaced by another leaf', (n, others, prng) => replaceBy(n, 'left', others, prng)],
  ['right neighbour replaced by another leaf', (n, others, prng) => replaceBy(n, 'right', others, prng)],
];

/**
 * The statement itself, then its malformed variants. `others` (other leaves of the same tree)
 * feed the neighbour-replacement cases.
 */
export function malformedQuestions(valid: ValidStatement, others: readonly ExistenceProof[], prng: Prng): NamedQuestion[] {
  const { spec, root, key, value, proof } = valid;
  const out: NamedQuestion[] = [{ ...valid, name: 'as given', mustReject: false }];
  const ask = (name: string, q: Partial<VerifyQuestion>, mustReject = true) =>
    out.push({ spec, root, key, value, proof, ...q, name, mustReject });

  ask('another root', { root: flipAt(root, prng.int(root.length * 8)) });
  ask('a truncated root', { root: root.subarray(0, root.length - 1) });
  // Another absent key may well be absent too, and in the same gap.
  ask('another key', { key: append(key, 0x01) }, value !== undefined);
  ask('an empty key', { key: new Uint8Array() }, value !== undefined);
  ask('an empty proof', { proof: CommitmentProof.fromPartial({}) });
  for (const other of SHAPES) if (other !== spec) ask(`read under the ${other} spec`, { spec: other }, false);
  if (spec === 'smt') ask('keys compared unhashed', { spec: { ...SmtSpec, prehashKeyBeforeComparison: false } }, false);
  if (value !== undefined) {
    ask('another value', { value: append(value, 0x00) });
    ask('an empty value', { value: new Uint8Array() });
    ask('asked as non-membership', { value: undefined });
    for (const [name, mutate] of existMutations) {
      const forged = copyOf(proof);
      mutate(forged.exist!, prng);
      // A forged proof is asked about with its own key and value, so only the root can catch it.
      if (changed(proof, forged)) ask(name, { proof: forged, key: forged.exist!.key, value: forged.exist!.value });
    }
  } else {
    ask('asked as membership', { value: Uint8Array.of(1) });
    const neighbours = [proof.nonexist!.left, proof.nonexist!.right].filter((e) => e !== undefined);
    ask("a neighbour's key", { key: neighbours[prng.int(neighbours.length)]!.key });
    for (const [name, mutate] of nonexistMutations) {
      const forged = copyOf(proof);
      if (mutate(forged.nonexist!, others, prng)) ask(name, { proof: forged });
    }
    for (const [name, mutate] of existMutations) {
      const forged = copyOf(proof);
      const side = forged.nonexist!.left !== undefined && (forged.nonexist!.right === undefined || prng.int(2) === 0) ? 'left' : 'right';
      mutate(forged.nonexist![side]!, prng);
      if (changed(proof, forged)) ask(`${side} neighbour: ${name}`, { proof: forged });
    }
  }
  return out;
}
