/**
 * Test helpers: multisig txs as cosmjs's `makeMultisignedTx` builds them (LegacyAminoPubKey in the
 * SignerInfo, ModeInfo.Multi with a CompactBitArray, a MultiSignature), but with members of any
 * key type and a sign mode per member, and ways to break each part. Not used by the chain.
 */
import { makeSignDoc as makeAminoSignDoc, type OfflineAminoSigner } from '@cosmjs/amino';
import { fromBase64, toBech32 } from '@cosmjs/encoding';
import { makeSignDoc, type EncodeObject, type OfflineDirectSigner } from '@cosmjs/proto-signing';
import { AminoTypes, createDefaultAminoConverters } from '@cosmjs/stargate';
import { CompactBitArray, MultiSignature } from 'cosmjs-types/cosmos/crypto/multisig/v1beta1/multisig';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { pubKeyAddressBytes, pubKeyToAny, type AccountPubKey, type MultisigPubKey } from '../../app/crypto/account-keys.js';
import type { MlDsaDirectSigner } from '../../app/crypto/mldsa-signer.js';
import type { Coin } from '../../app/types/coins.js';
import { registry, type TestSigner } from './testing.js';

/** A multisig member: its key, and its signer for each sign mode. */
export interface MultisigMember {
  readonly address: string;
  readonly pubkey: AccountPubKey;
  readonly direct: OfflineDirectSigner;
  readonly amino: OfflineAminoSigner;
}

export function secp256k1Member(signer: TestSigner): MultisigMember {
  return { address: signer.address, pubkey: { algo: 'secp256k1', key: signer.pubkey }, direct: signer.wallet, amino: signer.aminoWallet };
}

export function mlDsaMember(signer: MlDsaDirectSigner): MultisigMember {
  return { address: signer.address, pubkey: { algo: signer.level, key: signer.publicKey }, direct: signer, amino: signer };
}

export function multisigKey(members: readonly MultisigMember[], threshold: number): MultisigPubKey {
  return { algo: 'multisig', threshold, keys: members.map((m) => m.pubkey) };
}

export function multisigAddress(key: MultisigPubKey, prefix = 'para'): string {
  return toBech32(prefix, pubKeyAddressBytes(key));
}

export interface MultisigTxOptions {
  readonly members: readonly MultisigMember[];
  readonly threshold: number;
  /** The members that sign, by index, each in its mode (amino JSON unless said). */
  readonly signers: readonly { readonly index: number; readonly mode?: SignMode }[];
  readonly msgs: EncodeObject[];
  readonly accountNumber: number;
  readonly sequence: number;
  readonly chainId: string;
  readonly fee?: Coin[];
  readonly gasLimit?: number;
  readonly memo?: string;
  /** Leave the multisig key out of the SignerInfo (an account that signed before). */
  readonly omitPubKey?: boolean;
  /** Replaces the bit array cosmjs would build from `signers`. */
  readonly bitarray?: CompactBitArray;
  /** Changes the member signatures before they go into the MultiSignature. */
  readonly alterSignatures?: (signatures: Uint8Array[]) => Uint8Array[];
}

/** A CompactBitArray as cosmjs builds one (its `makeCompactBitArray`, not exported): first bit = most significant. */
export function compactBitArray(bits: readonly boolean[]): CompactBitArray {
  const elems = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((set, i) => {
    if (set) elems[i >> 3]! |= 0x80 >> (i & 7);
  });
  return { elems, extraBitsStored: bits.length % 8 };
}

const aminoTypes = new AminoTypes(createDefaultAminoConverters());

export async function signMultisigTx(options: MultisigTxOptions): Promise<{ bytes: Uint8Array; key: MultisigPubKey; address: string }> {
  const key = multisigKey(options.members, options.threshold);
  const address = multisigAddress(key);
  const signers = [...options.signers].sort((a, b) => a.index - b.index);
  const modeOf = (s: { mode?: SignMode }) => s.mode ?? SignMode.SIGN_MODE_LEGACY_AMINO_JSON;
  const fee = options.fee ?? [{ denom: 'upara', amount: '10000' }];
  const gasLimit = options.gasLimit ?? 300_000;
  const bodyBytes = registry.encode({ typeUrl: '/cosmos.tx.v1beta1.TxBody', value: { messages: options.msgs, memo: options.memo ?? '' } });
  const bits = options.members.map((_, i) => signers.some((s) => s.index === i));
  const authInfoBytes = AuthInfo.encode(
    AuthInfo.fromPartial({
      signerInfos: [
        {
          publicKey: options.omitPubKey ? undefined : pubKeyToAny(key),
          modeInfo: {
            multi: {
              bitarray: options.bitarray ?? compactBitArray(bits),
              modeInfos: signers.map((s) => ({ single: { mode: modeOf(s) } })),
            },
          },
          sequence: BigInt(options.sequence),
        },
      ],
      fee: { amount: fee, gasLimit: BigInt(gasLimit) },
    }),
  ).finish();
  const aminoDoc = makeAminoSignDoc(
    options.msgs.map((m) => aminoTypes.toAmino(m)),
    { amount: fee, gas: String(gasLimit) },
    options.chainId,
    options.memo ?? '',
    options.accountNumber,
    options.sequence,
  );
  const directDoc = makeSignDoc(bodyBytes, authInfoBytes, options.chainId, options.accountNumber);
  let signatures: Uint8Array[] = [];
  for (const s of signers) {
    const member = options.members[s.index]!;
    const response =
      modeOf(s) === SignMode.SIGN_MODE_DIRECT
        ? await member.direct.signDirect(member.address, directDoc)
        : await member.amino.signAmino(member.address, aminoDoc);
    signatures.push(fromBase64(response.signature.signature));
  }
  if (options.alterSignatures) signatures = options.alterSignatures(signatures);
  const multiSignature = MultiSignature.encode({ signatures }).finish();
  return { bytes: TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [multiSignature] }).finish(), key, address };
}
