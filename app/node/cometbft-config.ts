/** A CometBFT home: `cometbft init`, and the config.toml settings we write and read (ports, timeouts, peers). */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml, stringify as stringifyToml, type TomlTable } from 'smol-toml';
import { locateCometbft } from './cometbft-binary.js';
import { LOCALHOST } from './ports.js';

const execFileAsync = promisify(execFile);

/** `cometbft init --home <home>`: keys, config.toml, genesis.json. Existing files are kept. */
export async function initHome(home: string, options: { binary?: string } = {}): Promise<void> {
  const binary = locateCometbft(options.binary);
  try {
    await execFileAsync(binary, ['init', '--home', home], { timeout: 30_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`cometbft init --home ${home} failed: ${(err as Error).message}\n${stderr}`);
  }
}

export function configPath(home: string): string {
  return join(home, 'config', 'config.toml');
}

/** Consensus timeouts, as CometBFT duration strings ("250ms", "1s"). */
export interface ConsensusTimeouts {
  propose: string;
  proposeDelta: string;
  prevote: string;
  prevoteDelta: string;
  precommit: string;
  precommitDelta: string;
  commit: string;
}

/** Fast local blocks: about four a second on one validator, still sane for a few local validators. */
export const FAST_LOCAL_TIMEOUTS: ConsensusTimeouts = {
  propose: '500ms',
  proposeDelta: '100ms',
  prevote: '200ms',
  prevoteDelta: '100ms',
  precommit: '200ms',
  precommitDelta: '100ms',
  commit: '250ms',
};

export interface NodeSettings {
  /** Where CometBFT dials the app: `tcp://127.0.0.1:PORT` or `unix:///path.sock`. */
  proxyApp: string;
  /** RPC port; served on 127.0.0.1 only. */
  rpcPort: number;
  /** P2P port; bound on 127.0.0.1 only. */
  p2pPort: number;
  /** Non-empty node name (cosmjs checks it). Default "parazone". */
  moniker?: string;
  /** Overrides of FAST_LOCAL_TIMEOUTS. */
  timeouts?: Partial<ConsensusTimeouts>;
  /** Default true: a steady height makes "wait for the next block" simple. */
  createEmptyBlocks?: boolean;
  /** Default "0s". */
  createEmptyBlocksInterval?: string;
  /** `[rpc] cors_allowed_origins`; default [] (no CORS). Use ["*"] for browser clients. */
  corsAllowedOrigins?: string[];
  /** `id@127.0.0.1:port` entries for a local multi-node network. */
  persistentPeers?: string[];
  /** CometBFT `log_level`; default "info". */
  logLevel?: string;
}

/**
 * Rewrites `<home>/config/config.toml` with our settings, parsing and re-serialising it with
 * smol-toml (comments are dropped; every other key keeps its value). The tx indexer is forced to
 * "kv" because cosmjs finds committed txs through `tx_search`.
 */
export async function writeNodeConfig(home: string, settings: NodeSettings): Promise<void> {
  const path = configPath(home);
  const config = parseToml(await readFile(path, 'utf8'));
  const timeouts = { ...FAST_LOCAL_TIMEOUTS, ...settings.timeouts };
  const moniker = settings.moniker ?? 'parazone';
  if (moniker.trim() === '') throw new Error('moniker must not be empty');
  assertPort(settings.rpcPort, 'rpcPort');
  assertPort(settings.p2pPort, 'p2pPort');
  if (!/^(tcp:\/\/[^/]+:\d+|unix:\/\/\/.+)$/.test(settings.proxyApp)) {
    throw new Error(`proxyApp ${JSON.stringify(settings.proxyApp)} is not tcp://host:port or unix:///path`);
  }

  config.proxy_app = settings.proxyApp;
  config.abci = 'socket';
  config.moniker = moniker;
  config.log_level = settings.logLevel ?? 'info';

  const rpc = table(config, 'rpc');
  rpc.laddr = `tcp://${LOCALHOST}:${settings.rpcPort}`;
  rpc.cors_allowed_origins = settings.corsAllowedOrigins ?? [];
  rpc.pprof_laddr = '';
  rpc.grpc_laddr = '';

  const p2p = table(config, 'p2p');
  p2p.laddr = `tcp://${LOCALHOST}:${settings.p2pPort}`;
  p2p.persistent_peers = (settings.persistentPeers ?? []).join(',');
  // Local peers all share 127.0.0.1, which the strict address book and duplicate-IP check refuse.
  p2p.addr_book_strict = false;
  p2p.allow_duplicate_ip = true;

  const consensus = table(config, 'consensus');
  consensus.timeout_propose = timeouts.propose;
  consensus.timeout_propose_delta = timeouts.proposeDelta;
  consensus.timeout_prevote = timeouts.prevote;
  consensus.timeout_prevote_delta = timeouts.prevoteDelta;
  consensus.timeout_precommit = timeouts.precommit;
  consensus.timeout_precommit_delta = timeouts.precommitDelta;
  consensus.timeout_commit = timeouts.commit;
  consensus.create_empty_blocks = settings.createEmptyBlocks ?? true;
  consensus.create_empty_blocks_interval = settings.createEmptyBlocksInterval ?? '0s';

  table(config, 'tx_index').indexer = 'kv';
  table(config, 'instrumentation').prometheus = false;

  await writeFile(path, stringifyToml(config));
}

/** Reads `<home>/config/config.toml` (e.g. to find the RPC port of an existing home). */
export async function readNodeConfig(home: string): Promise<TomlTable> {
  return parseToml(await readFile(configPath(home), 'utf8'));
}

function table(config: TomlTable, name: string): TomlTable {
  const existing = config[name];
  if (existing !== undefined && (typeof existing !== 'object' || Array.isArray(existing) || existing instanceof Date)) {
    throw new Error(`config.toml: [${name}] is not a table`);
  }
  const t = (existing as TomlTable | undefined) ?? {};
  config[name] = t;
  return t;
}

function assertPort(port: number, name: string): void {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`${name} ${port} is not a TCP port`);
}

/** A genesis validator entry, in CometBFT's JSON form (int64 as strings). */
