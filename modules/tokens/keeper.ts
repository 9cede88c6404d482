import { concatBytes, prefixEnd, PRESENT } from '../../app/store/bytes.js';
import type { KVReader, KVStore } from '../../app/store/types.js';
import { decodeMemo } from '../../app/codec/decode-memo.js';
import { GOVERNANCE_ACCOUNT } from '../../app/types/authority.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import { type Coin, coinsToString, validateCoins } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import { ErrInsufficientFunds, ErrInvalidCoins, ErrLogic, ErrUnauthorized } from '../../app/types/errors.js';
import { Metadata, Params, PendingFee, type SendEnabled } from '../../generated/parazone/tokens/v1/tokens.js';
import { ErrSendDisabled } from './errors.js';
import { emitBurn, emitCoinbase, emitCoinReceived, emitCoinSpent, emitTransfer } from './events.js';
import type { AccountKeeperForTokens } from './expected-keepers.js';
import {
  FEE_COLLECTOR,
  MODULE_NAME,
  STORE_KEY,
  accountBalancesPrefix,
  allBalancesPrefix,
  allDenomOwnersPrefix,
  balanceKey,
  denomFromKey,
  denomMetadataKey,
  denomMetadataPrefix,
  denomOwnerKey,
  paramsKey,
  parseBalanceKey,
  parseDenomOwnerKey,
  pendingFeeKey,
  pendingFeesPrefix,
  sendEnabledKey,
  sendEnabledPrefix,
  supplyKey,
  supplyPrefix,
} from './keys.js';
import { defaultParams } from './params.js';

/** Module-account permissions, as x/auth's `Minter` / `Burner`. */
export type ModulePermission = 'minter' | 'burner';

export interface TokensKeeperOptions {
  config: ChainConfig;
  accounts: AccountKeeperForTokens;
  /**
   * Module accounts that may not receive coins through MsgSend, MsgMultiSend or
   * sendCoinsFromModuleToAccount (the SDK's `blockedAddrs`). Default: DEFAULT_BLOCKED_MODULES.
   */
  blockedModules?: readonly string[];
  /** Which module accounts may mint / burn. Default: DEFAULT_MODULE_PERMISSIONS. */
  modulePermissions?: Readonly<Record<string, readonly ModulePermission[]>>;
}

/**
 * Gov escrow and the fee collector must only be credited through their own bookkeeping (funds sent
 * there by users would break invariants, see x/bank complaints); a treasury, if any, stays open.
 */
/** Format byte in front of the stored params (see setParams). */
const PARAMS_FORMAT = Uint8Array.of(1);

export const DEFAULT_BLOCKED_MODULES: readonly string[] = [FEE_COLLECTOR, GOVERNANCE_ACCOUNT, MODULE_NAME];

/** tokens mints for MsgMint and burns for MsgBurn; governance burns vetoed deposits. */
export const DEFAULT_MODULE_PERMISSIONS: Readonly<Record<string, readonly ModulePermission[]>> = {
  [MODULE_NAME]: ['minter', 'burner'],
  [GOVERNANCE_ACCOUNT]: ['burner'],
};

/**
 * Exclusive ceiling of any supply (hence any balance): 10^77, the largest decimal width
 * `app/types/coins.ts` accepts (77 digits, within the SDK's 256-bit `math.Int`), so every stored
 * amount can be re-read from genesis and queries.
 */
export const MAX_AMOUNT = 10n ** 77n;

const textDecoder = new TextDecoder();

/** The decimal text of `amount` in ASCII, as x/bank stores a math.Int. */
function encodeAmount(amount: bigint): Uint8Array {
  const text = amount.toString();
  const bytes = new Uint8Array(text.length);
  // Digits are ASCII: a plain loop is about 4x cheaper than TextEncoder for a balance's dozen bytes.
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

const decodeAmount = (bytes: Uint8Array | undefined) => (bytes === undefined ? 0n : BigInt(textDecoder.decode(bytes)));

/**
 * The only code that touches the tokens store. Balances are bigint, stored per (address, denom);
 * zero balances are deleted; supply is per denom.
 *
 * Fees without a hot key: if every tx credited the fee collector's balance, every tx in a block
 * would write the same key and parallel execution would serialize on it. Instead `collectFee`
 * debits the payer and records the fee under a key owned by that tx alone (height, txIndex);
 * `endBlock` (sweepFees) adds the block's records to the fee_collector account in key order
 * (= tx order) and deletes them. Supply is untouched throughout, so the invariant is
 * `supply == Σ balances + Σ pending fee records`. The SDK's fee events (coin_spent,
 * coin_received with receiver = fee_collector, transfer, message) are emitted at collection time,
 * so clients see exactly what a Go chain reports; the fee collector's balance itself only shows
 * the fees after EndBlock.
 */
export class TokensKeeper {
  readonly storeKey = STORE_KEY;
  private readonly config: ChainConfig;
  private readonly accounts: AccountKeeperForTokens;
  private readonly blocked: ReadonlySet<string>;
  private readonly permissions: Readonly<Record<string, readonly ModulePermission[]>>;

  constructor(options: TokensKeeperOptions) {
    this.config = options.config;
    this.accounts = options.accounts;
    const addresses = this.config.addresses;
    this.blocked = new Set((options.blockedModules ?? DEFAULT_BLOCKED_MODULES).map((m) => addresses.moduleAddress(m)));
    this.permissions = options.modulePermissions ?? DEFAULT_MODULE_PERMISSIONS;
  }

  // ---------------------------------------------------------------- balances

  getBalance(ctx: Context, address: string, denom: string): bigint {
    const addr = this.config.addresses.decode(address);
    return decodeAmount(this.store(ctx).get(balanceKey(addr, denom)));
  }

  /** Every non-zero balance of `address`, sorted by denom. */
  getAllBalances(ctx: Context, address: string): Coin[] {
    const prefix = accountBalancesPrefix(this.config.addresses.decode(address));
    const coins: Coin[] = [];
    for (const { key, value } of this.store(ctx).iterator(prefix, prefixEnd(prefix))) {
      coins.push({ denom: denomFromKey(key.subarray(prefix.length)), amount: decodeAmount(value).toString() });
    }
    return coins;
  }

  /** Visits every stored balance in key order (for genesis export, invariants and tools). */
  iterateAllBalances(ctx: Context, visit: (address: string, coin: Coin) => void): void {
    for (const { key, value } of this.store(ctx).iterator(allBalancesPrefix, prefixEnd(allBalancesPrefix))) {
      const { address, denom } = parseBalanceKey(key);
      visit(this.config.addresses.encode(address), { denom, amount: textDecoder.decode(value) });
    }
  }

  /** Visits the denom→holder reverse index in key order (for the invariant). */
  iterateDenomOwnerIndex(ctx: Context, visit: (denom: string, address: string) => void): void {
    for (const { key } of this.store(ctx).iterator(allDenomOwnersPrefix, prefixEnd(allDenomOwnersPrefix))) {
      const { denom, address } = parseDenomOwnerKey(key);
      visit(denom, this.config.addresses.encode(address));
    }
  }

  // ---------------------------------------------------------------- transfers

  /** Moves coins between accounts, with the SDK's events. No blocked or send-enabled check (as SendCoins). */
  sendCoins(ctx: Context, from: string, to: string, coins: Coin[]): void {
    validateCoins(coins);
    const fromAddr = this.config.addresses.decode(from, 'sender');
    const toAddr = this.config.addresses.decode(to, 'recipient');
    this.subtract(ctx, fromAddr, coins);
    emitCoinSpent(ctx.events, from, coins);
    this.add(ctx, toAddr, coins);
    emitCoinReceived(ctx.events, to, coins);
    this.accounts.ensureAccount(ctx, to);
    emitTransfer(ctx.events, from, to, coins);
  }

  sendCoinsFromAccountToModule(ctx: Context, from: string, moduleName: string, coins: Coin[]): void {
    this.sendCoins(ctx, from, this.moduleAddress(moduleName), coins);
  }

  /** Fails with ErrUnauthorized when `to` is a blocked address (as the SDK). */
  sendCoinsFromModuleToAccount(ctx: Context, moduleName: string, to: string, coins: Coin[]): void {
    this.assertNotBlocked(to);
    this.sendCoins(ctx, this.moduleAddress(moduleName), to, coins);
  }

  sendCoinsFromModuleToModule(ctx: Context, fromModule: string, toModule: string, coins: Coin[]): void {
    this.sendCoins(ctx, this.moduleAddress(fromModule), this.moduleAddress(toModule), coins);
  }

  /**
   * x/bank's single-input multi-send (InputOutputCoins, SDK 0.47 events): coin_spent and
   * message{sender} for the input, then coin_received and transfer{recipient, amount} per output.
   * The caller has checked Σ outputs = input.
   */
  inputOutputCoins(ctx: Context, input: { address: string; coins: Coin[] }, outputs: { address: string; coins: Coin[] }[]): void {
    validateCoins(input.coins);
    const inAddr = this.config.addresses.decode(input.address, 'input address');
    const outAddrs = outputs.map((out) => {
      validateCoins(out.coins);
      return this.config.addresses.decode(out.address, 'output address');
    });
    this.subtract(ctx, inAddr, input.coins);
    emitCoinSpent(ctx.events, input.address, input.coins);
    ctx.events.emit('message', [['sender', input.address]]);
    outputs.forEach((out, i) => {
      this.add(ctx, outAddrs[i]!, out.coins);
      emitCoinReceived(ctx.events, out.address, out.coins);
      ctx.events.emit('transfer', [
        ['recipient', out.address],
        ['amount', coinsToString(out.coins)],
      ]);
      this.accounts.ensureAccount(ctx, out.address);
    });
  }

  // ---------------------------------------------------------------- mint / burn / supply

  /** Credits the module account and raises supply; the module needs the `minter` permission. */
  mintCoins(ctx: Context, moduleName: string, coins: Coin[]): void {
    this.assertPermission(moduleName, 'minter', 'mint');
    validateCoins(coins);
    const supplies = coins.map((c) => {
      const next = this.getSupply(ctx, c.denom) + BigInt(c.amount);
      if (next >= MAX_AMOUNT) throw ErrInvalidCoins.wrap(`minting ${c.amount}${c.denom} makes supply exceed the 77-digit maximum`);
      return next;
    });
    const address = this.moduleAddress(moduleName);
    this.add(ctx, this.config.addresses.decode(address), coins);
    emitCoinReceived(ctx.events, address, coins);
    this.accounts.ensureAccount(ctx, address);
    coins.forEach((c, i) => this.setSupply(ctx, c.denom, supplies[i]!));
    emitCoinbase(ctx.events, address, coins);
  }

  /** Debits the module account and lowers supply; the module needs the `burner` permission. */
  burnCoins(ctx: Context, moduleName: string, coins: Coin[]): void {
    this.assertPermission(moduleName, 'burner', 'burn');
    validateCoins(coins);
    const address = this.moduleAddress(moduleName);
    this.subtract(ctx, this.config.addresses.decode(address), coins);
    emitCoinSpent(ctx.events, address, coins);
    for (const c of coins) {
      const next = this.getSupply(ctx, c.denom) - BigInt(c.amount);
      if (next < 0n) throw ErrLogic.wrap(`burning ${c.amount}${c.denom} makes supply negative (supply invariant broken)`);
      this.setSupply(ctx, c.denom, next);
    }
    emitBurn(ctx.events, address, coins);
  }

  getSupply(ctx: Context, denom: string): bigint {
    return decodeAmount(this.store(ctx).get(supplyKey(denom)));
  }

  /** Every denom's supply, sorted by denom. */
  getAllSupply(ctx: Context): Coin[] {
    const coins: Coin[] = [];
    for (const { key, value } of this.store(ctx).iterator(supplyPrefix, prefixEnd(supplyPrefix))) {
      coins.push({ denom: denomFromKey(key.subarray(supplyPrefix.length)), amount: textDecoder.decode(value) });
    }
    return coins;
  }

  /** Genesis only: sets a denom's supply directly (0 deletes it). */
  setSupply(ctx: Context, denom: string, amount: bigint): void {
    if (amount === 0n) this.store(ctx).delete(supplyKey(denom));
    else this.store(ctx).set(supplyKey(denom), encodeAmount(amount));
  }

  // ---------------------------------------------------------------- fees

  /**
   * Debits `fee` from `payer` for the current tx and records it under the tx's own key (see the
   * class comment); the fee reaches the fee_collector account at EndBlock. Empty fee: no-op.
   */
  collectFee(ctx: Context, payer: string, fee: Coin[]): void {
    validateCoins(fee);
    if (fee.length === 0) return;
    const payerAddr = this.config.addresses.decode(payer, 'fee payer');
    this.subtract(ctx, payerAddr, fee);
    emitCoinSpent(ctx.events, payer, fee);
    const store = this.store(ctx);
    const key = pendingFeeKey(ctx.height, ctx.txIndex);
    const existing = store.get(key);
    const total = existing === undefined ? fee : addCoinLists(PendingFee.decode(existing).amount, fee);
    store.set(key, PendingFee.encode({ amount: total }).finish());
    const collector = this.moduleAddress(FEE_COLLECTOR);
    emitCoinReceived(ctx.events, collector, fee);
    emitTransfer(ctx.events, payer, collector, fee);
  }

  /** Fees recorded but not yet swept, summed per denom (sorted). */
  getPendingFees(ctx: Context): Coin[] {
    let total: Coin[] = [];
    for (const { value } of this.store(ctx).iterator(pendingFeesPrefix, prefixEnd(pendingFeesPrefix))) {
      total = addCoinLists(total, PendingFee.decode(value).amount);
    }
    return total;
  }

  /**
   * EndBlock: moves every pending fee record, in key (= block, tx) order, into the fee_collector
   * account and deletes the records. Emits no events: they were emitted when each fee was paid.
   */
  sweepFees(ctx: Context): void {
    const store = this.store(ctx);
    const keys: Uint8Array[] = [];
    // One running sum per denom over the block's records (a block has one per paying tx), then
    // the list addCoinLists would have built record by record: sorted by denom, zeros dropped.
    const sums = new Map<string, bigint>();
    for (const { key, value } of store.iterator(pendingFeesPrefix, prefixEnd(pendingFeesPrefix))) {
      keys.push(Uint8Array.prototype.slice.call(key)); // a copy, even of a Buffer (whose slice is a view)
      for (const coin of PendingFee.decode(value).amount) sums.set(coin.denom, (sums.get(coin.denom) ?? 0n) + BigInt(coin.amount));
    }
    if (keys.length === 0) return;
    const total = addCoinLists(
      [],
      [...sums].map(([denom, amount]) => ({ denom, amount: amount.toString() })),
    );
    for (const key of keys) store.delete(key);
    const collector = this.moduleAddress(FEE_COLLECTOR);
    this.add(ctx, this.config.addresses.decode(collector), total);
    this.accounts.ensureAccount(ctx, collector);
  }

  // ---------------------------------------------------------------- send enabled / blocked

  isBlockedAddress(address: string): boolean {
    return this.blocked.has(address);
  }

  assertNotBlocked(address: string): void {
    if (this.blocked.has(address)) throw ErrUnauthorized.wrap(`${address} is not allowed to receive funds`);
  }

  isSendEnabled(ctx: Context, denom: string): boolean {
    return this.getSendEnabledEntry(ctx, denom) ?? this.getParams(ctx).defaultSendEnabled;
  }

  /** x/bank's IsSendEnabledCoins: ErrSendDisabled naming the first disabled denom. */
  assertSendEnabled(ctx: Context, coins: readonly Coin[]): void {
    if (coins.length === 0) return;
    const fallback = this.getParams(ctx).defaultSendEnabled;
    for (const coin of coins) {
      if (!(this.getSendEnabledEntry(ctx, coin.denom) ?? fallback)) {
        throw ErrSendDisabled.wrap(`${coin.denom} transfers are currently disabled`);
      }
    }
  }

  /** The denom's own switch, or undefined when it follows default_send_enabled. */
  getSendEnabledEntry(ctx: Context, denom: string): boolean | undefined {
    const raw = this.store(ctx).get(sendEnabledKey(denom));
    return raw === undefined ? undefined : raw[0] === 1;
  }

  setSendEnabled(ctx: Context, denom: string, enabled: boolean): void {
    this.store(ctx).set(sendEnabledKey(denom), new Uint8Array([enabled ? 1 : 0]));
  }

  deleteSendEnabled(ctx: Context, denom: string): void {
    this.store(ctx).delete(sendEnabledKey(denom));
  }

  getAllSendEnabled(ctx: Context): SendEnabled[] {
    const out: SendEnabled[] = [];
    for (const { key, value } of this.store(ctx).iterator(sendEnabledPrefix, prefixEnd(sendEnabledPrefix))) {
      out.push({ denom: denomFromKey(key.subarray(sendEnabledPrefix.length)), enabled: value[0] === 1 });
    }
    return out;
  }

  // ---------------------------------------------------------------- params / metadata

  getParams(ctx: Context): Params {
    const raw = this.store(ctx).get(paramsKey);
    return raw === undefined ? defaultParams() : decodeParams(raw);
  }

  /** Stores params; a legacy per-denom list is moved into SendEnabled entries (as x/bank SetParams). */
  setParams(ctx: Context, params: Params): void {
    for (const entry of params.sendEnabled) this.setSendEnabled(ctx, entry.denom, entry.enabled);
    const stored = Params.fromPartial({ sendEnabled: [], defaultSendEnabled: params.defaultSendEnabled });
    // A leading format byte: all-default params encode to zero bytes, and an empty value cannot be
    // proven (ICS-23), so the store refuses it.
    this.store(ctx).set(paramsKey, concatBytes(PARAMS_FORMAT, Params.encode(stored).finish()));
  }

  getDenomMetadata(ctx: Context, denom: string): Metadata | undefined {
    const raw = this.store(ctx).get(denomMetadataKey(denom));
    return raw === undefined ? undefined : Metadata.decode(raw);
  }

  /** Stores metadata under its base denom; the caller validated it. */
  setDenomMetadata(ctx: Context, metadata: Metadata): void {
    this.store(ctx).set(denomMetadataKey(metadata.base), Metadata.encode(metadata).finish());
  }

  getAllDenomMetadata(ctx: Context): Metadata[] {
    const out: Metadata[] = [];
    for (const { value } of this.store(ctx).iterator(denomMetadataPrefix, prefixEnd(denomMetadataPrefix))) {
      out.push(Metadata.decode(value));
    }
    return out;
  }

  // ---------------------------------------------------------------- module accounts

  moduleAddress(moduleName: string): string {
    return this.config.addresses.moduleAddress(moduleName);
  }

  hasPermission(moduleName: string, permission: ModulePermission): boolean {
    return this.permissions[moduleName]?.includes(permission) ?? false;
  }

  /** Read access to this module's store for queries (pagination). */
  reader(ctx: Context): KVReader {
    return this.store(ctx);
  }

  // ---------------------------------------------------------------- internals

  private store(ctx: Context): KVStore {
    return ctx.kv(this.storeKey);
  }

  private assertPermission(moduleName: string, permission: ModulePermission, verb: string): void {
    if (!this.hasPermission(moduleName, permission)) {
      throw ErrUnauthorized.wrap(`module account ${moduleName} does not have permissions to ${verb} tokens`);
    }
  }

  /** Checks every coin before writing any, so a failure leaves no partial debit even without a branch. */
  private subtract(ctx: Context, address: Uint8Array, coins: readonly Coin[]): void {
    const store = this.store(ctx);
    const next = coins.map((coin) => {
      const balance = decodeAmount(store.get(balanceKey(address, coin.denom)));
      const amount = BigInt(coin.amount);
      if (balance < amount) {
        throw ErrInsufficientFunds.wrap(`spendable balance ${balance}${coin.denom} is smaller than ${coin.amount}${coin.denom}`);
      }
      return balance - amount;
    });
    coins.forEach((coin, i) => this.writeBalance(store, address, coin.denom, next[i]!, true));
  }

  private add(ctx: Context, address: Uint8Array, coins: readonly Coin[]): void {
    const store = this.store(ctx);
    for (const coin of coins) {
      const balance = decodeAmount(store.get(balanceKey(address, coin.denom)));
      this.writeBalance(store, address, coin.denom, balance + BigInt(coin.amount), balance !== 0n);
    }
  }

  /**
   * x/bank never persists a zero balance. The denom→holder index entry exists exactly while the
   * balance is non-zero, so it is written only when a balance appears or disappears.
   */
  private writeBalance(store: KVStore, address: Uint8Array, denom: string, amount: bigint, existed: boolean): void {
    if (amount === 0n) {
      store.delete(balanceKey(address, denom));
      if (existed) store.delete(denomOwnerKey(denom, address));
      return;
    }
    store.set(balanceKey(address, denom), encodeAmount(amount));
    if (!existed) store.set(denomOwnerKey(denom, address), PRESENT);
  }

  /** Genesis only: sets a balance without events (validated genesis has one entry per address and denom). */
  setBalanceForGenesis(ctx: Context, address: string, coin: Coin): void {
    const store = this.store(ctx);
    const addr = this.config.addresses.decode(address);
    const existed = store.has(balanceKey(addr, coin.denom));
    this.writeBalance(store, addr, coin.denom, BigInt(coin.amount), existed);
  }
}

/** Σ of two sorted coin lists, sorted by denom. */
export function addCoinLists(a: readonly Coin[], b: readonly Coin[]): Coin[] {
  const sums = new Map<string, bigint>();
  for (const c of [...a, ...b]) sums.set(c.denom, (sums.get(c.denom) ?? 0n) + BigInt(c.amount));
  return [...sums.keys()]
    .sort()
    .map((denom) => ({ denom, amount: sums.get(denom)!.toString() }))
    .filter((c) => c.amount !== '0');
}

/** Every send reads the params (send_enabled); a block's branch returns the same bytes until they are written. */
const decodeParams = decodeMemo((raw) => Params.decode(raw.subarray(1)));
