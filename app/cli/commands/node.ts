import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { composeChain, type ChainSpec, type ComposedChain } from '../../app.js';
import { parseCoins } from '../../types/coins.js';
import { readAppConfig, type AppConfig } from '../../node/app-config.js';
import { startApiServers, type ApiServers } from '../../node/api-servers.js';
import { startAppNode, type AppNode } from '../../node/app-node.js';
import { CometbftProcess, patchGenesis, readGenesis, readNodeConfig, repoRoot, rpcCall, validatorOfHome } from '../../node/cometbft.js';
import { assertCometbftDatabasesFree, databaseLockHolders, stopLeftoverCometbft } from '../../node/cometbft-leftover.js';
import { chainFactsOfHome, writeChainRegistry } from '../../node/chain-registry.js';
import { exportGenesis } from '../../node/export.js';
import { addGenesisAccount, readAppState, validateAppState, writeAppState } from '../../node/genesis.js';
import { initNode } from '../../node/home.js';
import { splitWebAddress, startWebServer, zoneRpcPaths, type WebServer } from '../../node/web-server.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';

/** `init`, `genesis …` and `start`: what a validator runs, in the conventions of simd/gaiad. */
export function registerNode(program: Command, cli: CliContext, spec: ChainSpec): void {
  program
    .command('init <moniker>')
    .description("create a node home: CometBFT keys and config, app.toml, and a genesis with every module's defaults")
    .option('--chain-id <id>', 'chain id', 'parazone-1')
    .option('--rpc-port <port>', 'CometBFT RPC port on 127.0.0.1', '26657')
    .option('--p2p-port <port>', 'CometBFT P2P port', '26656')
    .option('--abci-port <port>', 'port the app serves ABCI on, on 127.0.0.1 (app.toml [abci] address, config.toml proxy_app)', '26658')
    .action(async (moniker: string, opts: { chainId: string; rpcPort: string; p2pPort: string; abciPort: string }) => {
      const rpcPort = port('--rpc-port', opts.rpcPort);
      const p2pPort = port('--p2p-port', opts.p2pPort);
      const abciPort = port('--abci-port', opts.abciPort);
      if (new Set([rpcPort, p2pPort, abciPort]).size < 3)
        throw new Error(`--rpc-port, --p2p-port and --abci-port must differ, got ${rpcPort}, ${p2pPort}, ${abciPort}`);
      const abciAddress = `tcp://127.0.0.1:${abciPort}`;
      // A node made by hand serves gRPC and REST on the SDK's default ports, as simd's does.
      await initNode({
        home: cli.home(),
        chainId: opts.chainId,
        moniker,
        chain: composeChain(spec),
        rpcPort,
        p2pPort,
        abciAddress,
        app: { grpcEnable: true, apiEnable: true },
      });
      cli.print({ home: cli.home(), chainId: opts.chainId, moniker, rpc: `http://127.0.0.1:${rpcPort}`, p2pPort, abci: abciAddress });
    });

  const genesis = program.command('genesis').description('edit and check genesis.json');
  genesis
    .command('add-account <address-or-key> <coins>')
    .description('add a funded account to genesis, e.g. add-account alice 1000000upara')
    .action(async (who: string, coins: string) => {
      const address = who.startsWith(`${cli.config.bech32Prefix}1`)
        ? who
        : new Keyring(cli.home(), cli.config.bech32Prefix).get(who).address;
      cli.config.addresses.decode(address);
      writeAppState(cli.home(), addGenesisAccount(readAppState(cli.home()), address, parseCoins(coins)));
      cli.print({ address, coins });
    });
  genesis
    .command('add-validator <node-home>')
    .description("add the validator key of another node's home (its config/priv_validator_key.json) to this genesis")
    .option('--power <n>', 'voting power', '10')
    .option('--name <name>', 'validator name')
    .action(async (nodeHome: string, opts: { power: string; name?: string }) => {
      const power = Number(opts.power);
      if (!Number.isInteger(power) || power <= 0) throw new Error(`--power must be a positive integer, got "${opts.power}"`);
      const validator = await validatorOfHome(path.resolve(nodeHome), power, opts.name ?? path.basename(nodeHome));
      const current = (await readGenesis(cli.home())).validators ?? [];
      if (current.some((v) => v.address === validator.address))
        throw new Error(`validator ${validator.address} is already in this genesis`);
      await patchGenesis(cli.home(), { validators: [...current, validator] });
      cli.print({ address: validator.address, power, validators: current.length + 1 });
    });
  genesis
    .command('validate')
    .description('check genesis app_state the way InitChain will')
    .action(() => {
      validateAppState(composeChain(spec), readAppState(cli.home()));
      cli.print({ valid: true });
    });

  program
    .command('status')
    .description('height, app hash, peers and sync state of a running node')
    .option('--node <url>', 'CometBFT RPC endpoint (default: the one in <home>/endpoints.json)')
    .action(async (opts: { node?: string }) => {
      const rpc = opts.node ?? cli.defaultNode();
      const status = await rpcCall<NodeStatusFull>(rpc, 'status', {});
      const net = await rpcCall<{ n_peers: string; peers: { node_info: { id: string; moniker: string } }[] }>(rpc, 'net_info', {});
      cli.print({
        chainId: status.node_info.network,
        moniker: status.node_info.moniker,
        nodeId: status.node_info.id,
        cometbft: status.node_info.version,
        height: Number(status.sync_info.latest_block_height),
        appHash: status.sync_info.latest_app_hash,
        blockTime: status.sync_info.latest_block_time,
        catchingUp: status.sync_info.catching_up,
        earliestHeight: Number(status.sync_info.earliest_block_height),
        peers: net.peers.map((p) => ({ id: p.node_info.id, moniker: p.node_info.moniker })),
        validator: { address: status.validator_info.address, votingPower: Number(status.validator_info.voting_power) },
      });
    });

  program
    .command('chain-registry')
    .description(
      "write chain.json and assetlist.json (cosmos/chain-registry) and keplr.json (Keplr's experimentalSuggestChain) for the node in --home",
    )
    .option('--out <dir>', 'directory for the files (default: the home)')
    .option('--network-type <type>', 'mainnet, testnet or devnet', 'devnet')
    .action(async (opts: { out?: string; networkType: string }) => {
      if (!['mainnet', 'testnet', 'devnet'].includes(opts.networkType))
        throw new Error(`--network-type must be mainnet, testnet or devnet, got "${opts.networkType}"`);
      const facts = await chainFactsOfHome(cli.home(), cli.config, opts.networkType as 'mainnet' | 'testnet' | 'devnet');
      cli.print({ files: writeChainRegistry(opts.out ?? cli.home(), facts) });
    });

  program
    .command('export')
    .description('write the app_state of the latest committed height as genesis JSON (stop the node first)')
    .option('--out <file>', 'write the full genesis.json here instead of stdout')
    .action(async (opts: { out?: string }) => {
      const exported = await exportGenesis(cli.home(), spec);
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (opts.out) fs.writeFileSync(opts.out, text);
      else process.stdout.write(text);
    });

  program
    .command('start')
    .description('start the app and its CometBFT node (Ctrl-C or SIGTERM stops both cleanly)')
    .option('--abci-only', 'serve ABCI only; run CometBFT yourself against app.toml [abci] address')
    .option('--log-level <level>', 'log level (overrides app.toml)')
    .option('--executor <mode>', 'FinalizeBlock executor: parallel or sequential (overrides app.toml [executor] mode)')
    .action(async (opts: { abciOnly?: boolean; logLevel?: string; executor?: string }) => {
      if (opts.executor !== undefined && opts.executor !== 'parallel' && opts.executor !== 'sequential') {
        throw new Error(`--executor must be "parallel" or "sequential", got "${opts.executor}"`);
      }
      const running = await startNode(cli.home(), spec, {
        abciOnly: opts.abciOnly,
        logLevel: opts.logLevel,
        executorMode: opts.executor as 'parallel' | 'sequential' | undefined,
      });
      await running.untilStopped;
    });
}

function port(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${flag} must be a port number from 1 to 65535, got "${value}"`);
  return n;
}

export interface RunningNode {
  readonly chain: ComposedChain;
  readonly app: AppNode;
  readonly comet?: CometbftProcess;
  /** The gRPC server and REST gateway, as app.toml enables them. */
  readonly api: ApiServers;
  /** The web page and its RPC proxy, when app.toml `[web] address` is set. */
  readonly web?: WebServer;
  readonly logger: Logger;
  /** Resolves once both processes are down (after a signal or CometBFT's exit). */
  readonly untilStopped: Promise<void>;
  stop(): Promise<void>;
}

/** Starts app + CometBFT on an initialized home and stops both on SIGINT/SIGTERM. */
export async function startNode(
  home: string,
  spec: ChainSpec,
  options: { abciOnly?: boolean; logLevel?: string; executorMode?: 'parallel' | 'sequential' } = {},
): Promise<RunningNode> {
  if (!fs.existsSync(path.join(home, 'config', 'genesis.json'))) {
    throw new Error(`${home} has no node; create one with 'parazone init <moniker> --home ${home}' (or run 'npm run localnet')`);
  }
  const appConfig = readAppConfig(home);
  const logger = pino({ level: options.logLevel ?? appConfig.logLevel, base: { svc: 'parazone' } }, pino.destination(2));
  const chain = composeChain(spec);
  const logLeftover = (message: string) => logger.warn(message);
  if (!options.abciOnly) {
    // Before the app listens: a leftover CometBFT must never get to talk to the new app.
    await stopLeftoverCometbft(home, logLeftover);
    assertCometbftDatabasesFree(home);
  }
  const app = await startAppNode({
    home,
    chain,
    abciAddress: appConfig.abciAddress,
    logger,
    metricsAddress: appConfig.metricsAddress,
    minGasPrice: appConfig.minGasPrice,
    executorMode: options.executorMode,
  });
  const api = await startApiServers(home, chain, app, appConfig, logger).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  const comet = options.abciOnly
    ? undefined
    : await CometbftProcess.start(home, { log: logLeftover }).catch(async (err: unknown) => {
        await api.close();
        await app.close(); // or the listening app would keep this process alive after the error
        throw err;
      });
  const web = comet && appConfig.webAddress ? await startWeb(home, chain, appConfig, logger) : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await web?.close();
      // CometBFT first: it must not see the app vanish (it would log a crash and exit by itself).
      if (comet) await comet.stop();
      await api.close();
      await app.close();
      logger.info('stopped');
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    void stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const untilStopped = new Promise<void>((resolve) => {
    if (comet) {
      void comet.exited.then(async (info) => {
        if (!stopping) {
          const tail = await comet.logTail(20);
          const locked = tail.includes('resource temporarily unavailable')
            ? { hint: `another process holds CometBFT's databases in ${home}/data (${describeLockHolders(home)}); stop it and start again` }
            : {};
          logger.error({ ...info, log: comet.logFile, ...locked }, 'CometBFT exited unexpectedly; stopping the app');
          process.exitCode = 1;
        }
        await stop();
        resolve();
      });
    } else {
      process.once('SIGINT', () => void stop().then(resolve));
      process.once('SIGTERM', () => void stop().then(resolve));
    }
  });
  return { chain, app, comet, api, web, logger, untilStopped, stop };
}

/** The web page at `[web] address`, proxying `/rpc` to this node's CometBFT RPC and `/zones/<n>/rpc` to the other zones'. */
async function startWeb(home: string, chain: ComposedChain, appConfig: AppConfig, logger: Logger): Promise<WebServer> {
  const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
  const rpcUrl = (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://');
  const chainId = ((await readGenesis(home)) as { chain_id: string }).chain_id;
  const endpointsFile = path.join(home, 'endpoints.json');
  const [host, port] = splitWebAddress(appConfig.webAddress);
  const web = await startWebServer({
    host,
    port,
    staticDir: path.join(repoRoot(), 'dist', 'web'),
    rpcUrl,
    zoneRpcUrls: appConfig.webZoneRpcs,
    clientConfig: () => {
      // A demo localnet's devnet keys, offered by the page (and marked there as devnet-only).
      const demo = fs.existsSync(endpointsFile)
        ? (JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as { demo?: unknown; faucet?: unknown })
        : {};
      return {
        chainId,
        bech32Prefix: chain.config.bech32Prefix,
        denom: chain.config.bondDenom,
        gasPrice: `0.025${chain.config.bondDenom}`,
        zones: zoneRpcPaths(appConfig.webZoneRpcs.length),
        ...(demo.demo ? { demo: demo.demo, faucet: demo.faucet } : {}),
      };
    },
  });
  logger.info({ url: `http://${host}:${web.port}` }, 'serving the web page');
  return web;
}

function describeLockHolders(home: string): string {
  const holders = databaseLockHolders(home);
  return holders.length > 0 ? holders.map((h) => `${h.file} locked by process ${h.pid}`).join('; ') : 'which one cannot be seen from here';
}

interface NodeStatusFull {
  node_info: { id: string; network: string; version: string; moniker: string };
  sync_info: {
    latest_block_height: string;
    latest_app_hash: string;
    latest_block_time: string;
    catching_up: boolean;
    earliest_block_height: string;
  };
  validator_info: { address: string; voting_power: string };
}
