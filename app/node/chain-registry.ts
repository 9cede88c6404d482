import fs from 'node:fs';
import path from 'node:path';
import type { ChainConfig } from '../types/chain-config.js';
import { readAppConfig } from './app-config.js';
import { readNodeConfig } from './cometbft.js';

/** What a wallet or a registry needs to know to reach a chain and show its token. */
export interface ChainFacts {
  readonly chainId: string;
  readonly bech32Prefix: string;
  /** The base (on-chain) denom, e.g. "upara". */
  readonly denom: string;
  readonly rpc: string;
  readonly rest?: string;
  readonly grpc?: string;
  /** Gas prices in `denom` per unit of gas: the floor, and what a wallet offers by default. */
  readonly gasPrices: { readonly fixedMin: number; readonly low: number; readonly average: number; readonly high: number };
  readonly networkType: 'mainnet' | 'testnet' | 'devnet';
}

/** Cosmos' registered SLIP-44 coin type: the HD path m/44'/118'/0'/0/0 our keys use. */
const SLIP44 = 118;

/** The display unit of a base denom: "upara" → "para" with exponent 6 (micro), else itself. */
export function displayUnit(denom: string): { display: string; exponent: number } {
  return /^u[a-z]{2,}$/.test(denom) ? { display: denom.slice(1), exponent: 6 } : { display: denom, exponent: 0 };
}

/** The chain-registry name for a chain id: lower-case letters and digits ("parazone-local" → "parazonelocal"). */
export function chainName(chainId: string): string {
  return chainId.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `chain.json` in the cosmos/chain-registry schema. */
export function chainJson(facts: ChainFacts): Record<string, unknown> {
  const token = { denom: facts.denom };
  return {
    $schema: '../chain.schema.json',
    chain_name: chainName(facts.chainId),
    chain_type: 'cosmos',
    chain_id: facts.chainId,
    pretty_name: facts.chainId,
    status: 'live',
    network_type: facts.networkType,
    bech32_prefix: facts.bech32Prefix,
    daemon_name: 'parazone',
    key_algos: ['secp256k1'],
    slip44: SLIP44,
    fees: {
      fee_tokens: [
        {
          ...token,
          fixed_min_gas_price: facts.gasPrices.fixedMin,
          low_gas_price: facts.gasPrices.low,
          average_gas_price: facts.gasPrices.average,
          high_gas_price: facts.gasPrices.high,
        },
      ],
    },
    staking: { staking_tokens: [token] },
    codebase: { consensus: { type: 'cometbft', version: 'v0.38' } },
    apis: {
      rpc: [{ address: facts.rpc }],
      ...(facts.rest ? { rest: [{ address: facts.rest }] } : {}),
      ...(facts.grpc ? { grpc: [{ address: facts.grpc }] } : {}),
    },
  };
}

/** `assetlist.json` in the cosmos/chain-registry schema: the chain's own token. */
export function assetListJson(facts: ChainFacts): Record<string, unknown> {
  const { display, exponent } = displayUnit(facts.denom);
  return {
    $schema: '../assetlist.schema.json',
    chain_name: chainName(facts.chainId),
    assets: [
      {
        description: `The native token of ${facts.chainId}`,
        denom_units: [{ denom: facts.denom, exponent: 0 }, ...(exponent > 0 ? [{ denom: display, exponent }] : [])],
        type_asset: 'sdk.coin',
        base: facts.denom,
        name: display.toUpperCase(),
        display,
        symbol: display.toUpperCase(),
      },
    ],
  };
}

/** The same chain as Keplr's `window.keplr.experimentalSuggestChain(chainInfo)` takes it. */
export function keplrChainInfo(facts: ChainFacts): Record<string, unknown> {
  const { display, exponent } = displayUnit(facts.denom);
  const currency = { coinDenom: display.toUpperCase(), coinMinimalDenom: facts.denom, coinDecimals: exponent };
  const p = facts.bech32Prefix;
  return {
    chainId: facts.chainId,
    chainName: facts.chainId,
    rpc: facts.rpc,
    rest: facts.rest ?? '',
    bip44: { coinType: SLIP44 },
    bech32Config: {
      bech32PrefixAccAddr: p,
      bech32PrefixAccPub: `${p}pub`,
      bech32PrefixValAddr: `${p}valoper`,
      bech32PrefixValPub: `${p}valoperpub`,
      bech32PrefixConsAddr: `${p}valcons`,
      bech32PrefixConsPub: `${p}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [
      { ...currency, gasPriceStep: { low: facts.gasPrices.low, average: facts.gasPrices.average, high: facts.gasPrices.high } },
    ],
    stakeCurrency: currency,
    features: [],
  };
}

/** Writes chain.json, assetlist.json and keplr.json into `dir`; returns their paths. */
export function writeChainRegistry(dir: string, facts: ChainFacts): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, Record<string, unknown>][] = [
    ['chain.json', chainJson(facts)],
    ['assetlist.json', assetListJson(facts)],
    ['keplr.json', keplrChainInfo(facts)],
  ];
  return files.map(([name, value]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    return file;
  });
}

/** A wallet's default gas price steps, above this node's mempool floor. */
const DEFAULT_GAS_PRICES = { low: 0.01, average: 0.025, high: 0.04 };

/** The facts of the node in `home`: genesis chain id, config.toml RPC, app.toml gRPC / REST and gas floor. */
export async function chainFactsOfHome(
  home: string,
  config: ChainConfig,
  networkType: ChainFacts['networkType'] = 'devnet',
): Promise<ChainFacts> {
  const genesis = JSON.parse(fs.readFileSync(path.join(home, 'config', 'genesis.json'), 'utf8')) as { chain_id: string };
  const nodeConfig = (await readNodeConfig(home)) as { rpc?: { laddr?: string } };
  const app = readAppConfig(home);
  const floor = new RegExp(`^([0-9.]+)${config.bondDenom}$`).exec(app.minGasPrice);
  const fixedMin = floor ? Number(floor[1]) : 0;
  return {
    chainId: genesis.chain_id,
    bech32Prefix: config.bech32Prefix,
    denom: config.bondDenom,
    rpc: (nodeConfig.rpc?.laddr ?? 'tcp://127.0.0.1:26657').replace('tcp://', 'http://'),
    rest: app.apiEnable ? `http://${app.apiAddress}` : undefined,
    grpc: app.grpcEnable ? app.grpcAddress : undefined,
    gasPrices: {
      fixedMin,
      low: Math.max(fixedMin, DEFAULT_GAS_PRICES.low),
      average: Math.max(fixedMin, DEFAULT_GAS_PRICES.average),
      high: Math.max(fixedMin, DEFAULT_GAS_PRICES.high),
    },
    networkType,
  };
}
