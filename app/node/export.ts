import fs from 'node:fs';
import type { ChainSpec } from '../app.js';
import { composeChain } from '../app.js';
import { BaseApp } from '../baseapp/baseapp.js';
import { CommitStore } from '../store/commit-store.js';
import { appDataDir } from './app-node.js';
import { genesisPath } from './cometbft.js';

/**
 * `parazone export`: the node's genesis.json with `app_state` replaced by every module's export of
 * the latest committed state (and `initial_height` set to follow it), so a new chain can start from
 * it. Reads the store directly, so the node must be stopped (LMDB allows one writer).
 */
export async function exportGenesis(home: string, spec: ChainSpec): Promise<Record<string, unknown>> {
  const store = CommitStore.open(appDataDir(home));
  try {
    const chain = composeChain(spec);
    const app = new BaseApp({ ...chain, store });
    const height = store.lastCommit().height;
    if (height === 0) throw new Error(`${home} has no committed block to export yet`);
    const genesis = JSON.parse(fs.readFileSync(genesisPath(home), 'utf8')) as Record<string, unknown>;
    return { ...genesis, initial_height: String(height + 1), app_hash: '', app_state: app.exportGenesis() };
  } finally {
    await store.close();
  }
}
