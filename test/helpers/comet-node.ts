/**
 * Real CometBFT nodes for integration tests, built on app/node/cometbft.ts: temp homes, free
 * 127.0.0.1 ports, fast block timeouts, and teardown registered on a Cleanup (so every node is
 * stopped in afterAll even when a test fails). If the binary is missing this throws
 * CometbftNotFoundError: tests that need CometBFT fail loudly, they never skip.
 */
import { copyFileSync } from 'node:fs';
import {
  CometbftProcess,
  freePorts,
  genesisPath,
  locateCometbft,
  nodeIdOfHome,
  patchGenesis,
  rpcUrlForPort,
  setupNodeHome,
  validatorOfHome,
  waitForHeight,
  writeNodeConfig,
  type ConsensusTimeouts,
  type GenesisPatch,
  type NodeSettings,
} from '../../app/node/cometbft.js';
import type { Cleanup } from './cleanup.js';
import { makeTempDir } from './temp-dir.js';

export interface TestNodeOptions {
  /** ABCI address CometBFT dials (the address your AbciServer is listening on). */
  proxyApp: string;
  chainId?: string;
  appState?: unknown;
  moniker?: string;
  /** Defaults to FAST_LOCAL_TIMEOUTS with timeout_commit 100ms. */
  timeouts?: Partial<ConsensusTimeouts>;
  createEmptyBlocks?: boolean;
  genesis?: Omit<GenesisPatch, 'chainId' | 'appState'>;
  /** Use this home instead of a fresh temp dir (it is then not removed). */
  home?: string;
  /** Fixed ports; free ones are picked otherwise. */
  ports?: { rpc: number; p2p: number };
}

export class TestNode {
  private process: CometbftProcess | undefined;

  private constructor(
    readonly home: string,
    private settings: NodeSettings,
  ) {}

  /** Creates and configures the home; does not start CometBFT. Teardown goes on `cleanup`. */
  static async create(options: TestNodeOptions, cleanup: Cleanup): Promise<TestNode> {
    locateCometbft(); // fail first and clearly when the binary is missing
    let home = options.home;
    if (home === undefined) {
      const dir = makeTempDir('comet');
      cleanup.add(`remove ${dir.path}`, dir.remove);
      home = dir.path;
    }
    const [rpcPort, p2pPort] = options.ports ? [options.ports.rpc, options.ports.p2p] : ((await freePorts(2)) as [number, number]);
    const settings: NodeSettings = {
      proxyApp: options.proxyApp,
      rpcPort,
      p2pPort,
      moniker: options.moniker ?? 'parazone-test',
      timeouts: { commit: '100ms', ...options.timeouts },
      createEmptyBlocks: options.createEmptyBlocks ?? true,
      logLevel: 'info',
    };
    await setupNodeHome(home, settings, {
      chainId: options.chainId ?? 'parazone-test',
      appState: options.appState ?? {},
      // Not in the future, or CometBFT waits for it before the first block.
      genesisTime: new Date(Date.now() - 1000),
      ...options.genesis,
    });
    const node = new TestNode(home, settings);
    cleanup.add(`stop cometbft in ${home}`, () => node.stop());
    return node;
  }

  /** create() then start(). */
  static async start(options: TestNodeOptions, cleanup: Cleanup): Promise<TestNode> {
    const node = await TestNode.create(options, cleanup);
    await node.start();
    return node;
  }

  get rpcPort(): number {
    return this.settings.rpcPort;
  }

  get p2pPort(): number {
    return this.settings.p2pPort;
  }

  get rpcUrl(): string {
    return rpcUrlForPort(this.rpcPort);
  }

  get cometbft(): CometbftProcess | undefined {
    return this.process;
  }

  async start(): Promise<void> {
    if (this.process?.running) throw new Error(`CometBFT in ${this.home} is already running`);
    this.process = await CometbftProcess.start(this.home);
  }

  /** Bounded; fails early with the log tail if CometBFT exits meanwhile. */
  waitForHeight(height: number, timeoutMs = 30_000): Promise<number> {
    return waitForHeight(this.rpcUrl, height, timeoutMs, { process: this.process });
  }

  async stop(): Promise<void> {
    await this.process?.stop(5000);
  }

  /** Rewrites config.toml with changed settings (takes effect on the next start). */
  async reconfigure(changes: Partial<NodeSettings>): Promise<void> {
    this.settings = { ...this.settings, ...changes };
    await writeNodeConfig(this.home, this.settings);
  }

  /** Stops, optionally points CometBFT at a new app address, starts again on the same home. */
  async restart(changes: { proxyApp?: string } = {}): Promise<void> {
    await this.stop();
    if (changes.proxyApp !== undefined) await this.reconfigure({ proxyApp: changes.proxyApp });
    await this.start();
  }

  async logTail(lines = 60): Promise<string> {
    return this.process ? this.process.logTail(lines) : '(not started)';
  }
}

/**
 * A local network: one validator (power 10) per proxy app, one shared genesis, every node a
 * persistent peer of every other, all on 127.0.0.1. Returns the started nodes in order.
 */
export async function startTestNetwork(
  options: Omit<TestNodeOptions, 'proxyApp' | 'home' | 'moniker'> & { proxyApps: string[] },
  cleanup: Cleanup,
): Promise<TestNode[]> {
  const { proxyApps, ...common } = options;
  // Chosen together so no two nodes can be handed the same port.
  const ports = await freePorts(2 * proxyApps.length);
  const nodes: TestNode[] = [];
  for (const [i, proxyApp] of proxyApps.entries()) {
    const nodePorts = { rpc: ports[2 * i]!, p2p: ports[2 * i + 1]! };
    nodes.push(await TestNode.create({ ...common, proxyApp, moniker: `val-${i}`, ports: nodePorts }, cleanup));
  }
  const validators = await Promise.all(nodes.map((n, i) => validatorOfHome(n.home, 10, `val-${i}`)));
  await patchGenesis(nodes[0]!.home, { validators });
  for (const node of nodes.slice(1)) copyFileSync(genesisPath(nodes[0]!.home), genesisPath(node.home));
  const ids = await Promise.all(nodes.map((n) => nodeIdOfHome(n.home)));
  for (const [i, node] of nodes.entries()) {
    const persistentPeers = nodes.flatMap((peer, j) => (j === i ? [] : [`${ids[j]}@127.0.0.1:${peer.p2pPort}`]));
    await node.reconfigure({ persistentPeers });
  }
  for (const node of nodes) await node.start();
  return nodes;
}
