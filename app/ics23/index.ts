/** Our ICS-23 verifier: a port of cosmos/ics23's Go verifier (single proofs; no batch proofs). */
export { Ics23Error } from './errors.js';
export { assertMembership, assertNonMembership, verifyMembership, verifyNonMembership } from './verify.js';
export { IavlSpec, SmtSpec, TendermintSpec, specEquals, type Ics23ProofSpec } from './specs.js';
export {
  calculateCommitmentRoot,
  calculateExistenceRoot,
  calculateNonExistenceRoot,
  checkExistenceAgainstSpec,
  isLeftMost,
  isLeftNeighbor,
  isRightMost,
  keyForComparison,
  leftBranchesAreEmpty,
  rightBranchesAreEmpty,
  verifyExistence,
  verifyNonExistence,
} from './proof.js';
export { applyInnerOp, applyLeafOp, checkInnerOp, checkLeafOp, validateIavlOps, validateTendermintOps } from './ops.js';
export { doHash, doHashOrNoop, doLengthOp, HASH_OP_BLAKE2B_512, HASH_OP_BLAKE2S_256, HASH_OP_BLAKE3 } from './hash.js';
