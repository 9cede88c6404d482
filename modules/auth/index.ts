/** Public surface of the auth module (accounts, params, ante handler). */
export { createAuthModule } from './module.js';
export {
  AuthKeeper,
  BASE_ACCOUNT_TYPE_URL,
  MODULE_ACCOUNT_TYPE_URL,
  ML_DSA_PUBKEY_TYPE_URL,
  SECP256K1_PUBKEY_TYPE_URL,
  decodeStoredAccount,
  pubKeyFromAny,
  pubKeyToAny,
  type AuthKeeperOptions,
  type ModuleAccountSpec,
  type StoredAccount,
} from './keeper.js';
export { createAnteHandler, type AnteOptions } from './ante/ante.js';
export { SIMULATED_SIGNATURE_BYTES } from './ante/basic.js';
export type { FeeCollector } from './expected-keepers.js';
export { defaultParams, validateParams, requiredFee, parseGasPrice, toCosmosParams, type Params } from './params.js';
export { MSG_UPDATE_PARAMS_TYPE_URL } from './msgs.js';
export { MODULE_NAME as AUTH_MODULE_NAME, STORE_KEY as AUTH_STORE_KEY } from './keys.js';
export { isAccountNumberPending, NEW_ACCOUNTS_PER_TX, UNASSIGNED_ACCOUNT_NUMBER } from './account-numbers.js';
export * from './errors.js';
