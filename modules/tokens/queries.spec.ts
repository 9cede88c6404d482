import { makeChainConfig } from '../../app/types/chain-config.js';
import { ErrInvalidAddress, ErrInvalidCoins, ErrNotFound } from '../../app/types/errors.js';
import { addr, tokensFixture } from './testing.js';

const config = makeChainConfig();
const alice = addr(config, 1);
const bob = addr(config, 2);
const BANK = '/cosmos.bank.v1beta1.Query';
const denoms = ['uaaa', 'ubbb', 'uccc', 'uddd', 'ueee'];
const metadata = (base: string) => ({
  description: '',
  denomUnits: [{ denom: base, exponent: 0, aliases: [] }],
  base,
  display: base,
  name: base,
  symbol: base.toUpperCase(),
  uri: '',
  uriHash: '',
});

function setup() {
  return tokensFixture({
    balances: [
      { address: alice, coins: denoms.map((denom, i) => ({ denom, amount: String(i + 1) })) },
      { address: bob, coins: [{ denom: 'uccc', amount: '100' }] },
    ],
    denomMetadata: [metadata('uaaa'), metadata('ubbb')],
    sendEnabled: [
      { denom: 'ubbb', enabled: false },
      { denom: 'uccc', enabled: true },
    ],
  });
}

describe('bank queries', () => {
  it('Balance always returns a coin, "0" when none', () => {
    const f = setup();
    expect(f.query(`${BANK}/Balance`, { address: alice, denom: 'uccc' })).toEqual({ balance: { denom: 'uccc', amount: '3' } });
    expect(f.query(`${BANK}/Balance`, { address: bob, denom: 'uzzz' })).toEqual({ balance: { denom: 'uzzz', amount: '0' } });
  });

  it('Balance rejects a bad address or denom', () => {
    const f = setup();
    expect(() => f.query(`${BANK}/Balance`, { address: '', denom: 'upara' })).toThrow(ErrInvalidAddress.description);
    expect(() => f.query(`${BANK}/Balance`, { address: 'cosmos1xyz', denom: 'upara' })).toThrow(/not valid bech32/);
    expect(() => f.query(`${BANK}/Balance`, { address: alice, denom: '' })).toThrow(ErrInvalidCoins.description);
  });

  it('AllBalances paginates with limit/offset/key/countTotal/reverse', () => {
    const f = setup();
    const all = f.query(`${BANK}/AllBalances`, { address: alice });
    expect(all.balances.map((c: any) => c.denom)).toEqual(denoms);
    expect(all.pagination.total).toBe(5n);
    expect(all.pagination.nextKey).toEqual(new Uint8Array());

    const first = f.query(`${BANK}/AllBalances`, { address: alice, pagination: { limit: 2n, countTotal: true } });
    expect(first.balances).toEqual([
      { denom: 'uaaa', amount: '1' },
      { denom: 'ubbb', amount: '2' },
    ]);
    expect(first.pagination.total).toBe(5n);
    const second = f.query(`${BANK}/AllBalances`, { address: alice, pagination: { key: first.pagination.nextKey, limit: 2n } });
    expect(second.balances.map((c: any) => c.denom)).toEqual(['uccc', 'uddd']);
    const third = f.query(`${BANK}/AllBalances`, { address: alice, pagination: { key: second.pagination.nextKey, limit: 2n } });
    expect(third.balances.map((c: any) => c.denom)).toEqual(['ueee']);
    expect(third.pagination.nextKey).toEqual(new Uint8Array());

    const rev = f.query(`${BANK}/AllBalances`, { address: alice, pagination: { offset: 1n, limit: 2n, reverse: true } });
    expect(rev.balances.map((c: any) => c.denom)).toEqual(['uddd', 'uccc']);
    // Another account's balances never leak into the page.
    expect(f.query(`${BANK}/AllBalances`, { address: bob }).balances).toEqual([{ denom: 'uccc', amount: '100' }]);
    expect(f.query(`${BANK}/AllBalances`, { address: addr(config, 7) }).balances).toEqual([]);
  });

  it('TotalSupply (paginated) and SupplyOf', () => {
    const f = setup();
    const page = f.query(`${BANK}/TotalSupply`, { pagination: { limit: 3n, countTotal: true } });
    expect(page.supply).toEqual([
      { denom: 'uaaa', amount: '1' },
      { denom: 'ubbb', amount: '2' },
      { denom: 'uccc', amount: '103' },
    ]);
    expect(page.pagination.total).toBe(5n);
    expect(new TextDecoder().decode(page.pagination.nextKey)).toBe('uddd');
    expect(f.query(`${BANK}/SupplyOf`, { denom: 'uccc' })).toEqual({ amount: { denom: 'uccc', amount: '103' } });
    expect(f.query(`${BANK}/SupplyOf`, { denom: 'unone' })).toEqual({ amount: { denom: 'unone', amount: '0' } });
  });

  it('DenomMetadata / DenomsMetadata', () => {
    const f = setup();
    expect(f.query(`${BANK}/DenomMetadata`, { denom: 'ubbb' }).metadata).toEqual(metadata('ubbb'));
    expect(() => f.query(`${BANK}/DenomMetadata`, { denom: 'uzzz' })).toThrow(ErrNotFound.description);
    const page = f.query(`${BANK}/DenomsMetadata`, { pagination: { limit: 1n } });
    expect(page.metadatas).toEqual([metadata('uaaa')]);
    expect(new TextDecoder().decode(page.pagination.nextKey)).toBe('ubbb');
  });

  it('Params maps our params onto cosmos bank Params', () => {
    const f = setup();
    expect(f.query(`${BANK}/Params`, {})).toEqual({ params: { sendEnabled: [], defaultSendEnabled: true } });
    f.keeper.setParams(f.ctx, { sendEnabled: [], defaultSendEnabled: false });
    expect(f.query(`${BANK}/Params`, {}).params.defaultSendEnabled).toBe(false);
  });

  it('SendEnabled: requested denoms with an entry, or every entry paginated', () => {
    const f = setup();
    expect(f.query(`${BANK}/SendEnabled`, { denoms: ['ubbb', 'uaaa'] }).sendEnabled).toEqual([{ denom: 'ubbb', enabled: false }]);
    const all = f.query(`${BANK}/SendEnabled`, {});
    expect(all.sendEnabled).toEqual([
      { denom: 'ubbb', enabled: false },
      { denom: 'uccc', enabled: true },
    ]);
    expect(all.pagination.total).toBe(2n);
  });

  it('DenomOwners lists holders (paginated) and follows balances appearing and disappearing', () => {
    const f = setup();
    const owners = (denom: string, pagination?: unknown) => f.query(`${BANK}/DenomOwners`, { denom, pagination });
    expect(owners('uccc').denomOwners).toEqual([
      { address: alice, balance: { denom: 'uccc', amount: '3' } },
      { address: bob, balance: { denom: 'uccc', amount: '100' } },
    ]);
    const first = owners('uccc', { limit: 1n, countTotal: true });
    expect(first.denomOwners.map((o: any) => o.address)).toEqual([alice]);
    expect(first.pagination.total).toBe(2n);
    expect(owners('uccc', { key: first.pagination.nextKey }).denomOwners.map((o: any) => o.address)).toEqual([bob]);
    f.keeper.sendCoins(f.ctx, alice, bob, [{ denom: 'uaaa', amount: '1' }]);
    expect(owners('uaaa').denomOwners).toEqual([{ address: bob, balance: { denom: 'uaaa', amount: '1' } }]);
    expect(owners('unone').denomOwners).toEqual([]);
    for (const inv of f.module.invariants!) expect(inv.check(f.ctx)).toBeUndefined();
  });

  it('serves every path cosmjs bank extension uses', () => {
    const paths = setup().module.queries!.map((q) => q.path);
    for (const m of [
      'Balance',
      'AllBalances',
      'TotalSupply',
      'SupplyOf',
      'DenomMetadata',
      'DenomsMetadata',
      'Params',
      'SendEnabled',
      'DenomOwners',
    ]) {
      expect(paths).toContain(`${BANK}/${m}`);
    }
  });
});
