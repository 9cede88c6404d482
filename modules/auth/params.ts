import type { Params as CosmosParams } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { isValidDenom } from '../../app/types/coins.js';
import type { Params } from '../../generated/parazone/auth/v1/auth.js';
import { ErrInvalidParams } from './errors.js';

export type { Params };

/**
 * ML-DSA verification gas: sig_verify_cost_secp256k1 (1000) times the measured ratio of verify
 * times in CPU time (npm run bench:pq, bench/results/pq.json), rounded up to a thousand: an
 * ML-DSA-44 check costs ~34x a secp256k1 one, an ML-DSA-65 check ~52x (pure JS against native).
 */
const SIG_VERIFY_COST_ML_DSA_44 = 34_000n;
const SIG_VERIFY_COST_ML_DSA_65 = 52_000n;

/** The Cosmos SDK's x/auth defaults (x/auth/types/params.go) plus a 0.025 minimum gas price and the ML-DSA costs. */
export function defaultParams(feeDenom = 'upara'): Params {
  return {
    maxMemoCharacters: 256n,
    txSigLimit: 7n,
    txSizeCostPerByte: 10n,
    sigVerifyCostEd25519: 590n,
    sigVerifyCostSecp256k1: 1000n,
    minGasPrice: '0.025',
    minGasPriceDenom: feeDenom,
    sigVerifyCostMlDsa44: SIG_VERIFY_COST_ML_DSA_44,
    sigVerifyCostMlDsa65: SIG_VERIFY_COST_ML_DSA_65,
  };
}

/**
 * A params record stored before the ML-DSA costs existed decodes them as 0, which would make
 * ML-DSA checks free. validateParams refuses 0 in every record written (genesis, governance), so
 * a 0 here can only mean "absent": read it as the default cost.
 */
export function withMlDsaCostDefaults(params: Params): Params {
  if (params.sigVerifyCostMlDsa44 > 0n && params.sigVerifyCostMlDsa65 > 0n) return params;
  return {
    ...params,
    sigVerifyCostMlDsa44: params.sigVerifyCostMlDsa44 > 0n ? params.sigVerifyCostMlDsa44 : SIG_VERIFY_COST_ML_DSA_44,
    sigVerifyCostMlDsa65: params.sigVerifyCostMlDsa65 > 0n ? params.sigVerifyCostMlDsa65 : SIG_VERIFY_COST_ML_DSA_65,
  };
}

/**
 * Upper bounds that keep gas arithmetic in safe integers: gas is counted in JS numbers, and
 * 1 MiB × tx_size_cost_per_byte must stay far below 2^53.
 */
const MAX_COST = 1_000_000_000n;
const MAX_MEMO = 1_000_000n;
const MAX_SIG_LIMIT = 128n;

/** A non-negative decimal with at most 18 fractional digits ("0.025", "1", "0"); no sign, exponent or spaces. */
const DECIMAL = /^(0|[1-9][0-9]{0,59})(?:\.([0-9]{1,18}))?$/;

/** Checks params as the SDK's `Params.Validate` (every cost positive) plus the gas price; throws ErrInvalidParams. */
export function validateParams(params: Params): void {
  const positive = (name: string, value: bigint, max: bigint) => {
    if (typeof value !== 'bigint' || value <= 0n) throw ErrInvalidParams.wrap(`${name} must be positive, got ${String(value)}`);
    if (value > max) throw ErrInvalidParams.wrap(`${name} must be at most ${max}, got ${value}`);
  };
  positive('max_memo_characters', params.maxMemoCharacters, MAX_MEMO);
  positive('tx_sig_limit', params.txSigLimit, MAX_SIG_LIMIT);
  positive('tx_size_cost_per_byte', params.txSizeCostPerByte, MAX_COST);
  positive('sig_verify_cost_ed25519', params.sigVerifyCostEd25519, MAX_COST);
  positive('sig_verify_cost_secp256k1', params.sigVerifyCostSecp256k1, MAX_COST);
  positive('sig_verify_cost_ml_dsa_44', params.sigVerifyCostMlDsa44, MAX_COST);
  positive('sig_verify_cost_ml_dsa_65', params.sigVerifyCostMlDsa65, MAX_COST);
  const price = parseGasPrice(params.minGasPrice);
  // The denom may be empty only when fees are off (price 0).
  if ((price.numerator > 0n || params.minGasPriceDenom !== '') && !isValidDenom(params.minGasPriceDenom)) {
    throw ErrInvalidParams.wrap(`min_gas_price_denom "${params.minGasPriceDenom}" is not a valid denom`);
  }
}

/** A decimal gas price as an exact fraction numerator / 10^decimals. */
export interface GasPrice {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export function parseGasPrice(text: string): GasPrice {
  const match = typeof text === 'string' ? DECIMAL.exec(text) : null;
  if (!match) {
    throw ErrInvalidParams.wrap(`min_gas_price "${String(text)}" must be a non-negative decimal with at most 18 decimals, like "0.025"`);
  }
  const fraction = match[2] ?? '';
  return { numerator: BigInt(match[1]! + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/** The last price parsed: every tx's fee check reads the same governance-set text. */
let lastGasPrice: { readonly text: string; readonly price: GasPrice } | undefined;

function gasPriceOf(text: string): GasPrice {
  if (lastGasPrice?.text !== text) lastGasPrice = { text, price: parseGasPrice(text) };
  return lastGasPrice.price;
}

/** The fee a tx with `gasLimit` must pay: ceil(min_gas_price × gas_limit), in exact integer math. */
export function requiredFee(params: Params, gasLimit: bigint): bigint {
  const { numerator, denominator } = gasPriceOf(params.minGasPrice);
  const product = numerator * gasLimit;
  return (product + denominator - 1n) / denominator;
}

/** The cosmos.auth.v1beta1.Params view answered to `/cosmos.auth.v1beta1.Query/Params`. */
export function toCosmosParams(params: Params): CosmosParams {
  return {
    maxMemoCharacters: params.maxMemoCharacters,
    txSigLimit: params.txSigLimit,
    txSizeCostPerByte: params.txSizeCostPerByte,
    sigVerifyCostEd25519: params.sigVerifyCostEd25519,
    sigVerifyCostSecp256k1: params.sigVerifyCostSecp256k1,
  };
}
