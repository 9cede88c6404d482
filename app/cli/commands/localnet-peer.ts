/**
 * `parazone localnet --peer simd`: one Parazone zone (`<home>/zone`, chain id `<chain-id>-1`,
 * gRPC, REST and web page on) and one ibc-go v10 chain (`<home>/simd`: ibc-go's simapp under its
 * own CometBFT, gRPC and REST on, keys `faucet` and `relayer` funded in its test keyring), joined
 * by 07-tendermint clients paired both ways, and one `parazone relay` process between them (path
 * file in `<home>/relayer/`, `"kind": "ibc-go"` on simd's end). Prints every endpoint and how to
 * send tokens across, writes them to `<home>/endpoints.json`; later runs resume both chains.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import type { ChainSpec } from '../../app.js';
import { DEFAULT_COMET_SETTINGS } from '../../loadgen/defaults.js';
import {
  SIMD_CHAIN,
  SIMD_MIN_GAS_PRICE,
  SIMD_PORT_COUNT,
  locateSimd,
  simdPorts,
  startSimdNet,
  type SimdNetwork,
} from '../../loadgen/simd-network.js';
import { freePorts, repoRoot, waitForHeight } from '../../node/cometbft.js';
import { isInitialized } from '../../node/home.js';
import { connectPath, readPathConfig, type PathConfig, type PathEnds } from '../../relayer/index.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';
import { spawnAppProcess } from '../../node/app-process.js';
import { endpointsOf, ensureZone, relayerKey, spawnLogged, type ZoneEndpoints } from './localnet-zones.js';

export const PEER_KINDS = ['simd'] as const;
export type PeerKind = (typeof PEER_KINDS)[number];

export const PEER_SIMD_CHAIN_ID = 'simd-local-1';
const SIMD_FUNDS = '1000000000000000';

/** `<home>/endpoints.json` of a `--peer simd` localnet. */
export interface PeerEndpoints {
  /** Our zone; the peer counts as zone 2 (its relayer key on the zone is `relayer-2`). */
  zone: ZoneEndpoints;
  simd: {
    chainId: string;
    rpc: string;
    grpc?: string;
    rest?: string;
    denom: string;
    bech32Prefix: string;
    gasPrice: string;
    faucet: { address: string; mnemonic: string };
    relayer: string;
    home: string;
    /** The simd binary, for `simd tx` / `simd query` against this chain. */
    binary: string;
  };
  /** The relayer: its path file and log, the paired clients and its process id. */
  relayer: { path: string; log: string; clientOnZone: string; clientOnSimd: string; pid?: number };
  /** Shell commands that move tokens across and show the balances (checked by the localnet test). */
  commands: { zoneToSimd: string; simdToZone: string; zoneBalances: string; simdBalances: string };
}

/** RPC, P2P, ABCI, web page, gRPC and REST. */
const ZONE_PORTS = 6;

/** Brings up (creating on first run) the zone, simd and the relayer; resolves once all are stopped (undefined if stopped while starting). */
export async function runPeerSimd(cli: CliContext, spec: ChainSpec, chainIdBase: string): Promise<PeerEndpoints | undefined> {
  const home = cli.home();
  if (isInitialized(home)) throw new Error(`${home} holds a single-chain localnet; use another --home for --peer simd`);
  fs.mkdirSync(home, { recursive: true });
  const simdBinary = locateSimd();
  const zoneHome = path.join(home, 'zone');
  const simdHome = path.join(home, 'simd');
  // Every new port in one call: ports picked by separate calls can repeat once released.
  const ports = await freePorts(ZONE_PORTS + SIMD_PORT_COUNT);
  const created = !isInitialized(zoneHome);
  await ensureZone(cli, spec, zoneHome, `${chainIdBase}-1`, 1, 2, ports.slice(0, ZONE_PORTS));
  const zone = await endpointsOf(cli, zoneHome, 1, 2);
  console.error(`localnet: ${created ? 'created' : 'resuming'} zone ${zone.chainId} in ${zoneHome}`);

  const children: ChildProcess[] = [spawnAppProcess({ home: zoneHome, abciOnly: false, logFile: path.join(zoneHome, 'node.log') })];
  let simd: SimdNetwork | undefined;
  let stopping = false;
  const signalled = new Promise<void>((resolve) => {
    const onSignal = () => {
      stopping = true;
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  const stopAll = async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await simd?.stop();
    await Promise.all(children.map(exited));
  };
  let ends: PathEnds;
  let pathFile: string;
  try {
    simd = await startSimdNet({
      home: simdHome,
      chainId: PEER_SIMD_CHAIN_ID,
      comet: { ...DEFAULT_COMET_SETTINGS, timeoutCommit: '300ms' },
      accounts: [],
      keys: ['faucet', 'relayer'].map((name) => ({ name, coins: [{ denom: SIMD_CHAIN.bondDenom, amount: SIMD_FUNDS }] })),
      grpc: true,
      rest: true,
      ports: simdPorts(ports.slice(ZONE_PORTS)),
    });
    console.error(`localnet: simd ${simd.chainId} running in ${simdHome}`);
    if (stopping) throw new Error('stopped');
    await waitForHeight(zone.rpc, 2, 90_000);
    pathFile = writePeerPath(cli, home, zone, simd);
    // The clients are paired here, before the relayer starts, so that the commands below name them.
    const connected = await connectPath(
      readPathConfig(pathFile),
      pino({ level: 'warn', base: { svc: 'relayer' } }, pino.destination({ dest: 2, sync: true })),
    );
    ends = connected.ends;
    connected.close();
    if (stopping) throw new Error('stopped');
  } catch (err) {
    await stopAll();
    if (stopping) return undefined;
    throw err;
  }
  const relayerLog = pathFile.replace(/\.json$/, '.log');
  const relayer = spawnLogged(['relay', '--path', pathFile], relayerLog);
  children.push(relayer);

  const facts: Omit<PeerEndpoints, 'commands'> = {
    zone,
    simd: {
      chainId: simd.chainId,
      rpc: simd.rpc,
      ...(simd.grpc ? { grpc: simd.grpc } : {}),
      ...(simd.rest ? { rest: simd.rest } : {}),
      denom: SIMD_CHAIN.bondDenom,
      bech32Prefix: SIMD_CHAIN.bech32Prefix,
      gasPrice: SIMD_MIN_GAS_PRICE,
      faucet: { address: simd.keys.faucet!.address, mnemonic: simd.keys.faucet!.mnemonic },
      relayer: simd.keys.relayer!.address,
      home: simdHome,
      binary: simdBinary,
    },
    relayer: { path: pathFile, log: relayerLog, clientOnZone: ends.clientOnA, clientOnSimd: ends.clientOnB, pid: relayer.pid },
  };
  const endpoints: PeerEndpoints = { ...facts, commands: transferCommands(facts) };
  fs.writeFileSync(path.join(zoneHome, 'endpoints.json'), `${JSON.stringify(zone, null, 2)}\n`);
  fs.writeFileSync(path.join(home, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`, { mode: 0o600 });
  console.log(JSON.stringify(endpoints, null, 2));
  console.error(
    [
      `localnet: zone ${zone.chainId} (${ends.clientOnA}) ⇄ simd ${simd.chainId} (${ends.clientOnB}), relayer log ${relayerLog}`,
      `  our upara to simd:   ${endpoints.commands.zoneToSimd}`,
      `  simd's stake to us:  ${endpoints.commands.simdToZone}`,
      `  balances on simd:    ${endpoints.commands.simdBalances}`,
      `  balances on the zone: ${endpoints.commands.zoneBalances}`,
      `  (a voucher goes home the same way, its denom given as its trace: transfer/${ends.clientOnB}/${zone.denom} on simd, transfer/${ends.clientOnA}/${SIMD_CHAIN.bondDenom} on the zone)`,
      `localnet: running; endpoints in ${path.join(home, 'endpoints.json')}; Ctrl-C to stop`,
    ].join('\n'),
  );
  // Until Ctrl-C, or until a process ends by itself: then the others are stopped too.
  const ended = await Promise.race([
    signalled.then(() => undefined),
    ...children.map((c, i) =>
      exited(c).then(() => (i === 0 ? `the zone (log ${path.join(zoneHome, 'node.log')})` : `the relayer (log ${relayerLog})`)),
    ),
  ]);
  if (ended !== undefined && !stopping) console.error(`localnet: ${ended} stopped; stopping the rest`);
  await stopAll();
  return endpoints;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** The path file: the zone's `relayer-2` key and simd's `relayer` key pay for the relayed txs. */
function writePeerPath(cli: CliContext, home: string, zone: ZoneEndpoints, simd: SimdNetwork): string {
  const zoneKey = new Keyring(zone.home, cli.config.bech32Prefix).get(relayerKey(2));
  const config: PathConfig = {
    a: { chainId: zone.chainId, rpc: zone.rpc, mnemonic: zoneKey.mnemonic, prefix: cli.config.bech32Prefix, gasPrice: zone.gasPrice },
    b: {
      chainId: simd.chainId,
      kind: 'ibc-go',
      rpc: simd.rpc,
      mnemonic: simd.keys.relayer!.mnemonic,
      prefix: SIMD_CHAIN.bech32Prefix,
      gasPrice: SIMD_MIN_GAS_PRICE,
    },
    pollMs: 200,
  };
  const dir = path.join(home, 'relayer');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `path-${zone.chainId}-${simd.chainId}.json`);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/**
 * Sending from the zone is our CLI's `tx ibc transfer` (timeout in unix seconds); from simd,
 * ibc-go's own `tx ibc-transfer transfer` with the client id as its channel, which ibc-go sends
 * as an IBC v2 packet. Its timeout must be absolute and in seconds: a relative one is counted
 * in nanoseconds, far past the 24 hours a v2 packet may wait. The commands run as printed
 * (test/ibcgo/localnet-peer.test.ts runs them).
 */
function transferCommands(ep: Omit<PeerEndpoints, 'commands'>): PeerEndpoints['commands'] {
  const parazone = path.join(repoRoot(), 'bin', 'parazone.js');
  const timeout = '$(( $(date +%s) + 600 ))';
  const msg = `'{"sender":"${ep.zone.faucet.address}","receiver":"${ep.simd.faucet.address}","token":{"denom":"${ep.zone.denom}","amount":"1000"},"sourceClient":"${ep.relayer.clientOnZone}","timeoutTimestamp":"'${timeout}'"}'`;
  const simdNode = `--node ${ep.simd.rpc} --home ${ep.simd.home}`;
  return {
    zoneToSimd: `${parazone} tx ibc transfer ${msg} --from faucet --home ${ep.zone.home}`,
    simdToZone:
      `${ep.simd.binary} tx ibc-transfer transfer transfer ${ep.relayer.clientOnSimd} ${ep.zone.faucet.address} 1000${ep.simd.denom}` +
      ` --absolute-timeouts --packet-timeout-timestamp ${timeout} --from faucet --keyring-backend test ${simdNode}` +
      ` --chain-id ${ep.simd.chainId} --gas auto --gas-adjustment 1.5 --gas-prices ${ep.simd.gasPrice} -y`,
    zoneBalances: `${parazone} query bank balances ${ep.zone.faucet.address} --home ${ep.zone.home}`,
    // Our simd build has no query commands; its REST API answers bank queries.
    simdBalances: `curl -s ${ep.simd.rest}/cosmos/bank/v1beta1/balances/${ep.simd.faucet.address}`,
  };
}
