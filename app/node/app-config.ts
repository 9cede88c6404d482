import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'smol-toml';
import { DEFAULT_INDEX_EVENTS, validateIndexEvents } from '../baseapp/index-events.js';

/**
 * `<home>/config/app.toml`: the app's own settings, beside CometBFT's config.toml (as in a Cosmos
 * SDK node). Node-local: nothing here changes consensus.
 */
export interface AppConfig {
  /** Where the ABCI server listens and CometBFT's `proxy_app` dials: tcp://127.0.0.1:PORT or unix:///path. */
  abciAddress: string;
  /** "parallel" (Block-STM on worker threads) or "sequential"; results are identical either way. */
  executor: 'parallel' | 'sequential';
  /** Worker threads for the parallel executor; 0 = one per core. */
  workers: number;
  /**
   * `[executor] min_parallel_txs`: blocks with fewer txs run sequentially even in parallel mode
   * (handing a block to worker threads costs more than it saves below some size, and on a small
   * machine the threads compete with CometBFT); 0 = chosen from the core count
   * (autoMinParallelTxs in parallel-executor.ts).
   */
  minParallelTxs: number;
  /** `index-events`: `type.attribute` keys CometBFT's tx indexer stores; [] = every attribute (as the SDK). */
  indexEvents: string[];
  /** pino log level: trace, debug, info, warn, error, fatal. */
  logLevel: string;
  /** Prometheus `/metrics` listen address (host:port), or "" for none. */
  metricsAddress: string;
  /** `[web] address`: host:port serving the web page and its `/rpc` proxy, or "" for none. */
  webAddress: string;
  /** `[web] zone_rpcs`: other zones' CometBFT RPC URLs, proxied at `/zones/<n>/rpc` for the Explorer's zones view. */
  webZoneRpcs: string[];
  /** `[state_sync] snapshot_interval`: take a state-sync snapshot every N heights; 0 = never. */
  snapshotInterval: number;
  /** `[state_sync] snapshot_keep_recent`: snapshots kept on disk; 0 = all. */
  snapshotKeepRecent: number;
  /** `[pruning] keep_recent`: newest heights kept queryable; 0 = keep every height. */
  pruningKeepRecent: number;
  /** `[pruning] interval`: prune every N heights (each pruning pass scans the history). */
  pruningInterval: number;
  /** `[mempool] min_gas_price`: this node's mempool floor, e.g. "0.05upara" ("" = only the chain's own minimum). */
  minGasPrice: string;
  /** `[grpc] enable`: serve the gRPC API (every Query service, tx and node services, reflection). */
  grpcEnable: boolean;
  /** `[grpc] address`: host:port of the gRPC server. */
  grpcAddress: string;
  /** `[api] enable`: serve the REST gateway (the protos' google.api.http routes). */
  apiEnable: boolean;
  /** `[api] address`: host:port of the REST gateway. */
  apiAddress: string;
  /** `[api] cors_allowed_origins`: origins a browser may call the REST gateway from ("*" = any; empty = none). */
  apiCorsAllowedOrigins: string[];
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  abciAddress: 'tcp://127.0.0.1:26658',
  executor: 'parallel',
  workers: 0,
  minParallelTxs: 0,
  indexEvents: [...DEFAULT_INDEX_EVENTS],
  logLevel: 'info',
  metricsAddress: '',
  webAddress: '',
  webZoneRpcs: [],
  snapshotInterval: 0,
  snapshotKeepRecent: 2,
  pruningKeepRecent: 0,
  pruningInterval: 10,
  minGasPrice: '',
  // Off unless app.toml turns them on (`parazone init` and the localnet do), so that nodes started
  // side by side never race for the fixed default ports.
  grpcEnable: false,
  grpcAddress: '127.0.0.1:9090',
  apiEnable: false,
  apiAddress: '127.0.0.1:1317',
  apiCorsAllowedOrigins: [],
};

export function appConfigPath(home: string): string {
  return path.join(home, 'config', 'app.toml');
}

export function writeAppConfig(home: string, config: AppConfig): void {
  fs.mkdirSync(path.dirname(appConfigPath(home)), { recursive: true });
  const toml = stringify({
    'index-events': config.indexEvents,
    abci: { address: config.abciAddress },
    executor: { mode: config.executor, workers: config.workers, min_parallel_txs: config.minParallelTxs },
    log: { level: config.logLevel },
    metrics: { address: config.metricsAddress },
    web: { address: config.webAddress, zone_rpcs: config.webZoneRpcs },
    mempool: { min_gas_price: config.minGasPrice },
    grpc: { enable: config.grpcEnable, address: config.grpcAddress },
    api: { enable: config.apiEnable, address: config.apiAddress, cors_allowed_origins: config.apiCorsAllowedOrigins },
    state_sync: { snapshot_interval: config.snapshotInterval, snapshot_keep_recent: config.snapshotKeepRecent },
    pruning: { keep_recent: config.pruningKeepRecent, interval: config.pruningInterval },
  });
  fs.writeFileSync(appConfigPath(home), `# Parazone app settings (node-local; see README "Configuration")\n${toml}\n`);
}

export function readAppConfig(home: string): AppConfig {
  const file = appConfigPath(home);
  if (!fs.existsSync(file)) return { ...DEFAULT_APP_CONFIG };
  const raw = parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
  const executor = String(raw.executor?.mode ?? DEFAULT_APP_CONFIG.executor);
  if (executor !== 'parallel' && executor !== 'sequential') {
    throw new Error(`${file}: [executor] mode must be "parallel" or "sequential", got "${executor}"`);
  }
  return {
    abciAddress: String(raw.abci?.address ?? DEFAULT_APP_CONFIG.abciAddress),
    executor,
    workers: Number(raw.executor?.workers ?? DEFAULT_APP_CONFIG.workers),
    minParallelTxs: count(file, '[executor] min_parallel_txs', raw.executor?.min_parallel_txs ?? DEFAULT_APP_CONFIG.minParallelTxs),
    indexEvents: indexEvents(file, (raw as Record<string, unknown>)['index-events'] ?? DEFAULT_APP_CONFIG.indexEvents),
    logLevel: String(raw.log?.level ?? DEFAULT_APP_CONFIG.logLevel),
    metricsAddress: String(raw.metrics?.address ?? DEFAULT_APP_CONFIG.metricsAddress),
    webAddress: String(raw.web?.address ?? DEFAULT_APP_CONFIG.webAddress),
    webZoneRpcs: httpUrls(file, '[web] zone_rpcs', raw.web?.zone_rpcs ?? DEFAULT_APP_CONFIG.webZoneRpcs),
    minGasPrice: String(raw.mempool?.min_gas_price ?? DEFAULT_APP_CONFIG.minGasPrice),
    grpcEnable: flag(file, '[grpc] enable', raw.grpc?.enable ?? DEFAULT_APP_CONFIG.grpcEnable),
    grpcAddress: String(raw.grpc?.address ?? DEFAULT_APP_CONFIG.grpcAddress),
    apiEnable: flag(file, '[api] enable', raw.api?.enable ?? DEFAULT_APP_CONFIG.apiEnable),
    apiAddress: String(raw.api?.address ?? DEFAULT_APP_CONFIG.apiAddress),
    apiCorsAllowedOrigins: origins(file, raw.api?.cors_allowed_origins ?? DEFAULT_APP_CONFIG.apiCorsAllowedOrigins),
    snapshotInterval: count(
      file,
      '[state_sync] snapshot_interval',
      raw.state_sync?.snapshot_interval ?? DEFAULT_APP_CONFIG.snapshotInterval,
    ),
    snapshotKeepRecent: count(
      file,
      '[state_sync] snapshot_keep_recent',
      raw.state_sync?.snapshot_keep_recent ?? DEFAULT_APP_CONFIG.snapshotKeepRecent,
    ),
    pruningKeepRecent: count(file, '[pruning] keep_recent', raw.pruning?.keep_recent ?? DEFAULT_APP_CONFIG.pruningKeepRecent),
    pruningInterval: Math.max(1, count(file, '[pruning] interval', raw.pruning?.interval ?? DEFAULT_APP_CONFIG.pruningInterval)),
  };
}

/** A setting that must be a whole number ≥ 0. */
function count(file: string, name: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${file}: ${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

function flag(file: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${file}: ${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function origins(file: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${file}: [api] cors_allowed_origins must be a list of origins, e.g. ["*"], got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function httpUrls(file: string, name: string, value: unknown): string[] {
  const ok = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^/]+/.test(v);
  if (!Array.isArray(value) || !value.every(ok)) {
    throw new Error(`${file}: ${name} must be a list of http URLs, e.g. ["http://127.0.0.1:26757"], got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function indexEvents(file: string, value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${file}: index-events must be a list of "type.attribute" keys, e.g. ["message.sender"], got ${JSON.stringify(value)}`);
  }
  try {
    return [...validateIndexEvents(value as string[])];
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
