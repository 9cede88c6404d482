import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import type { ModeInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  algoName,
  countSubKeys,
  memberAlgos,
  pubKeyAddressBytes,
  pubKeyFromAny,
  signatureLength,
  verifyDirect,
  type AccountPubKey,
  type KeyAlgo,
} from '../../../app/crypto/account-keys.js';
import { signatureLeaves, type SignatureLeaf } from '../../../app/crypto/signature-leaves.js';
import { makeAminoSignBytes } from '../../../app/crypto/amino-sign-doc.js';
import { makeSignDocBytes } from '../../../app/crypto/sign-doc.js';
import type { AminoJsonCodec } from '../../../app/codec/amino-json.js';
import { signatureCacheKey, type SignatureCache } from '../../../app/crypto/signature-cache.js';
import { bytesEqual } from '../../../app/store/bytes.js';
import type { Context } from '../../../app/types/context.js';
import { ErrInvalidPubKey, ErrTooManySignatures, ErrUnauthorized, ErrUnknownAddress, ErrWrongSequence } from '../../../app/types/errors.js';
import type { AuthKeeper } from '../keeper.js';
import { ErrAccountNumberPending } from '../errors.js';
import type { Params } from '../params.js';

/**
 * The SDK's SetPubKey → SigGasConsume → SigVerification → IncrementSequence decorators, per signer
 * (signer_infos[i] and signatures[i] belong to tx.signers[i]):
 *
 *  - the account must exist (ErrUnknownAddress) and have its number (ErrAccountNumberPending: an
 *    account created earlier in the same block is numbered at EndBlock; not checked in simulate,
 *    which verifies no signature);
 *  - the SignerInfo pubkey (or, if absent, the one on the account) must hash to the signer's
 *    address (ErrInvalidPubKey); it is stored on the account's first signature;
 *  - SignerInfo.sequence must equal the account's (ErrWrongSequence);
 *  - the keys in use, every multisig member counted, stay within tx_sig_limit (ErrTooManySignatures);
 *  - a signature is one per single-key signer, or for a multisig (LegacyAminoPubKey) one per
 *    member that signed, read from ModeInfo.Multi and a MultiSignature (app/crypto/signature-leaves.ts:
 *    bit array of one bit per member, threshold met; ErrUnauthorized otherwise);
 *  - sig_verify_cost_<key type> gas is charged per signature (secp256k1, ml_dsa_44, ml_dsa_65),
 *    a multisig's by each signing member's type — in simulate too;
 *  - each signature must have its key type's exact length and verify (ErrUnauthorized) over the
 *    sign bytes of its own mode: SIGN_MODE_DIRECT's SignDoc(body_bytes, auth_info_bytes, ctx.chainId,
 *    account number), or SIGN_MODE_LEGACY_AMINO_JSON's StdSignDoc (app/crypto/amino-sign-doc.ts,
 *    with the account's number and sequence); any other mode is refused (ErrUnauthorized);
 *    skipped in simulate and recheck;
 *  - the sequence is incremented.
 * Emits `tx{acc_seq: "<addr>/<seq>"}` and `tx{signature: <base64>}` per signer (for a multisig,
 * one per member signature before the MultiSignature's), as the SDK does.
 */
export function processSigners(
  ctx: Context,
  tx: DecodedTx,
  params: Params,
  simulate: boolean,
  accounts: AuthKeeper,
  cache: SignatureCache | undefined,
  aminoJson: (() => AminoJsonCodec) | undefined,
): void {
  const verify = !simulate && ctx.mode !== 'recheck';
  const addresses = accounts.config.addresses;
  let subKeys = 0;
  tx.signers.forEach((signer, i) => {
    const info = tx.authInfo.signerInfos[i]!;
    const signature = tx.raw.signatures[i]!;
    const account = accounts.getAccount(ctx, signer);
    if (!account) throw ErrUnknownAddress.wrap(`account ${signer} does not exist; it must receive tokens before it can sign`);
    if (verify && accounts.isNumberPending(account)) {
      throw ErrAccountNumberPending.wrap(
        `account ${signer} was created in this block; it can sign once the block is committed and its account number is known`,
      );
    }

    const storedKey = pubKeyFromAny(account.pubKey);
    const txKey = pubKeyFromAny(info.publicKey);
    if (txKey && !bytesEqual(pubKeyAddressBytes(txKey), addresses.decode(signer))) {
      throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signer} with signer index: ${i}`);
    }
    const pubkey = txKey ?? storedKey;
    if (!pubkey && !simulate) throw ErrInvalidPubKey.wrap(`pubkey on account ${signer} is not set; include it in signer_infos[${i}]`);

    // A multisig's signature read as its members' (GetSignaturesV2: before the sequence check).
    let leaves: readonly SignatureLeaf[] = [];
    if (pubkey) leaves = simulate ? simulatedLeaves(pubkey, info.modeInfo, signature) : signatureLeaves(pubkey, info.modeInfo, signature);

    ctx.events.emit('tx', { acc_seq: `${signer}/${info.sequence}` });
    // As the SDK: a multisig's member signatures, then the MultiSignature itself.
    if (pubkey?.algo === 'multisig' && !simulate) for (const leaf of leaves) ctx.events.emit('tx', { signature: base64(leaf.signature) });
    ctx.events.emit('tx', { signature: base64(signature) });

    if (info.sequence !== account.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`);
    }

    // The decoder counted a signer without a SignerInfo key as one; its stored key may be a multisig.
    subKeys += pubkey ? countSubKeys(pubkey) : 1;
    if (BigInt(subKeys) > params.txSigLimit) throw ErrTooManySignatures.wrap(`signatures: ${subKeys}, limit: ${params.txSigLimit}`);

    // ConsumeMultisignatureVerificationGas: each signature's own key type, one by one.
    const algos = pubkey ? leaves.map((leaf) => leaf.pubkey.algo) : ['secp256k1' as const];
    for (const algo of algos) ctx.gas.consume(Number(sigVerifyCost(params, algo)), `ante verify: ${algo}`);

    if (verify) {
      const signBytes = new Map<SignMode, Uint8Array>();
      for (const leaf of leaves) {
        const at = leaf.path.length === 0 ? `signer ${i}` : `signer ${i} multisig member ${leaf.path.join('.')}`;
        const amino = leaf.mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON && aminoJson !== undefined;
        if (leaf.mode !== SignMode.SIGN_MODE_DIRECT && !amino) {
          throw ErrUnauthorized.wrap(
            `${at}: sign mode ${leaf.mode ?? 'unset'} is not supported; sign with SIGN_MODE_DIRECT${aminoJson ? ' or SIGN_MODE_LEGACY_AMINO_JSON' : ''}`,
          );
        }
        const { algo } = leaf.pubkey;
        if (leaf.signature.length !== signatureLength(algo)) {
          throw ErrUnauthorized.wrap(
            `${at}: ${algoName(algo)} signature is ${leaf.signature.length} bytes, expected ${signatureLength(algo)}`,
          );
        }
        const cacheKey = cache ? signatureCacheKey(tx.hash, i, account.accountNumber, ctx.chainId, leaf.path) : '';
        if (cache?.has(cacheKey)) continue;
        const mode = leaf.mode!;
        let bytes = signBytes.get(mode);
        if (!bytes) {
          bytes = amino
            ? makeAminoSignBytes(tx, aminoJson!(), ctx.chainId, account.accountNumber, account.sequence)
            : makeSignDocBytes(tx.raw.bodyBytes, tx.raw.authInfoBytes, ctx.chainId, account.accountNumber);
          signBytes.set(mode, bytes);
        }
        if (!verifyDirect(leaf.pubkey, bytes, leaf.signature)) {
          const whose = leaf.path.length === 0 ? '' : ` of multisig member ${leaf.path.join('.')}`;
          throw ErrUnauthorized.wrap(
            `signature${whose} verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId})`,
          );
        }
        cache?.add(cacheKey);
      }
    }

    if (txKey && !storedKey) accounts.setPubKey(ctx, signer, txKey);
    accounts.incrementSequence(ctx, signer);
  });
}

/** A view, not a copy: the event needs only the text. */
function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * What a simulated tx will be charged for: the signatures of its multisig structure when the
 * client gave one (bit array, modes, placeholder signatures), else one per member key, so the
 * estimate is never short.
 */
function simulatedLeaves(pubkey: AccountPubKey, modeInfo: ModeInfo | undefined, signature: Uint8Array): readonly SignatureLeaf[] {
  if (pubkey.algo !== 'multisig') return [{ path: [], pubkey, mode: modeInfo?.single?.mode, signature }];
  try {
    return signatureLeaves(pubkey, modeInfo, signature);
  } catch {
    return memberAlgos(pubkey).map((algo) => ({ path: [], pubkey: { algo, key: new Uint8Array() }, mode: undefined, signature }));
  }
}

/** The governance-set gas for one signature check by a key of type `algo`. */
export function sigVerifyCost(params: Params, algo: KeyAlgo): bigint {
  if (algo === 'ml-dsa-44') return params.sigVerifyCostMlDsa44;
  if (algo === 'ml-dsa-65') return params.sigVerifyCostMlDsa65;
  return params.sigVerifyCostSecp256k1;
}
