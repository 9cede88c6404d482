import { accountFromAny } from '@cosmjs/stargate';
import secp256k1 from 'secp256k1';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { memoryStore } from '../../app/store/cache-kv.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { ChainError } from '../../app/types/errors.js';
import type { QueryHandler } from '../../app/types/module.js';
import { dumpStore, runBranch, testContext } from '../../test/harness.js';
import { MSG_UPDATE_PARAMS_TYPE_URL } from './msgs.js';
import { createAuthModule } from './module.js';
import { defaultParams } from './params.js';
import type { SinglePubKey } from '../../app/crypto/account-keys.js';

const config = makeChainConfig('para', 'upara');
const keyOf = (seed: number) => secp256k1.publicKeyCreate(new Uint8Array(32).fill(seed), true);
const addressOf = (seed: number) => config.addresses.fromSecp256k1PubKey(keyOf(seed));
const governance = config.addresses.moduleAddress('governance');

function setup(
  genesisJson: unknown = {
    accounts: [{ address: addressOf(1) }, { address: addressOf(2), pub_key: Buffer.from(keyOf(2)).toString('base64'), sequence: '4' }],
  },
) {
  const store = memoryStore();
  const { module, keeper } = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }, { name: 'governance' }] });
  const ctx = testContext({ store, mode: 'genesis' });
  module.genesis!.init(ctx, module.genesis!.validate(genesisJson));
  const query = (path: string, request: unknown) => {
    const handler = module.queries!.find((q) => q.path === path) as QueryHandler;
    // Round-trip the request and response through protobuf, as ABCI Query does.
    const req = handler.requestType.decode(handler.requestType.encode(handler.requestType.fromPartial(request)).finish());
    const res = handler.handle(testContext({ store, mode: 'query' }), req);
    return handler.responseType.decode(handler.responseType.encode(res).finish());
  };
  return { store, module, keeper, query };
}

function errorOf(fn: () => unknown): ChainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ChainError) return err;
    throw err;
  }
  throw new Error('expected a throw');
}

describe('auth genesis', () => {
  it('numbers accounts in genesis order, then module accounts, and sets pubkeys and sequences', () => {
    const { store, keeper } = setup();
    const ctx = testContext({ store });
    expect(keeper.getAccount(ctx, addressOf(1))).toMatchObject({ accountNumber: 0n, sequence: 0n });
    expect(keeper.getAccount(ctx, addressOf(2))).toMatchObject({ accountNumber: 1n, sequence: 4n });
    expect(Buffer.from((keeper.getPubKey(ctx, addressOf(2)) as SinglePubKey).key)).toEqual(Buffer.from(keyOf(2)));
    expect(keeper.getModuleAccount(ctx, 'fee_collector').baseAccount!.accountNumber).toBe(2n);
    expect(keeper.getModuleAccount(ctx, 'governance').baseAccount!.accountNumber).toBe(3n);
  });

  it('exports what it imports, numbers included, after accounts were created in blocks', () => {
    const { store, module, keeper } = setup();
    keeper.ensureAccount(testContext({ store, height: 9, txIndex: 2 }), addressOf(3));
    module.endBlock!(testContext({ store, height: 9, mode: 'block' }));
    const exported = module.genesis!.export(testContext({ store }));
    const json = JSON.parse(JSON.stringify(exported));
    expect(json.accounts).toHaveLength(3);
    expect(json.accounts.find((a: any) => a.address === addressOf(2))).toMatchObject({
      accountNumber: '1',
      sequence: '4',
      pubKey: Buffer.from(keyOf(2)).toString('base64'),
    });
    const again = createAuthModule({ config, moduleAccounts: [{ name: 'fee_collector' }, { name: 'governance' }] });
    const store2 = memoryStore();
    again.module.genesis!.init(testContext({ store: store2, mode: 'genesis' }), again.module.genesis!.validate(json));
    expect(again.module.genesis!.export(testContext({ store: store2 }))).toEqual(exported);
    expect(again.keeper.getAccount(testContext({ store: store2 }), addressOf(3))!.accountNumber).toBe(4n);
    // The same state, counter included: an exported chain re-imports to the same app hash.
    expect(dumpStore(store2)).toEqual(dumpStore(store));
  });

  it('rejects bad genesis: duplicate address, partial numbering, duplicate numbers, wrong pubkey, bad params', () => {
    const { module } = createAuthModule({ config, moduleAccounts: [{ name: 'governance' }] });
    const v = (json: unknown) => errorOf(() => module.genesis!.validate(json)).message;
    expect(v({ accounts: [{ address: addressOf(1) }, { address: addressOf(1) }] })).toMatch(/listed twice/);
    expect(v({ accounts: [{ address: addressOf(1), account_number: '0' }, { address: addressOf(2) }] })).toMatch(/every account/);
    expect(
      v({
        accounts: [
          { address: addressOf(1), account_number: '0' },
          { address: addressOf(2), account_number: '0' },
        ],
      }),
    ).toMatch(/used twice/);
    expect(v({ accounts: [{ address: addressOf(1), pub_key: Buffer.from(keyOf(2)).toString('base64') }] })).toMatch(/does not match/);
    expect(v({ accounts: [{ address: 'para1xyz' }] })).toMatch(/invalid address/);
    expect(v({ accounts: [{ address: governance }] })).toMatch(/module account/);
    expect(v({ params: { ...defaultParams(), maxMemoCharacters: '0', txSigLimit: '7' } })).toMatch(/max_memo_characters/);
    expect(v({ accounts: [{ address: addressOf(1), sequence: 'x' }] })).toMatch(/does not parse/);
    expect(v({ moduleAccounts: [{ name: 'governance', permissions: ['minter'] }] })).toMatch(/permissions/);
    const defaults = module.genesis!.defaultGenesis();
    expect(JSON.parse(JSON.stringify(defaults))).toEqual(defaults);
    expect(module.genesis!.validate(defaults).params).toEqual(defaultParams('upara'));
  });
});

describe('auth queries', () => {
  it('Account: an Any cosmjs decodes; NotFound text cosmjs maps to null (sdk code 22)', () => {
    const { query } = setup();
    const res = query('/cosmos.auth.v1beta1.Query/Account', { address: addressOf(2) }) as QueryAccountResponse;
    const account = accountFromAny(res.account!);
    expect(account).toMatchObject({ address: addressOf(2), accountNumber: 1, sequence: 4 });
    expect(account.pubkey).toEqual({ type: 'tendermint/PubKeySecp256k1', value: Buffer.from(keyOf(2)).toString('base64') });
    const err = errorOf(() => query('/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest.fromPartial({ address: addressOf(9) })));
    expect({ codespace: err.codespace, code: err.code }).toEqual({ codespace: 'sdk', code: 22 });
    expect(err.message).toContain(`rpc error: code = NotFound desc = account ${addressOf(9)} not found`);
    expect(err.message).toMatch(/rpc error: code = NotFound/i);
  });

  it('module accounts, params, bech32 prefix, account by number, account list', () => {
    const { query } = setup();
    const macc = query('/cosmos.auth.v1beta1.Query/ModuleAccountByName', { name: 'fee_collector' }) as any;
    expect(accountFromAny(macc.account)).toMatchObject({ address: config.addresses.moduleAddress('fee_collector'), accountNumber: 2 });
    expect(errorOf(() => query('/cosmos.auth.v1beta1.Query/ModuleAccountByName', { name: 'nope' })).code).toBe(22);
    expect((query('/cosmos.auth.v1beta1.Query/ModuleAccounts', {}) as any).accounts).toHaveLength(2);
    expect((query('/cosmos.auth.v1beta1.Query/Params', {}) as any).params).toEqual({
      maxMemoCharacters: 256n,
      txSigLimit: 7n,
      txSizeCostPerByte: 10n,
      sigVerifyCostEd25519: 590n,
      sigVerifyCostSecp256k1: 1000n,
    });
    expect((query('/parazone.auth.v1.Query/Params', {}) as any).params).toEqual(defaultParams('upara'));
    expect((query('/cosmos.auth.v1beta1.Query/Bech32Prefix', {}) as any).bech32Prefix).toBe('para');
    expect((query('/cosmos.auth.v1beta1.Query/AccountAddressByID', { accountId: 1n }) as any).accountAddress).toBe(addressOf(2));
    expect((query('/cosmos.auth.v1beta1.Query/Accounts', { pagination: { limit: 3n } }) as any).accounts).toHaveLength(3);
    expect((query('/cosmos.auth.v1beta1.Query/AccountInfo', { address: addressOf(1) }) as any).info.accountNumber).toBe(0n);
  });
});

describe('MsgUpdateParams', () => {
  it('only governance may change params, and only to valid ones', () => {
    const { store, module, keeper } = setup();
    const handler = module.msgs!.find((m) => m.typeUrl === MSG_UPDATE_PARAMS_TYPE_URL)!;
    const params = { ...defaultParams(), minGasPrice: '0.5' };
    const ctx = testContext({ store, height: 5 });
    const notGov = runBranch(ctx, (b) => handler.handle(b, { authority: addressOf(1), params })) as ChainError;
    expect({ code: notGov.code, message: notGov.message }).toEqual({
      code: 4,
      message: `invalid authority; expected ${governance}, got ${addressOf(1)}: unauthorized`,
    });
    expect(() => handler.validateBasic!({ authority: governance, params: { ...params, minGasPrice: '-1' } })).toThrow(/min_gas_price/);
    expect(() => handler.validateBasic!({ authority: 'nope', params })).toThrow(/invalid address/);
    expect(handler.signers({ authority: governance, params })).toEqual([governance]);
    expect(runBranch(ctx, (b) => handler.handle(b, { authority: governance, params }))).toBeUndefined();
    expect(keeper.getParams(testContext({ store })).minGasPrice).toBe('0.5');
    expect(ctx.events.events.map((e) => e.type)).toEqual(['auth_params_updated']);
  });
});
