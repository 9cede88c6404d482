/**
 * Reads cosmos/ics23's Go test data in place from the shared vectors folder (never copied into
 * the project). The table tests are Go `encoding/json` output: snake_case fields, bytes as
 * base64, enums as numbers, and Go matches field names case-insensitively ("PreImage"), so they
 * are converted here rather than through cosmjs-types' camelCase `fromJSON`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CommitmentProof, type ExistenceProof, type InnerOp, type InnerSpec, type LeafOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { Ics23ProofSpec } from './specs.js';

/** The repository root: three levels above app/ibc/ics23. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const vectorsDir = path.resolve(repoRoot, '../shared/vectors/ics23');

type Json = Record<string, unknown>;

/** Field lookup that ignores case, like Go's json decoder. */
function field(obj: Json | undefined, name: string): unknown {
  if (obj === undefined || obj === null) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function b64(value: unknown): Uint8Array {
  return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : new Uint8Array();
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

export function leafOpFromGo(obj: Json | undefined): LeafOp | undefined {
  if (obj === undefined || obj === null) return undefined;
  return {
    hash: num(field(obj, 'hash')),
    prehashKey: num(field(obj, 'prehash_key')),
    prehashValue: num(field(obj, 'prehash_value')),
    length: num(field(obj, 'length')),
    prefix: b64(field(obj, 'prefix')),
  };
}

export function innerOpFromGo(obj: Json): InnerOp {
  return { hash: num(field(obj, 'hash')), prefix: b64(field(obj, 'prefix')), suffix: b64(field(obj, 'suffix')) };
}

function innerSpecFromGo(obj: Json | undefined): InnerSpec | undefined {
  if (obj === undefined || obj === null) return undefined;
  return {
    childOrder: (field(obj, 'child_order') as number[] | undefined) ?? [],
    childSize: num(field(obj, 'child_size')),
    minPrefixLength: num(field(obj, 'min_prefix_length')),
    maxPrefixLength: num(field(obj, 'max_prefix_length')),
    emptyChild: b64(field(obj, 'empty_child')),
    hash: num(field(obj, 'hash')),
  };
}

export function specFromGo(obj: Json): Ics23ProofSpec {
  return {
    leafSpec: leafOpFromGo(field(obj, 'leaf_spec') as Json | undefined),
    innerSpec: innerSpecFromGo(field(obj, 'inner_spec') as Json | undefined),
    maxDepth: num(field(obj, 'max_depth')),
    minDepth: num(field(obj, 'min_depth')),
    prehashKeyBeforeComparison: field(obj, 'prehash_key_before_comparison') === true,
  };
}

export function existenceFromGo(obj: Json): ExistenceProof {
  return {
    key: b64(field(obj, 'key')),
    value: b64(field(obj, 'value')),
    leaf: leafOpFromGo(field(obj, 'leaf') as Json | undefined),
    path: ((field(obj, 'path') as Json[] | undefined) ?? []).map(innerOpFromGo),
  };
}

/** A table file: name → case (or a list of cases), with Go field names kept for `field()`. */
export function readTable<T = Json>(file: string): T {
  return JSON.parse(readFileSync(path.join(vectorsDir, file), 'utf8')) as T;
}

export { field as goField };

/** One tree vector (iavl/, tendermint/, smt/): a protobuf CommitmentProof with hex root/key/value. */
export interface TreeVector {
  readonly proof: CommitmentProof;
  readonly root: Uint8Array;
  readonly key: Uint8Array;
  /** Undefined for non-existence vectors. */
  readonly value: Uint8Array | undefined;
}

export function readTreeVector(dir: string, file: string): TreeVector {
  const data = JSON.parse(readFileSync(path.join(vectorsDir, dir, file), 'utf8')) as { root: string; proof: string; key: string; value: string };
  const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
  return {
    proof: CommitmentProof.decode(hex(data.proof)),
    root: hex(data.root),
    key: hex(data.key),
    value: data.value === '' || data.value === undefined ? undefined : hex(data.value),
  };
}
