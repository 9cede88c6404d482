/**
 * Drives the real CometBFT binary (the pinned v0.38.x in `.tools/bin/cometbft`): create a home,
 * write its config.toml and genesis.json, start it as a child process, wait for heights, stop it.
 * Everything listens on 127.0.0.1 only. Used by the CLI (`parazone start`, localnet) and by tests.
 */
import { BaseError } from '../types/base-error.js';
import { spawn, spawnSync, execFile, type ChildProcess } from 'node:child_process';
import { closeSync, constants as fsConstants, accessSync, existsSync, openSync, readFileSync } from 'node:fs';
import { readFile, writeFile, open } from 'node:fs/promises';
import net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseToml, stringify as stringifyToml, type TomlTable } from 'smol-toml';
import { assertCometbftDatabasesFree, removeCometbftPidFile, stopLeftoverCometbft, writeCometbftPidFile } from './cometbft-leftover.js';

const execFileAsync = promisify(execFile);

export const LOCALHOST = '127.0.0.1';

// ---------------------------------------------------------------------------------------------
// Locating the binary

export class CometbftNotFoundError extends BaseError {
  constructor(readonly path: string) {
    super(
      `CometBFT is not installed at ${path}. Run \`npm run setup\` in the Parazone repository ` +
        `(it builds the pinned version from scripts/cometbft-version into .tools/bin; needs Go).`,
    );
  }
}

/** The Parazone repository root: the nearest ancestor of this file whose package.json is named "parazone". */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'parazone') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Parazone repository root (package.json named "parazone")');
    dir = parent;
  }
}

/** Where setup installs CometBFT: `<repo>/.tools/bin/cometbft`. */
export function defaultCometbftPath(root: string = repoRoot()): string {
  return join(root, '.tools', 'bin', 'cometbft');
}

/** The executable to run: `binary` if given, else the repo's `.tools/bin/cometbft`. Throws CometbftNotFoundError. */
export function locateCometbft(binary?: string): string {
  const path = resolve(binary ?? defaultCometbftPath());
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new CometbftNotFoundError(path);
  }
  return path;
}

/** The version pinned in scripts/cometbft-version, without the leading `v` (e.g. "0.38.25"). */
export function pinnedCometbftVersion(root: string = repoRoot()): string {
  return readFileSync(join(root, 'scripts', 'cometbft-version'), 'utf8').trim().replace(/^v/, '');
}

/** `cometbft version` of the given binary. */
export async function cometbftVersion(binary: string = locateCometbft()): Promise<string> {
  const { stdout } = await execFileAsync(binary, ['version'], { timeout: 10_000 });
  return stdout.trim();
}

/** Throws unless the binary reports the pinned version (a stale build would speak another ABCI). */
export async function assertPinnedCometbft(binary: string = locateCometbft()): Promise<void> {
  const [actual, pinned] = [await cometbftVersion(binary), pinnedCometbftVersion()];
  if (actual !== pinned) {
    throw new Error(`${binary} is CometBFT ${actual}, but Parazone pins ${pinned}. Run \`npm run setup\`.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Home, config.toml, genesis.json

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

export function genesisPath(home: string): string {
  return join(home, 'config', 'genesis.json');
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

// ---------------------------------------------------------------------------------------------
// The process

export interface StartOptions {
  binary?: string;
  /** Defaults to `<home>/cometbft.log` (appended to, so restarts keep the history). */
  logFile?: string;
  /** Extra arguments after `start --home <home>`. */
  args?: string[];
  /** Where to report a leftover CometBFT stopped before this one starts; default stderr. */
  log?: (message: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Processes still running, killed when this Node process exits so no node outlives its owner. That
 * covers a normal exit, process.exit() and an uncaught exception; a SIGKILLed or aborted owner runs
 * no hook, which is what `diesWithParent` is for.
 */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackUntilExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** A running `cometbft start`. */
export class CometbftProcess {
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(
    readonly home: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise<ExitInfo>((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolveExit(this.exitInfo);
      });
      child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolveExit(this.exitInfo);
      });
    });
  }

  /**
   * Spawns `cometbft start --home <home>` with stdout and stderr going to the log file. First stops
   * a CometBFT that an earlier run left running on this home (named by the home's pid file), and
   * refuses, saying what holds them, if anything else holds the home's databases; then records the
   * new process in the pid file (removed when it exits).
   */
  static async start(home: string, options: StartOptions = {}): Promise<CometbftProcess> {
    const binary = locateCometbft(options.binary);
    home = resolve(home); // the pid file's check matches the `--home` in the command line
    await stopLeftoverCometbft(home, options.log ?? ((message) => process.stderr.write(`${message}\n`)));
    assertCometbftDatabasesFree(home);
    const logFile = options.logFile ?? join(home, 'cometbft.log');
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      const [command, args] = diesWithParent(binary, ['start', '--home', home, ...(options.args ?? [])]);
      child = spawn(command, args, {
        stdio: ['ignore', fd, fd],
        env: { ...process.env, CMTHOME: home },
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    trackUntilExit(child);
    const proc = new CometbftProcess(home, logFile, child);
    // A spawn failure (ENOENT, EACCES) surfaces as an 'error' event right away.
    await new Promise<void>((ok, fail) => {
      child.once('spawn', () => ok());
      child.once('error', (err) => fail(new Error(`cannot start ${binary}: ${err.message}`)));
    });
    const pid = child.pid!;
    writeCometbftPidFile(home, pid);
    void proc.exited.then(() => removeCometbftPidFile(home, pid));
    return proc;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Undefined while running. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it is gone. Idempotent. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') this.child.kill('SIGKILL');
    return this.exited;
  }

  /**
   * For a CometBFT whose app has died: gives it `withinMs` to exit by itself (it normally does once
   * its app connection breaks, but may hang in its own shutdown), then stops it. Resolves once it is gone.
   */
  async stopUnlessExited(withinMs = 10_000, graceMs = 5000): Promise<ExitInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), withinMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    return first === 'timeout' ? this.stop(graceMs) : first;
  }

  /** The last `lines` lines of the log (for error messages). */
  async logTail(lines = 40): Promise<string> {
    return logTail(this.logFile, lines);
  }
}

/**
 * The command that runs `binary args` so that it gets SIGKILL when this process dies, however it
 * dies (a SIGKILLed or aborted Node runs no exit hook, and CometBFT does not always notice that its
 * app is gone: it can hang in its own shutdown, holding the home's databases). Node cannot set
 * PR_SET_PDEATHSIG for a child itself, so on Linux util-linux's `setpriv --pdeathsig` sets it and
 * then execs CometBFT (same pid, same command line). The signal fires when the thread that spawned
 * the child ends; Node spawns from its main thread, which lives as long as the process. Where
 * setpriv is missing the child is spawned plainly, and the pid file still lets the next start stop
 * a leftover. SIGKILL rather than SIGTERM because this is only for an owner that is already gone:
 * CometBFT's stores survive it, and a CometBFT that is hung would ignore SIGTERM.
 */
function diesWithParent(binary: string, args: string[]): [string, string[]] {
  const setpriv = setprivWithPdeathsig();
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', binary, ...args]] : [binary, args];
}

let setprivPath: string | null | undefined;
/** util-linux's setpriv, if installed and new enough (2.33+) to know `--pdeathsig`. */
function setprivWithPdeathsig(): string | undefined {
  if (setprivPath === undefined) {
    const candidate = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;
    const help = candidate ? spawnSync(candidate, ['--help'], { encoding: 'utf8', timeout: 5000 }) : undefined;
    setprivPath = candidate && help?.status === 0 && help.stdout.includes('--pdeathsig') ? candidate : null;
  }
  return setprivPath ?? undefined;
}

export async function logTail(file: string, lines = 40): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      return buf.toString('utf8').split('\n').slice(-lines - 1).join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '(no log)';
  }
}

// ---------------------------------------------------------------------------------------------
// RPC

export function rpcUrlForPort(port: number): string {
  return `http://${LOCALHOST}:${port}`;
}

export class RpcError extends BaseError {
  constructor(
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** One JSON-RPC call to CometBFT (POST), bounded by `timeoutMs`. Returns `result`. */
export async function rpcCall<T = unknown>(
  rpcUrl: string,
  method: string,
  params: Record<string, unknown> = {},
  timeoutMs = 5000,
): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: unknown } };
  if (body.error) throw new RpcError(`${method}: ${body.error.message} ${String(body.error.data ?? '')}`.trim(), body.error);
  if (body.result === undefined) throw new RpcError(`${method}: HTTP ${res.status} without a result`);
  return body.result;
}

export interface NodeStatus {
  node_info: { id: string; network: string; version: string; moniker: string };
  sync_info: { latest_block_height: string; latest_app_hash: string; catching_up: boolean };
}

export async function fetchStatus(rpcUrl: string, timeoutMs = 2000): Promise<NodeStatus> {
  return rpcCall<NodeStatus>(rpcUrl, 'status', {}, timeoutMs);
}

/** `broadcast_tx_sync`: the CheckTx verdict and the tx hash (hex). */
export async function broadcastTxSync(
  rpcUrl: string,
  tx: Uint8Array,
): Promise<{ code: number; data: string; log: string; codespace: string; hash: string }> {
  return rpcCall(rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
}

export interface WaitOptions {
  /** Fail fast (with the log tail) if this process exits while we wait. */
  process?: CometbftProcess;
  intervalMs?: number;
}

/**
 * Polls `/status` until the latest block height is at least `height`; returns that height.
 * Bounded: throws after `timeoutMs` with the last height seen (and the node's log tail, if known).
 */
export async function waitForHeight(
  rpcUrl: string,
  height: number,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastHeight: number | undefined;
  let lastError: unknown;
  for (;;) {
    const proc = options.process;
    if (proc && !proc.running) {
      throw new Error(
        `CometBFT exited (${JSON.stringify(proc.exit)}) while waiting for height ${height} ` +
          `(last seen ${lastHeight ?? 'none'}). Log tail:\n${await proc.logTail()}`,
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      const status = await fetchStatus(rpcUrl, Math.max(100, Math.min(2000, remaining)));
      lastHeight = Number(status.sync_info.latest_block_height);
      if (lastHeight >= height) return lastHeight;
    } catch (err) {
      lastError = err; // not up yet, or busy
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  const tail = options.process ? `\nLog tail:\n${await options.process.logTail()}` : '';
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for height ${height} at ${rpcUrl} ` +
      `(last seen ${lastHeight ?? 'none'}${lastError && lastHeight === undefined ? `; last error: ${(lastError as Error).message}` : ''})${tail}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Ports

/** A TCP port free on 127.0.0.1 right now (bind port 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOCALHOST, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** Ports this process has handed out: a port freed by one caller must not go to the next one. */
const handedOut = new Set<number>();

/**
 * `n` distinct free ports (held together while choosing, so they cannot collide with each other,
 * and never one this process handed out before: separate calls, e.g. two chains started one after
 * the other, would otherwise race for a port the first has not bound yet).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  const chosen: number[] = [];
  try {
    while (chosen.length < n) {
      if (servers.length > n + 200) throw new Error('could not find free loopback ports');
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((ok, fail) => {
        server.once('error', fail);
        server.listen(0, LOCALHOST, () => ok());
      });
      const port = (server.address() as net.AddressInfo).port;
      if (!handedOut.has(port)) chosen.push(port);
    }
    for (const port of chosen) handedOut.add(port);
    return chosen;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
