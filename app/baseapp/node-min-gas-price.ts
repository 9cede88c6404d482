import { ErrInsufficientFee } from '../types/errors.js';
import type { DecodedTx } from './tx-types.js';

/**
 * A validator's own floor on gas prices for its mempool (app.toml `[mempool] min_gas_price`, like
 * the SDK's `minimum-gas-prices`): checked in CheckTx only, never in blocks, so validators may
 * differ without breaking consensus. The chain-wide minimum is the auth module's param.
 */
export interface NodeMinGasPrice {
  /** Decimal price per gas unit, e.g. "0.05". */
  readonly price: string;
  readonly denom: string;
}

const DECIMAL = /^(\d+)(?:\.(\d{1,18}))?$/;

export function parseNodeMinGasPrice(text: string): NodeMinGasPrice | undefined {
  if (text.trim() === '') return undefined;
  const match = /^(\d+(?:\.\d{1,18})?)([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(text.trim());
  if (!match) throw new Error(`min gas price "${text}" must look like 0.025upara`);
  return { price: match[1]!, denom: match[2]! };
}

/** Throws ErrInsufficientFee when the tx's fee in `min.denom` is below ceil(price × gas limit). */
export function checkNodeMinGasPrice(tx: DecodedTx, min: NodeMinGasPrice): void {
  const [, whole, fraction = ''] = DECIMAL.exec(min.price)!;
  const gasLimit = tx.authInfo.fee?.gasLimit ?? 0n;
  const scale = 10n ** BigInt(fraction.length);
  const required = (BigInt(whole! + fraction) * gasLimit + scale - 1n) / scale;
  const offered = (tx.authInfo.fee?.amount ?? []).filter((c) => c.denom === min.denom).reduce((sum, c) => sum + BigInt(c.amount), 0n);
  if (offered < required) {
    throw ErrInsufficientFee.wrap(
      `this node requires at least ${required}${min.denom} for ${gasLimit} gas (its minimum gas price ${min.price}${min.denom}), got ${offered}${min.denom}`,
    );
  }
}
