/**
 * Proof specs: what shape of proof a given tree produces (cosmos/ics23 go/proof.go).
 *
 * cosmjs-types 0.11 predates `prehash_key_before_comparison` (ProofSpec field 5), so its ProofSpec
 * cannot say that keys are compared by their hash. `Ics23ProofSpec` adds the flag; a spec decoded
 * with cosmjs-types has it undefined, i.e. false — pass our constants for SMT trees.
 */
import { HashOp, LengthOp, type InnerSpec, type LeafOp, type ProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';

export interface Ics23ProofSpec extends ProofSpec {
  /** Compare keys by `leafSpec.prehashKey(key)` when checking non-membership order (SMT, JMT). */
  prehashKeyBeforeComparison?: boolean;
}

const leaf = (fields: Omit<LeafOp, 'prefix'> & { prefix: number[] }): LeafOp => ({ ...fields, prefix: Uint8Array.from(fields.prefix) });
const inner = (fields: Omit<InnerSpec, 'emptyChild'> & { emptyChild?: Uint8Array }): InnerSpec => ({
  ...fields,
  emptyChild: fields.emptyChild ?? new Uint8Array(),
});

/** IAVL (cosmos/iavl) proofs: the SDK's module stores. */
export const IavlSpec: Readonly<Ics23ProofSpec> = Object.freeze({
  leafSpec: leaf({ prefix: [0], prehashKey: HashOp.NO_HASH, hash: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO }),
  innerSpec: inner({ childOrder: [0, 1], minPrefixLength: 4, maxPrefixLength: 12, childSize: 33, hash: HashOp.SHA256 }),
  maxDepth: 0,
  minDepth: 0,
  prehashKeyBeforeComparison: false,
});

/** CometBFT crypto/merkle simple proofs: the SDK's multistore level. */
export const TendermintSpec: Readonly<Ics23ProofSpec> = Object.freeze({
  leafSpec: leaf({ prefix: [0], prehashKey: HashOp.NO_HASH, hash: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.VAR_PROTO }),
  innerSpec: inner({ childOrder: [0, 1], minPrefixLength: 1, maxPrefixLength: 1, childSize: 32, hash: HashOp.SHA256 }),
  maxDepth: 0,
  minDepth: 0,
  prehashKeyBeforeComparison: false,
});

/** Sparse Merkle trees in the celestiaorg/smt form (our CommitStore). */
export const SmtSpec: Readonly<Ics23ProofSpec> = Object.freeze({
  leafSpec: leaf({ prefix: [0], prehashKey: HashOp.SHA256, hash: HashOp.SHA256, prehashValue: HashOp.SHA256, length: LengthOp.NO_PREFIX }),
  innerSpec: inner({
    childOrder: [0, 1],
    minPrefixLength: 1,
    maxPrefixLength: 1,
    childSize: 32,
    hash: HashOp.SHA256,
    emptyChild: new Uint8Array(32),
  }),
  maxDepth: 256,
  minDepth: 0,
  prehashKeyBeforeComparison: true,
});

/**
 * Go's `SpecEquals`: compares hash ops, lengths and inner-spec sizes but not prefixes, child order
 * contents, empty child or depths. It decides whether the strict IAVL / Tendermint op checks run,
 * so it must over-match exactly as Go does.
 */
export function specEquals(a: ProofSpec, b: ProofSpec): boolean {
  if ((a.leafSpec === undefined) !== (b.leafSpec === undefined)) return false;
  if (a.leafSpec !== undefined && b.leafSpec !== undefined) {
    const x = a.leafSpec;
    const y = b.leafSpec;
    if (x.hash !== y.hash || x.prehashKey !== y.prehashKey || x.prehashValue !== y.prehashValue || x.length !== y.length) return false;
  }
  if ((a.innerSpec === undefined) !== (b.innerSpec === undefined)) return false;
  if (a.innerSpec !== undefined && b.innerSpec !== undefined) {
    const x = a.innerSpec;
    const y = b.innerSpec;
    if (
      x.hash !== y.hash ||
      x.minPrefixLength !== y.minPrefixLength ||
      x.maxPrefixLength !== y.maxPrefixLength ||
      x.childSize !== y.childSize ||
      x.childOrder.length !== y.childOrder.length
    ) {
      return false;
    }
  }
  return true;
}
