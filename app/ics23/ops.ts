/**
 * Single steps of an ICS-23 proof: applying a leaf or inner op, and checking one op against a
 * ProofSpec (cosmos/ics23 go/ops.go). The spec checks are what stop forged preimages, so they
 * follow Go line by line, including the strict IAVL and Tendermint prefix rules ("dragonberry").
 */
import { HashOp, type InnerOp, type LeafOp, type ProofSpec } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { Ics23Error } from './errors.js';
import { doHash, prepareLeafData } from './hash.js';
import { IavlSpec, TendermintSpec, specEquals } from './specs.js';
import { concatBytes, goBytes, hasPrefix, hexUpper } from './bytes.js';

/** The leaf hash of `key` → `value` (Go `LeafOp.Apply`). */
export function applyLeafOp(op: LeafOp, key: Uint8Array, value: Uint8Array): Uint8Array {
  if (key.length === 0) throw new Ics23Error('leaf op needs key');
  if (value.length === 0) throw new Ics23Error('leaf op needs value');
  let pkey: Uint8Array;
  let pvalue: Uint8Array;
  try {
    pkey = prepareLeafData(op.prehashKey, op.length, key);
  } catch (err) {
    throw Ics23Error.wrap('prehash key', err);
  }
  try {
    pvalue = prepareLeafData(op.prehashValue, op.length, value);
  } catch (err) {
    throw Ics23Error.wrap('prehash value', err);
  }
  return doHash(op.hash, concatBytes(op.prefix, pkey, pvalue));
}

/** The parent hash of `child` (Go `InnerOp.Apply`). */
export function applyInnerOp(op: InnerOp, child: Uint8Array): Uint8Array {
  if (child.length === 0) throw new Ics23Error('inner op needs child value');
  return doHash(op.hash, concatBytes(op.prefix, child, op.suffix));
}

// ---------------------------------------------------------------------------------------------
// Go's binary.ReadVarint over a byte cursor, with Go's error texts.

class VarintReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  /** Bytes not yet read. */
  remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** A zig-zag signed varint, as Go `binary.ReadVarint`. */
  readVarint(): bigint {
    let x = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= this.bytes.length) throw new Error(i > 0 ? 'unexpected EOF' : 'EOF');
      const b = this.bytes[this.offset++]!;
      if (b < 0x80) {
        if (i === 9 && b > 1) throw new Error('binary: varint overflows a 64-bit integer');
        x |= BigInt(b) << shift;
        const signed = x >> 1n;
        return (x & 1n) === 0n ? signed : -signed - 1n;
      }
      x |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    }
    throw new Error('binary: varint overflows a 64-bit integer');
  }
}

function readIavlVarint(reader: VarintReader, what: string): bigint {
  try {
    return reader.readVarint();
  } catch (err) {
    throw new Ics23Error(`failed to read IAVL ${what} varint: ${(err as Error).message}`);
  }
}

/**
 * An IAVL op's prefix must start with bounded varints height/size/version and carry exactly the
 * bytes an IAVL node has left; `layer` 0 is the leaf, n the n-th inner op (Go `validateIavlOps`).
 */
export function validateIavlOps(op: { prefix: Uint8Array; hash: HashOp | number }, layer: number): void {
  const reader = new VarintReader(op.prefix);
  const height = readIavlVarint(reader, 'height');
  if (height < 0n || height < BigInt(layer)) {
    throw new Ics23Error(`IAVL height (${height}) must be non-negative and greater than or equal to the layer number (${layer})`);
  }
  const size = readIavlVarint(reader, 'size');
  if (size < 0n) throw new Ics23Error('IAVL size must be non-negative');
  const version = readIavlVarint(reader, 'version');
  if (version < 0n) throw new Ics23Error('IAVL version must be non-negative');
  const rest = reader.remaining();
  if (layer === 0) {
    if (rest !== 0) throw new Ics23Error(`expected remaining prefix length to be 0, got: ${rest}`);
    // Go prints the remainder length in these two messages too; kept for comparable errors.
    if (height !== 0n) throw new Ics23Error(`expected leaf node height to be 0, got: ${rest}`);
    if (size !== 1n) throw new Ics23Error(`expected leaf node size to be 1, got: ${rest}`);
    return;
  }
  // Child from the left: length byte only (1); from the right: length ‖ hash(32) ‖ length (34).
  if (rest !== 1 && rest !== 34) throw new Ics23Error(`remainder of prefix must be of length 1 or 34, got: ${rest}`);
  if (op.hash !== HashOp.SHA256) throw new Ics23Error(`IAVL hash op must be SHA256`);
}

/** A Tendermint inner op is exactly 0x01 when it has a suffix, else starts with 0x01 (Go `validateTendermintOps`). */
export function validateTendermintOps(op: InnerOp): void {
  if (op.prefix.length === 0) throw new Ics23Error('inner op prefix must not be empty');
  const innerPrefix = Uint8Array.of(1);
  // Go tests `Suffix != nil`; a decoded protobuf has a nil suffix exactly when it is empty.
  if (op.suffix.length > 0 && !(op.prefix.length === 1 && op.prefix[0] === 1)) {
    throw new Ics23Error(`expected inner op prefix: ${goBytes(innerPrefix)}, got: ${goBytes(op.prefix)}`);
  }
  if (!hasPrefix(op.prefix, innerPrefix)) {
    throw new Ics23Error(`expected inner op prefix to begin with: ${goBytes(innerPrefix)}, got: ${goBytes(op.prefix.subarray(0, 1))}`);
  }
}

/** The leaf op has the spec's hash ops, length op and prefix (Go `LeafOp.CheckAgainstSpec`). */
export function checkLeafOp(op: LeafOp, spec: ProofSpec | undefined): void {
  if (spec === undefined) throw new Ics23Error('op and spec must be non-nil');
  const lspec = spec.leafSpec;
  if (lspec === undefined) throw new Ics23Error('spec.LeafSpec must be non-nil');
  if (specEquals(spec, IavlSpec)) validateIavlOps(op, 0);
  if (op.hash !== lspec.hash) throw new Ics23Error(`unexpected HashOp: ${op.hash}`);
  if (op.prehashKey !== lspec.prehashKey) throw new Ics23Error(`unexpected PrehashKey: ${op.prehashKey}`);
  if (op.prehashValue !== lspec.prehashValue) throw new Ics23Error(`unexpected PrehashValue: ${op.prehashValue}`);
  if (op.length !== lspec.length) throw new Ics23Error(`unexpected LengthOp: ${op.length}`);
  if (!hasPrefix(op.prefix, lspec.prefix)) throw new Ics23Error(`leaf Prefix doesn't start with ${hexUpper(lspec.prefix)}`);
}

/**
 * The inner op at `layer` (1 = just above the leaf) fits the spec: its hash op, that it cannot be
 * mistaken for a leaf, and that its prefix and suffix can hold only whole sibling hashes
 * (Go `InnerOp.CheckAgainstSpec`).
 */
export function checkInnerOp(op: InnerOp, spec: ProofSpec | undefined, layer: number): void {
  if (spec === undefined) throw new Ics23Error('op and spec must be both non-nil');
  const ispec = spec.innerSpec;
  if (ispec === undefined) throw new Ics23Error('spec.InnerSpec must be non-nil');
  if (spec.leafSpec === undefined) throw new Ics23Error('spec.LeafSpec must be non-nil');
  if (op.hash !== ispec.hash) throw new Ics23Error(`unexpected HashOp: ${op.hash}`);
  if (specEquals(spec, IavlSpec)) validateIavlOps(op, layer);
  if (specEquals(spec, TendermintSpec)) validateTendermintOps(op);
  const leafPrefix = spec.leafSpec.prefix;
  if (hasPrefix(op.prefix, leafPrefix)) throw new Ics23Error(`inner Prefix starts with ${hexUpper(leafPrefix)}`);
  if (op.prefix.length < ispec.minPrefixLength) throw new Ics23Error(`innerOp prefix too short (${op.prefix.length})`);
  const maxLeftChildBytes = (ispec.childOrder.length - 1) * ispec.childSize;
  if (op.prefix.length > ispec.maxPrefixLength + maxLeftChildBytes) throw new Ics23Error(`innerOp prefix too long (${op.prefix.length})`);
  if (ispec.childSize <= 0) throw new Ics23Error('spec.InnerSpec.ChildSize must be >= 1');
  // Otherwise a sibling hash could hide in the prefix padding and forge neighbour positions.
  if (ispec.maxPrefixLength >= ispec.minPrefixLength + ispec.childSize) {
    throw new Ics23Error('spec.InnerSpec.MaxPrefixLength must be < spec.InnerSpec.MinPrefixLength + spec.InnerSpec.ChildSize');
  }
  if (op.suffix.length % ispec.childSize !== 0) throw new Ics23Error('InnerOp suffix malformed');
}
