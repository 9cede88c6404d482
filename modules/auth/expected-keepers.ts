import type { Coin } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';

/**
 * What the ante handler needs from the tokens module: take the fee from the payer into the fee
 * collector. Must throw ErrInsufficientFunds (sdk code 5) when the payer cannot pay.
 */
export interface FeeCollector {
  collectFee(ctx: Context, payer: string, fee: Coin[]): void;
}
