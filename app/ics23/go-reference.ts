/**
 * The reference implementation, cosmos/ics23's Go verifier, as the tests' oracle: our program
 * `scripts/ics23-reference` (built into `.tools/bin` by setup) generates proofs from its own
 * seeded trees and answers verification questions with the Go code. See its main.go for the
 * protocol; this file speaks it with cosmjs-types messages and Uint8Arrays.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { CommitmentProof, ExistenceProof, InnerOp, LeafOp, ProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { repoRoot } from '../node/cometbft.js';
import { IavlSpec, SmtSpec, TendermintSpec, type Ics23ProofSpec } from './specs.js';

export type TreeShape = 'iavl' | 'tendermint' | 'smt';

export interface GeneratedProof {
  readonly kind: 'exist' | 'nonexist';
  /** Where the proven key sits among the tree's leaves. */
  readonly position: 'left' | 'middle' | 'right';
  readonly key: Uint8Array;
  /** Only for existence proofs. */
  readonly value: Uint8Array | undefined;
  readonly proof: CommitmentProof;
}

export interface GeneratedTree {
  readonly root: Uint8Array;
  /** An existence proof per leaf in tree order, then non-existence proofs left, middle…, right. */
  readonly proofs: readonly GeneratedProof[];
}

/** A spec by name (the Go package's own constant) or any spec, sent as protobuf. */
export type SpecRef = TreeShape | Ics23ProofSpec;

const OUR_SPECS: Readonly<Record<TreeShape, Ics23ProofSpec>> = { iavl: IavlSpec, tendermint: TendermintSpec, smt: SmtSpec };

/** Our constant for a named spec (the Go side uses its own), or the spec itself. */
export function ourSpec(ref: SpecRef): Ics23ProofSpec {
  return typeof ref === 'string' ? OUR_SPECS[ref] : ref;
}

/** A membership question when `value` is set, else a non-membership question. */
export interface VerifyQuestion {
  readonly spec: SpecRef;
  readonly root: Uint8Array;
  readonly proof: CommitmentProof;
  readonly key: Uint8Array;
  readonly value?: Uint8Array;
}

export interface Verdict {
  readonly ok: boolean;
  /** The Go error (or panic) text when not ok. */
  readonly error?: string;
}

/** A computed hash, or the Go error text. */
export interface Computed {
  readonly result?: Uint8Array;
  readonly error?: string;
}

export function referenceBinary(): string {
  return path.join(repoRoot(), '.tools', 'bin', 'ics23-reference');
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (s: string | undefined) => (s === undefined ? undefined : new Uint8Array(Buffer.from(s, 'hex')));

interface RawResponse {
  ok?: boolean;
  error?: string;
  result?: string;
  root?: string;
  proofs?: { kind: 'exist' | 'nonexist'; position: 'left' | 'middle' | 'right'; key: string; value?: string; proof: string }[];
}

/** Sends requests in one run of the program; throws (never skips) when it is not built. */
function run(requests: readonly Record<string, unknown>[]): RawResponse[] {
  const binary = referenceBinary();
  try {
    accessSync(binary, fsConstants.X_OK);
  } catch {
    throw new Error(
      `The ICS-23 reference checker is not built at ${binary}. Run \`npm run setup\` (it builds scripts/ics23-reference; needs Go).`,
    );
  }
  const out = spawnSync(binary, [], { input: JSON.stringify(requests), maxBuffer: 1 << 28, timeout: 60_000, encoding: 'utf8' });
  if (out.error !== undefined) throw out.error;
  if (out.status !== 0) throw new Error(`ics23-reference exited with ${out.status}: ${out.stderr}`);
  const responses = JSON.parse(out.stdout) as RawResponse[];
  if (responses.length !== requests.length) throw new Error(`ics23-reference answered ${responses.length} of ${requests.length} requests`);
  return responses;
}

function specFields(spec: SpecRef): Record<string, unknown> {
  if (typeof spec === 'string') return { spec };
  const { prehashKeyBeforeComparison, ...proofSpec } = spec;
  return {
    specProto: hex(ProofSpec.encode(ProofSpec.fromPartial(proofSpec)).finish()),
    prehashKeyBeforeComparison: prehashKeyBeforeComparison === true,
  };
}

/** Trees of `count` seeded random leaves, one per seed, with their proofs. */
export function generateTrees(shape: TreeShape, seeds: readonly number[], count: number): GeneratedTree[] {
  return run(seeds.map((seed) => ({ op: 'generate', spec: shape, seed, count }))).map((res) => ({
    root: bytes(res.root)!,
    proofs: res.proofs!.map((p) => ({
      kind: p.kind,
      position: p.position,
      key: bytes(p.key)!,
      value: bytes(p.value),
      proof: CommitmentProof.decode(bytes(p.proof)!),
    })),
  }));
}

/** Go `VerifyMembership` / `VerifyNonMembership` on each question. */
export function goVerify(questions: readonly VerifyQuestion[]): Verdict[] {
  const requests = questions.map((q) => ({
    op: 'verify',
    ...specFields(q.spec),
    root: hex(q.root),
    proof: hex(CommitmentProof.encode(q.proof).finish()),
    key: hex(q.key),
    ...(q.value === undefined ? {} : { value: hex(q.value) }),
  }));
  return run(requests).map((res) => ({ ok: res.ok === true, error: res.error }));
}

const computed = (res: RawResponse): Computed => (res.error !== undefined ? { error: res.error } : { result: bytes(res.result ?? '') });

/** Go `LeafOp.Apply` on each case. */
export function goApplyLeaf(cases: readonly { op: LeafOp; key: Uint8Array; value: Uint8Array }[]): Computed[] {
  return run(cases.map((c) => ({ op: 'leaf', leafOp: hex(LeafOp.encode(c.op).finish()), key: hex(c.key), value: hex(c.value) }))).map(
    computed,
  );
}

/** Go `InnerOp.Apply` on each case. */
export function goApplyInner(cases: readonly { op: InnerOp; child: Uint8Array }[]): Computed[] {
  return run(cases.map((c) => ({ op: 'inner', innerOp: hex(InnerOp.encode(c.op).finish()), child: hex(c.child) }))).map(computed);
}

/** Go `ExistenceProof.Calculate` on each proof. */
export function goCalculate(proofs: readonly ExistenceProof[]): Computed[] {
  return run(proofs.map((p) => ({ op: 'calculate', existence: hex(ExistenceProof.encode(p).finish()) }))).map(computed);
}

/** Go `ExistenceProof.CheckAgainstSpec` on each case. */
export function goCheckAgainstSpec(cases: readonly { proof: ExistenceProof; spec: SpecRef }[]): Verdict[] {
  return run(cases.map((c) => ({ op: 'check', existence: hex(ExistenceProof.encode(c.proof).finish()), ...specFields(c.spec) }))).map(
    (res) => ({
      ok: res.ok === true,
      error: res.error,
    }),
  );
}
