/**
 * A real Parazone node for integration tests: the app as its own process (`parazone start
 * --abci-only`, exactly what a validator runs) and CometBFT as another, on free loopback ports,
 * in a temporary home. Everything started is stopped through the given Cleanup.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { composeChain, type ChainSpec } from '../../app/app.js';
import { Keyring, type StoredKey } from '../../app/cli/keyring.js';
import { CometbftProcess, freePorts, repoRoot, waitForHeight, fetchStatus } from '../../app/node/cometbft.js';
import { addGenesisAccount, readAppState, writeAppState } from '../../app/node/genesis.js';
import type { AppConfig } from '../../app/node/app-config.js';
import { spawnAppProcess } from '../../app/node/app-process.js';
import { initNode } from '../../app/node/home.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import type { Cleanup } from './cleanup.js';
import { pollUntil } from './cleanup.js';
import { portOpen, stopChild } from './processes.js';
import { makeTempDir } from './temp-dir.js';

export interface TestChainOptions {
  /** Accounts funded at genesis: key name → coins (e.g. "1000000000upara"). */
  readonly accounts: Record<string, string>;
  /** The chain's CLI entry file (default the stock chain); a chain with extra modules passes its own. */
  readonly entry?: string;
  /** The same ChainSpec the entry file uses, to build the genesis in-process. */
  readonly spec?: ChainSpec;
  /** Edits app_state before the chain starts (e.g. governance params for short periods). */
  readonly editAppState?: (appState: Record<string, unknown>) => Record<string, unknown>;
  readonly chainId?: string;
  /** Also serve the gRPC API and the REST gateway, on free ports. */
  readonly api?: boolean;
  /** app.toml settings beyond the test defaults (e.g. `indexEvents`). */
  readonly appConfig?: Partial<AppConfig>;
}

export interface TestChain {
  readonly home: string;
  readonly rpc: string;
  readonly chainId: string;
  /** host:port of the gRPC server and base URL of the REST gateway, with `api: true`. */
  readonly grpc?: string;
  readonly rest?: string;
  readonly keys: Record<string, StoredKey>;
  readonly keyring: Keyring;
  comet: CometbftProcess;
  app: ChildProcess;
  /** Starts the app process (after a kill or stop) and CometBFT if it is not running. */
  restart(): Promise<void>;
  /** SIGKILLs the app process; CometBFT then exits by itself (its app connection died) or is stopped. */
  killApp(): Promise<void>;
  height(): Promise<number>;
  appLog(): string;
}

export const TEST_DENOM = 'upara';

export async function startTestChain(options: TestChainOptions, cleanup: Cleanup): Promise<TestChain> {
  const dir = makeTempDir('chain');
  cleanup.add('remove chain home', () => dir.remove());
  const home = dir.path;
  const config = options.spec?.config ?? makeChainConfig();
  const chainId = options.chainId ?? 'parazone-test';
  const [rpcPort, p2pPort, abciPort, grpcPort, apiPort] = await freePorts(5);
  const api = options.api
    ? {
        grpcEnable: true,
        grpcAddress: `127.0.0.1:${grpcPort}`,
        apiEnable: true,
        apiAddress: `127.0.0.1:${apiPort}`,
        apiCorsAllowedOrigins: ['*'],
      }
    : {};
  await initNode({
    home,
    chainId,
    moniker: 'test-node',
    chain: composeChain(options.spec),
    rpcPort,
    p2pPort,
    abciAddress: `tcp://127.0.0.1:${abciPort}`,
    timeouts: { commit: '100ms', propose: '300ms' },
    app: { logLevel: 'warn', ...options.appConfig, ...api },
  });
  const keyring = new Keyring(home, config.bech32Prefix);
  const keys: Record<string, StoredKey> = {};
  let appState = readAppState(home);
  for (const [name, coins] of Object.entries(options.accounts)) {
    keys[name] = await keyring.add(name);
    const [, amount, denom] = /^(\d+)(.+)$/.exec(coins)!;
    appState = addGenesisAccount(appState, keys[name]!.address, [{ denom: denom!, amount: amount! }]);
  }
  writeAppState(home, options.editAppState ? options.editAppState(appState) : appState);

  const entry = options.entry ?? path.join(repoRoot(), 'app/cli/main.ts');
  const appLogFile = path.join(home, 'app.log');
  const rpc = `http://127.0.0.1:${rpcPort}`;

  const spawnApp = async (): Promise<ChildProcess> => {
    const child = spawnAppProcess({ home, entry, logFile: appLogFile, cwd: repoRoot() });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`app exited (${code ?? signal}) before listening:\n${tail(appLogFile)}`))),
    );
    await Promise.race([pollUntil('app ABCI port', () => portOpen(abciPort), 60_000, 100), exited]);
    exited.catch(() => undefined);
    return child;
  };

  let heightBeforeStop = 0;
  const chain: TestChain = {
    home,
    rpc,
    chainId,
    ...(options.api ? { grpc: `127.0.0.1:${grpcPort}`, rest: `http://127.0.0.1:${apiPort}` } : {}),
    keys,
    keyring,
    app: await spawnApp(),
    comet: undefined as unknown as CometbftProcess,
    async restart() {
      if (chain.app.exitCode !== null || chain.app.signalCode !== null) chain.app = await spawnApp();
      if (!chain.comet.running) chain.comet = await CometbftProcess.start(home);
      await waitForHeight(rpc, heightBeforeStop + 1, 60_000, { process: chain.comet });
    },
    async killApp() {
      heightBeforeStop = await chain.height();
      const gone = new Promise((resolve) => chain.app.once('exit', resolve));
      chain.app.kill('SIGKILL');
      await gone;
      await chain.comet.stopUnlessExited(); // bounded: a CometBFT can hang in its own shutdown
    },
    async height() {
      return Number((await fetchStatus(rpc)).sync_info.latest_block_height);
    },
    appLog: () => tail(appLogFile),
  };
  // Stop CometBFT before the app so it never sees its app vanish.
  cleanup.add('stop app', () => stopChild(chain.app));
  chain.comet = await CometbftProcess.start(home);
  cleanup.add('stop cometbft', () => chain.comet.stop());
  await waitForHeight(rpc, 2, 60_000, { process: chain.comet });

  return chain;
}

function tail(file: string, lines = 40): string {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
