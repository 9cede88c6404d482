/**
 * Single-validator networks for a load run, in a temporary home on free loopback ports:
 *  - "parazone": our app as its own process (`parazone start --abci-only`, what a validator runs)
 *    plus CometBFT, with the load accounts funded at genesis;
 *  - "kvstore": CometBFT with its built-in kvstore app (`proxy_app = "kvstore"`), the ceiling.
 * Both get the same CometBFT settings (CometSettings), so the only difference is the app.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse as parseToml, stringify as stringifyToml, type TomlTable } from 'smol-toml';
import { composeChain } from '../app.js';
import { readAppConfig } from '../node/app-config.js';
import {
  CometbftProcess,
  configPath,
  freePorts,
  initHome,
  patchGenesis,
  repoRoot,
  rpcUrlForPort,
  waitForHeight,
  writeNodeConfig,
  type ConsensusTimeouts,
} from '../node/cometbft.js';
import { addGenesisAccounts, readAppState, writeAppState } from '../node/genesis.js';
import { spawnAppProcess } from '../node/app-process.js';
import { initNode } from '../node/home.js';
import type { Coin } from '../types/coins.js';

export { DEFAULT_COMET_SETTINGS, type CometSettings } from './defaults.js';
import type { CometSettings } from './defaults.js';

export interface LocalNetwork {
  readonly kind: 'parazone' | 'kvstore' | 'simd';
  readonly home: string;
  readonly rpc: string;
  readonly chainId: string;
  /** Process ids, for CPU accounting: app (parazone only) and cometbft. */
  readonly pids: { app?: number; cometbft?: number };
  stop(): Promise<void>;
}

export interface ParazoneNetOptions {
  readonly home: string;
  readonly chainId: string;
  readonly comet: CometSettings;
  /** Genesis balances: address → coins. Account numbers follow this order (0, 1, 2, …). */
  readonly accounts: readonly { address: string; coins: Coin[] }[];
  /**
   * Module genesis sections that replace the default ones, by module name (e.g. `drugregistry`
   * for the drug workload, built by drug-genesis.ts).
   */
  readonly appState?: Readonly<Record<string, unknown>>;
  readonly executor: 'parallel' | 'sequential';
  readonly workers?: number;
  /** The chain's CLI entry (default the stock app/cli/main.ts). */
  readonly entry?: string;
  /** Extra node flags for the app process, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  readonly nodeArgs?: readonly string[];
}

export async function startParazoneNet(options: ParazoneNetOptions): Promise<LocalNetwork> {
  const { home } = options;
  const [rpcPort, p2pPort, abciPort] = (await freePorts(3)) as [number, number, number];
  await initNode({
    home,
    chainId: options.chainId,
    moniker: 'loadgen',
    chain: composeChain(),
    rpcPort,
    p2pPort,
    abciAddress: `tcp://127.0.0.1:${abciPort}`,
    timeouts: cometTimeouts(options.comet),
    app: { logLevel: 'warn', executor: options.executor, workers: options.workers ?? 0 },
  });
  if (readAppConfig(home).executor !== options.executor) throw new Error('app.toml did not take the executor mode');
  await applyCometSettings(home, options.comet);
  // After patchGenesis (which pretty-prints the whole file): writeAppState keeps a large app_state compact.
  writeAppState(home, { ...withGenesisAccounts(readAppState(home), options.accounts), ...options.appState });

  return startAppUnderComet({
    kind: 'parazone',
    home,
    chainId: options.chainId,
    spawnApp: (appLog) =>
      spawnAppProcess({
        home,
        entry: options.entry ?? path.join(repoRoot(), 'app/cli/main.ts'),
        nodeArgs: options.nodeArgs,
        logFile: appLog,
        cwd: repoRoot(),
      }),
    abciPort,
    rpcPort,
  });
}

/**
 * Starts an ABCI app process (its output in `<home>/app.log`), waits until it listens on
 * `abciPort`, then starts the home's CometBFT and waits for height 1; on any failure stops what it
 * started. Our chain and simd are both launched this way, so they run under CometBFT alike.
 */
export async function startAppUnderComet(options: {
  readonly kind: LocalNetwork['kind'];
  readonly home: string;
  readonly chainId: string;
  /** Starts the app process with its output appended to `appLog`. */
  readonly spawnApp: (appLog: string) => ChildProcess;
  readonly abciPort: number;
  readonly rpcPort: number;
}): Promise<LocalNetwork> {
  const { home, abciPort, rpcPort } = options;
  const appLog = path.join(home, 'app.log');
  const app = options.spawnApp(appLog);
  killOnExit(app);
  let comet: CometbftProcess | undefined;
  const stop = async () => {
    if (comet) await comet.stop();
    await stopChild(app);
  };
  try {
    await waitForPort(abciPort, app, appLog, 60_000);
    comet = await CometbftProcess.start(home);
    await waitForHeight(rpcUrlForPort(rpcPort), 1, 60_000, { process: comet });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    kind: options.kind,
    home,
    rpc: rpcUrlForPort(rpcPort),
    chainId: options.chainId,
    pids: { app: app.pid, cometbft: comet.pid },
    stop,
  };
}

export async function startKvstoreNet(options: { home: string; chainId: string; comet: CometSettings }): Promise<LocalNetwork> {
  const { home } = options;
  const [rpcPort, p2pPort] = await freePorts(2);
  await initHome(home);
  // writeNodeConfig wants an address for proxy_app; the built-in app is named afterwards.
  await writeNodeConfig(home, {
    proxyApp: 'tcp://127.0.0.1:1',
    rpcPort: rpcPort!,
    p2pPort: p2pPort!,
    moniker: 'kvstore',
    timeouts: cometTimeouts(options.comet),
  });
  await patchGenesis(home, { chainId: options.chainId });
  await applyCometSettings(home, options.comet, { proxy_app: 'kvstore' });
  const comet = await CometbftProcess.start(home);
  try {
    await waitForHeight(rpcUrlForPort(rpcPort!), 1, 60_000, { process: comet });
  } catch (err) {
    await comet.stop();
    throw err;
  }
  return {
    kind: 'kvstore',
    home,
    rpc: rpcUrlForPort(rpcPort!),
    chainId: options.chainId,
    pids: { cometbft: comet.pid },
    stop: async () => void (await comet.stop()),
  };
}

export function cometTimeouts(s: CometSettings): Partial<ConsensusTimeouts> {
  return { commit: s.timeoutCommit, propose: s.timeoutPropose };
}

/** Mempool, log level and block size settings on top of what writeNodeConfig wrote. */
export async function applyCometSettings(home: string, s: CometSettings, top: Record<string, string> = {}): Promise<void> {
  const config = parseToml(fs.readFileSync(configPath(home), 'utf8'));
  Object.assign(config, top);
  config.log_level = s.logLevel;
  const mempool = (config.mempool ?? {}) as TomlTable;
  mempool.size = s.mempoolSize;
  mempool.max_txs_bytes = s.mempoolMaxTxsBytes;
  mempool.cache_size = s.mempoolCacheSize;
  mempool.recheck = s.recheck;
  config.mempool = mempool;
  fs.writeFileSync(configPath(home), stringifyToml(config));
  await patchGenesis(home, { consensusParams: { block: { max_bytes: String(s.maxBlockBytes), max_gas: '-1' } } });
}

/**
 * The load's funded accounts, first in genesis and in the given order, so their account numbers
 * are 0, 1, 2, … (what the pre-signed txs were signed with).
 */
export function withGenesisAccounts(
  appState: Record<string, unknown>,
  accounts: readonly { address: string; coins: Coin[] }[],
): Record<string, unknown> {
  const existing = (appState.auth as { accounts?: unknown[] } | undefined)?.accounts ?? [];
  if (existing.length > 0) throw new Error('loadgen genesis accounts must come first (account numbers follow their order)');
  return addGenesisAccounts(appState, accounts);
}

/** App processes still running, SIGKILLed if this process exits first (CometBFT has the same hook). */
const liveApps = new Set<ChildProcess>();
let exitHook = false;
export function killOnExit(child: ChildProcess): void {
  if (!exitHook) process.once('exit', () => liveApps.forEach((c) => c.kill('SIGKILL')));
  exitHook = true;
  liveApps.add(child);
  child.once('exit', () => liveApps.delete(child));
}

export async function waitForPort(port: number, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app exited (${child.exitCode ?? child.signalCode}) before listening:\n${tail(log)}`);
    }
    if (await portOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the app did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${tail(log)}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await gone;
  clearTimeout(timer);
}

function tail(file: string, lines = 30): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}
