/**
 * The ibc module: 07-tendermint light clients of other zones, IBC v2 packets at ibc-go v10's key
 * paths, and two applications — ICS-20 fungible transfer and cross-zone drug custody.
 *
 * Wiring (app/app.ts): the module account `ibc` needs the `minter` and `burner` permissions (ICS-20
 * vouchers), both in auth's moduleAccounts and in the tokens keeper's modulePermissions; list
 * `ibc` among the blocked modules so users cannot send to it. Genesis after auth/tokens.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Module } from '../../app/types/module.js';
import type { BankKeeper, DrugCustodyKeeper } from './expected-keepers.js';
import { ibcGenesis } from './genesis.js';
import { IbcKeeper } from './keeper.js';
import { MODULE_NAME, STORE_KEY } from './keys.js';
import { ibcMsgs } from './msgs.js';
import { ibcQueries } from './queries.js';

export interface IbcModuleOptions {
  readonly config: ChainConfig;
  readonly bank: BankKeeper;
  /** The drug registry keeper; omit on a chain without it (no drugcustody port). */
  readonly drugs?: DrugCustodyKeeper;
  /** Defaults to the governance module account. */
  readonly authority?: string;
}

export function createIbcModule(options: IbcModuleOptions): { module: Module; keeper: IbcKeeper } {
  const keeper = new IbcKeeper({
    storeKey: STORE_KEY,
    moduleName: MODULE_NAME,
    addresses: options.config.addresses,
    bank: options.bank,
    drugs: options.drugs,
    authority: options.authority ?? governanceAuthority(options.config),
  });
  const module: Module = {
    name: MODULE_NAME,
    storeKey: STORE_KEY,
    msgs: ibcMsgs(keeper, options.config.addresses),
    queries: ibcQueries(keeper),
    genesis: ibcGenesis(keeper),
    invariants: [{ name: 'ibc/transfer-escrow-covered', check: (ctx) => keeper.transfer.escrowShortfall(ctx) }],
  };
  return { module, keeper };
}
