/**
 * The required fields and their types of cosmos/chain-registry's chain.schema.json and
 * assetlist.schema.json (and the fields Keplr's ChainInfo cannot do without), as a small checker:
 * returns what is missing or mistyped, empty when the file satisfies them.
 */
type Json = Record<string, unknown>;

const CHAIN_PROPERTIES = [
  '$schema',
  'chain_name',
  'chain_type',
  'chain_id',
  'pre_fork_chain_name',
  'pretty_name',
  'website',
  'status',
  'network_type',
  'bech32_prefix',
  'bech32_config',
  'daemon_name',
  'node_home',
  'key_algos',
  'slip44',
  'alternative_slip44s',
  'fees',
  'staking',
  'codebase',
  'images',
  'logo_URIs',
  'description',
  'peers',
  'apis',
  'explorers',
  'keywords',
  'extra_codecs',
];
const CHAIN_TYPES = ['cosmos', 'eip155', 'bip122', 'polkadot', 'solana', 'unknown'];

export function chainJsonProblems(chain: Json): string[] {
  const p: string[] = [];
  for (const key of Object.keys(chain)) if (!CHAIN_PROPERTIES.includes(key)) p.push(`unknown property ${key}`);
  str(p, chain, 'chain_name', /^[a-z0-9]+$/);
  if (!CHAIN_TYPES.includes(chain.chain_type as string)) p.push(`chain_type ${String(chain.chain_type)}`);
  // chain_type cosmos requires bech32_prefix and chain_id.
  if (chain.chain_type === 'cosmos') {
    str(p, chain, 'bech32_prefix');
    str(p, chain, 'chain_id');
  }
  if (chain.slip44 !== undefined && typeof chain.slip44 !== 'number') p.push('slip44 must be a number');
  if (chain.status !== undefined && !['live', 'upcoming', 'killed'].includes(chain.status as string)) p.push('status');
  if (chain.network_type !== undefined && !['mainnet', 'testnet', 'devnet'].includes(chain.network_type as string)) p.push('network_type');
  const fees = chain.fees as Json | undefined;
  if (fees) {
    if (!Array.isArray(fees.fee_tokens)) p.push('fees.fee_tokens is required');
    for (const t of (fees.fee_tokens as Json[]) ?? []) {
      str(p, t, 'denom');
      for (const k of ['fixed_min_gas_price', 'low_gas_price', 'average_gas_price', 'high_gas_price']) {
        if (t[k] !== undefined && typeof t[k] !== 'number') p.push(`fee_tokens.${k} must be a number`);
      }
    }
  }
  const staking = chain.staking as Json | undefined;
  if (staking) {
    if (!Array.isArray(staking.staking_tokens)) p.push('staking.staking_tokens is required');
    for (const t of (staking.staking_tokens as Json[]) ?? []) str(p, t, 'denom');
  }
  const apis = (chain.apis ?? {}) as Record<string, Json[]>;
  for (const [kind, list] of Object.entries(apis)) {
    if (!['rpc', 'rest', 'grpc', 'wss', 'grpc-web', 'evm-http-jsonrpc'].includes(kind)) p.push(`unknown api ${kind}`);
    for (const e of list) str(p, e, 'address');
  }
  return p;
}

export function assetListProblems(list: Json): string[] {
  const p: string[] = [];
  str(p, list, 'chain_name');
  if (!Array.isArray(list.assets) || list.assets.length === 0) return [...p, 'assets must be a non-empty list'];
  for (const asset of list.assets as Json[]) {
    for (const k of ['base', 'display', 'name', 'symbol']) str(p, asset, k);
    if (typeof asset.name === 'string' && asset.name.length > 30) p.push('name longer than 30');
    const units = asset.denom_units as Json[] | undefined;
    if (!Array.isArray(units) || units.length === 0) {
      p.push('denom_units must be a non-empty list');
      continue;
    }
    for (const u of units) {
      str(p, u, 'denom');
      if (!Number.isInteger(u.exponent)) p.push('denom_units.exponent must be an integer');
    }
    const denoms = units.map((u) => u.denom);
    if (!denoms.includes(asset.base)) p.push('base must be one of denom_units');
    if (!denoms.includes(asset.display)) p.push('display must be one of denom_units');
  }
  return p;
}

export function keplrProblems(info: Json): string[] {
  const p: string[] = [];
  for (const k of ['chainId', 'chainName', 'rpc', 'rest']) str(p, info, k);
  if (typeof (info.bip44 as Json | undefined)?.coinType !== 'number') p.push('bip44.coinType must be a number');
  const b = (info.bech32Config ?? {}) as Json;
  for (const k of [
    'bech32PrefixAccAddr',
    'bech32PrefixAccPub',
    'bech32PrefixValAddr',
    'bech32PrefixValPub',
    'bech32PrefixConsAddr',
    'bech32PrefixConsPub',
  ])
    str(p, b, k);
  for (const k of ['currencies', 'feeCurrencies']) {
    if (!Array.isArray(info[k]) || (info[k] as unknown[]).length === 0) p.push(`${k} must be a non-empty list`);
    for (const c of (info[k] as Json[]) ?? []) {
      str(p, c, 'coinDenom');
      str(p, c, 'coinMinimalDenom');
      if (!Number.isInteger(c.coinDecimals)) p.push(`${k}.coinDecimals must be an integer`);
    }
  }
  return p;
}

function str(problems: string[], object: Json, key: string, pattern?: RegExp): void {
  const value = object[key];
  if (typeof value !== 'string' || value.length === 0) problems.push(`${key} is required (a non-empty string)`);
  else if (pattern && !pattern.test(value)) problems.push(`${key} "${value}" does not match ${pattern}`);
}
