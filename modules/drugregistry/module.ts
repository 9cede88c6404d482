/**
 * The drugregistry module: GS1-identified, serialized drug units with single custody, two-phase
 * shipments, aggregation, recalls derived at read time, suspect-product quarantine.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Module } from '../../app/types/module.js';
import { drugRegistryGenesis } from './genesis.js';
import { makeInvariants } from './invariants.js';
import { DrugRegistryKeeper } from './keeper.js';
import { MODULE_NAME, STORE_KEY } from './keys.js';
import { drugRegistryMsgs } from './msgs.js';
import { drugRegistryQueries } from './queries.js';

export interface DrugRegistryModuleOptions {
  config: ChainConfig;
  /** Defaults to the governance authority, `governanceAuthority(config)`. */
  authority?: string;
}

export function createDrugRegistryModule({ config, authority }: DrugRegistryModuleOptions): {
  module: Module;
  keeper: DrugRegistryKeeper;
} {
  const keeper = new DrugRegistryKeeper(STORE_KEY, authority ?? governanceAuthority(config), config.addresses);
  const module: Module = {
    name: MODULE_NAME,
    storeKey: STORE_KEY,
    msgs: drugRegistryMsgs(keeper),
    queries: drugRegistryQueries(keeper),
    genesis: drugRegistryGenesis(keeper),
    invariants: makeInvariants(STORE_KEY),
  };
  return { module, keeper };
}
