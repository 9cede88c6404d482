import { ErrInvalidCoins } from './errors.js';

/** A coin as protobuf carries it (cosmjs-types `Coin`): amount is a decimal string. */
export interface Coin {
  denom: string;
  amount: string;
}

/** Denoms as the SDK allows them: 3–128 chars, a letter first, then letters, digits, / : . _ - */
const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^(0|[1-9][0-9]{0,76})$/;

export function isValidDenom(denom: string): boolean {
  return DENOM.test(denom);
}

export function validateDenom(denom: string): void {
  if (!isValidDenom(denom)) throw ErrInvalidCoins.wrap(`invalid denom "${denom}"`);
}

export function parseAmount(amount: string, what = 'amount'): bigint {
  if (!AMOUNT.test(amount)) throw ErrInvalidCoins.wrap(`${what} "${amount}" is not a non-negative integer`);
  return BigInt(amount);
}

/**
 * Checks a coin list as the SDK's `Coins.Validate`: valid denoms, sorted, no duplicates, and
 * (unless `allowZero`) positive amounts.
 */
export function validateCoins(coins: readonly Coin[], { allowZero = false } = {}): void {
  let previous: string | undefined;
  for (const coin of coins) {
    validateDenom(coin.denom);
    const amount = parseAmount(coin.amount, `amount of ${coin.denom}`);
    if (!allowZero && amount === 0n) throw ErrInvalidCoins.wrap(`coin ${coin.amount}${coin.denom} must be positive`);
    if (previous !== undefined && coin.denom <= previous) {
      throw ErrInvalidCoins.wrap(`denoms must be sorted and unique: "${previous}" then "${coin.denom}"`);
    }
    previous = coin.denom;
  }
}

/** The SDK's `Coins.String()`: "10atom,5udrug", sorted by denom. */
export function coinsToString(coins: readonly Coin[]): string {
  return [...coins]
    .sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0))
    .map((c) => `${c.amount}${c.denom}`)
    .join(',');
}

/** Parses "10atom,5udrug" (as the CLI takes amounts) into sorted coins. */
export function parseCoins(text: string): Coin[] {
  if (text.trim() === '') return [];
  const coins = text.split(',').map((part) => {
    const match = /^\s*([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})\s*$/.exec(part);
    if (!match) throw ErrInvalidCoins.wrap(`"${part}" is not a coin like 1000upara`);
    return { denom: match[2]!, amount: BigInt(match[1]!).toString() };
  });
  coins.sort((a, b) => (a.denom < b.denom ? -1 : 1));
  validateCoins(coins);
  return coins;
}
