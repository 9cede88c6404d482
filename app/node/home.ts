import fs from 'node:fs';
import type { ComposedChain } from '../app.js';
import { DEFAULT_APP_CONFIG, writeAppConfig, type AppConfig } from './app-config.js';
import { genesisPath, setupNodeHome, type ConsensusTimeouts } from './cometbft.js';
import { defaultAppState } from './genesis.js';

export interface InitNodeOptions {
  readonly home: string;
  readonly chainId: string;
  readonly moniker: string;
  readonly chain: ComposedChain;
  readonly rpcPort?: number;
  readonly p2pPort?: number;
  readonly abciAddress?: string;
  readonly timeouts?: Partial<ConsensusTimeouts>;
  readonly app?: Partial<AppConfig>;
}

export function isInitialized(home: string): boolean {
  return fs.existsSync(genesisPath(home));
}

/**
 * `parazone init`: CometBFT's own key, config and genesis generation (one validator), our settings
 * in config.toml, app.toml beside it, and every module's default genesis in `app_state`.
 */
export async function initNode(options: InitNodeOptions): Promise<void> {
  if (isInitialized(options.home)) {
    throw new Error(`${options.home} already holds a node (config/genesis.json exists); pick another --home or remove it`);
  }
  const app: AppConfig = { ...DEFAULT_APP_CONFIG, ...options.app, abciAddress: options.abciAddress ?? DEFAULT_APP_CONFIG.abciAddress };
  await setupNodeHome(
    options.home,
    {
      proxyApp: app.abciAddress,
      rpcPort: options.rpcPort ?? 26657,
      p2pPort: options.p2pPort ?? 26656,
      moniker: options.moniker,
      timeouts: options.timeouts,
      corsAllowedOrigins: ['*'],
    },
    { chainId: options.chainId, appState: defaultAppState(options.chain) },
  );
  writeAppConfig(options.home, app);
}
