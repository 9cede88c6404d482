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
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseToml, stringify as stringifyToml, type TomlTable } from 'smol-toml';
import { freePorts, genesisPath, repoRoot, writeNodeConfig } from '../node/cometbft.js';
import { formatGenesis } from '../node/genesis.js';
import type { Coin } from '../types/coins.js';
import { applyCometSettings, cometTimeouts, startAppUnderComet, type CometSettings, type LocalNetwork } from './network.js';

const execFileAsync = promisify(execFile);

/** simd's address prefix and bond denom (the SDK's defaults). */
export const SIMD_CHAIN = { bech32Prefix: 'cosmos', bondDenom: 'stake' } as const;

/** simd's own CheckTx floor (app.toml minimum-gas-prices): the same 0.025 per gas our chain asks. */
export const SIMD_MIN_GAS_PRICE = `0.025${SIMD_CHAIN.bondDenom}`;

const VALIDATOR_KEY = 'validator';

export class SimdNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`simd is not installed at ${path}. Run \`npm run setup\` (scripts/install-simd.sh builds it into .tools/bin; needs Go).`);
    this.name = 'SimdNotFoundError';
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
   * Serve gRPC on a free loopback port. The SDK registers its tx service (the Simulate query a
   * cosmjs client estimates gas with) only when the gRPC or API server runs; an IBC peer needs it.
   */
  readonly grpc?: boolean;
  /** Serve the SDK's REST API (its gRPC gateway) on a free loopback port. */
  readonly api?: boolean;
}

/** A running simd network, with the gRPC address (host:port) and REST URL when asked for. */
export interface SimdNetwork extends LocalNetwork {
  readonly grpc?: string;
  readonly rest?: string;
}

export async function startSimdNet(options: SimdNetOptions): Promise<SimdNetwork> {
  const { home, chainId } = options;
  const binary = locateSimd();
  const [rpcPort, p2pPort, abciPort, grpcPort, apiPort] = await freePorts(5);
  const simd = async (...args: string[]) => {
    try {
      await execFileAsync(binary, [...args, '--home', home], { timeout: 60_000 });
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

  const appState = toCometGenesis(home);
  const grpc = options.grpc ? `127.0.0.1:${grpcPort!}` : undefined;
  const api = options.api ? `127.0.0.1:${apiPort!}` : undefined;
  writeSimdAppConfig(home, { grpc, api });
  await writeNodeConfig(home, { proxyApp: `tcp://127.0.0.1:${abciPort}`, rpcPort: rpcPort!, p2pPort: p2pPort!, moniker: 'simd', timeouts: cometTimeouts(options.comet) });
  await applyCometSettings(home, options.comet);
  // Last, after applyCometSettings rewrote the file: formatGenesis keeps a large app_state compact.
  const genesis = JSON.parse(fs.readFileSync(genesisPath(home), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(genesisPath(home), formatGenesis({ ...genesis, app_state: withSimdAccounts(appState, options.accounts) }));

  const net = await startAppUnderComet({
    kind: 'simd',
    home,
    chainId,
    command: binary,
    args: ['start', '--with-comet=false', '--transport', 'socket', '--address', `tcp://127.0.0.1:${abciPort}`, '--home', home, '--log_level', 'warn'],
    abciPort: abciPort!,
    rpcPort: rpcPort!,
  });
  return { ...net, ...(grpc ? { grpc } : {}), ...(api ? { rest: `http://${api}` } : {}) };
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
export function withSimdAccounts(appState: Record<string, unknown>, accounts: readonly { address: string; coins: Coin[] }[]): Record<string, unknown> {
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
 * app.toml: the minimum gas price, and no API or gRPC server (unless asked for, at host:port) nor
 * telemetry (the load goes through CometBFT's RPC, as with our chain). Everything else stays at
 * the SDK's defaults.
 */
function writeSimdAppConfig(home: string, servers: { grpc?: string; api?: string }): void {
  const file = path.join(home, 'config', 'app.toml');
  const config = parseToml(fs.readFileSync(file, 'utf8'));
  config['minimum-gas-prices'] = SIMD_MIN_GAS_PRICE;
  for (const section of ['api', 'grpc', 'grpc-web']) ((config[section] ?? {}) as TomlTable).enable = false;
  if (servers.grpc) Object.assign((config.grpc ?? {}) as TomlTable, { enable: true, address: servers.grpc });
  if (servers.api) Object.assign((config.api ?? {}) as TomlTable, { enable: true, address: `tcp://${servers.api}` });
  ((config.telemetry ?? {}) as TomlTable).enabled = false;
  fs.writeFileSync(file, stringifyToml(config));
}
