/**
 * Drives the real CometBFT binary (the pinned v0.38.x in `.tools/bin/cometbft`), one job per file:
 * the binary, a home and its config, genesis, the supervised process, RPC, and loopback ports.
 * Everything listens on 127.0.0.1 only. Used by the CLI (`parazone start`, localnet) and by tests.
 */
export * from './cometbft-binary.js';
export * from './cometbft-config.js';
export * from './cometbft-genesis.js';
export * from './cometbft-process.js';
export * from './cometbft-rpc.js';
export * from './ports.js';
