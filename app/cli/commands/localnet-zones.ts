/**
 * `parazone localnet --zones N`: N single-validator zones, each its own chain id
 * (`<chain-id>-<i>`), CometBFT and home `<home>/zone<i>` (with endpoints.json), plus one
 * `parazone relay` process per pair of zones (path files in `<home>/relayer/`). Each zone serves
 * the web page, whose Explorer reads every zone through that zone's `[web] zone_rpcs` proxies.
 * The first run creates everything; later runs resume the same zones (the relayers find their
 * paths on chain).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ChainSpec } from '../../app.js';
import { composeChain } from '../../app.js';
import { readAppConfig, writeAppConfig } from '../../node/app-config.js';
import { spawnAppProcess } from '../../node/app-process.js';
import { freePorts, readNodeConfig, waitForHeight } from '../../node/cometbft.js';
import { addGenesisAccount, readAppState, writeAppState } from '../../node/genesis.js';
import { initNode, isInitialized } from '../../node/home.js';
import type { PathConfig } from '../../relayer/config.js';
import type { CliContext } from '../context.js';
import { Keyring } from '../keyring.js';
import { cliNodeArgs } from '../self.js';
import { FAUCET_FUNDS, FAUCET_KEY, type Endpoints } from './localnet.js';

/** Each zone holds one relayer key per other zone, so the relayers of different paths never race on an account sequence. */
export const relayerKey = (otherZone: number) => `relayer-${otherZone}`;
const RELAYER_FUNDS = '100000000000';

/** A zone's endpoints.json: the single-chain localnet's, plus this zone's relayer keys. */
export interface ZoneEndpoints extends Endpoints {
  /** Relayer key addresses on this zone, by the other zone's number. */
  relayers: Record<string, string>;
}

export interface ZonesLayout {
  zones: ZoneEndpoints[];
  /** Each relayer process with its path file, log and process id (to pause or stop it). */
  relayers: { path: string; log: string; a: string; b: string; pid?: number }[];
}

export function zoneHome(home: string, i: number): string {
  return path.join(home, `zone${i}`);
}

/**
 * Creates zone `i` (1-based) of `count` if its home is empty: genesis with a faucet and a relayer
 * key per other zone, funded. With two more ports (`ports` [4] and [5]) it also serves gRPC and REST.
 */
export async function ensureZone(
  cli: CliContext,
  spec: ChainSpec,
  home: string,
  chainId: string,
  i: number,
  count: number,
  ports: number[],
): Promise<void> {
  if (isInitialized(home)) return;
  const [rpcPort, p2pPort, abciPort, webPort, grpcPort, apiPort] = ports as [number, number, number, number, number?, number?];
  const servers =
    grpcPort !== undefined && apiPort !== undefined
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
    moniker: path.basename(home),
    chain: composeChain(spec),
    rpcPort,
    p2pPort,
    abciAddress: `tcp://127.0.0.1:${abciPort}`,
    app: { webAddress: `127.0.0.1:${webPort}`, ...servers },
    timeouts: { commit: '300ms', propose: '1s' },
  });
  const keyring = new Keyring(home, cli.config.bech32Prefix);
  const faucet = await keyring.add(FAUCET_KEY);
  let appState = readAppState(home);
  appState = addGenesisAccount(appState, faucet.address, [{ denom: cli.config.bondDenom, amount: FAUCET_FUNDS }]);
  for (let k = 1; k <= count; k++) {
    if (k === i) continue;
    const relayer = await keyring.add(relayerKey(k));
    appState = addGenesisAccount(appState, relayer.address, [{ denom: cli.config.bondDenom, amount: RELAYER_FUNDS }]);
  }
  writeAppState(home, appState);
}

export async function endpointsOf(cli: CliContext, home: string, i: number, count: number): Promise<ZoneEndpoints> {
  const keyring = new Keyring(home, cli.config.bech32Prefix);
  const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
  const genesis = JSON.parse(fs.readFileSync(path.join(home, 'config', 'genesis.json'), 'utf8')) as { chain_id: string };
  const faucet = keyring.get(FAUCET_KEY);
  const appConfig = readAppConfig(home);
  return {
    chainId: genesis.chain_id,
    rpc: (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://'),
    abci: appConfig.abciAddress,
    ...(appConfig.grpcEnable ? { grpc: appConfig.grpcAddress } : {}),
    ...(appConfig.apiEnable ? { rest: `http://${appConfig.apiAddress}` } : {}),
    ...(appConfig.webAddress ? { web: `http://${appConfig.webAddress}` } : {}),
    denom: cli.config.bondDenom,
    bech32Prefix: cli.config.bech32Prefix,
    gasPrice: `0.025${cli.config.bondDenom}`,
    faucet: { address: faucet.address, mnemonic: faucet.mnemonic },
    relayers: Object.fromEntries(
      Array.from({ length: count }, (_, k) => k + 1)
        .filter((k) => k !== i && keyring.list().some((key) => key.name === relayerKey(k)))
        .map((k) => [String(k), keyring.get(relayerKey(k)).address]),
    ),
    home,
  };
}

/** The path file joining zones number `i` and `j`, with the relayer key each holds for the other. */
function writePath(cli: CliContext, dir: string, a: ZoneEndpoints, i: number, b: ZoneEndpoints, j: number): string {
  const key = (z: ZoneEndpoints, other: number) => {
    const keyring = new Keyring(z.home, cli.config.bech32Prefix);
    if (!keyring.list().some((k) => k.name === relayerKey(other))) {
      throw new Error(`${z.home} has no relayer key for zone ${other}: it was created with fewer zones; use a fresh --home`);
    }
    return keyring.get(relayerKey(other)).mnemonic;
  };
  const config: PathConfig = {
    a: { chainId: a.chainId, rpc: a.rpc, mnemonic: key(a, j), prefix: cli.config.bech32Prefix, gasPrice: a.gasPrice },
    b: { chainId: b.chainId, rpc: b.rpc, mnemonic: key(b, i), prefix: cli.config.bech32Prefix, gasPrice: b.gasPrice },
    pollMs: 200,
  };
  const file = path.join(dir, `path-${a.chainId}-${b.chainId}.json`);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** RPC, P2P, ABCI and web page. */
const PORTS_PER_ZONE = 4;

/** Names the other zones' RPCs in this zone's app.toml, so its web page can show every zone. */
function linkZoneRpcs(home: string, others: ZoneEndpoints[]): void {
  const config = readAppConfig(home);
  writeAppConfig(home, { ...config, webZoneRpcs: others.map((z) => z.rpc) });
}

/** A `parazone <args>` process logging to `logFile`. */
export function spawnLogged(args: string[], logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [...cliNodeArgs(), ...args], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  return child;
}

/**
 * Brings up (creating on first run) `count` zones and a relayer per pair; resolves when they are
 * stopped. With `initOnly`, creates the zones, their endpoints.json and the path files, and starts nothing.
 */
export async function runZones(
  cli: CliContext,
  spec: ChainSpec,
  chainIdBase: string,
  count: number,
  options: { initOnly?: boolean } = {},
): Promise<ZonesLayout> {
  const home = cli.home();
  if (isInitialized(home)) throw new Error(`${home} holds a single-chain localnet; use another --home for --zones ${count}`);
  fs.mkdirSync(home, { recursive: true });
  const zones: ZoneEndpoints[] = [];
  // Every new zone's ports in one call: ports picked by separate calls can repeat once released.
  const ports = await freePorts(PORTS_PER_ZONE * count);
  for (let i = 1; i <= count; i++) {
    const zh = zoneHome(home, i);
    const created = !isInitialized(zh);
    await ensureZone(cli, spec, zh, `${chainIdBase}-${i}`, i, count, ports.slice(PORTS_PER_ZONE * (i - 1), PORTS_PER_ZONE * i));
    zones.push(await endpointsOf(cli, zh, i, count));
    console.error(`localnet: ${created ? 'created' : 'resuming'} zone ${zones[i - 1]!.chainId} in ${zh}`);
  }
  for (const z of zones)
    linkZoneRpcs(
      z.home,
      zones.filter((other) => other !== z),
    );
  // Path files first: a zone created with fewer zones fails here, before anything is started.
  const relayerDir = path.join(home, 'relayer');
  fs.mkdirSync(relayerDir, { recursive: true });
  const relayers: ZonesLayout['relayers'] = [];
  for (let i = 0; i < zones.length; i++) {
    for (let j = i + 1; j < zones.length; j++) {
      const file = writePath(cli, relayerDir, zones[i]!, i + 1, zones[j]!, j + 1);
      relayers.push({ path: file, log: file.replace(/\.json$/, '.log'), a: zones[i]!.chainId, b: zones[j]!.chainId });
    }
  }
  if (options.initOnly) {
    const layout = writeLayout(home, { zones, relayers });
    console.error(
      `localnet: created ${zones.length} zones and ${relayers.length} path file(s); layout in ${path.join(home, 'zones.json')}; nothing started`,
    );
    return layout;
  }
  const children: ChildProcess[] = zones.map((z) =>
    spawnAppProcess({ home: z.home, abciOnly: false, logFile: path.join(z.home, 'node.log') }),
  );
  let stopping = false;
  const stop = () => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.all(zones.map((z) => waitForHeight(z.rpc, 2, 90_000)));
  } catch (err) {
    stop();
    throw err;
  }
  for (const r of relayers) {
    if (stopping) break;
    const child = spawnLogged(['relay', '--path', r.path], r.log);
    children.push(child);
    r.pid = child.pid;
  }
  const layout = writeLayout(home, { zones, relayers });
  console.error(
    `localnet: ${zones.length} zones and ${relayers.length} relayer(s) running; layout in ${path.join(home, 'zones.json')}; Ctrl-C to stop`,
  );
  await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(undefined) : c.once('exit', resolve)))));
  return layout;
}

/** Each zone's endpoints.json and the whole layout in <home>/zones.json, which is also printed. */
function writeLayout(home: string, layout: ZonesLayout): ZonesLayout {
  for (const z of layout.zones) fs.writeFileSync(path.join(z.home, 'endpoints.json'), `${JSON.stringify(z, null, 2)}\n`);
  fs.writeFileSync(path.join(home, 'zones.json'), `${JSON.stringify(layout, null, 2)}\n`);
  console.log(JSON.stringify(layout, null, 2));
  return layout;
}
