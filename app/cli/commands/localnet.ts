import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ChainSpec } from '../../app.js';
import { composeChain } from '../../app.js';
import { readAppConfig } from '../../node/app-config.js';
import { spawnAppProcess } from '../../node/app-process.js';
import { freePorts, readNodeConfig, waitForHeight } from '../../node/cometbft.js';
import { chainFactsOfHome, writeChainRegistry } from '../../node/chain-registry.js';
import { addGenesisAccount, readAppState, setGovernancePeriods, writeAppState } from '../../node/genesis.js';
import { initNode, isInitialized } from '../../node/home.js';
import { addFullNode, createNetwork, readNetwork, type NetworkNode } from '../../node/network.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';
import { startNode } from './node.js';
import { runZones } from './localnet-zones.js';
import { PEER_KINDS, runPeerSimd } from './localnet-peer.js';
import { addDemoKeys, demoKeysIn, withDemoState, type DemoKeys } from './localnet-demo.js';
import { LOCALNET_DEFAULTS, readLocalnetConfig, type LocalnetSettings } from './localnet-config.js';

export const LOCALNET_CHAIN_ID = LOCALNET_DEFAULTS.chainId;
export const FAUCET_KEY = 'faucet';
export const FAUCET_FUNDS = '1000000000000000';

/** What a client needs to reach the localnet; also written to `<home>/endpoints.json`. */
export interface Endpoints {
  chainId: string;
  rpc: string;
  abci: string;
  /** gRPC (host:port; reflection on) and REST (URL) of the (first) node, when it serves them. */
  grpc?: string;
  rest?: string;
  /** The node's web page (app.toml `[web] address`), when it serves one. */
  web?: string;
  denom: string;
  bech32Prefix: string;
  gasPrice: string;
  faucet: { address: string; mnemonic: string };
  home: string;
  /** Every node of a multi-validator localnet, each with its own gRPC and REST servers. */
  nodes?: { name: string; validator: boolean; rpc: string; abci: string; grpc?: string; rest?: string; home: string }[];
  /** With --demo: the supply-chain keys (devnet-only mnemonics). */
  demo?: ReturnType<typeof demoKeysIn>;
}

interface LocalnetOptions {
  chainId?: string;
  validators?: string;
  addNode?: boolean;
  zones?: string;
  peer?: string;
  config?: string;
  votingPeriod?: string;
  depositPeriod?: string;
  demo?: boolean;
  initOnly?: boolean;
}

/**
 * `parazone localnet`: first run creates a chain with a funded faucet on free loopback ports (one
 * validator in <home>, or N validators in <home>/node<i> with --validators N); later runs resume
 * it. Prints the endpoints, writes them to <home>/endpoints.json and waits for Ctrl-C.
 * `--add-node` joins a non-validator full node to a running multi-validator localnet.
 */
export function registerLocalnet(program: Command, cli: CliContext, spec: ChainSpec): void {
  program
    .command('localnet')
    .description('run a local chain with a funded faucet (created on first run, resumed after)')
    .option('--chain-id <id>', `chain id for a new localnet (default ${LOCALNET_CHAIN_ID})`)
    .option('--validators <n>', 'number of validators for a new localnet (default 1)')
    .option('--voting-period <seconds>', 'governance voting period of a new localnet (default 60)')
    .option('--deposit-period <seconds>', 'governance deposit period of a new localnet (default 60)')
    .option(
      '--demo',
      'seed a new localnet with a supply chain: regulator, manufacturer, wholesaler1/2 and pharmacy keys, registered at genesis with a product and a batch',
    )
    .option('--config <file>', 'TOML file with these settings (chain_id, validators, voting_period, deposit_period, demo); flags win')
    .option('--add-node', 'add a full (non-validator) node to the running multi-validator localnet in --home and run it')
    .option('--zones <n>', 'run N single-validator zones (chain ids <chain-id>-<i>, homes <home>/zone<i>) with a relayer per pair')
    .option(
      '--init-only',
      'create the homes (and endpoints.json, path files) and exit without starting anything: for containers, where each node is its own `parazone start`',
    )
    .option(
      '--peer <kind>',
      `run one zone (<home>/zone) and an IBC peer chain of this kind (${PEER_KINDS.join(', ')}: ibc-go v10's simapp, <home>/simd) with a relayer between them`,
    )
    .action(async (opts: LocalnetOptions) => {
      const settings = readLocalnetConfig(opts);
      const validators = settings.validators;
      const initOnly = opts.initOnly === true;
      if (opts.addNode) return runAddedNode(cli, spec, initOnly);
      if (opts.peer !== undefined) {
        if (!(PEER_KINDS as readonly string[]).includes(opts.peer)) throw new Error(`--peer must be one of: ${PEER_KINDS.join(', ')}`);
        if (opts.zones !== undefined) throw new Error('--peer runs one zone; it does not combine with --zones');
        if (initOnly) throw new Error('--peer does not combine with --init-only');
        await runPeerSimd(cli, spec, settings.chainId);
        return;
      }
      if (opts.zones !== undefined) {
        const zones = Number(opts.zones);
        if (!Number.isInteger(zones) || zones < 1 || zones > 8) throw new Error('--zones must be between 1 and 8');
        await runZones(cli, spec, settings.chainId, zones, { initOnly });
        return;
      }
      if (validators > 1 || readNetwork(cli.home())) return runNetwork(cli, spec, settings, initOnly);
      return runSingle(cli, spec, settings, initOnly);
    });
}

/**
 * The last edit of a new localnet's genesis: governance periods short enough to see a proposal
 * through in a minute, and with --demo the supply chain of `demoKeys`.
 */
function localnetGenesis(cli: CliContext, spec: ChainSpec, settings: LocalnetSettings, demoKeys: DemoKeys | undefined) {
  return (appState: Record<string, unknown>) => {
    const state = setGovernancePeriods(composeChain(spec), appState, {
      depositSeconds: settings.depositPeriod,
      votingSeconds: settings.votingPeriod,
    });
    return demoKeys ? withDemoState(state, demoKeys, cli.config, new Date()) : state;
  };
}

async function runSingle(cli: CliContext, spec: ChainSpec, settings: LocalnetSettings, initOnly: boolean): Promise<void> {
  const home = cli.home();
  const keyring = new Keyring(home, cli.config.bech32Prefix);
  if (!isInitialized(home)) {
    const [rpcPort, p2pPort, abciPort, grpcPort, apiPort, webPort] = await freePorts(6);
    await initNode({
      home,
      chainId: settings.chainId,
      moniker: 'localnet',
      chain: composeChain(spec),
      rpcPort,
      p2pPort,
      abciAddress: `tcp://127.0.0.1:${abciPort}`,
      app: {
        grpcEnable: true,
        grpcAddress: `127.0.0.1:${grpcPort}`,
        apiEnable: true,
        apiAddress: `127.0.0.1:${apiPort}`,
        apiCorsAllowedOrigins: ['*'],
        webAddress: `127.0.0.1:${webPort}`,
      },
    });
    const faucet = await keyring.add(FAUCET_KEY);
    const funded = addGenesisAccount(readAppState(home), faucet.address, [{ denom: cli.config.bondDenom, amount: FAUCET_FUNDS }]);
    const demoKeys = settings.demo ? await addDemoKeys(keyring) : undefined;
    writeAppState(home, localnetGenesis(cli, spec, settings, demoKeys)(funded));
    console.error(
      `localnet: created a new chain in ${home} (governance: deposit ${settings.depositPeriod} s, voting ${settings.votingPeriod} s${settings.demo ? '; demo supply chain' : ''})`,
    );
  } else {
    console.error(
      `localnet: resuming the chain in ${home} (genesis settings such as --voting-period and --demo apply to a new chain only)`,
    );
  }
  // The endpoints of a single node include the ports its servers bound, known once it runs.
  if (initOnly) return;
  const node = await startNode(home, spec);
  const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
  const rpc = (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://');
  await waitForHeight(rpc, 1, 60_000, { process: node.comet });
  await announce(
    cli,
    home,
    {
      rpc,
      abci: readAppConfig(home).abciAddress,
      grpc: node.api.grpc?.address,
      rest: node.api.rest ? `http://${node.api.rest.address}` : undefined,
      chainId: chainIdOf(home),
      faucet: keyring.get(FAUCET_KEY),
      web: node.web ? `http://127.0.0.1:${node.web.port}` : undefined,
      demo: demoKeysIn(keyring),
    },
    true,
  );
  await node.untilStopped;
}

async function runNetwork(cli: CliContext, spec: ChainSpec, settings: LocalnetSettings, initOnly: boolean): Promise<void> {
  const { chainId, validators } = settings;
  const home = cli.home();
  const keyring = new Keyring(home, cli.config.bech32Prefix);
  let layout = readNetwork(home);
  if (!layout) {
    if (isInitialized(home))
      throw new Error(`${home} holds a single-validator localnet; use another --home for --validators ${validators}`);
    const faucet = await keyring.add(FAUCET_KEY);
    const demoKeys = settings.demo ? await addDemoKeys(keyring) : undefined;
    layout = await createNetwork({
      home,
      chainId,
      validators,
      chain: composeChain(spec),
      api: true,
      accounts: [{ address: faucet.address, coins: [{ denom: cli.config.bondDenom, amount: FAUCET_FUNDS }] }],
      editAppState: localnetGenesis(cli, spec, settings, demoKeys),
    });
    console.error(`localnet: created a ${validators}-validator chain in ${home}`);
  } else {
    console.error(`localnet: resuming the ${layout.nodes.length}-node chain in ${home}`);
  }
  const first = layout.nodes[0]!;
  const endpoints = {
    rpc: first.rpc,
    abci: first.abci,
    grpc: first.grpc,
    rest: first.rest,
    chainId: layout.chainId,
    faucet: keyring.get(FAUCET_KEY),
    nodes: layout.nodes,
    demo: demoKeysIn(keyring),
  };
  if (initOnly) return announce(cli, home, endpoints, false);
  const children = layout.nodes.map((node) => spawnNode(node));
  stopChildrenOnSignal(children);
  await Promise.all(layout.nodes.map((n) => waitForHeight(n.rpc, 1, 90_000)));
  await announce(cli, home, endpoints, true);
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
}

async function runAddedNode(cli: CliContext, spec: ChainSpec, initOnly: boolean): Promise<void> {
  const node = await addFullNode(cli.home(), { home: cli.home(), chain: composeChain(spec), api: true });
  if (initOnly) {
    console.error(`localnet: added full node ${node.name} in ${node.home} (not started)`);
    console.log(JSON.stringify(announcedNode(node), null, 2));
    return;
  }
  console.error(`localnet: added full node ${node.name} (rpc ${node.rpc}); it syncs from the validators`);
  const child = spawnNode(node);
  stopChildrenOnSignal([child]);
  await waitForHeight(node.rpc, 1, 90_000);
  console.log(JSON.stringify(announcedNode(node), null, 2));
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Each node runs as its own `parazone start` (app + CometBFT), logging to <node home>/node.log. */
function spawnNode(node: NetworkNode): ChildProcess {
  return spawnAppProcess({ home: node.home, abciOnly: false, logFile: path.join(node.home, 'node.log') });
}

/** A node's endpoints as endpoints.json and `--add-node` print them. */
function announcedNode(node: NetworkNode): Omit<NonNullable<Endpoints['nodes']>[number], 'validator'> {
  return {
    name: node.name,
    rpc: node.rpc,
    abci: node.abci,
    ...(node.grpc ? { grpc: node.grpc } : {}),
    ...(node.rest ? { rest: node.rest } : {}),
    home: node.home,
  };
}

function stopChildrenOnSignal(children: ChildProcess[]): void {
  const stop = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function chainIdOf(home: string): string {
  return (JSON.parse(fs.readFileSync(path.join(home, 'config', 'genesis.json'), 'utf8')) as { chain_id: string }).chain_id;
}

async function writeRegistryFiles(home: string, nodeHome: string, cli: CliContext): Promise<void> {
  writeChainRegistry(home, await chainFactsOfHome(nodeHome, cli.config));
}

async function announce(
  cli: CliContext,
  home: string,
  facts: {
    rpc: string;
    abci: string;
    grpc?: string;
    rest?: string;
    web?: string;
    chainId: string;
    faucet: { address: string; mnemonic: string };
    nodes?: NetworkNode[];
    demo?: Endpoints['demo'];
  },
  running: boolean,
): Promise<void> {
  const endpoints: Endpoints = {
    chainId: facts.chainId,
    rpc: facts.rpc,
    abci: facts.abci,
    ...(facts.grpc ? { grpc: facts.grpc } : {}),
    ...(facts.rest ? { rest: facts.rest } : {}),
    ...(facts.web ? { web: facts.web } : {}),
    denom: cli.config.bondDenom,
    bech32Prefix: cli.config.bech32Prefix,
    gasPrice: `0.025${cli.config.bondDenom}`,
    faucet: { address: facts.faucet.address, mnemonic: facts.faucet.mnemonic },
    home,
    ...(facts.nodes ? { nodes: facts.nodes.map((n) => ({ ...announcedNode(n), validator: n.validator })) } : {}),
    ...(facts.demo ? { demo: facts.demo } : {}),
  };
  fs.writeFileSync(path.join(home, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
  // Beside it, the chain as a wallet or registry describes it (chain.json, assetlist.json, keplr.json).
  await writeRegistryFiles(home, facts.nodes?.[0]?.home ?? home, cli);
  console.log(JSON.stringify(endpoints, null, 2));
  console.error(
    running
      ? `localnet: running; endpoints in ${path.join(home, 'endpoints.json')}; Ctrl-C to stop`
      : `localnet: created; endpoints in ${path.join(home, 'endpoints.json')}; nothing started`,
  );
}
