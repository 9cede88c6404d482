/**
 * Existence and non-existence proofs (cosmos/ics23 go/proof.go). Functions here throw an
 * `Ics23Error` naming the first failed check; `verify.ts` turns them into the boolean API.
 */
import type { CommitmentProof, ExistenceProof, InnerOp, InnerSpec, NonExistenceProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { bytesEqual, compareBytes } from './bytes.js';
import { Ics23Error } from './errors.js';
import { doHashOrNoop } from './hash.js';
import { applyInnerOp, applyLeafOp, checkInnerOp, checkLeafOp } from './ops.js';
import type { Ics23ProofSpec } from './specs.js';

/** Go's default depth bound when a spec leaves `maxDepth` at 0. */
const DEFAULT_MAX_DEPTH = 128;

/**
 * The root an existence proof commits to, checking nothing against a spec (Go
 * `ExistenceProof.Calculate`). With `spec`, also rejects inner results longer than the child size.
 */
export function calculateExistenceRoot(proof: ExistenceProof, spec?: Ics23ProofSpec): Uint8Array {
  if (proof.leaf === undefined) throw new Ics23Error('existence Proof needs defined LeafOp');
  let hash: Uint8Array;
  try {
    hash = applyLeafOp(proof.leaf, proof.key, proof.value);
  } catch (err) {
    throw Ics23Error.wrap('leaf', err);
  }
  for (const step of proof.path) {
    try {
      hash = applyInnerOp(step, hash);
    } catch (err) {
      throw Ics23Error.wrap('inner', err);
    }
    const childSize = spec?.innerSpec?.childSize ?? 0;
    if (spec !== undefined && hash.length > childSize && childSize >= 32) {
      throw new Ics23Error(`inner, hash of ${hash.length} bytes exceeds the child size ${childSize}`);
    }
  }
  return hash;
}

/** The root a non-existence proof commits to: its left neighbour's, else its right's. */
export function calculateNonExistenceRoot(proof: NonExistenceProof): Uint8Array {
  if (proof.left !== undefined) return calculateExistenceRoot(proof.left);
  if (proof.right !== undefined) return calculateExistenceRoot(proof.right);
  throw new Ics23Error('nonexistence proof has empty Left and Right proof');
}

/** The first root a commitment proof commits to (Go `CommitmentProof.Calculate`); batches are not supported. */
export function calculateCommitmentRoot(proof: CommitmentProof): Uint8Array {
  if (proof.exist !== undefined) return calculateExistenceRoot(proof.exist);
  if (proof.nonexist !== undefined) return calculateNonExistenceRoot(proof.nonexist);
  throw new Ics23Error('unrecognized proof type');
}

/** The leaf and every inner op fit `spec`, and the depth is within bounds (Go `ExistenceProof.CheckAgainstSpec`). */
export function checkExistenceAgainstSpec(proof: ExistenceProof, spec: Ics23ProofSpec): void {
  if (proof.leaf === undefined) throw new Ics23Error('existence Proof needs defined LeafOp');
  try {
    checkLeafOp(proof.leaf, spec);
  } catch (err) {
    throw Ics23Error.wrap('leaf', err);
  }
  if (spec.minDepth > 0 && proof.path.length < spec.minDepth) throw new Ics23Error(`innerOps depth too short: ${proof.path.length}`);
  const maxDepth = spec.maxDepth === 0 ? DEFAULT_MAX_DEPTH : spec.maxDepth;
  if (proof.path.length > maxDepth) throw new Ics23Error(`innerOps depth too long: ${proof.path.length}`);
  proof.path.forEach((inner, i) => {
    try {
      checkInnerOp(inner, spec, i + 1);
    } catch (err) {
      throw Ics23Error.wrap('inner', err);
    }
  });
}

/** `proof` proves exactly `key` → `value` under `root` in a tree shaped like `spec` (Go `ExistenceProof.Verify`). */
export function verifyExistence(proof: ExistenceProof, spec: Ics23ProofSpec, root: Uint8Array, key: Uint8Array, value: Uint8Array): void {
  checkExistenceAgainstSpec(proof, spec);
  if (!bytesEqual(key, proof.key)) throw new Ics23Error("provided key doesn't match proof");
  if (!bytesEqual(value, proof.value)) throw new Ics23Error("provided value doesn't match proof");
  let calculated: Uint8Array;
  try {
    calculated = calculateExistenceRoot(proof, spec);
  } catch (err) {
    throw Ics23Error.wrap('error calculating root', err);
  }
  if (!bytesEqual(root, calculated)) throw new Ics23Error("calculated root doesn't match provided root");
}

/** The key as the tree orders it: hashed first when the spec says so (Go `keyForComparison`). */
export function keyForComparison(spec: Ics23ProofSpec, key: Uint8Array): Uint8Array {
  if (spec.prehashKeyBeforeComparison !== true || spec.leafSpec === undefined) return key;
  try {
    return doHashOrNoop(spec.leafSpec.prehashKey, key);
  } catch {
    return new Uint8Array(); // Go ignores the error and compares a nil slice
  }
}

/**
 * `key` is absent under `root`: the neighbours are valid existence proofs, bracket the key in the
 * tree's order, and are adjacent (or the lone one is the left-/right-most leaf) — Go
 * `NonExistenceProof.Verify`. Like Go, the proof's own `key` field is not consulted.
 */
export function verifyNonExistence(proof: NonExistenceProof, spec: Ics23ProofSpec, root: Uint8Array, key: Uint8Array): void {
  const { left, right } = proof;
  if (left !== undefined) {
    try {
      verifyExistence(left, spec, root, left.key, left.value);
    } catch (err) {
      throw Ics23Error.wrap('left proof', err);
    }
  }
  if (right !== undefined) {
    try {
      verifyExistence(right, spec, root, right.key, right.value);
    } catch (err) {
      throw Ics23Error.wrap('right proof', err);
    }
  }
  if (left === undefined && right === undefined) throw new Ics23Error('both left and right proofs missing');
  const sortKey = keyForComparison(spec, key);
  if (right !== undefined && compareBytes(sortKey, keyForComparison(spec, right.key)) >= 0) {
    throw new Ics23Error('key is not left of right proof');
  }
  if (left !== undefined && compareBytes(sortKey, keyForComparison(spec, left.key)) <= 0) {
    throw new Ics23Error('key is not right of left proof');
  }
  const innerSpec = requireInnerSpec(spec);
  if (left === undefined) {
    if (!isLeftMost(innerSpec, right!.path)) throw new Ics23Error('left proof missing, right proof must be left-most');
  } else if (right === undefined) {
    if (!isRightMost(innerSpec, left.path)) throw new Ics23Error('right proof missing, left proof must be right-most');
  } else if (!isLeftNeighbor(innerSpec, left.path, right.path)) {
    throw new Ics23Error('left and right proofs are not neighbours');
  }
}

function requireInnerSpec(spec: Ics23ProofSpec): InnerSpec {
  if (spec.innerSpec === undefined) throw new Ics23Error('spec.InnerSpec must be non-nil');
  return spec.innerSpec;
}

// ---------------------------------------------------------------------------------------------
// Position of a step among its siblings, read from how many child hashes pad its prefix/suffix.

/** Index of `branch` in the child order (Go `getPosition`). */
export function getPosition(order: readonly number[], branch: number): number {
  if (branch < 0 || branch >= order.length) throw new Ics23Error(`invalid branch: ${branch}`);
  const index = order.indexOf(branch);
  if (index < 0) throw new Ics23Error(`branch ${branch} not found in order [${order.join(' ')}]`);
  return index;
}

interface Padding {
  readonly minPrefix: number;
  readonly maxPrefix: number;
  readonly suffix: number;
}

/** Prefix bounds and suffix size of a step that came from child `branch` (Go `getPadding`). */
function getPadding(spec: InnerSpec, branch: number): Padding {
  const index = getPosition(spec.childOrder, branch);
  const prefix = index * spec.childSize;
  return {
    minPrefix: prefix + spec.minPrefixLength,
    maxPrefix: prefix + spec.maxPrefixLength,
    suffix: (spec.childOrder.length - 1 - index) * spec.childSize,
  };
}

function hasPadding(op: InnerOp, padding: Padding): boolean {
  return op.prefix.length >= padding.minPrefix && op.prefix.length <= padding.maxPrefix && op.suffix.length === padding.suffix;
}

/** Which child a step came from (Go `orderFromPadding`). */
export function orderFromPadding(spec: InnerSpec, op: InnerOp): number {
  for (let branch = 0; branch < spec.childOrder.length; branch++) {
    if (hasPadding(op, getPadding(spec, branch))) return branch;
  }
  throw new Ics23Error('cannot find any valid spacing for this node');
}

/** Every sibling left of this step is the empty child: a placeholder on a left-most path. */
export function leftBranchesAreEmpty(spec: InnerSpec, op: InnerOp): boolean {
  const leftBranches = orderFromPadding(spec, op);
  if (leftBranches === 0) return false;
  const actualPrefix = op.prefix.length - leftBranches * spec.childSize;
  if (actualPrefix < 0) return false;
  for (let i = 0; i < leftBranches; i++) {
    const from = actualPrefix + getPosition(spec.childOrder, i) * spec.childSize;
    if (!bytesEqual(spec.emptyChild, op.prefix.subarray(from, from + spec.childSize))) return false;
  }
  return true;
}

/** Every sibling right of this step is the empty child: a placeholder on a right-most path. */
export function rightBranchesAreEmpty(spec: InnerSpec, op: InnerOp): boolean {
  const index = orderFromPadding(spec, op);
  const rightBranches = spec.childOrder.length - 1 - index;
  if (rightBranches === 0) return false;
  if (op.suffix.length !== rightBranches * spec.childSize) return false;
  for (let i = 0; i < rightBranches; i++) {
    const from = getPosition(spec.childOrder, i) * spec.childSize;
    if (!bytesEqual(spec.emptyChild, op.suffix.subarray(from, from + spec.childSize))) return false;
  }
  return true;
}

/** The path always takes the first child, or one whose left siblings are all empty (Go `IsLeftMost`). */
export function isLeftMost(spec: InnerSpec, path: readonly InnerOp[]): boolean {
  const padding = getPadding(spec, 0);
  return path.every((step) => hasPadding(step, padding) || leftBranchesAreEmpty(spec, step));
}

/** The path always takes the last child, or one whose right siblings are all empty (Go `IsRightMost`). */
export function isRightMost(spec: InnerSpec, path: readonly InnerOp[]): boolean {
  const padding = getPadding(spec, spec.childOrder.length - 1);
  return path.every((step) => hasPadding(step, padding) || rightBranchesAreEmpty(spec, step));
}

const sameStep = (a: InnerOp, b: InnerOp) => bytesEqual(a.prefix, b.prefix) && bytesEqual(a.suffix, b.suffix);

/**
 * `right` is the next leaf after `left` (Go `IsLeftNeighbor`): strip the shared steps near the
 * root; at the split the two steps are adjacent children; below it `left` runs right-most and
 * `right` left-most. Where Go would panic (no divergent step), this returns false.
 */
export function isLeftNeighbor(spec: InnerSpec, left: readonly InnerOp[], right: readonly InnerOp[]): boolean {
  let l = left.length - 1;
  let r = right.length - 1;
  while (l >= 0 && r >= 0 && sameStep(left[l]!, right[r]!)) {
    l--;
    r--;
  }
  if (l < 0 || r < 0) return false;
  let leftIndex: number;
  let rightIndex: number;
  try {
    leftIndex = orderFromPadding(spec, left[l]!);
    rightIndex = orderFromPadding(spec, right[r]!);
  } catch {
    return false;
  }
  if (rightIndex !== leftIndex + 1) return false;
  return isRightMost(spec, left.slice(0, l)) && isLeftMost(spec, right.slice(0, r));
}
