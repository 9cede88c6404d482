import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import { algoName, pubKeyAddressBytes, pubKeyFromAny, signatureLength, verifyDirect, type KeyAlgo } from '../../../app/crypto/account-keys.js';
import { makeAminoSignBytes } from '../../../app/crypto/amino-sign-doc.js';
import { makeSignDocBytes } from '../../../app/crypto/sign-doc.js';
import type { AminoJsonCodec } from '../../../app/codec/amino-json.js';
import { signatureCacheKey, type SignatureCache } from '../../../app/crypto/signature-cache.js';
import { bytesEqual } from '../../../app/store/bytes.js';
import type { Context } from '../../../app/types/context.js';
import { ErrInvalidPubKey, ErrUnauthorized, ErrUnknownAddress, ErrWrongSequence } from '../../../app/types/errors.js';
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
 *  - sig_verify_cost_<key type> gas is charged (secp256k1, ml_dsa_44, ml_dsa_65) — in simulate too;
 *  - the signature must have its key type's exact length and verify (ErrUnauthorized) over the
 *    sign bytes of its mode: SIGN_MODE_DIRECT's SignDoc(body_bytes, auth_info_bytes, ctx.chainId,
 *    account number), or SIGN_MODE_LEGACY_AMINO_JSON's StdSignDoc (app/crypto/amino-sign-doc.ts,
 *    with the account's number and sequence); any other mode, multisig included, is refused
 *    (ErrUnauthorized); skipped in simulate and recheck;
 *  - the sequence is incremented.
 * Emits `tx{acc_seq: "<addr>/<seq>"}` and `tx{signature: <base64>}` per signer, as the SDK does.
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
  tx.signers.forEach((signer, i) => {
    const info = tx.authInfo.signerInfos[i]!;
    const signature = tx.raw.signatures[i]!;
    const account = accounts.getAccount(ctx, signer);
    if (!account) throw ErrUnknownAddress.wrap(`account ${signer} does not exist; it must receive tokens before it can sign`);
    if (verify && accounts.isNumberPending(account)) {
      throw ErrAccountNumberPending.wrap(`account ${signer} was created in this block; it can sign once the block is committed and its account number is known`);
    }

    const storedKey = pubKeyFromAny(account.pubKey);
    const txKey = pubKeyFromAny(info.publicKey);
    if (txKey && !bytesEqual(pubKeyAddressBytes(txKey), addresses.decode(signer))) {
      throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signer} with signer index: ${i}`);
    }
    const pubkey = txKey ?? storedKey;
    if (!pubkey && !simulate) throw ErrInvalidPubKey.wrap(`pubkey on account ${signer} is not set; include it in signer_infos[${i}]`);

    ctx.events.emit('tx', { acc_seq: `${signer}/${info.sequence}` });
    // A view, not a copy: the event needs only the text.
    ctx.events.emit('tx', { signature: Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('base64') });

    if (info.sequence !== account.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`);
    }

    const algo: KeyAlgo = pubkey?.algo ?? 'secp256k1';
    ctx.gas.consume(Number(sigVerifyCost(params, algo)), `ante verify: ${algo}`);

    if (verify) {
      const mode = info.modeInfo?.single?.mode;
      const amino = mode === SignMode.SIGN_MODE_LEGACY_AMINO_JSON && aminoJson !== undefined;
      if (mode !== SignMode.SIGN_MODE_DIRECT && !amino) {
        const what = info.modeInfo?.multi ? 'multisig' : `sign mode ${mode ?? 'unset'}`;
        throw ErrUnauthorized.wrap(`signer ${i}: ${what} is not supported; sign with SIGN_MODE_DIRECT${aminoJson ? ' or SIGN_MODE_LEGACY_AMINO_JSON' : ''}`);
      }
      const cacheKey = cache ? signatureCacheKey(tx.hash, i, account.accountNumber, ctx.chainId) : '';
      if (signature.length !== signatureLength(algo)) {
        throw ErrUnauthorized.wrap(`signer ${i}: ${algoName(algo)} signature is ${signature.length} bytes, expected ${signatureLength(algo)}`);
      }
      if (!cache || !cache.has(cacheKey)) {
        const signBytes = amino
          ? makeAminoSignBytes(tx, aminoJson!(), ctx.chainId, account.accountNumber, account.sequence)
          : makeSignDocBytes(tx.raw.bodyBytes, tx.raw.authInfoBytes, ctx.chainId, account.accountNumber);
        if (!verifyDirect(pubkey!, signBytes, signature)) {
          throw ErrUnauthorized.wrap(
            `signature verification failed; please verify account number (${account.accountNumber}), sequence (${account.sequence}) and chain-id (${ctx.chainId})`,
          );
        }
        cache?.add(cacheKey);
      }
    }

    if (txKey && !storedKey) accounts.setPubKey(ctx, signer, txKey);
    accounts.incrementSequence(ctx, signer);
  });
}

/** The governance-set gas for one signature check by a key of type `algo`. */
export function sigVerifyCost(params: Params, algo: KeyAlgo): bigint {
  if (algo === 'ml-dsa-44') return params.sigVerifyCostMlDsa44;
  if (algo === 'ml-dsa-65') return params.sigVerifyCostMlDsa65;
  return params.sigVerifyCostSecp256k1;
}
