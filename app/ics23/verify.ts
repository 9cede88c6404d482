/**
 * The ICS-23 client interface (ibc spec ics-023; cosmos/ics23 go/ics23.go): a proof either proves
 * the statement against the root under the spec, or it does not. `assert*` say why not.
 */
import type { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { Ics23Error } from './errors.js';
import { verifyExistence, verifyNonExistence } from './proof.js';
import type { Ics23ProofSpec } from './specs.js';

/** Throws an Ics23Error unless `proof` is an ExistenceProof of `key` → `value` under `root`. */
export function assertMembership(
  spec: Ics23ProofSpec,
  root: Uint8Array,
  proof: CommitmentProof | undefined,
  key: Uint8Array,
  value: Uint8Array,
): void {
  const exist = proof?.exist;
  if (exist === undefined) throw new Ics23Error('proof is not an existence proof');
  verifyExistence(exist, spec, root, key, value);
}

/** Throws an Ics23Error unless `proof` is a NonExistenceProof of `key` under `root`. */
export function assertNonMembership(spec: Ics23ProofSpec, root: Uint8Array, proof: CommitmentProof | undefined, key: Uint8Array): void {
  const nonexist = proof?.nonexist;
  if (nonexist === undefined) throw new Ics23Error('proof is not a non-existence proof');
  verifyNonExistence(nonexist, spec, root, key);
}

function holds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof Ics23Error) return false;
    throw err; // a bug, not a bad proof
  }
}

/** True iff `proof` proves `key` → `value` under `root` for a tree of shape `spec`. */
export function verifyMembership(
  spec: Ics23ProofSpec,
  root: Uint8Array,
  proof: CommitmentProof | undefined,
  key: Uint8Array,
  value: Uint8Array,
): boolean {
  return holds(() => assertMembership(spec, root, proof, key, value));
}

/** True iff `proof` proves that `key` has no value under `root` for a tree of shape `spec`. */
export function verifyNonMembership(spec: Ics23ProofSpec, root: Uint8Array, proof: CommitmentProof | undefined, key: Uint8Array): boolean {
  return holds(() => assertNonMembership(spec, root, proof, key));
}
