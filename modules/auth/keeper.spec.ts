import secp256k1 from 'secp256k1';
import { memoryStore } from '../../app/store/cache-kv.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { ChainError } from '../../app/types/errors.js';
import { dumpStore, testContext } from '../../test/harness.js';
import { Params as ParamsCodec } from '../../generated/parazone/auth/v1/auth.js';
import { UNASSIGNED_ACCOUNT_NUMBER } from './account-numbers.js';
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { Any } from 'cosmjs-types/google/protobuf/any';
import { AuthKeeper, MODULE_ACCOUNT_TYPE_URL, decodeStoredAccount } from './keeper.js';
import { STORE_KEY, accountKey, paramsKey } from './keys.js';
import { createAuthModule } from './module.js';
import { defaultParams, parseGasPrice, requiredFee, validateParams } from './params.js';
import type { SinglePubKey } from '../../app/crypto/account-keys.js';

const config = makeChainConfig('para', 'upara');
const keyOf = (seed: number) => secp256k1.publicKeyCreate(new Uint8Array(32).fill(seed), true);
const addressOf = (seed: number) => config.addresses.fromSecp256k1PubKey(keyOf(seed));

function setup() {
  const store = memoryStore();
  const keeper = new AuthKeeper({
    config,
    moduleAccounts: [{ name: 'fee_collector' }, { name: 'tokens', permissions: ['minter', 'burner'] }],
  });
  return { store, keeper };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ChainError) return `${err.codespace}:${err.code}`;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('account numbers: dense, without a key every tx writes', () => {
  const numberOf = (keeper: AuthKeeper, ctx: ReturnType<typeof testContext>, seed: number) =>
    keeper.getAccount(ctx, addressOf(seed))!.accountNumber;

  it('numbers genesis accounts 0, 1, 2 … in creation order', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, mode: 'genesis' });
    expect([1, 2, 3].map((s) => keeper.ensureAccount(ctx, addressOf(s)).accountNumber)).toEqual([0n, 1n, 2n]);
  });

  it('numbers the accounts txs create at EndBlock, in (tx index, creation order), after the existing ones', () => {
    const { store, keeper } = setup();
    keeper.ensureAccount(testContext({ store, mode: 'genesis' }), addressOf(9)); // number 0
    // Txs of one block, executed in any order: each account waits for its number.
    const tx4 = testContext({ store, height: 300, txIndex: 4 });
    const tx3 = testContext({ store, height: 300, txIndex: 3 });
    expect(keeper.isNumberPending(keeper.ensureAccount(tx4, addressOf(1)))).toBe(true);
    keeper.ensureAccount(tx3, addressOf(3));
    keeper.ensureAccount(tx3, addressOf(2));
    expect(keeper.ensureAccount(tx3, addressOf(3)).accountNumber).toBe(UNASSIGNED_ACCOUNT_NUMBER); // existing: unchanged
    keeper.numberNewAccounts(testContext({ store, height: 300, mode: 'block' }));
    const end = testContext({ store, height: 300, mode: 'block' });
    expect([3, 2, 1].map((s) => numberOf(keeper, end, s))).toEqual([1n, 2n, 3n]);
    expect(keeper.getAddressByNumber(end, 3n)).toBe(addressOf(1));
    // A hook (EndBlock after auth's, or the next BeginBlock) takes the next number at once.
    expect(keeper.ensureAccount(end, addressOf(4)).accountNumber).toBe(4n);
    // The next block continues from the counter.
    keeper.ensureAccount(testContext({ store, height: 301, txIndex: 0 }), addressOf(5));
    keeper.numberNewAccounts(testContext({ store, height: 301, mode: 'block' }));
    expect(numberOf(keeper, end, 5)).toBe(5n);
    // Nothing is left waiting.
    const waiting = ['auth/\x06', 'auth/\x07'].map((p) => Buffer.from(p).toString('hex'));
    expect([...dumpStore(store).keys()].filter((k) => waiting.some((p) => k.startsWith(p)))).toEqual([]);
  });

  it('two txs of one block creating accounts touch disjoint keys (no conflict for the parallel executor)', () => {
    const { keeper } = setup();
    const a = memoryStore();
    const b = memoryStore();
    keeper.ensureAccount(testContext({ store: a, height: 5, txIndex: 0 }), addressOf(1));
    keeper.ensureAccount(testContext({ store: b, height: 5, txIndex: 1 }), addressOf(2));
    const keysA = [...dumpStore(a).keys()];
    const keysB = [...dumpStore(b).keys()];
    expect(keysA.length).toBe(3); // the account, its (tx, k) record and the tx's count
    expect(keysA.filter((k) => keysB.includes(k))).toEqual([]);
  });

  it('CheckTx creates the account unnumbered and records nothing for a block', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, txIndex: -1, mode: 'check' });
    expect(keeper.ensureAccount(ctx, addressOf(1)).accountNumber).toBe(UNASSIGNED_ACCOUNT_NUMBER);
    expect(dumpStore(store).size).toBe(1);
  });

  it('continues after the highest number an imported genesis assigned', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, mode: 'genesis' });
    keeper.importAccount(ctx, { address: addressOf(1), sequence: 0n }, 7n);
    keeper.importAccount(ctx, { address: addressOf(2), sequence: 0n }, 3n);
    expect(codeOf(() => keeper.importAccount(ctx, { address: addressOf(3), sequence: 0n }, 7n))).toBe('sdk:35');
    expect(keeper.ensureAccount(ctx, addressOf(4)).accountNumber).toBe(8n);
  });
});

describe('AuthKeeper', () => {
  it('creates a configured module account on first receipt, a plain account otherwise', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, height: 3, txIndex: 0 });
    const moduleAddress = config.addresses.moduleAddress('tokens');
    keeper.ensureAccount(ctx, moduleAddress);
    expect(keeper.getAccountAny(ctx, moduleAddress)!.typeUrl).toBe(MODULE_ACCOUNT_TYPE_URL);
    expect(keeper.getModuleAccount(ctx, 'tokens').permissions).toEqual(['minter', 'burner']);
    expect(keeper.hasPermission('tokens', 'minter')).toBe(true);
    expect(keeper.hasPermission('fee_collector', 'minter')).toBe(false);
    expect(codeOf(() => keeper.getModuleAccount(ctx, 'nobody'))).toBe('auth:4');
    expect(keeper.findModuleAccount(ctx, 'fee_collector')).toBeUndefined();
    expect(keeper.getModuleAccount(ctx, 'fee_collector').name).toBe('fee_collector');
  });

  it('finds an account whatever the case of its address and rejects bad addresses (7)', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, height: 3, txIndex: 0 });
    keeper.ensureAccount(ctx, addressOf(1));
    expect(keeper.hasAccount(ctx, addressOf(1).toUpperCase())).toBe(true);
    expect(codeOf(() => keeper.ensureAccount(ctx, 'cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a'))).toBe('sdk:7');
    expect(codeOf(() => keeper.getAccount(ctx, 'para1nope'))).toBe('sdk:7');
  });

  it('stores a pubkey that matches the address, once', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, height: 3, txIndex: 0 });
    const address = addressOf(1);
    expect(codeOf(() => keeper.setPubKey(ctx, address, keyOf(1)))).toBe('sdk:9');
    keeper.ensureAccount(ctx, address);
    expect(codeOf(() => keeper.setPubKey(ctx, address, keyOf(2)))).toBe('sdk:8');
    expect(codeOf(() => keeper.setPubKey(ctx, address, secp256k1.publicKeyConvert(keyOf(1), false)))).toBe('sdk:8');
    keeper.setPubKey(ctx, address, keyOf(1));
    expect(Buffer.from((keeper.getPubKey(ctx, address) as SinglePubKey).key)).toEqual(Buffer.from(keyOf(1)));
    expect(keeper.getAccount(ctx, address)!.pubKey!.typeUrl).toBe('/cosmos.crypto.secp256k1.PubKey');
  });

  it('increments sequences', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, height: 3, txIndex: 0 });
    keeper.ensureAccount(ctx, addressOf(1));
    expect(keeper.incrementSequence(ctx, addressOf(1))).toBe(1n);
    expect(keeper.incrementSequence(ctx, addressOf(1))).toBe(2n);
    expect(keeper.getSequence(ctx, addressOf(1))).toBe(2n);
    expect(codeOf(() => keeper.incrementSequence(ctx, addressOf(2)))).toBe('sdk:9');
  });

  it('hands a written account back as decoding its bytes would (the remembered decode)', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store, height: 3, txIndex: 0 });
    keeper.ensureAccount(ctx, addressOf(1));
    keeper.setPubKey(ctx, addressOf(1), keyOf(1));
    keeper.incrementSequence(ctx, addressOf(1));
    keeper.getModuleAccount(ctx, 'tokens');
    keeper.incrementSequence(ctx, keeper.moduleAddress('tokens'));
    for (const address of [addressOf(1), keeper.moduleAddress('tokens')]) {
      const bytes = store.get(new Uint8Array([...STORE_KEY.prefix, ...accountKey(config.addresses.decode(address))]))!;
      const any = Any.decode(bytes);
      const fresh = any.typeUrl === MODULE_ACCOUNT_TYPE_URL ? ModuleAccount.decode(any.value).baseAccount : BaseAccount.decode(any.value);
      expect(decodeStoredAccount(bytes).base).toEqual(fresh);
      expect(Object.isFrozen(decodeStoredAccount(bytes).base)).toBe(true);
      expect(keeper.getAccount(ctx, address)).toEqual(fresh);
    }
    expect(keeper.getSequence(ctx, addressOf(1))).toBe(1n);
  });

  it('validates params before storing them', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store });
    expect(keeper.getParams(ctx)).toEqual(defaultParams('upara'));
    expect(codeOf(() => keeper.setParams(ctx, { ...defaultParams(), txSigLimit: 0n }))).toBe('auth:2');
    expect(codeOf(() => keeper.setParams(ctx, { ...defaultParams(), minGasPrice: '0.1e3' }))).toBe('auth:2');
    expect(codeOf(() => keeper.setParams(ctx, { ...defaultParams(), minGasPriceDenom: '' }))).toBe('auth:2');
    keeper.setParams(ctx, { ...defaultParams(), minGasPrice: '0', minGasPriceDenom: '' });
    expect(keeper.getParams(ctx).minGasPrice).toBe('0');
  });

  it('never makes ML-DSA checks free: a record without their costs is refused when written, read with the defaults when stored', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store });
    const withoutMlDsa = { ...defaultParams(), sigVerifyCostMlDsa44: 0n, sigVerifyCostMlDsa65: 0n };
    expect(codeOf(() => keeper.setParams(ctx, { ...defaultParams(), sigVerifyCostMlDsa44: 0n }))).toBe('auth:2');
    expect(codeOf(() => keeper.setParams(ctx, { ...defaultParams(), sigVerifyCostMlDsa65: 0n }))).toBe('auth:2');

    // A genesis whose auth params predate the ML-DSA costs (the fields absent from its JSON).
    const { module } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }] });
    const {
      sigVerifyCostMlDsa44: _44,
      sigVerifyCostMlDsa65: _65,
      ...oldJson
    } = ParamsCodec.toJSON({ ...defaultParams(), txSigLimit: 5n }) as Record<string, unknown>;
    expect(() => module.genesis!.validate({ params: oldJson })).toThrow(/sig_verify_cost_ml_dsa_44 must be positive/);

    // A stored record written before the fields existed (proto3 leaves zeros out, so these bytes are that record).
    ctx.kv(STORE_KEY).set(paramsKey(), ParamsCodec.encode({ ...withoutMlDsa, txSigLimit: 5n }).finish());
    expect(keeper.getParams(ctx)).toEqual({ ...defaultParams(), txSigLimit: 5n });
    // A record that has them keeps them.
    keeper.setParams(ctx, { ...defaultParams(), sigVerifyCostMlDsa44: 7n, sigVerifyCostMlDsa65: 9n });
    expect(keeper.getParams(ctx)).toMatchObject({ sigVerifyCostMlDsa44: 7n, sigVerifyCostMlDsa65: 9n });
  });
});

describe('minimum fee math', () => {
  it('is ceil(price × gas) in exact integers', () => {
    const p = (minGasPrice: string) => ({ ...defaultParams(), minGasPrice });
    expect(requiredFee(p('0.025'), 200_000n)).toBe(5000n);
    expect(requiredFee(p('0.025'), 200_001n)).toBe(5001n);
    expect(requiredFee(p('0.000000000000000001'), 1n)).toBe(1n);
    expect(requiredFee(p('0'), 10n ** 15n)).toBe(0n);
    expect(requiredFee(p('3'), 7n)).toBe(21n);
    // 0.1 is not exact in binary floating point; here it is.
    expect(requiredFee(p('0.1'), 30n)).toBe(3n);
    expect(requiredFee(p('12345678901234567890.5'), 2n)).toBe(24691357802469135781n);
  });

  it('parses only plain decimals', () => {
    for (const bad of ['', '-1', '1.', '.5', '1e3', ' 1', '0.1234567890123456789', '01']) {
      expect(() => parseGasPrice(bad)).toThrow(ChainError);
    }
    expect(parseGasPrice('0.025')).toEqual({ numerator: 25n, denominator: 1000n });
    expect(() => validateParams(defaultParams())).not.toThrow();
  });
});
