import type { Module } from '../../app/types/module.js';
import { authGenesis } from './genesis.js';
import { AuthKeeper, type AuthKeeperOptions } from './keeper.js';
import { MODULE_NAME } from './keys.js';
import { authMsgs } from './msgs.js';
import { authQueries } from './queries.js';

/**
 * The auth module: accounts (numbers, sequences, public keys), module accounts, the tx
 * params the ante handler enforces (memo, signatures, gas costs, minimum gas price).
 * The ante handler itself is built separately (ante/ante.ts) since it also needs the fee keeper.
 *
 * Wiring: run its endBlock first, so the accounts the block's txs created have their numbers
 * before any other EndBlocker reads or creates accounts (account-numbers.ts).
 */
export function createAuthModule(options: AuthKeeperOptions): { module: Module; keeper: AuthKeeper } {
  const keeper = new AuthKeeper(options);
  const module: Module = {
    name: MODULE_NAME,
    storeKey: keeper.storeKey,
    msgs: authMsgs(keeper),
    queries: authQueries(keeper),
    genesis: authGenesis(keeper),
    endBlock: (ctx) => keeper.numberNewAccounts(ctx),
  };
  return { module, keeper };
}
