import type { Invariant } from '../../app/types/module.js';
import { addCoinLists, type TokensKeeper } from './keeper.js';

/**
 * x/bank's invariants. Total supply counts balances plus fees collected in this block and not yet
 * swept into fee_collector (see TokensKeeper.collectFee).
 */
export function tokensInvariants(keeper: TokensKeeper): Invariant[] {
  return [
    {
      name: 'tokens/nonnegative-outstanding',
      check(ctx) {
        const bad: string[] = [];
        keeper.iterateAllBalances(ctx, (address, coin) => {
          if (!/^[1-9][0-9]*$/.test(coin.amount)) bad.push(`${address} holds "${coin.amount}" ${coin.denom}`);
        });
        for (const coin of keeper.getAllSupply(ctx)) {
          if (!/^[1-9][0-9]*$/.test(coin.amount)) bad.push(`supply of ${coin.denom} is "${coin.amount}"`);
        }
        return bad.length === 0 ? undefined : `stored amounts must be positive integers: ${bad.join('; ')}`;
      },
    },
    {
      name: 'tokens/denom-owners-index',
      check(ctx) {
        const balances: string[] = [];
        keeper.iterateAllBalances(ctx, (address, coin) => balances.push(`${coin.denom} ${address}`));
        const index: string[] = [];
        keeper.iterateDenomOwnerIndex(ctx, (denom, address) => index.push(`${denom} ${address}`));
        balances.sort();
        index.sort();
        const same = balances.length === index.length && balances.every((b, i) => b === index[i]);
        return same ? undefined : `denom owner index (${index.length} entries) does not match non-zero balances (${balances.length})`;
      },
    },
    {
      name: 'tokens/total-supply',
      check(ctx) {
        let held = keeper.getPendingFees(ctx);
        keeper.iterateAllBalances(ctx, (_address, coin) => {
          held = addCoinLists(held, [coin]);
        });
        const supply = keeper.getAllSupply(ctx);
        const text = (coins: { denom: string; amount: string }[]) => coins.map((c) => `${c.amount}${c.denom}`).join(',');
        if (text(held) !== text(supply)) {
          return `total supply ${text(supply) || '(none)'} != balances + pending fees ${text(held) || '(none)'}`;
        }
        return undefined;
      },
    },
  ];
}
