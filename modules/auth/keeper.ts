import { governanceAuthority } from '../../app/types/authority.js';
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { bytesEqual, prefixEnd } from '../../app/store/bytes.js';
import type { KVStore, StoreKey } from '../../app/store/types.js';
import { isValidSecp256k1PubKey } from '../../app/crypto/secp256k1.js';
import {
  checkPubKeyShape,
  pubKeyAddressBytes,
  pubKeyFromAny,
  pubKeyToAny,
  samePubKey,
  type AccountPubKey,
} from '../../app/crypto/account-keys.js';
import { decodeMemo, type MemoizedDecoder } from '../../app/codec/decode-memo.js';
import type { ChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import { paginate, type Page } from '../../app/types/pagination.js';
import { ErrInvalidPubKey, ErrLogic, ErrUnknownAddress } from '../../app/types/errors.js';
import { Params as ParamsCodec } from '../../generated/parazone/auth/v1/auth.js';
import { claimAccountNumber, claimExplicitAccountNumber, isAccountNumberPending, numberNewAccounts } from './account-numbers.js';
import { ErrInvalidParams, ErrUnknownModuleAccount } from './errors.js';
import { STORE_KEY, accountKey, accountKeyPrefix, accountNumberKey, moduleNameKey, moduleNameKeyPrefix, paramsKey } from './keys.js';
import { defaultParams, validateParams, withMlDsaCostDefaults, type Params } from './params.js';

export const BASE_ACCOUNT_TYPE_URL = '/cosmos.auth.v1beta1.BaseAccount';
export const MODULE_ACCOUNT_TYPE_URL = '/cosmos.auth.v1beta1.ModuleAccount';
export { ML_DSA_PUBKEY_TYPE_URL, SECP256K1_PUBKEY_TYPE_URL, pubKeyFromAny, pubKeyToAny } from '../../app/crypto/account-keys.js';

/** A module account the app wants (the SDK's maccPerms entry): e.g. {name: 'governance'}, {name: 'tokens', permissions: ['minter', 'burner']}. */
export interface ModuleAccountSpec {
  readonly name: string;
  readonly permissions?: readonly string[];
}

export interface AuthKeeperOptions {
  readonly config: ChainConfig;
  /** Module accounts created at genesis and on first use. */
  readonly moduleAccounts?: readonly ModuleAccountSpec[];
  readonly storeKey?: StoreKey;
  /** Who may update params; default the governance module account. */
  readonly authority?: string;
}

/** An account as stored: the Any the Account query returns, and its decoded parts. */
export interface StoredAccount {
  readonly any: Any;
  /** For a module account, its `base_account`. */
  readonly base: BaseAccount;
  readonly module?: ModuleAccount;
}

/**
 * The only code touching the auth store. Accounts are SDK `BaseAccount` / `ModuleAccount` values
 * stored as `Any`, keyed by address bytes. Account numbers are 0, 1, 2, …; an account a tx creates
 * is numbered at EndBlock (account-numbers.ts), so creating accounts never makes two txs conflict.
 */
export class AuthKeeper {
  readonly storeKey: StoreKey;
  readonly config: ChainConfig;
  readonly authority: string;
  private readonly moduleSpecs: ReadonlyMap<string, ModuleAccountSpec>;
  /** hex(address bytes) → module name, to recognise a module address on first receipt. */
  private readonly moduleByAddress: ReadonlyMap<string, string>;

  constructor(options: AuthKeeperOptions) {
    this.storeKey = options.storeKey ?? STORE_KEY;
    this.config = options.config;
    this.authority = options.authority ?? governanceAuthority(options.config);
    const specs = new Map<string, ModuleAccountSpec>();
    const byAddress = new Map<string, string>();
    for (const spec of options.moduleAccounts ?? []) {
      if (!/^[a-z][a-z0-9_]*$/.test(spec.name))
        throw new Error(`module account name "${spec.name}" must be lower-case letters, digits or "_"`);
      if (specs.has(spec.name)) throw new Error(`module account "${spec.name}" is configured twice`);
      specs.set(spec.name, { name: spec.name, permissions: [...(spec.permissions ?? [])] });
      byAddress.set(hex(this.config.addresses.decode(this.config.addresses.moduleAddress(spec.name))), spec.name);
    }
    this.moduleSpecs = specs;
    this.moduleByAddress = byAddress;
  }

  // ───────────────────────── accounts ─────────────────────────

  /** The account at `address` (a module account's `base_account`), or undefined. Throws ErrInvalidAddress for a malformed address. */
  getAccount(ctx: Context, address: string): BaseAccount | undefined {
    return this.getStored(ctx, address)?.base;
  }

  /** The stored account as `Any` (BaseAccount or ModuleAccount), as the Account query answers it. */
  getAccountAny(ctx: Context, address: string): Any | undefined {
    return this.getStored(ctx, address)?.any;
  }

  getStored(ctx: Context, address: string): StoredAccount | undefined {
    const bytes = this.kv(ctx).get(accountKey(this.addressBytes(address)));
    return bytes ? decodeStoredAccount(bytes) : undefined;
  }

  hasAccount(ctx: Context, address: string): boolean {
    return this.kv(ctx).has(accountKey(this.addressBytes(address)));
  }

  /**
   * The account at `address`, created on first use — what the tokens module calls when an address
   * receives coins. A configured module's address becomes a ModuleAccount. An account created by a
   * tx has no number until EndBlock (account-numbers.ts).
   */
  ensureAccount(ctx: Context, address: string): BaseAccount {
    const addressBytes = this.addressBytes(address);
    const kv = this.kv(ctx);
    const existing = kv.get(accountKey(addressBytes));
    if (existing) return decodeStoredAccount(existing).base;
    const moduleName = this.moduleByAddress.get(hex(addressBytes));
    if (moduleName !== undefined) return this.createModuleAccount(ctx, moduleName).baseAccount!;
    const account = BaseAccount.fromPartial({
      address: this.config.addresses.encode(addressBytes),
      accountNumber: claimAccountNumber(ctx, kv, addressBytes),
      sequence: 0n,
    });
    this.write(ctx, addressBytes, { typeUrl: BASE_ACCOUNT_TYPE_URL, value: BaseAccount.encode(account).finish() });
    return account;
  }

  /** The key (secp256k1, ML-DSA or a multisig of them) recorded for the account, if it has signed before. */
  getPubKey(ctx: Context, address: string): AccountPubKey | undefined {
    const account = this.getAccount(ctx, address);
    return account ? pubKeyFromAny(account.pubKey) : undefined;
  }

  /**
   * Records the account's public key (the ante handler does this on the account's first signature).
   * The key must be well formed (a compressed secp256k1 point on the curve, an ML-DSA key of its
   * set's length, or a multisig of well-formed members with a threshold it can meet; bare bytes
   * mean secp256k1) and hash to `address`; a key already set is never replaced by a different one.
   */
  setPubKey(ctx: Context, address: string, key: AccountPubKey | Uint8Array): void {
    const pubkey: AccountPubKey = key instanceof Uint8Array ? { algo: 'secp256k1', key } : key;
    const addressBytes = this.addressBytes(address);
    if (pubkey.algo === 'secp256k1' && !isValidSecp256k1PubKey(pubkey.key))
      throw ErrInvalidPubKey.wrap('expected a 33-byte compressed secp256k1 public key');
    checkPubKeyShape(pubkey);
    if (!bytesEqual(pubKeyAddressBytes(pubkey), addressBytes)) {
      throw ErrInvalidPubKey.wrap(`pubkey does not match signer address ${address}`);
    }
    this.update(ctx, address, addressBytes, (base) => {
      const current = pubKeyFromAny(base.pubKey);
      if (current && !samePubKey(current, pubkey)) {
        throw ErrInvalidPubKey.wrap(`account ${address} already has a different pubkey`);
      }
      base.pubKey = pubKeyToAny(pubkey);
    });
  }

  getSequence(ctx: Context, address: string): bigint {
    const account = this.getAccount(ctx, address);
    if (!account) throw ErrUnknownAddress.wrap(`account ${address} does not exist`);
    return account.sequence;
  }

  /** Bumps the account's sequence by one and returns the new value. */
  incrementSequence(ctx: Context, address: string): bigint {
    let next = 0n;
    this.update(ctx, address, this.addressBytes(address), (base) => {
      base.sequence += 1n;
      next = base.sequence;
    });
    return next;
  }

  /** True while the account waits for its number (created by a tx of the block being executed). */
  isNumberPending(account: BaseAccount): boolean {
    return isAccountNumberPending(account);
  }

  /** EndBlock: gives the accounts this block's txs created their numbers (account-numbers.ts). */
  numberNewAccounts(ctx: Context): void {
    numberNewAccounts(this.kv(ctx), (addressBytes, accountNumber) => {
      this.update(ctx, this.config.addresses.encode(addressBytes), addressBytes, (base) => {
        base.accountNumber = accountNumber;
      });
    });
  }

  /** The address an account number belongs to (SDK `AccountAddressByID`). */
  getAddressByNumber(ctx: Context, accountNumber: bigint): string | undefined {
    if (accountNumber < 0n || accountNumber >= 1n << 64n) return undefined;
    const bytes = this.kv(ctx).get(accountNumberKey(accountNumber));
    return bytes ? this.config.addresses.encode(bytes) : undefined;
  }

  /** Every account in address-byte order (genesis export, invariants). */
  *iterateAccounts(ctx: Context): Generator<StoredAccount> {
    const prefix = accountKeyPrefix();
    for (const { value } of this.kv(ctx).iterator(prefix, prefixEnd(prefix))) yield decodeStoredAccount(value);
  }

  /** One page of accounts as `Any`, in address-byte order (the Accounts query). */
  paginateAccounts(ctx: Context, request: Partial<PageRequest> | undefined): Page<Any> {
    return paginate(this.kv(ctx), accountKeyPrefix(), request, (_key, value) => Any.decode(value));
  }

  // ───────────────────────── module accounts ─────────────────────────

  moduleAddress(name: string): string {
    return this.config.addresses.moduleAddress(name);
  }

  /** Configured module accounts, in configuration order. */
  get moduleAccountSpecs(): readonly ModuleAccountSpec[] {
    return [...this.moduleSpecs.values()];
  }

  /** The configured module whose account lives at `address`, if any. */
  moduleNameOf(address: string): string | undefined {
    return this.moduleByAddress.get(hex(this.addressBytes(address)));
  }

  modulePermissions(name: string): readonly string[] | undefined {
    return this.moduleSpecs.get(name)?.permissions;
  }

  hasPermission(name: string, permission: string): boolean {
    return this.modulePermissions(name)?.includes(permission) ?? false;
  }

  /** The module account, created on first use if the app configures it (the SDK's GetModuleAccount). */
  getModuleAccount(ctx: Context, name: string): ModuleAccount {
    const found = this.findModuleAccount(ctx, name);
    if (found) return found;
    if (!this.moduleSpecs.has(name)) throw ErrUnknownModuleAccount.wrap(`no module account "${name}" is configured`);
    return this.createModuleAccount(ctx, name);
  }

  /** The module account if it exists; never creates one. */
  findModuleAccount(ctx: Context, name: string): ModuleAccount | undefined {
    const stored = this.getStored(ctx, this.moduleAddress(name));
    if (!stored) return undefined;
    if (!stored.module) throw ErrLogic.wrap(`the address of module "${name}" holds a plain account, not a module account`);
    return stored.module;
  }

  /**
   * Creates a module account (genesis, or first use). `permissions` default to the configured ones;
   * genesis may also create module accounts the app does not configure.
   */
  createModuleAccount(ctx: Context, name: string, permissions?: readonly string[], accountNumber?: bigint): ModuleAccount {
    const address = this.moduleAddress(name);
    const addressBytes = this.addressBytes(address);
    const kv = this.kv(ctx);
    if (kv.has(accountKey(addressBytes))) throw ErrLogic.wrap(`account ${address} of module "${name}" already exists`);
    const number = accountNumber ?? claimAccountNumber(ctx, kv, addressBytes);
    if (accountNumber !== undefined) this.claimExplicitNumber(ctx, accountNumber, addressBytes);
    const account = ModuleAccount.fromPartial({
      baseAccount: { address, accountNumber: number, sequence: 0n },
      name,
      permissions: [...(permissions ?? this.moduleSpecs.get(name)?.permissions ?? [])],
    });
    this.write(ctx, addressBytes, { typeUrl: MODULE_ACCOUNT_TYPE_URL, value: ModuleAccount.encode(account).finish() });
    kv.set(moduleNameKey(name), addressBytes);
    return account;
  }

  /** Every existing module account, sorted by name. */
  allModuleAccounts(ctx: Context): StoredAccount[] {
    const prefix = moduleNameKeyPrefix();
    const out: StoredAccount[] = [];
    const kv = this.kv(ctx);
    for (const { value } of kv.iterator(prefix, prefixEnd(prefix))) {
      const bytes = kv.get(accountKey(value));
      if (bytes) out.push(decodeStoredAccount(bytes));
    }
    return out;
  }

  // ───────────────────────── genesis helpers ─────────────────────────

  /**
   * Stores a user account from genesis, with the number genesis gives it (import of an exported
   * chain) or, without one, the next genesis number.
   */
  importAccount(ctx: Context, account: { address: string; pubKey?: Any; sequence: bigint }, accountNumber?: bigint): BaseAccount {
    const addressBytes = this.addressBytes(account.address);
    const kv = this.kv(ctx);
    if (kv.has(accountKey(addressBytes))) throw ErrLogic.wrap(`account ${account.address} is listed twice`);
    if (accountNumber !== undefined) this.claimExplicitNumber(ctx, accountNumber, addressBytes);
    const stored = BaseAccount.fromPartial({
      address: this.config.addresses.encode(addressBytes),
      pubKey: account.pubKey,
      accountNumber: accountNumber ?? claimAccountNumber(ctx, kv, addressBytes),
      sequence: account.sequence,
    });
    this.write(ctx, addressBytes, { typeUrl: BASE_ACCOUNT_TYPE_URL, value: BaseAccount.encode(stored).finish() });
    return stored;
  }

  private claimExplicitNumber(ctx: Context, accountNumber: bigint, addressBytes: Uint8Array): void {
    if (!claimExplicitAccountNumber(this.kv(ctx), accountNumber, addressBytes)) {
      throw ErrLogic.wrap(`account number ${accountNumber} is assigned twice`);
    }
  }

  // ───────────────────────── params ─────────────────────────

  getParams(ctx: Context): Params {
    const bytes = this.kv(ctx).get(paramsKey());
    return bytes ? decodeParams(bytes) : defaultParams(this.config.bondDenom);
  }

  setParams(ctx: Context, params: Params): void {
    validateParams(params);
    const encoded = ParamsCodec.encode(params).finish();
    if (encoded.length === 0) throw ErrInvalidParams.wrap('params are empty');
    this.kv(ctx).set(paramsKey(), encoded);
  }

  // ───────────────────────── internals ─────────────────────────

  /** Decodes and checks a bech32 address (ErrInvalidAddress on failure). */
  addressBytes(address: string): Uint8Array {
    return this.config.addresses.decode(address);
  }

  private kv(ctx: Context): KVStore {
    return ctx.kv(this.storeKey);
  }

  /**
   * Stores an account. `decoded`, when the caller has it, is what the bytes decode to: remembered
   * for them, so the next read of the account (the same signer's next tx, usually) skips a decode.
   */
  private write(ctx: Context, addressBytes: Uint8Array, any: Any, decoded?: StoredAccount): void {
    const bytes = Any.encode(any).finish();
    if (decoded) rememberStoredAccount(bytes, decoded);
    this.kv(ctx).set(accountKey(addressBytes), bytes);
  }

  /** Read-modify-write of an account's base fields; the account must exist. */
  private update(ctx: Context, address: string, addressBytes: Uint8Array, change: (base: BaseAccount) => void): void {
    const bytes = this.kv(ctx).get(accountKey(addressBytes));
    if (!bytes) throw ErrUnknownAddress.wrap(`account ${address} does not exist`);
    const stored = decodeStoredAccount(bytes);
    const base = { ...stored.base };
    change(base);
    if (stored.module) {
      const module = { ...stored.module, baseAccount: base };
      const any = { typeUrl: MODULE_ACCOUNT_TYPE_URL, value: ModuleAccount.encode(module).finish() };
      this.write(ctx, addressBytes, any, { any, base, module });
    } else {
      const any = { typeUrl: BASE_ACCOUNT_TYPE_URL, value: BaseAccount.encode(base).finish() };
      this.write(ctx, addressBytes, any, { any, base });
    }
  }
}

/** The ante reads the params for every tx; a block's branch returns the same bytes until they are written. */
const decodeParams = decodeMemo((bytes) => withMlDsaCostDefaults(ParamsCodec.decode(bytes)));

/**
 * A stored account, decoded; read-only (frozen): change a copy (see `AuthKeeper.update`). Memoized,
 * since the ante decorators and the keepers read a signer's account several times per tx.
 */
export const decodeStoredAccount: MemoizedDecoder<StoredAccount> = decodeMemo((bytes) => {
  const any = Object.freeze(Any.decode(bytes));
  if (any.typeUrl === MODULE_ACCOUNT_TYPE_URL) {
    const module = ModuleAccount.decode(any.value);
    if (!module.baseAccount) throw ErrLogic.wrap(`module account "${module.name}" has no base account`);
    return { any, base: Object.freeze(module.baseAccount), module: Object.freeze(module) };
  }
  if (any.typeUrl === BASE_ACCOUNT_TYPE_URL) return { any, base: Object.freeze(BaseAccount.decode(any.value)) };
  throw ErrLogic.wrap(`stored account has unsupported type ${any.typeUrl}`);
});

/** Records a written account as decodeStoredAccount returns it: parts frozen, as a decoded one's are. */
function rememberStoredAccount(bytes: Uint8Array, account: StoredAccount): void {
  decodeStoredAccount.remember(bytes, {
    any: Object.freeze(account.any),
    base: Object.freeze(account.base),
    ...(account.module ? { module: Object.freeze(account.module) } : {}),
  });
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
