/**
 * Proofs against a counterparty's commitment root, one ICS-23 level per tree, as ibc-go v10's
 * `MerkleProof.VerifyMembership` / `VerifyNonMembership` (23-commitment/types/merkle.go):
 *
 *   - a Parazone zone keeps every provable key in one sparse Merkle tree: one level, [SmtSpec],
 *     merkle prefix ["ibc/"], path ["ibc/" ‖ key];
 *   - a Cosmos SDK chain (ibc-go) keeps its keys in the IAVL tree of store "ibc", whose root is a
 *     leaf of the multistore's simple Merkle tree: two levels, [IavlSpec, TendermintSpec],
 *     merkle prefix ["ibc", ""], path ["ibc", key].
 *
 * The path is the prefix with the key appended to its last element (ibc-go's BuildMerklePath);
 * proof i proves path element (n-1-i) under spec i, and its root is the value proven at level i+1.
 */
import type { CommitmentProof, ProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import {
  IavlSpec,
  Ics23Error,
  SmtSpec,
  TendermintSpec,
  assertMembership,
  assertNonMembership,
  calculateCommitmentRoot,
  type Ics23ProofSpec,
} from '../../app/ics23/index.js';
import { ProofSpec as ProofSpecCodec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { bytesEqual } from './commitment.js';

/** The counterparty store layouts we can verify proofs of. */
export const SDK_SPECS: readonly Ics23ProofSpec[] = [IavlSpec, TendermintSpec];
export const ZONE_SPECS: readonly Ics23ProofSpec[] = [SmtSpec];

const encoded = (s: ProofSpec) => ProofSpecCodec.encode(s).finish();

/**
 * Our verifier's specs for the specs a client state names, or undefined when they are not one of
 * the layouts above. Compared field by field through their encoding; the SMT's
 * prehash_key_before_comparison flag is implied by its shape (cosmjs-types cannot carry it).
 */
export function knownSpecs(specs: readonly ProofSpec[]): readonly Ics23ProofSpec[] | undefined {
  for (const layout of [ZONE_SPECS, SDK_SPECS]) {
    if (specs.length === layout.length && specs.every((s, i) => bytesEqual(encoded(s), encoded(layout[i]!)))) return layout;
  }
  return undefined;
}

/** ibc-go BuildMerklePath: the key appended to the prefix's last element. */
export function buildMerklePath(prefix: readonly Uint8Array[], key: Uint8Array): Uint8Array[] {
  if (prefix.length === 0) return [key];
  const path = prefix.map((p) => Uint8Array.from(p));
  const last = path[path.length - 1]!;
  const joined = new Uint8Array(last.length + key.length);
  joined.set(last, 0);
  joined.set(key, last.length);
  path[path.length - 1] = joined;
  return path;
}

function checkArgs(
  specs: readonly Ics23ProofSpec[],
  proofs: readonly CommitmentProof[],
  path: readonly Uint8Array[],
  root: Uint8Array,
): void {
  if (root.length === 0) throw new Ics23Error('root cannot be empty');
  if (proofs.length !== specs.length)
    throw new Ics23Error(`length of specs: ${specs.length} not equal to length of proof: ${proofs.length}`);
  if (path.length !== specs.length) throw new Ics23Error(`length of specs: ${specs.length} not equal to length of path: ${path.length}`);
}

/** Levels `from`… : each an existence proof of the previous level's root; the last must give `root`. */
function verifyChained(
  root: Uint8Array,
  specs: readonly Ics23ProofSpec[],
  proofs: readonly CommitmentProof[],
  path: readonly Uint8Array[],
  value: Uint8Array,
  from: number,
): void {
  let subroot = value;
  for (let i = from; i < proofs.length; i++) {
    const proof = proofs[i]!;
    if (proof.exist === undefined) throw new Ics23Error(`chained membership proof contains a non-existence proof at index ${i}`);
    subroot = calculateCommitmentRoot(proof);
    assertMembership(specs[i]!, subroot, proof, path[path.length - 1 - i]!, value);
    value = subroot;
  }
  if (!bytesEqual(root, subroot)) throw new Ics23Error(`proof did not commit to the expected root: ${hex(root)}, got ${hex(subroot)}`);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function assertChainedMembership(
  specs: readonly Ics23ProofSpec[],
  root: Uint8Array,
  proofs: readonly CommitmentProof[],
  path: readonly Uint8Array[],
  value: Uint8Array,
): void {
  if (value.length === 0) throw new Ics23Error('empty value in membership proof');
  checkArgs(specs, proofs, path, root);
  verifyChained(root, specs, proofs, path, value, 0);
}

export function assertChainedNonMembership(
  specs: readonly Ics23ProofSpec[],
  root: Uint8Array,
  proofs: readonly CommitmentProof[],
  path: readonly Uint8Array[],
): void {
  checkArgs(specs, proofs, path, root);
  const first = proofs[0]!;
  if (first.nonexist === undefined) throw new Ics23Error('expected a non-existence proof at level 0');
  const subroot = calculateCommitmentRoot(first);
  assertNonMembership(specs[0]!, subroot, first, path[path.length - 1]!);
  verifyChained(root, specs, proofs, path, subroot, 1);
}
