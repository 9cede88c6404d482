/** Public surface of the tokens module. */
export { createTokensModule, type TokensModuleOptions } from './module.js';
export {
  TokensKeeper,
  DEFAULT_BLOCKED_MODULES,
  DEFAULT_MODULE_PERMISSIONS,
  addCoinLists,
  type ModulePermission,
  type TokensKeeperOptions,
} from './keeper.js';
export type { AccountKeeperForTokens } from './expected-keepers.js';
export { FEE_COLLECTOR, MODULE_NAME as TOKENS_MODULE_NAME, STORE_KEY as TOKENS_STORE_KEY } from './keys.js';
export { TypeUrls as TokensTypeUrls } from './msgs.js';
export * from './errors.js';
export { exportGenesisState, validateGenesis } from './genesis.js';
export { validateMetadata } from './metadata.js';
export { defaultParams } from './params.js';
