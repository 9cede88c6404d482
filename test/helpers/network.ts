/**
 * A real local network for fault tests: per node an app process (`parazone start --abci-only`)
 * and a CometBFT process, so a test can SIGKILL either one alone.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { composeChain, type ChainSpec } from '../../app/app.js';
import { CometbftProcess, fetchStatus, repoRoot } from '../../app/node/cometbft.js';
import { readAppConfig, writeAppConfig, type AppConfig } from '../../app/node/app-config.js';
import { spawnAppProcess } from '../../app/node/app-process.js';
import { addFullNode, addStateSyncNode, createNetwork, type NetworkNode, type StateSyncSettings } from '../../app/node/network.js';
import type { Coin } from '../../app/types/coins.js';
import { pollUntil, type Cleanup } from './cleanup.js';
import { killChild, portOpen, stopChild } from './processes.js';
import { makeTempDir } from './temp-dir.js';

export interface RunningNode {
  readonly info: NetworkNode;
  app?: ChildProcess;
  comet?: CometbftProcess;
  /** Extra environment for the app process (fault injection). */
  env: Record<string, string>;
}

export interface TestNetwork {
  readonly home: string;
  readonly chainId: string;
  readonly nodes: RunningNode[];
  startApp(i: number): Promise<void>;
  startComet(i: number): Promise<void>;
  killApp(i: number): Promise<void>;
  killComet(i: number): Promise<void>;
  height(i: number): Promise<number>;
  /** Adds a non-validator node and starts it. */
  addFullNode(): Promise<RunningNode>;
  /** Adds a non-validator node that joins by CometBFT state sync, and starts it. */
  addStateSyncNode(sync: StateSyncSettings): Promise<RunningNode>;
}

const TIMEOUTS = { commit: '200ms', propose: '600ms', prevote: '300ms', precommit: '300ms' };

export async function startTestNetwork(
  options: {
    validators: number;
    accounts: { address: string; coins: Coin[] }[];
    appConfig?: Partial<AppConfig>;
    /** Per-node app.toml settings on top of `appConfig` (e.g. node 1 sequential, node 0 parallel). */
    nodeAppConfig?: (index: number) => Partial<AppConfig>;
    /** The chain's CLI entry file (default the stock chain); a chain with extra modules passes its own. */
    entry?: string;
    /** The same ChainSpec the entry file uses, to build the genesis in-process. */
    spec?: ChainSpec;
  },
  cleanup: Cleanup,
): Promise<TestNetwork> {
  const dir = makeTempDir('net');
  cleanup.add('remove network home', () => dir.remove());
  const chainId = 'parazone-net';
  const layout = await createNetwork({
    home: dir.path,
    chainId,
    validators: options.validators,
    chain: composeChain(options.spec),
    accounts: options.accounts,
    timeouts: TIMEOUTS,
    logLevel: 'warn',
    appConfig: options.appConfig,
  });
  const nodes: RunningNode[] = layout.nodes.map((info) => ({ info, env: {} }));
  if (options.nodeAppConfig) {
    for (const [i, node] of nodes.entries())
      writeAppConfig(node.info.home, { ...readAppConfig(node.info.home), ...options.nodeAppConfig(i) });
  }
  const entry = options.entry ?? path.join(repoRoot(), 'app/cli/main.ts');

  const network: TestNetwork = {
    home: dir.path,
    chainId,
    nodes,
    async startApp(i) {
      const node = nodes[i]!;
      const child = spawnAppProcess({ home: node.info.home, entry, env: node.env, cwd: repoRoot() });
      node.app = child;
      // Whenever the app dies, its CometBFT must end too: it normally exits by itself once the app
      // connection breaks, but it can hang in its own shutdown, holding the node's databases.
      child.once('exit', () => void node.comet?.stopUnlessExited());
      const port = Number(node.info.abci.split(':').pop());
      await pollUntil(
        `app ${node.info.name} listening`,
        () => (child.exitCode === null ? portOpen(port) : Promise.reject(new Error('app exited'))),
        60_000,
      );
    },
    async startComet(i) {
      nodes[i]!.comet = await CometbftProcess.start(nodes[i]!.info.home);
    },
    async killApp(i) {
      await killChild(nodes[i]!.app);
    },
    async killComet(i) {
      const comet = nodes[i]!.comet;
      if (comet?.running) {
        process.kill(comet.pid!, 'SIGKILL');
        await comet.exited;
      }
    },
    async height(i) {
      return Number((await fetchStatus(nodes[i]!.info.rpc)).sync_info.latest_block_height);
    },
    async addFullNode() {
      const info = await addFullNode(dir.path, { home: dir.path, chain: composeChain(options.spec), timeouts: TIMEOUTS, logLevel: 'warn' });
      const node: RunningNode = { info, env: {} };
      nodes.push(node);
      await network.startApp(nodes.length - 1);
      await network.startComet(nodes.length - 1);
      return node;
    },
    async addStateSyncNode(sync) {
      const info = await addStateSyncNode(
        dir.path,
        { home: dir.path, chain: composeChain(options.spec), timeouts: TIMEOUTS, logLevel: 'info' },
        sync,
      );
      const node: RunningNode = { info, env: {} };
      nodes.push(node);
      await network.startApp(nodes.length - 1);
      await network.startComet(nodes.length - 1);
      return node;
    },
  };
  cleanup.add('stop network', async () => {
    for (const node of nodes) await node.comet?.stop();
    for (const node of nodes) await stopChild(node.app);
  });
  for (let i = 0; i < nodes.length; i++) await network.startApp(i);
  for (let i = 0; i < nodes.length; i++) await network.startComet(i);
  return network;
}
