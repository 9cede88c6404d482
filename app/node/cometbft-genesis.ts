/** A home's genesis.json (read, patched, set up with a fresh home), its validator entry and its node id. */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { locateCometbft } from './cometbft-binary.js';
import { initHome, writeNodeConfig, type NodeSettings } from './cometbft-config.js';

const execFileAsync = promisify(execFile);

export function genesisPath(home: string): string {
  return join(home, 'config', 'genesis.json');
}

export interface GenesisValidator {
  address: string;
  pub_key: { type: string; value: string };
  power: string;
  name: string;
}

/** genesis.json as CometBFT writes it; fields we do not touch are kept verbatim. */
export interface GenesisDoc {
  genesis_time: string;
  chain_id: string;
  initial_height: string;
  consensus_params: Record<string, unknown>;
  validators: GenesisValidator[];
  app_hash: string;
  app_state?: unknown;
  [key: string]: unknown;
}

export interface GenesisPatch {
  chainId?: string;
  /** Any JSON; CometBFT hands it to InitChain as `app_state_bytes`. */
  appState?: unknown;
  /** RFC3339 string or Date. Blocks start once this time is reached. */
  genesisTime?: Date | string;
  initialHeight?: number;
  /** Replaces the validator set (e.g. all validators of a local multi-node network). */
  validators?: GenesisValidator[];
  /** Shallow-merged into consensus_params per section (e.g. `{ abci: { vote_extensions_enable_height: "2" } }`). */
  consensusParams?: Record<string, Record<string, unknown>>;
}

export async function readGenesis(home: string): Promise<GenesisDoc> {
  return JSON.parse(await readFile(genesisPath(home), 'utf8')) as GenesisDoc;
}

/** Applies `patch` to `<home>/config/genesis.json` and returns the new document. */
export async function patchGenesis(home: string, patch: GenesisPatch): Promise<GenesisDoc> {
  const genesis = await readGenesis(home);
  if (patch.chainId !== undefined) {
    if (patch.chainId.length === 0 || patch.chainId.length > 50) {
      throw new Error(`chain id ${JSON.stringify(patch.chainId)} must be 1 to 50 characters`);
    }
    genesis.chain_id = patch.chainId;
  }
  if (patch.appState !== undefined) genesis.app_state = patch.appState;
  if (patch.genesisTime !== undefined) {
    const time = typeof patch.genesisTime === 'string' ? new Date(patch.genesisTime) : patch.genesisTime;
    if (Number.isNaN(time.getTime())) throw new Error(`genesis time ${String(patch.genesisTime)} is not a valid date`);
    genesis.genesis_time = time.toISOString();
  }
  if (patch.initialHeight !== undefined) {
    if (!Number.isSafeInteger(patch.initialHeight) || patch.initialHeight < 1) {
      throw new Error(`initial height ${patch.initialHeight} must be a positive integer`);
    }
    genesis.initial_height = String(patch.initialHeight);
  }
  if (patch.validators !== undefined) {
    if (patch.validators.length === 0) throw new Error('genesis needs at least one validator');
    genesis.validators = patch.validators;
  }
  if (patch.consensusParams !== undefined) {
    for (const [section, values] of Object.entries(patch.consensusParams)) {
      const current = (genesis.consensus_params[section] as Record<string, unknown> | undefined) ?? {};
      genesis.consensus_params[section] = { ...current, ...values };
    }
  }
  await writeFile(genesisPath(home), JSON.stringify(genesis, null, 2) + '\n');
  return genesis;
}

/** The genesis entry for the validator key of `home` (for assembling a multi-node genesis). */
export async function validatorOfHome(home: string, power = 10, name = ''): Promise<GenesisValidator> {
  const key = JSON.parse(await readFile(join(home, 'config', 'priv_validator_key.json'), 'utf8')) as {
    address: string;
    pub_key: { type: string; value: string };
  };
  return { address: key.address, pub_key: key.pub_key, power: String(power), name };
}

/** The node's P2P id (`cometbft show-node-id`), for `id@127.0.0.1:port` peer strings. */
export async function nodeIdOfHome(home: string, options: { binary?: string } = {}): Promise<string> {
  const { stdout } = await execFileAsync(locateCometbft(options.binary), ['show-node-id', '--home', home], {
    timeout: 10_000,
  });
  return stdout.trim();
}

/**
 * One call for a fresh node home: `cometbft init`, our config.toml settings, then the genesis patch.
 * Safe to repeat on an existing home (init keeps existing keys; settings and patch are re-applied).
 */
export async function setupNodeHome(
  home: string,
  settings: NodeSettings,
  genesis: GenesisPatch = {},
  options: { binary?: string } = {},
): Promise<GenesisDoc> {
  await initHome(home, options);
  await writeNodeConfig(home, settings);
  return patchGenesis(home, genesis);
}
