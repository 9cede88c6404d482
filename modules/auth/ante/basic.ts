import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import { countSubKeys, memberAlgos, pubKeyFromAny, signatureLength, type AccountPubKey } from '../../../app/crypto/account-keys.js';
import type { Context } from '../../../app/types/context.js';
import { ErrInvalidGasLimit, ErrMemoTooLarge, ErrTooManySignatures, ErrTxTimeout, ErrTxTimeoutHeight } from '../../../app/types/errors.js';
import { timestampToDate } from '../../../app/types/timestamp.js';
import type { Params } from '../params.js';

/**
 * Bytes the SDK charges per missing signature in simulate (x/auth/ante/basic.go
 * ConsumeTxSizeGasDecorator): the amino encoding of StdSignature{PubKey: 33-byte secp256k1 key,
 * Signature: 64 zero bytes} = field 1 (2 + 4-byte amino prefix + 1 + 33) + field 2 (2 + 64) = 106.
 */
export const SIMULATED_SIGNATURE_BYTES = 106;

/**
 * What an empty signature slot will hold once signed: the secp256k1 figure above, or an ML-DSA
 * signature and its 3-byte field header; for a multisig, that of every member (all may sign).
 */
function simulatedSignatureBytes(tx: DecodedTx, index: number): number {
  const pubkey = signerInfoKey(tx, index);
  const algos = pubkey ? memberAlgos(pubkey) : ['secp256k1' as const];
  return algos.reduce((sum, algo) => sum + (algo === 'secp256k1' ? SIMULATED_SIGNATURE_BYTES : signatureLength(algo) + 3), 0);
}

function signerInfoKey(tx: DecodedTx, index: number): AccountPubKey | undefined {
  try {
    return pubKeyFromAny(tx.authInfo.signerInfos[index]?.publicKey);
  } catch {
    return undefined; // the signer checks reject it with its reason
  }
}

/** ValidateMemoDecorator: the memo's UTF-8 length (Go's len) must not exceed max_memo_characters. */
export function validateMemo(tx: DecodedTx, params: Params): void {
  const length = Buffer.byteLength(tx.body.memo, 'utf8');
  if (BigInt(length) > params.maxMemoCharacters) {
    throw ErrMemoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${length} characters`);
  }
}

/** TxTimeoutHeightDecorator: a tx may not land above its timeout height, nor after its timeout timestamp. */
export function checkTimeouts(ctx: Context, tx: DecodedTx): void {
  const timeoutHeight = tx.body.timeoutHeight;
  if (timeoutHeight > 0n && BigInt(ctx.height) > timeoutHeight) {
    throw ErrTxTimeoutHeight.wrap(`block height: ${ctx.height}, timeout height: ${timeoutHeight}`);
  }
  const ts = tx.body.timeoutTimestamp;
  if (ts && (ts.seconds !== 0n || ts.nanos !== 0)) {
    const timeoutNanos = ts.seconds * 1_000_000_000n + BigInt(ts.nanos);
    const blockNanos = BigInt(ctx.time.getTime()) * 1_000_000n;
    if (blockNanos > timeoutNanos) {
      throw ErrTxTimeout.wrap(`block time: ${ctx.time.toISOString()}, timeout timestamp: ${timestampToDate(ts).toISOString()}`);
    }
  }
}

/**
 * ValidateSigCountDecorator: at most tx_sig_limit keys among the SignerInfo keys, a multisig
 * counting each of its members (CountSubKeys); a signer without one counts one here, and its
 * stored key is counted again when the signer checks read it.
 */
export function checkSignatureCount(tx: DecodedTx, params: Params): void {
  let count = 0;
  for (let i = 0; i < tx.authInfo.signerInfos.length; i++) {
    const pubkey = signerInfoKey(tx, i);
    count += pubkey ? countSubKeys(pubkey) : 1;
  }
  if (BigInt(count) > params.txSigLimit) {
    throw ErrTooManySignatures.wrap(`signatures: ${count}, limit: ${params.txSigLimit}`);
  }
}

/**
 * The gas limit must be positive (except in simulate, where cosmjs sends 0 and gas is unmetered)
 * and fit the safe-integer gas meter.
 */
export function checkGasLimit(tx: DecodedTx, simulate: boolean): bigint {
  const gasLimit = tx.authInfo.fee?.gasLimit ?? 0n;
  if (gasLimit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw ErrInvalidGasLimit.wrap(`gas limit ${gasLimit} is above the maximum ${Number.MAX_SAFE_INTEGER}`);
  }
  if (!simulate && gasLimit === 0n) throw ErrInvalidGasLimit.wrap('gas limit must be positive; set fee.gas_limit');
  return gasLimit;
}

/**
 * ConsumeTxSizeGasDecorator: tx_size_cost_per_byte × tx bytes; in simulate also the size of each
 * signature the client left empty, so the estimate covers the real, signed tx.
 */
export function consumeTxSizeGas(ctx: Context, tx: DecodedTx, params: Params, simulate: boolean): void {
  const perByte = Number(params.txSizeCostPerByte);
  ctx.gas.consume(perByte * tx.bytes.length, 'txSize');
  if (!simulate) return;
  for (let i = 0; i < tx.signers.length; i++) {
    const signature = tx.raw.signatures[i];
    if (signature === undefined || signature.length === 0) ctx.gas.consume(perByte * simulatedSignatureBytes(tx, i), 'txSize');
  }
}
