import type { ChainConfig } from '../../app/types/chain-config.js';
import { type Coin, validateCoins } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import type { GenesisHandler } from '../../app/types/module.js';
import { GenesisState } from '../../generated/parazone/tokens/v1/genesis.js';
import type { Balance, SendEnabled } from '../../generated/parazone/tokens/v1/tokens.js';
import { ErrInvalidGenesis } from './errors.js';
import type { AccountKeeperForTokens } from './expected-keepers.js';
import { addCoinLists, MAX_AMOUNT, type TokensKeeper } from './keeper.js';
import { FEE_COLLECTOR } from './keys.js';
import { validateMetadata } from './metadata.js';
import { defaultParams, validateSendEnabledList } from './params.js';

function fail(why: string): never {
  throw ErrInvalidGenesis.wrap(`tokens genesis: ${why}`);
}

/** Runs `check`, turning its error into ErrInvalidGenesis that says where the problem is. */
function within(where: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    fail(`${where}: ${(err as Error).message}`);
  }
}

/**
 * Parses and checks tokens genesis JSON (the generated GenesisState's JSON form, camelCase or
 * snake_case keys). Supply, when given, must equal the sum of balances; when empty it is computed.
 * Legacy `params.sendEnabled` entries are moved into `sendEnabled` (as x/bank's genesis does).
 */
export function validateGenesis(json: unknown, config: ChainConfig): GenesisState {
  if (json === null || typeof json !== 'object') fail('expected a JSON object');
  let g: GenesisState;
  try {
    g = GenesisState.fromJSON(json);
  } catch (err) {
    fail(`cannot parse: ${(err as Error).message}`);
  }
  const params = g.params ?? defaultParams();
  const sendEnabled: SendEnabled[] = [...params.sendEnabled, ...g.sendEnabled];
  within('send_enabled', () => validateSendEnabledList(sendEnabled));

  const seen = new Set<string>();
  let sum: Coin[] = [];
  for (const balance of g.balances) {
    within(`balance of ${balance.address}`, () => {
      config.addresses.decode(balance.address);
      if (balance.coins.length === 0) throw new Error('coins must not be empty');
      validateCoins(balance.coins);
    });
    if (seen.has(balance.address)) fail(`duplicate balance for address ${balance.address}`);
    seen.add(balance.address);
    sum = addCoinLists(sum, balance.coins);
  }
  for (const c of sum) if (BigInt(c.amount) >= MAX_AMOUNT) fail(`supply of ${c.denom} exceeds the 77-digit maximum`);

  if (g.supply.length > 0) {
    within('supply', () => validateCoins(g.supply));
    const equal =
      g.supply.length === sum.length && g.supply.every((c, i) => c.denom === sum[i]!.denom && BigInt(c.amount) === BigInt(sum[i]!.amount));
    if (!equal) fail(`supply ${coinsText(g.supply)} does not equal the sum of balances ${coinsText(sum)}`);
  }

  const bases = new Set<string>();
  for (const metadata of g.denomMetadata) {
    within(`denom metadata ${metadata.base}`, () => validateMetadata(metadata));
    if (bases.has(metadata.base)) fail(`duplicate denom metadata for ${metadata.base}`);
    bases.add(metadata.base);
  }

  return GenesisState.fromPartial({
    params: { sendEnabled: [], defaultSendEnabled: params.defaultSendEnabled },
    balances: g.balances,
    supply: sum,
    denomMetadata: g.denomMetadata,
    sendEnabled,
  });
}

const coinsText = (coins: readonly Coin[]) => coins.map((c) => `${c.amount}${c.denom}`).join(',') || '(none)';

export function tokensGenesis(keeper: TokensKeeper, accounts: AccountKeeperForTokens, config: ChainConfig): GenesisHandler<GenesisState> {
  return {
    /** JSON (GenesisState.toJSON): default params, no balances. */
    defaultGenesis: () => GenesisState.toJSON(GenesisState.fromPartial({ params: defaultParams() })),

    validate: (json) => validateGenesis(json, config),

    /** Expects auth's genesis to have run first (as in the SDK); creates any missing holder account. */
    init(ctx: Context, genesis: GenesisState): void {
      keeper.setParams(ctx, genesis.params ?? defaultParams());
      for (const entry of genesis.sendEnabled) keeper.setSendEnabled(ctx, entry.denom, entry.enabled);
      for (const balance of genesis.balances) {
        for (const coin of balance.coins) keeper.setBalanceForGenesis(ctx, balance.address, coin);
        accounts.ensureAccount(ctx, balance.address);
      }
      for (const coin of genesis.supply) keeper.setSupply(ctx, coin.denom, BigInt(coin.amount));
      for (const metadata of genesis.denomMetadata) keeper.setDenomMetadata(ctx, metadata);
    },

    /** JSON (GenesisState.toJSON) of exportGenesisState. */
    export: (ctx: Context) => GenesisState.toJSON(exportGenesisState(keeper, ctx)),
  };
}

/**
 * The tokens state as a GenesisState. Fees collected but not yet swept (only possible when
 * exporting mid-block) are shown in the fee_collector's balance, so the exported state satisfies
 * supply == Σ balances on its own.
 */
export function exportGenesisState(keeper: TokensKeeper, ctx: Context): GenesisState {
  const byAddress = new Map<string, Coin[]>();
  keeper.iterateAllBalances(ctx, (address, coin) => {
    const list = byAddress.get(address) ?? [];
    list.push(coin);
    byAddress.set(address, list);
  });
  const pending = keeper.getPendingFees(ctx);
  if (pending.length > 0) {
    const collector = keeper.moduleAddress(FEE_COLLECTOR);
    byAddress.set(collector, addCoinLists(byAddress.get(collector) ?? [], pending));
  }
  const balances: Balance[] = [...byAddress.keys()].sort().map((address) => ({ address, coins: byAddress.get(address)! }));
  return GenesisState.fromPartial({
    params: keeper.getParams(ctx),
    balances,
    supply: keeper.getAllSupply(ctx),
    denomMetadata: keeper.getAllDenomMetadata(ctx),
    sendEnabled: keeper.getAllSendEnabled(ctx),
  });
}
