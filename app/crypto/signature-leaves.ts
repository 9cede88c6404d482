import { CompactBitArray, MultiSignature } from 'cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig';
import type { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { ModeInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ErrTxDecode, ErrUnauthorized } from '../types/errors.js';
import type { AccountPubKey, MultisigPubKey, SinglePubKey } from './account-keys.js';

/**
 * The single-key signatures a signer's signature consists of, each with the key, the sign mode and
 * the bytes to check: one for a single-key signer; for a multisig, one per member that signed
 * (recursively through nested multisigs), as the SDK reads `ModeInfo.Multi` + `MultiSignature`
 * (x/auth/tx ModeInfoAndSigToSignatureData, LegacyAminoPubKey.VerifyMultisignature,
 * ConsumeMultisignatureVerificationGas):
 *
 *  - the CompactBitArray has exactly one bit per member key (checked before anything else, so a
 *    huge bit array costs nothing) and marks who signed, first member = most significant bit;
 *  - the MultiSignature (canonical protobuf, nothing unknown) holds one signature per set bit, in
 *    member order, and `mode_infos` one mode per set bit;
 *  - at least `threshold` bits are set;
 *  - a member that is itself a multisig has a `multi` mode info and a MultiSignature as its
 *    signature; any other member a `single` one.
 *
 * Structure errors are ErrUnauthorized (4), bytes that are not a MultiSignature ErrTxDecode (2).
 * Lengths, modes and the signatures themselves are for the caller to check, leaf by leaf.
 */
export interface SignatureLeaf {
  /** The member's position in each multisig on the way down; [] for a single-key signer. */
  readonly path: readonly number[];
  readonly pubkey: SinglePubKey;
  /** The ModeInfo.Single mode; undefined when the mode info is missing. */
  readonly mode: SignMode | undefined;
  readonly signature: Uint8Array;
}

export function signatureLeaves(pubkey: AccountPubKey, modeInfo: ModeInfo | undefined, signature: Uint8Array): SignatureLeaf[] {
  const leaves: SignatureLeaf[] = [];
  collect(pubkey, modeInfo, signature, [], leaves);
  return leaves;
}

function collect(pubkey: AccountPubKey, modeInfo: ModeInfo | undefined, signature: Uint8Array, path: number[], out: SignatureLeaf[]): void {
  const where = path.length === 0 ? '' : ` (multisig member ${path.join('.')})`;
  if (pubkey.algo !== 'multisig') {
    if (modeInfo?.multi) throw ErrUnauthorized.wrap(`a multisig mode info for a single ${pubkey.algo} key${where}`);
    out.push({ path, pubkey, mode: modeInfo?.single?.mode, signature });
    return;
  }
  const multi = modeInfo?.multi;
  if (!multi) throw ErrUnauthorized.wrap(`a multisig key${where} needs a multi mode info (bit array and one mode per signature)`);
  const bits = bitsOf(multi.bitarray, pubkey, where);
  const signatures = decodeMultiSignature(signature, where);
  const signed = bits.filter(Boolean).length;
  if (signatures.length !== signed) {
    throw ErrUnauthorized.wrap(
      `multisig${where} bit array marks ${signed} signers but the MultiSignature holds ${signatures.length} signatures`,
    );
  }
  if (multi.modeInfos.length !== signed) {
    throw ErrUnauthorized.wrap(`multisig${where} bit array marks ${signed} signers but mode_infos holds ${multi.modeInfos.length} modes`);
  }
  if (signed < pubkey.threshold) {
    throw ErrUnauthorized.wrap(`multisig${where} has ${signed} of the ${pubkey.threshold} signatures its threshold needs`);
  }
  let next = 0;
  bits.forEach((set, member) => {
    if (!set) return;
    collect(pubkey.keys[member]!, multi.modeInfos[next], signatures[next]!, [...path, member], out);
    next++;
  });
}

/** The bits of a CompactBitArray, which must have one per member key. */
function bitsOf(bitarray: CompactBitArray | undefined, pubkey: MultisigPubKey, where: string): boolean[] {
  const n = pubkey.keys.length;
  const elems = bitarray?.elems ?? new Uint8Array();
  const extra = bitarray?.extraBitsStored ?? 0;
  if (extra > 7 || (extra > 0 && elems.length === 0)) {
    throw ErrUnauthorized.wrap(`multisig${where} bit array is malformed: extra_bits_stored ${extra} with ${elems.length} bytes`);
  }
  const size = extra === 0 ? elems.length * 8 : (elems.length - 1) * 8 + extra;
  if (size !== n) throw ErrUnauthorized.wrap(`multisig${where} bit array has ${size} bits, expected ${n} (one per member key)`);
  return Array.from({ length: n }, (_, i) => (elems[i >> 3]! & (0x80 >> (i & 7))) !== 0);
}

function decodeMultiSignature(bytes: Uint8Array, where: string): Uint8Array[] {
  let decoded: MultiSignature;
  try {
    decoded = MultiSignature.decode(bytes);
  } catch (err) {
    throw ErrTxDecode.wrap(`multisig${where} signature is not a MultiSignature: ${(err as Error).message}`);
  }
  // Canonical only: anything else (unknown fields, say) would change the tx hash, not its meaning.
  if (!Buffer.from(MultiSignature.encode(decoded).finish()).equals(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) {
    throw ErrTxDecode.wrap(`multisig${where} signature is not a canonical MultiSignature (unknown or repeated fields)`);
  }
  return decoded.signatures;
}
