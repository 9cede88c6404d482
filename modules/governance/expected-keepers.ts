import type { Coin } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import type { MsgHandler } from '../../app/types/module.js';

/**
 * What governance needs from the tokens module (a subset of modules/tokens TokensKeeper).
 * The governance module account escrows deposits (needs the Burner permission: vetoed / canceled
 * deposits are burned from it); the treasury module account is spent by MsgSpendTreasury.
 */
export interface BankKeeper {
  getBalance(ctx: Context, address: string, denom: string): bigint;
  getAllBalances(ctx: Context, address: string): Coin[];
  getSupply(ctx: Context, denom: string): bigint;
  sendCoinsFromAccountToModule(ctx: Context, from: string, moduleName: string, coins: Coin[]): void;
  sendCoinsFromModuleToAccount(ctx: Context, moduleName: string, to: string, coins: Coin[]): void;
  burnCoins(ctx: Context, moduleName: string, coins: Coin[]): void;
}

/**
 * Finds the handler of a Msg type URL: the app's message router (the same one transactions use).
 * Proposal messages are decoded, checked and executed through it.
 */
export interface MsgRouter {
  handler(typeUrl: string): MsgHandler | undefined;
}
