/**
 * The public API of the `parazone` package: what a chain builder imports to write a module and
 * compose a chain with it. Everything else under app/ is internal and may change shape.
 *
 *   import { composeChain, defineMsg, registerError, StoreKey, type Module } from 'parazone';
 *   import { createTokensModule } from 'parazone/modules/tokens';
 *   import { runCli } from 'parazone/cli';
 */

// The module contract and what handlers work with.
export {
  defineMsg,
  defineQuery,
  msgResponseTypeUrl,
  type GenesisHandler,
  type Invariant,
  type Module,
  type MsgHandler,
  type ProtoType,
  type QueryHandler,
} from './types/module.js';
export { Context, type BlockHeader, type ContextBranch, type ExecMode } from './types/context.js';
export { StoreKey, type KVPair, type KVReader, type KVStore } from './store/types.js';
export { EventManager, makeEvent, type AttributeInput, type Event, type EventAttribute } from './types/events.js';
export { makeChainConfig, type ChainConfig } from './types/chain-config.js';
export { AddressCodec } from './types/address.js';
export { GOVERNANCE_ACCOUNT, governanceAuthority } from './types/authority.js';
export { coinsToString, isValidDenom, parseCoins, validateCoins, validateDenom, type Coin } from './types/coins.js';
export { DEFAULT_PAGE_LIMIT, paginate, type Page } from './types/pagination.js';

// Errors: registered chain errors in handlers, BaseError for everything off chain.
export * from './types/errors.js';
export { BaseError, type BaseErrorOptions } from './types/base-error.js';

// Composing a chain and running it.
export { composeChain, type ChainSpec, type ComposedChain, type CoreKeepers, type ModuleFactory } from './app.js';
export { buildCli, runCli } from './cli/cli.js';
