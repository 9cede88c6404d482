import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Module } from '../../app/types/module.js';
import type { AccountKeeperForTokens } from './expected-keepers.js';
import { tokensGenesis } from './genesis.js';
import { tokensInvariants } from './invariants.js';
import { type ModulePermission, TokensKeeper } from './keeper.js';
import { MODULE_NAME } from './keys.js';
import { tokensMsgs } from './msgs.js';
import { tokensQueries } from './queries.js';

export interface TokensModuleOptions {
  config: ChainConfig;
  accounts: AccountKeeperForTokens;
  /** Module accounts that may not receive via Send/MultiSend/module→account. See DEFAULT_BLOCKED_MODULES. */
  blockedModules?: readonly string[];
  /** Mint/burn permissions per module account. See DEFAULT_MODULE_PERMISSIONS. */
  modulePermissions?: Readonly<Record<string, readonly ModulePermission[]>>;
}

/**
 * The tokens module (x/bank semantics). Its EndBlock sweeps the block's collected fees into the
 * fee_collector account, so it should run after every other module that may call collectFee or
 * read fees in EndBlock, and before any BeginBlock consumer of fee_collector's balance.
 */
export function createTokensModule(options: TokensModuleOptions): { module: Module; keeper: TokensKeeper } {
  const keeper = new TokensKeeper(options);
  const module: Module = {
    name: MODULE_NAME,
    storeKey: keeper.storeKey,
    msgs: tokensMsgs(keeper, options.config),
    queries: tokensQueries(keeper, options.config),
    genesis: tokensGenesis(keeper, options.accounts, options.config),
    endBlock: (ctx) => keeper.sweepFees(ctx),
    invariants: tokensInvariants(keeper),
  };
  return { module, keeper };
}
