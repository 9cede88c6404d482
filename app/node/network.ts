import fs from 'node:fs';
import path from 'node:path';
import type { ComposedChain } from '../app.js';
import type { Coin } from '../types/coins.js';
import { stringify as stringifyToml } from 'smol-toml';
import { readAppConfig, type AppConfig } from './app-config.js';
import {
  configPath,
  freePorts,
  genesisPath,
  nodeIdOfHome,
  patchGenesis,
  readNodeConfig,
  rpcCall,
  validatorOfHome,
  writeNodeConfig,
  type ConsensusTimeouts,
} from './cometbft.js';
import { addGenesisAccounts, readAppState } from './genesis.js';
import { initNode } from './home.js';

/** One node of a local network, as written to `<home>/network.json` and endpoints.json. */
export interface NetworkNode {
  readonly name: string;
  readonly home: string;
  readonly validator: boolean;
  readonly rpc: string;
  readonly abci: string;
  /** gRPC (host:port) and REST gateway (URL), when the node serves them (`api` below). */
  readonly grpc?: string;
  readonly rest?: string;
  readonly p2pPort: number;
  readonly nodeId: string;
}

export interface NetworkLayout {
  readonly chainId: string;
  readonly nodes: NetworkNode[];
}

export interface CreateNetworkOptions {
  readonly home: string;
  readonly chainId: string;
  readonly validators: number;
  readonly chain: ComposedChain;
  /** Genesis accounts (address → coins). */
  readonly accounts?: ReadonlyArray<{ address: string; coins: Coin[] }>;
  readonly timeouts?: Partial<ConsensusTimeouts>;
  readonly logLevel?: string;
  /** app.toml settings for every node (e.g. snapshotInterval); logLevel above wins for the log level. */
  readonly appConfig?: Partial<AppConfig>;
  /** Every node serves gRPC and the REST gateway (CORS open to any origin), each on its own free loopback ports. */
  readonly api?: boolean;
  /** A last change to the shared app_state (after the accounts are added). */
  readonly editAppState?: (appState: Record<string, unknown>) => Record<string, unknown>;
}

export function networkFile(home: string): string {
  return path.join(home, 'network.json');
}

export function readNetwork(home: string): NetworkLayout | undefined {
  const file = networkFile(home);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as NetworkLayout) : undefined;
}

function writeNetwork(home: string, layout: NetworkLayout): void {
  fs.writeFileSync(networkFile(home), `${JSON.stringify(layout, null, 2)}\n`);
}

/**
 * A local network of `validators` nodes under `<home>/node<i>`, each with its own CometBFT keys
 * (CometBFT's own generation), free loopback ports, app.toml and the SAME genesis: every
 * validator's key, the accounts, one chain id and genesis time. Nodes peer with each other.
 */
export async function createNetwork(options: CreateNetworkOptions): Promise<NetworkLayout> {
  if (options.validators < 1) throw new Error('a network needs at least one validator');
  fs.mkdirSync(options.home, { recursive: true });
  const nodes: NetworkNode[] = [];
  for (let i = 0; i < options.validators; i++) {
    nodes.push(await createNodeHome(options, `node${i}`, true));
  }
  let appState = readAppState(nodes[0]!.home);
  appState = addGenesisAccounts(appState, options.accounts ?? []);
  if (options.editAppState) appState = options.editAppState(appState);
  const validators = await Promise.all(nodes.map((n) => validatorOfHome(n.home, 10, n.name)));
  const genesisTime = new Date();
  for (const node of nodes) {
    await patchGenesis(node.home, { chainId: options.chainId, appState, validators, genesisTime });
  }
  // Same bytes everywhere: CometBFT hashes the genesis file.
  const genesis = fs.readFileSync(genesisPath(nodes[0]!.home));
  for (const node of nodes) fs.writeFileSync(genesisPath(node.home), genesis);
  await connectPeers(nodes, options);
  const layout = { chainId: options.chainId, nodes };
  writeNetwork(options.home, layout);
  return layout;
}

/** Adds a non-validator full node that syncs from the network's validators. */
export async function addFullNode(
  home: string,
  options: Omit<CreateNetworkOptions, 'validators' | 'accounts' | 'chainId'>,
): Promise<NetworkNode> {
  const layout = readNetwork(home);
  if (!layout) throw new Error(`${home} holds no local network (no network.json); create one with --validators N`);
  const name = `node${layout.nodes.length}`;
  const node = await createNodeHome({ ...options, chainId: layout.chainId, validators: 0 }, name, false);
  fs.copyFileSync(genesisPath(layout.nodes[0]!.home), genesisPath(node.home));
  const nodes = [...layout.nodes, node];
  await connectPeers(nodes, options, [node]);
  writeNetwork(home, { ...layout, nodes });
  return node;
}

async function createNodeHome(options: CreateNetworkOptions, name: string, validator: boolean): Promise<NetworkNode> {
  const nodeHome = path.join(options.home, name);
  const [rpcPort, p2pPort, abciPort, grpcPort, apiPort] = await freePorts(5);
  const grpc = `127.0.0.1:${grpcPort}`;
  const rest = `127.0.0.1:${apiPort}`;
  const api: Partial<AppConfig> = options.api
    ? { grpcEnable: true, grpcAddress: grpc, apiEnable: true, apiAddress: rest, apiCorsAllowedOrigins: ['*'] }
    : {};
  await initNode({
    home: nodeHome,
    chainId: options.chainId,
    moniker: name,
    chain: options.chain,
    rpcPort,
    p2pPort,
    abciAddress: `tcp://127.0.0.1:${abciPort}`,
    timeouts: options.timeouts,
    app: { ...options.appConfig, ...api, logLevel: options.logLevel ?? options.appConfig?.logLevel ?? 'info' },
  });
  return {
    name,
    home: nodeHome,
    validator,
    rpc: `http://127.0.0.1:${rpcPort}`,
    abci: readAppConfig(nodeHome).abciAddress,
    ...(options.api ? { grpc, rest: `http://${rest}` } : {}),
    p2pPort,
    nodeId: await nodeIdOfHome(nodeHome),
  };
}

/** Points each of `targets` (default: all) at every other node as a persistent peer. */
async function connectPeers(nodes: NetworkNode[], options: { timeouts?: Partial<ConsensusTimeouts> }, targets = nodes): Promise<void> {
  for (const node of targets) {
    const peers = nodes.filter((n) => n !== node).map((n) => `${n.nodeId}@127.0.0.1:${n.p2pPort}`);
    const config = (await readNodeConfig(node.home)) as { moniker?: string };
    await writeNodeConfig(node.home, {
      proxyApp: node.abci,
      rpcPort: Number(new URL(node.rpc).port),
      p2pPort: node.p2pPort,
      moniker: config.moniker ?? node.name,
      timeouts: options.timeouts,
      corsAllowedOrigins: ['*'],
      persistentPeers: peers,
    });
  }
}

/** What CometBFT's `[statesync]` needs: where to verify headers, and one header hash to trust. */
export interface StateSyncSettings {
  /** At least two CometBFT RPC URLs (http://127.0.0.1:PORT) of nodes that hold the chain's blocks. */
  readonly rpcServers: readonly string[];
  readonly trustHeight: number;
  /** The hex hash of the block at `trustHeight` (its `block_id.hash`). */
  readonly trustHash: string;
  /** How long a trusted header stays trusted; default "168h0m0s" (CometBFT's default). */
  readonly trustPeriod?: string;
  /** How long to gather snapshot offers before picking one; CometBFT's minimum is 5s. Default "5s". */
  readonly discoveryTime?: string;
}

/** A header to trust for state sync: the latest block `rpc` has, from that node's own `/block`. */
export async function fetchTrustPoint(rpc: string): Promise<{ trustHeight: number; trustHash: string }> {
  const res = await rpcCall<{ block_id: { hash: string }; block: { header: { height: string } } }>(rpc, 'block');
  return { trustHeight: Number(res.block.header.height), trustHash: res.block_id.hash };
}

/** Turns on CometBFT state sync in `<nodeHome>/config/config.toml` (other settings are kept). */
export async function configureStateSync(nodeHome: string, settings: StateSyncSettings): Promise<void> {
  if (settings.rpcServers.length < 2) throw new Error('state sync needs at least two RPC servers to cross-check the light client');
  if (!Number.isSafeInteger(settings.trustHeight) || settings.trustHeight < 1)
    throw new Error(`trust height ${settings.trustHeight} must be ≥ 1`);
  if (!/^[0-9A-Fa-f]{64}$/.test(settings.trustHash)) throw new Error(`trust hash "${settings.trustHash}" is not a 32-byte hex hash`);
  const config = await readNodeConfig(nodeHome);
  const statesync = (config.statesync ?? {}) as Record<string, unknown>;
  config.statesync = {
    ...statesync,
    enable: true,
    rpc_servers: settings.rpcServers.join(','),
    trust_height: settings.trustHeight,
    trust_hash: settings.trustHash.toUpperCase(),
    trust_period: settings.trustPeriod ?? '168h0m0s',
    discovery_time: settings.discoveryTime ?? '5s',
  };
  fs.writeFileSync(configPath(nodeHome), stringifyToml(config));
}

/**
 * Adds a non-validator full node that joins by state sync: it restores a snapshot served by the
 * validators' apps (their app.toml needs `[state_sync] snapshot_interval` > 0), then block-syncs.
 */
export async function addStateSyncNode(
  home: string,
  options: Omit<CreateNetworkOptions, 'validators' | 'accounts' | 'chainId'>,
  sync: StateSyncSettings,
): Promise<NetworkNode> {
  const node = await addFullNode(home, options);
  await configureStateSync(node.home, sync);
  return node;
}
