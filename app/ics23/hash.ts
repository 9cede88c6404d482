/**
 * The hashing and length-prefix primitives of ICS-23 (cosmos/ics23 go/ops.go: doHash, doLengthOp,
 * prepareLeafData). Only node:crypto: every HashOp the Go verifier supports is available there.
 */
import { createHash } from 'node:crypto';
import { HashOp, LengthOp } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { Ics23Error } from './errors.js';

/**
 * HashOp numbers newer than the cosmjs-types 0.11 enum (proofs.proto at cosmos/ics23 7f2c2d0).
 * A decoded proof carries these as plain numbers.
 */
export const HASH_OP_BLAKE2B_512 = 7;
export const HASH_OP_BLAKE2S_256 = 8;
export const HASH_OP_BLAKE3 = 9;

/** node:crypto algorithm per HashOp; KECCAK (3) and BLAKE3 (9) are absent, as in the Go verifier. */
const NODE_ALGORITHM: Readonly<Record<number, string>> = {
  [HashOp.SHA256]: 'sha256',
  [HashOp.SHA512]: 'sha512',
  [HashOp.RIPEMD160]: 'ripemd160',
  [HashOp.SHA512_256]: 'sha512-256',
  [HASH_OP_BLAKE2B_512]: 'blake2b512',
  [HASH_OP_BLAKE2S_256]: 'blake2s256',
};

function digest(algorithm: string, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm).update(data).digest());
}

/** Hashes `preimage` with `op`; NO_HASH and unsupported ops are errors (Go `doHash`). */
export function doHash(op: HashOp | number, preimage: Uint8Array): Uint8Array {
  if (op === HashOp.BITCOIN) return digest('ripemd160', digest('sha256', preimage));
  const algorithm = NODE_ALGORITHM[op];
  if (algorithm === undefined) throw new Ics23Error(`unsupported hashop: ${op}`);
  return digest(algorithm, preimage);
}

/** `preimage` untouched for NO_HASH, else `doHash` (Go `doHashOrNoop`). */
export function doHashOrNoop(op: HashOp | number, preimage: Uint8Array): Uint8Array {
  return op === HashOp.NO_HASH ? preimage : doHash(op, preimage);
}

/** Protobuf's unsigned varint of a length. */
export function encodeVarintProto(length: number): Uint8Array {
  const out: number[] = [];
  let l = length;
  while (l >= 0x80) {
    out.push((l & 0x7f) | 0x80);
    l = Math.floor(l / 128);
  }
  out.push(l);
  return Uint8Array.from(out);
}

function fixedLength(bytes: number, littleEndian: boolean, length: number): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer);
  if (bytes === 4) view.setUint32(0, length, littleEndian);
  else view.setBigUint64(0, BigInt(length), littleEndian);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** `length(data) ‖ data` per `op`, or a size check for the REQUIRE_* ops (Go `doLengthOp`). */
export function doLengthOp(op: LengthOp | number, data: Uint8Array): Uint8Array {
  switch (op) {
    case LengthOp.NO_PREFIX:
      return data;
    case LengthOp.VAR_PROTO:
      return concat(encodeVarintProto(data.length), data);
    case LengthOp.REQUIRE_32_BYTES:
      if (data.length !== 32) throw new Ics23Error(`data was ${data.length} bytes, not 32`);
      return data;
    case LengthOp.REQUIRE_64_BYTES:
      if (data.length !== 64) throw new Ics23Error(`data was ${data.length} bytes, not 64`);
      return data;
    case LengthOp.FIXED32_BIG:
      return concat(fixedLength(4, false, data.length), data);
    case LengthOp.FIXED32_LITTLE:
      return concat(fixedLength(4, true, data.length), data);
    case LengthOp.FIXED64_BIG:
      return concat(fixedLength(8, false, data.length), data);
    case LengthOp.FIXED64_LITTLE:
      return concat(fixedLength(8, true, data.length), data);
    default:
      // VAR_RLP is declared by the proto but implemented by no reference verifier.
      throw new Ics23Error(`unsupported lengthop: ${op}`);
  }
}

/** Prehash then length-prefix one leaf input (Go `prepareLeafData`). */
export function prepareLeafData(hashOp: HashOp | number, lengthOp: LengthOp | number, data: Uint8Array): Uint8Array {
  return doLengthOp(lengthOp, doHashOrNoop(hashOp, data));
}
