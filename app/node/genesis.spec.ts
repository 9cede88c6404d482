import { addGenesisAccount, addGenesisAccounts } from './genesis.js';

describe('addGenesisAccounts', () => {
  const start = {
    auth: { accounts: [{ address: 'a' }] },
    tokens: { balances: [{ address: 'a', coins: [{ denom: 'x', amount: '5' }] }], supply: [{ denom: 'x', amount: '5' }] },
    other: { kept: true },
  };

  it('adds accounts once, merges coins per denom (sorted) and drops the stale supply', () => {
    const out = addGenesisAccounts(start, [
      { address: 'b', coins: [{ denom: 'y', amount: '2' }] },
      {
        address: 'a',
        coins: [
          { denom: 'x', amount: '1' },
          { denom: 'w', amount: '3' },
        ],
      },
      { address: 'b', coins: [{ denom: 'y', amount: '4' }] },
    ]);
    expect(out.auth).toEqual({ accounts: [{ address: 'a' }, { address: 'b' }] });
    expect(out.tokens).toEqual({
      balances: [
        { address: 'b', coins: [{ denom: 'y', amount: '6' }] },
        {
          address: 'a',
          coins: [
            { denom: 'w', amount: '3' },
            { denom: 'x', amount: '6' },
          ],
        },
      ],
    });
    expect(out.other).toEqual({ kept: true });
    expect(start.tokens.balances[0]!.coins).toEqual([{ denom: 'x', amount: '5' }]); // input untouched
  });

  it('gives what one call per account gives, for distinct addresses', () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({
      address: `addr${i % 37}`,
      coins: [{ denom: `d${i % 3}`, amount: String(i + 1) }],
    }));
    let oneByOne: Record<string, unknown> = { auth: { accounts: [] }, tokens: { balances: [] } };
    const distinct = entries.filter((e, i) => entries.findIndex((f) => f.address === e.address) === i);
    for (const e of distinct) oneByOne = addGenesisAccount(oneByOne, e.address, e.coins);
    expect(addGenesisAccounts({ auth: { accounts: [] }, tokens: { balances: [] } }, distinct)).toEqual(oneByOne);
  });
});
