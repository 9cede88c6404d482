import { makeChainConfig } from '../../app/types/chain-config.js';
import { GenesisState } from '../../generated/parazone/tokens/v1/genesis.js';
import { testContext } from '../../test/harness.js';
import { ErrInvalidGenesis } from './errors.js';
import { addr, tokensFixture } from './testing.js';

const config = makeChainConfig();
const alice = addr(config, 1);
const bob = addr(config, 2);
const feeCollector = config.addresses.moduleAddress('fee_collector');

const genesisJson = {
  params: { default_send_enabled: true },
  balances: [
    {
      address: alice,
      coins: [
        { denom: 'uatom', amount: '5' },
        { denom: 'upara', amount: '100' },
      ],
    },
    { address: bob, coins: [{ denom: 'upara', amount: '7' }] },
  ],
  supply: [
    { denom: 'uatom', amount: '5' },
    { denom: 'upara', amount: '107' },
  ],
  denom_metadata: [
    {
      description: 'Parazone',
      denom_units: [
        { denom: 'upara', exponent: 0, aliases: [] },
        { denom: 'para', exponent: 6, aliases: [] },
      ],
      base: 'upara',
      display: 'para',
      name: 'Parazone',
      symbol: 'PARA',
    },
  ],
  send_enabled: [{ denom: 'uatom', enabled: false }],
};

describe('tokens genesis', () => {
  it('imports balances, supply, metadata, send-enabled and params; creates holder accounts', () => {
    const f = tokensFixture(genesisJson);
    expect(f.keeper.getBalance(f.ctx, alice, 'upara')).toBe(100n);
    expect(f.keeper.getSupply(f.ctx, 'upara')).toBe(107n);
    expect(f.keeper.getDenomMetadata(f.ctx, 'upara')?.symbol).toBe('PARA');
    expect(f.keeper.isSendEnabled(f.ctx, 'uatom')).toBe(false);
    expect(f.keeper.isSendEnabled(f.ctx, 'upara')).toBe(true);
    expect(f.accounts.created).toEqual([alice, bob]);
    for (const inv of f.module.invariants!) expect(inv.check(f.ctx)).toBeUndefined();
  });

  it('round-trips: export → JSON → validate → init → export is identical', () => {
    const f = tokensFixture(genesisJson);
    f.keeper.sendCoins(f.ctx, alice, addr(config, 3), [{ denom: 'upara', amount: '1' }]);
    f.keeper.collectFee(f.ctx, bob, [{ denom: 'upara', amount: '2' }]);
    const exported = f.module.genesis!.export(f.ctx) as any;
    // A pending (unswept) fee shows up in the fee collector's balance.
    expect(exported.balances.find((b: any) => b.address === feeCollector)?.coins).toEqual([{ denom: 'upara', amount: '2' }]);
    const json = JSON.parse(JSON.stringify(exported));
    expect(json).toEqual(exported);
    const g = tokensFixture({}).module.genesis!;
    const ctx2 = testContext();
    g.init(ctx2, g.validate(json));
    expect(g.export(ctx2)).toEqual(exported);
    expect(GenesisState.fromJSON(exported).supply).toEqual([
      { denom: 'uatom', amount: '5' },
      { denom: 'upara', amount: '107' },
    ]);
  });

  it('computes supply when omitted; default genesis is valid and empty', () => {
    const f = tokensFixture({ balances: genesisJson.balances });
    expect(f.keeper.getAllSupply(f.ctx)).toEqual([
      { denom: 'uatom', amount: '5' },
      { denom: 'upara', amount: '107' },
    ]);
    const g = f.module.genesis!;
    const d = g.validate(JSON.parse(JSON.stringify(g.defaultGenesis())));
    expect(d.balances).toEqual([]);
    expect(d.params.defaultSendEnabled).toBe(true);
  });

  it('moves legacy params.send_enabled entries into send_enabled', () => {
    const f = tokensFixture({ params: { send_enabled: [{ denom: 'upara', enabled: false }], default_send_enabled: true } });
    expect(f.keeper.getAllSendEnabled(f.ctx)).toEqual([{ denom: 'upara', enabled: false }]);
    expect(f.keeper.getParams(f.ctx).sendEnabled).toEqual([]);
  });

  it('rejects invalid genesis with a clear message', () => {
    const g = tokensFixture({}).module.genesis!;
    const bad: [unknown, RegExp][] = [
      [null, /expected a JSON object/],
      [{ ...genesisJson, supply: [{ denom: 'upara', amount: '107' }] }, /does not equal the sum of balances/],
      [
        {
          ...genesisJson,
          supply: [
            { denom: 'uatom', amount: '5' },
            { denom: 'upara', amount: '108' },
          ],
        },
        /does not equal/,
      ],
      [
        { balances: [{ address: 'cosmos1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hn4f4', coins: [{ denom: 'upara', amount: '1' }] }] },
        /balance of/,
      ],
      [{ balances: [{ address: alice, coins: [{ denom: 'upara', amount: '0' }] }] }, /must be positive/],
      [{ balances: [{ address: alice, coins: [] }] }, /must not be empty/],
      [{ balances: [genesisJson.balances[1], genesisJson.balances[1]] }, /duplicate balance/],
      [
        {
          send_enabled: [
            { denom: 'upara', enabled: true },
            { denom: 'upara', enabled: false },
          ],
        },
        /duplicate denom/,
      ],
      [
        { params: { send_enabled: [{ denom: 'upara', enabled: true }] }, send_enabled: [{ denom: 'upara', enabled: false }] },
        /duplicate denom/,
      ],
      [{ denom_metadata: [{ ...genesisJson.denom_metadata[0], symbol: '' }] }, /symbol field cannot be blank/],
      [{ denom_metadata: [genesisJson.denom_metadata[0], genesisJson.denom_metadata[0]] }, /duplicate denom metadata/],
      [
        {
          balances: [
            { address: alice, coins: [{ denom: 'upara', amount: '9'.repeat(77) }] },
            { address: bob, coins: [{ denom: 'upara', amount: '1' }] },
          ],
        },
        /77-digit maximum/,
      ],
    ];
    for (const [json, text] of bad) {
      let err: unknown;
      try {
        g.validate(json);
      } catch (e) {
        err = e;
      }
      expect(ErrInvalidGenesis.is(err)).toBe(true);
      expect((err as Error).message).toMatch(text);
    }
  });
});
