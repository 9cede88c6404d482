import type { Coin } from '../../app/types/coins.js';

/**
 * Small sorted-coins arithmetic (the SDK's sdk.Coins Add / IsAllGTE) on decimal-string amounts.
 * Inputs are valid coin lists (sorted, unique denoms); outputs are sorted and drop zero amounts.
 */
export function addCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const sums = new Map<string, bigint>();
  for (const c of [...a, ...b]) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
  return fromMap(sums);
}

/** a − b; throws when some denom would go negative (a bookkeeping bug, never user input). */
export function subCoins(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const sums = new Map<string, bigint>();
  for (const c of a) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
  for (const c of b) {
    const next = (sums.get(c.denom) ?? 0n) - BigInt(c.amount);
    if (next < 0n) throw new Error(`negative coin amount for ${c.denom}`);
    sums.set(c.denom, next);
  }
  return fromMap(sums);
}

export function amountOf(coins: readonly Coin[], denom: string): bigint {
  const hit = coins.find((c) => c.denom === denom);
  return hit ? BigInt(hit.amount) : 0n;
}

/** True when `coins` holds at least each coin of `min` (sdk.Coins.IsAllGTE). */
export function isAllGTE(coins: readonly Coin[], min: readonly Coin[]): boolean {
  return min.every((m) => amountOf(coins, m.denom) >= BigInt(m.amount));
}

export function coinsEqual(a: readonly Coin[], b: readonly Coin[]): boolean {
  const x = normalize(a);
  const y = normalize(b);
  return x.length === y.length && x.every((c, i) => c.denom === y[i]!.denom && c.amount === y[i]!.amount);
}

export function normalize(coins: readonly Coin[]): Coin[] {
  return addCoins(coins, []);
}

function fromMap(sums: Map<string, bigint>): Coin[] {
  return [...sums.entries()]
    .filter(([, amount]) => amount !== 0n)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([denom, amount]) => ({ denom, amount: amount.toString() }));
}
