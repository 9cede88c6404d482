import { ErrInvalidRequest } from '../../app/types/errors.js';

/**
 * Decimals as the SDK's LegacyDec: 18 fractional digits, held here as a bigint scaled by 10^18.
 * State and tally math never touch floating point; ratios are compared by cross-multiplication.
 */
export const PRECISION = 18;
export const ONE = 10n ** 18n;

const DECIMAL = /^(0|[1-9][0-9]*)(\.([0-9]{1,18}))?$/;

/** Parses "0.334" → 334000000000000000n. Rejects signs, exponents, ".5", "1." and >18 decimals. */
export function parseDec(text: string, what = 'decimal'): bigint {
  const match = DECIMAL.exec(text);
  if (!match) {
    throw ErrInvalidRequest.wrap(`${what} "${text}" is not a decimal like "0.5" (at most ${PRECISION} fractional digits)`);
  }
  const whole = BigInt(match[1]!);
  const frac = (match[3] ?? '').padEnd(PRECISION, '0');
  return whole * ONE + BigInt(frac);
}

export function isDec(text: string): boolean {
  return DECIMAL.test(text);
}

/** 334000000000000000n → "0.334" (shortest exact form). */
export function formatDec(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / ONE;
  const frac = (abs % ONE).toString().padStart(PRECISION, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** round(amount × dec) with the SDK's banker's rounding (LegacyDec.RoundInt). */
export function mulRoundBankers(amount: bigint, dec: bigint): bigint {
  const product = amount * dec;
  const quotient = product / ONE;
  const remainder = product % ONE;
  const twice = remainder * 2n;
  if (twice > ONE || (twice === ONE && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** floor(amount × dec) (LegacyDec.TruncateInt), for non-negative inputs. */
export function mulTruncate(amount: bigint, dec: bigint): bigint {
  return (amount * dec) / ONE;
}
