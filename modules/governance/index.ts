/** Public surface of the governance module. */
export { createGovernanceModule, type CreateGovernanceModuleOptions } from './module.js';
export {
  GovernanceKeeper,
  TREASURY_MODULE,
  DEFAULT_NON_VOTING_MODULES,
  type GovernanceKeeperOptions,
  type SubmitProposalInput,
} from './keeper.js';
export type { BankKeeper, MsgRouter } from './expected-keepers.js';
export { TYPE_URLS as GovernanceTypeUrls, governanceMsgs } from './msgs.js';
export { QUERY_PREFIX as GOVERNANCE_QUERY_PREFIX } from './queries.js';
export { defaultParams, patchParams, validateParams } from './params.js';
export { MODULE_NAME as GOVERNANCE_MODULE_NAME, STORE_KEY as GOVERNANCE_STORE_KEY } from './keys.js';
export * from './errors.js';
export * as governanceEvents from './events.js';
