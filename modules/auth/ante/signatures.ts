import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import { verifySecp256k1 } from '../../../app/crypto/secp256k1.js';
import { makeSignDocBytes } from '../../../app/crypto/sign-doc.js';
import { signatureCacheKey, type SignatureCache } from '../../../app/crypto/signature-cache.js';
import { bytesEqual } from '../../../app/store/bytes.js';
import { secp256k1PubKeyToAddressBytes } from '../../../app/types/address.js';
import type { Context } from '../../../app/types/context.js';
import { ErrInvalidPubKey, ErrUnauthorized, ErrUnknownAddress, ErrWrongSequence } from '../../../app/types/errors.js';
import { pubKeyFromAny, type AuthKeeper } from '../keeper.js';
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
 *  - sig_verify_cost_secp256k1 gas is charged — in simulate too;
 *  - the signature must verify over SignDoc(body_bytes, auth_info_bytes, ctx.chainId, account
 *    number), SIGN_MODE_DIRECT only (ErrUnauthorized); skipped in simulate and recheck;
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
    if (txKey && !bytesEqual(secp256k1PubKeyToAddressBytes(txKey), addresses.decode(signer))) {
      throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signer} with signer index: ${i}`);
    }
    const pubkey = txKey ?? storedKey;
    if (!pubkey && !simulate) throw ErrInvalidPubKey.wrap(`pubkey on account ${signer} is not set; include it in signer_infos[${i}]`);

    ctx.events.emit('tx', { acc_seq: `${signer}/${info.sequence}` });
    ctx.events.emit('tx', { signature: Buffer.from(signature).toString('base64') });

    if (info.sequence !== account.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${account.sequence}, got ${info.sequence}`);
    }

    ctx.gas.consume(Number(params.sigVerifyCostSecp256k1), 'ante verify: secp256k1');

    if (verify) {
      const mode = info.modeInfo?.single?.mode;
      if (mode !== SignMode.SIGN_MODE_DIRECT) {
        const what = info.modeInfo?.multi ? 'multisig' : `sign mode ${mode ?? 'unset'}`;
        throw ErrUnauthorized.wrap(`signer ${i}: ${what} is not supported; sign with SIGN_MODE_DIRECT`);
      }
      const cacheKey = cache ? signatureCacheKey(tx.hash, i, account.accountNumber, ctx.chainId) : '';
      if (!cache || !cache.has(cacheKey)) {
        const signDoc = makeSignDocBytes(tx.raw.bodyBytes, tx.raw.authInfoBytes, ctx.chainId, account.accountNumber);
        if (!verifySecp256k1(pubkey!, signDoc, signature)) {
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
