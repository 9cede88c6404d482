import type { DecodedTx } from '../../../app/baseapp/tx-types.js';
import { coinsToString, validateCoins, type Coin } from '../../../app/types/coins.js';
import type { Context } from '../../../app/types/context.js';
import { ChainError, ErrInsufficientFee, ErrInvalidRequest, ErrUnknownAddress } from '../../../app/types/errors.js';
import type { FeeCollector } from '../expected-keepers.js';
import type { AuthKeeper } from '../keeper.js';
import { requiredFee, type Params } from '../params.js';

/**
 * DeductFeeDecorator: the fee must be valid coins and at least ceil(min_gas_price × gas_limit) of
 * the fee denom (every mode but simulate — the price is a consensus param here, not a node
 * setting); the first signer pays it to the fee collector. Emits `tx{fee, fee_payer}`.
 */
export function deductFee(
  ctx: Context,
  tx: DecodedTx,
  params: Params,
  gasLimit: bigint,
  simulate: boolean,
  accounts: AuthKeeper,
  fees: FeeCollector,
): void {
  const fee = tx.authInfo.fee;
  const amount: Coin[] = (fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount }));
  const payer = tx.signers[0]!;
  if (fee?.granter) throw ErrInvalidRequest.wrap(`fee grants are not supported (granter ${fee.granter})`);
  if (fee?.payer && fee.payer !== payer) {
    throw ErrInvalidRequest.wrap(`fee payer ${fee.payer} must be the tx's first signer ${payer}`);
  }
  if (tx.authInfo.tip) throw ErrInvalidRequest.wrap('tips are not supported');
  try {
    // Zero coins are tolerated (cosmjs's calculateFee writes "0upara" at gas price 0) and dropped.
    validateCoins(amount, { allowZero: true });
  } catch (err) {
    throw ErrInsufficientFee.wrap(`invalid fee amount ${coinsToString(amount)}: ${(err as ChainError).message}`);
  }

  if (!simulate) {
    const required = requiredFee(params, gasLimit);
    if (required > 0n) {
      const paid = BigInt(amount.find((c) => c.denom === params.minGasPriceDenom)?.amount ?? '0');
      if (paid < required) {
        const got = amount.length ? coinsToString(amount) : '0' + params.minGasPriceDenom;
        throw ErrInsufficientFee.wrap(`insufficient fees; got: ${got} required: ${required}${params.minGasPriceDenom}`);
      }
    }
  }

  if (!accounts.hasAccount(ctx, payer)) throw ErrUnknownAddress.wrap(`fee payer address: ${payer} does not exist`);
  const toCollect = amount.filter((c) => c.amount !== '0');
  if (toCollect.length > 0) fees.collectFee(ctx, payer, toCollect);
  ctx.events.emit('tx', { fee: coinsToString(amount), fee_payer: payer });
}
