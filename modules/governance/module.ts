import type { Module } from '../../app/types/module.js';
import { governanceGenesis } from './genesis.js';
import { GovernanceKeeper, type GovernanceKeeperOptions } from './keeper.js';
import { governanceMsgs } from './msgs.js';
import { governanceQueries } from './queries.js';

export type CreateGovernanceModuleOptions = GovernanceKeeperOptions;

/**
 * The governance module: a token-weighted DAO whose proposals are lists of Msgs executed by the
 * governance module account (x/gov v1 semantics; voting power = govDenom balance at tally time).
 *
 * Wiring: run its endBlock after the tokens module's (so fee/virtual balances are settled before
 * a tally reads balances); the router must resolve every Msg type proposals may carry; the
 * governance account needs the Burner permission and must be a blocked (non-receiving) address;
 * the treasury account must exist and may receive.
 */
export function createGovernanceModule(options: CreateGovernanceModuleOptions): { module: Module; keeper: GovernanceKeeper } {
  const keeper = new GovernanceKeeper(options);
  const module: Module = {
    name: keeper.moduleName,
    storeKey: keeper.storeKey,
    msgs: governanceMsgs(keeper),
    queries: governanceQueries(keeper),
    genesis: governanceGenesis(keeper),
    endBlock: (ctx) => keeper.endBlock(ctx),
    invariants: [{ name: 'governance/deposits-escrow', check: (ctx) => keeper.checkDepositsInvariant(ctx) }],
  };
  return { module, keeper };
}

export { GovernanceKeeper } from './keeper.js';
export { TYPE_URLS } from './msgs.js';
