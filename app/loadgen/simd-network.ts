/**
 * A single-validator Cosmos SDK network for a load run, the peer our chain is measured against:
 * the project-built simd (`.tools/bin/simd`, ibc-go's simapp, built by scripts/install-simd.sh)
 * as a standalone ABCI app (`simd start --with-comet=false`) under the same CometBFT binary and
 * config.toml settings as our localnet and the kvstore ceiling (network.ts).
 *
 * The home is shared by both processes, as with our chain: simd's `init`, `gentx` and
 * `collect-gentxs` make the keys and the SDK genesis; the SDK's genesis file format is then
 * rewritten into CometBFT's (consensus params and validators at the top level), and the load
 * accounts are added with explicit account numbers 0, 1, 2, … (the SDK keeps given numbers).
 */
import { BaseError } from '../types/base-error.js';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml, stringify as stringifyToml, type TomlTable } from 'smol-toml';
import { configPath, freePorts, genesisPath, repoRoot, writeNodeConfig } from '../node/cometbft.js';
import { spawnLogged } from '../node/app-process.js';
import { formatGenesis } from '../node/genesis.js';
import type { Coin } from '../types/coins.js';
import { applyCometSettings, cometTimeouts, startAppUnderComet, type CometSettings, type LocalNetwork } from './network.js';

const execFileAsync = promisify(execFile);

/** simd's address prefix and bond denom (the SDK's defaults). */
export const SIMD_CHAIN = { bech32Prefix: 'cosmos', bondDenom: 'stake' } as const;

/** simd's own CheckTx floor (app.toml minimum-gas-prices): the same 0.025 per gas our chain asks. */
export const SIMD_MIN_GAS_PRICE = `0.025${SIMD_CHAIN.bondDenom}`;

const VALIDATOR_KEY = 'validator';

export class SimdNotFoundError extends BaseError {
  constructor(readonly path: string) {
    super(`simd is not installed at ${path}. Run \`npm run setup\` (scripts/install-simd.sh builds it into .tools/bin; needs Go).`);
  }
}

/** `<repo>/.tools/bin/simd`, or SimdNotFoundError. */
export function locateSimd(): string {
  const binary = path.join(repoRoot(), '.tools', 'bin', 'simd');
  try {
    fs.accessSync(binary, fs.constants.X_OK);
  } catch {
    throw new SimdNotFoundError(binary);
  }
  return binary;
}

export interface SimdNetOptions {
  readonly home: string;
  readonly chainId: string;
  readonly comet: CometSettings;
  /** Genesis balances: account numbers follow this order (0, 1, 2, …). */
  readonly accounts: readonly { address: string; coins: Coin[] }[];
  /**
   * Keys made in simd's own keyring (`--keyring-backend test`, so `simd tx ... --from <name>`
   * signs with them) and funded at genesis after `accounts`.
   */
  readonly keys?: readonly { name: string; coins: Coin[] }[];
  /**
   * Serve gRPC on a free loopback port. The SDK registers its tx service (the Simulate query a
   * cosmjs client estimates gas with) only when the gRPC or API server runs; an IBC peer needs it.
   */
  readonly grpc?: boolean;
  /** Serve the SDK's REST API (gRPC-gateway) on a free loopback port. */
  readonly rest?: boolean;
  /** Ports picked by the caller (with its own, in one freePorts call, so that none repeats); default free ones. */
  readonly ports?: SimdPorts;
}

export interface SimdPorts {
  readonly rpc: number;
  readonly p2p: number;
  readonly abci: number;
  readonly grpc: number;
  readonly rest: number;
}

export const SIMD_PORT_COUNT = 5;

export function simdPorts(ports: readonly number[]): SimdPorts {
  const [rpc, p2p, abci, grpc, rest] = ports as [number, number, number, number, number];
  return { rpc, p2p, abci, grpc, rest };
}

export interface SimdKeyInfo {
  readonly address: string;
  readonly mnemonic: string;
}

export interface SimdNetwork extends LocalNetwork {
  /** host:port of gRPC and URL of REST, when on. */
  readonly grpc?: string;
  readonly rest?: string;
  /** The keys of `keys`, by name. */
  readonly keys: Readonly<Record<string, SimdKeyInfo>>;
}

/** Where the home keeps the mnemonics of its named keys (the keyring cannot give them back). */
const keysFile = (home: string) => path.join(home, 'keys.json');

/** True once `home` holds a simd chain made by startSimdNet (a later start resumes it). */
export function isSimdHome(home: string): boolean {
  return fs.existsSync(keysFile(home)) && fs.existsSync(genesisPath(home));
}

/**
 * Creates the chain in `home` (unless isSimdHome: then it resumes it, on the ports of its config
 * files) and starts simd and its CometBFT.
 */
export async function startSimdNet(options: SimdNetOptions): Promise<SimdNetwork> {
  const { home, chainId } = options;
  const binary = locateSimd();
  if (!isSimdHome(home)) await initSimdHome(binary, options);
  const ends = readSimdEndpoints(home);
  const keys = JSON.parse(fs.readFileSync(keysFile(home), 'utf8')) as Record<string, SimdKeyInfo>;
  const net = await startAppUnderComet({
    kind: 'simd',
    home,
    chainId,
    spawnApp: (appLog) =>
      spawnLogged(
        binary,
        [
          'start',
          '--with-comet=false',
          '--transport',
          'socket',
          '--address',
          `tcp://127.0.0.1:${ends.abci}`,
          '--home',
          home,
          '--log_level',
          'warn',
        ],
        appLog,
      ),
    abciPort: ends.abci,
    rpcPort: ends.rpc,
  });
  return { ...net, keys, ...(ends.grpc ? { grpc: ends.grpc } : {}), ...(ends.rest ? { rest: ends.rest } : {}) };
}

async function initSimdHome(binary: string, options: SimdNetOptions): Promise<void> {
  const { home, chainId } = options;
  const ports = options.ports ?? simdPorts(await freePorts(SIMD_PORT_COUNT));
  const simd = async (...args: string[]) => {
    try {
      return await execFileAsync(binary, [...args, '--home', home], { timeout: 60_000 });
    } catch (err) {
      throw new Error(`simd ${args.join(' ')} failed: ${(err as Error).message}\n${(err as { stderr?: string }).stderr ?? ''}`);
    }
  };
  const keyring = ['--keyring-backend', 'test'];
  const stake = `1000000000000${SIMD_CHAIN.bondDenom}`;
  await simd('init', 'loadgen', '--chain-id', chainId, '--default-denom', SIMD_CHAIN.bondDenom);
  await simd('keys', 'add', VALIDATOR_KEY, ...keyring);
  await simd('genesis', 'add-genesis-account', VALIDATOR_KEY, stake, ...keyring);
  await simd('genesis', 'gentx', VALIDATOR_KEY, `100000000000${SIMD_CHAIN.bondDenom}`, '--chain-id', chainId, ...keyring);
  await simd('genesis', 'collect-gentxs');
  const keys: Record<string, SimdKeyInfo> = {};
  for (const key of options.keys ?? []) {
    // The SDK prints the new key (with its mnemonic) as JSON on stderr.
    const { stdout, stderr } = await simd('keys', 'add', key.name, ...keyring, '--output', 'json');
    const made = JSON.parse(stdout.trim() || stderr.trim()) as { address: string; mnemonic: string };
    keys[key.name] = { address: made.address, mnemonic: made.mnemonic };
  }

  const appState = toCometGenesis(home);
  writeSimdAppConfig(home, options.grpc ? ports.grpc : undefined, options.rest ? ports.rest : undefined);
  await writeNodeConfig(home, {
    proxyApp: `tcp://127.0.0.1:${ports.abci}`,
    rpcPort: ports.rpc,
    p2pPort: ports.p2p,
    moniker: 'simd',
    timeouts: cometTimeouts(options.comet),
  });
  await applyCometSettings(home, options.comet);
  // Last, after applyCometSettings rewrote the file: formatGenesis keeps a large app_state compact.
  const genesis = JSON.parse(fs.readFileSync(genesisPath(home), 'utf8')) as Record<string, unknown>;
  const funded = [...options.accounts, ...(options.keys ?? []).map((k) => ({ address: keys[k.name]!.address, coins: k.coins }))];
  fs.writeFileSync(genesisPath(home), formatGenesis({ ...genesis, app_state: withSimdAccounts(appState, funded) }));
  // Written last: its presence marks a complete home (isSimdHome).
  fs.writeFileSync(keysFile(home), `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
}

/** What a home's config files name: CometBFT's RPC and proxy_app ports, app.toml's gRPC address and REST URL (when on). */
function readSimdEndpoints(home: string): { rpc: number; abci: number; grpc?: string; rest?: string } {
  const port = (address: string) => Number(address.slice(address.lastIndexOf(':') + 1));
  const comet = parseToml(fs.readFileSync(configPath(home), 'utf8')) as { proxy_app: string; rpc: { laddr: string } };
  const app = parseToml(fs.readFileSync(path.join(home, 'config', 'app.toml'), 'utf8')) as {
    grpc?: { enable?: boolean; address?: string };
    api?: { enable?: boolean; address?: string };
  };
  return {
    rpc: port(comet.rpc.laddr),
    abci: port(comet.proxy_app),
    ...(app.grpc?.enable && app.grpc.address ? { grpc: app.grpc.address } : {}),
    ...(app.api?.enable && app.api.address ? { rest: app.api.address.replace(/^tcp:/, 'http:') } : {}),
  };
}

interface SdkGenesis {
  genesis_time: string;
  chain_id: string;
  initial_height: number | string;
  app_hash: string | null;
  app_state: Record<string, unknown>;
  consensus: { params: Record<string, unknown>; validators?: unknown[] | null };
}

/**
 * Rewrites the SDK's genesis file (validators and params under `consensus`) in CometBFT's format,
 * which the external CometBFT reads; returns its app_state. The validator set stays empty: the
 * staking module returns it from InitChain (from the gentx).
 */
function toCometGenesis(home: string): Record<string, unknown> {
  const sdk = JSON.parse(fs.readFileSync(genesisPath(home), 'utf8')) as SdkGenesis;
  const comet = {
    genesis_time: sdk.genesis_time,
    chain_id: sdk.chain_id,
    initial_height: String(sdk.initial_height),
    consensus_params: sdk.consensus.params,
    validators: sdk.consensus.validators ?? [],
    app_hash: sdk.app_hash ?? '',
    app_state: sdk.app_state,
  };
  fs.writeFileSync(genesisPath(home), formatGenesis(comet));
  return sdk.app_state;
}

/**
 * The load accounts as auth BaseAccounts numbered 0…n-1 (the validator's account moves after
 * them) and bank balances; bank supply is emptied so InitGenesis recomputes it from the balances.
 */
export function withSimdAccounts(
  appState: Record<string, unknown>,
  accounts: readonly { address: string; coins: Coin[] }[],
): Record<string, unknown> {
  const auth = appState.auth as { accounts: Record<string, unknown>[] };
  const bank = appState.bank as { balances: { address: string; coins: Coin[] }[]; supply: Coin[] };
  const existing = auth.accounts.map((a, i) => ({ ...a, account_number: String(accounts.length + i) }));
  const load = accounts.map((a, i) => ({
    '@type': '/cosmos.auth.v1beta1.BaseAccount',
    address: a.address,
    pub_key: null,
    account_number: String(i),
    sequence: '0',
  }));
  return {
    ...appState,
    auth: { ...auth, accounts: [...load, ...existing] },
    bank: { ...bank, balances: [...bank.balances, ...accounts.map((a) => ({ address: a.address, coins: a.coins }))], supply: [] },
  };
}

/**
 * app.toml: the minimum gas price, and no API or gRPC (unless asked for) or telemetry servers (the
 * load goes through CometBFT's RPC, as with our chain). Everything else stays at the SDK's defaults.
 */
function writeSimdAppConfig(home: string, grpcPort?: number, restPort?: number): void {
  const file = path.join(home, 'config', 'app.toml');
  const config = parseToml(fs.readFileSync(file, 'utf8'));
  config['minimum-gas-prices'] = SIMD_MIN_GAS_PRICE;
  for (const section of ['api', 'grpc', 'grpc-web']) ((config[section] ?? {}) as TomlTable).enable = false;
  if (grpcPort !== undefined) Object.assign((config.grpc ?? {}) as TomlTable, { enable: true, address: `127.0.0.1:${grpcPort}` });
  if (restPort !== undefined)
    Object.assign((config.api ?? {}) as TomlTable, { enable: true, address: `tcp://127.0.0.1:${restPort}`, 'enabled-unsafe-cors': true });
  ((config.telemetry ?? {}) as TomlTable).enabled = false;
  fs.writeFileSync(file, stringifyToml(config));
}
