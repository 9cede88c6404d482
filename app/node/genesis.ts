import fs from 'node:fs';
import type { ComposedChain } from '../app.js';
import type { Coin } from '../types/coins.js';
import { genesisPath } from './cometbft.js';

type AppState = Record<string, unknown>;

/** Every module's default genesis JSON, keyed by module name (the `app_state` of a new chain). */
export function defaultAppState(chain: ComposedChain): AppState {
  const state: AppState = {};
  for (const module of chain.modules) if (module.genesis) state[module.name] = module.genesis.defaultGenesis();
  return state;
}

/**
 * Adds an account holding `coins` to an `app_state` (like `simd genesis add-genesis-account`):
 * an auth account, and a tokens balance merged into any it already has.
 */
export function addGenesisAccount(appState: AppState, address: string, coins: readonly Coin[]): AppState {
  return addGenesisAccounts(appState, [{ address, coins }]);
}

/**
 * Adds accounts with coins to `app_state` (auth account + tokens balance each), merging coins into
 * an existing balance of the same address. One pass over the existing lists however many are
 * added, so a benchmark genesis of a million accounts is built in seconds.
 */
export function addGenesisAccounts(appState: AppState, entries: readonly { address: string; coins: readonly Coin[] }[]): AppState {
  const auth = { accounts: [], ...(appState.auth as object) } as { accounts: { address: string }[] };
  const tokens = { balances: [], ...(appState.tokens as object) } as { balances: { address: string; coins: Coin[] }[] };
  const known = new Set(auth.accounts.map((a) => a.address));
  const accounts = [...auth.accounts];
  const balances = new Map<string, Map<string, bigint>>();
  for (const b of tokens.balances) balances.set(b.address, new Map(b.coins.map((c) => [c.denom, BigInt(c.amount)])));
  const touched = new Set<string>();
  for (const { address, coins } of entries) {
    if (!known.has(address)) {
      known.add(address);
      accounts.push({ address });
    }
    let merged = balances.get(address);
    if (!merged) {
      merged = new Map();
      balances.set(address, merged);
    }
    for (const coin of coins) merged.set(coin.denom, (merged.get(coin.denom) ?? 0n) + BigInt(coin.amount));
    touched.add(address);
  }
  // Untouched balances keep their place; a touched one moves to the end, in the order first touched.
  const toBalance = (address: string) => ({
    address,
    coins: [...balances.get(address)!.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([denom, amount]) => ({ denom, amount: amount.toString() })),
  });
  const kept = tokens.balances.filter((b) => !touched.has(b.address));
  const added = [...touched].map(toBalance);
  auth.accounts = accounts;
  tokens.balances = [...kept, ...added];
  // A given supply would no longer match the balances; the tokens module recomputes it when absent.
  delete (tokens as { supply?: unknown }).supply;
  return { ...appState, auth, tokens };
}

/**
 * Sets the governance deposit and voting periods (seconds) of an `app_state`, keeping its other
 * params (the module's defaults when it has none yet).
 */
export function setGovernancePeriods(
  chain: ComposedChain,
  appState: AppState,
  periods: { readonly depositSeconds?: number; readonly votingSeconds?: number },
): AppState {
  const module = chain.modules.find((m) => m.name === 'governance');
  if (!module?.genesis) throw new Error('this chain has no governance module to set periods for');
  const governance = { ...((appState.governance ?? module.genesis.defaultGenesis()) as Record<string, unknown>) };
  const params = { ...(governance.params as Record<string, unknown>) };
  if (periods.depositSeconds !== undefined) params.maxDepositPeriodSeconds = String(periods.depositSeconds);
  if (periods.votingSeconds !== undefined) params.votingPeriodSeconds = String(periods.votingSeconds);
  governance.params = params;
  return { ...appState, governance };
}

/** Checks an `app_state` the way InitChain will: every module parses and validates its part. */
export function validateAppState(chain: ComposedChain, appState: AppState): void {
  for (const name of Object.keys(appState)) {
    if (!chain.modules.some((m) => m.name === name)) throw new Error(`app_state has "${name}", which is not a module of this chain`);
  }
  for (const module of chain.modules) {
    if (!module.genesis) continue;
    try {
      module.genesis.validate(appState[module.name] ?? module.genesis.defaultGenesis());
    } catch (err) {
      throw new Error(`genesis of module "${module.name}" is invalid: ${(err as Error).message}`);
    }
  }
}

export function readAppState(home: string): AppState {
  const genesis = JSON.parse(fs.readFileSync(genesisPath(home), 'utf8')) as { app_state?: AppState };
  return genesis.app_state ?? {};
}

/** Above this many bytes (compact), `app_state` is written on one line (see formatGenesis). */
export const COMPACT_APP_STATE_BYTES = 1 << 20;

export function writeAppState(home: string, appState: AppState): void {
  const file = genesisPath(home);
  const genesis = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  genesis.app_state = appState;
  fs.writeFileSync(file, formatGenesis(genesis));
}

/**
 * genesis.json text: pretty-printed for people, except a large `app_state` (e.g. thousands of
 * load-test accounts and drug units), which is written compactly: indentation would multiply its
 * size (a ~21 MB file for the drug workload) and the time every node spends reading it.
 */
export function formatGenesis(genesis: Record<string, unknown>): string {
  const appState = genesis.app_state;
  const compact = appState === undefined ? '' : JSON.stringify(appState);
  if (compact.length <= COMPACT_APP_STATE_BYTES) return `${JSON.stringify(genesis, null, 2)}\n`;
  // A top-level key is the only thing at two spaces of indentation after a newline (strings hold no raw newlines).
  const marker = '\n  "app_state": null';
  const pretty = JSON.stringify({ ...genesis, app_state: null }, null, 2);
  if (!pretty.includes(marker)) throw new Error('formatGenesis: app_state not found at the top level');
  return `${pretty.replace(marker, () => `\n  "app_state": ${compact}`)}\n`;
}
