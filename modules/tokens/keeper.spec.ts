import { ErrInsufficientFunds, ErrInvalidAddress, ErrInvalidCoins, ErrUnauthorized } from '../../app/types/errors.js';
import { CacheKV } from '../../app/store/cache-kv.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { runBranch, testContext } from '../../test/harness.js';
import { addr, flat, tokensFixture } from './testing.js';

function setup() {
  const config = makeChainConfig();
  const alice = addr(config, 1);
  const bob = addr(config, 2);
  const fx = tokensFixture({
    balances: [
      {
        address: alice,
        coins: [
          { denom: 'uatom', amount: '50' },
          { denom: 'upara', amount: '1000' },
        ],
      },
      { address: bob, coins: [{ denom: 'upara', amount: '10' }] },
    ],
  });
  return { ...fx, alice, bob };
}

describe('TokensKeeper balances and transfers', () => {
  it('reads balances (0 when none) and all balances sorted by denom', () => {
    const { keeper, ctx, alice, bob, config } = setup();
    expect(keeper.getBalance(ctx, alice, 'upara')).toBe(1000n);
    expect(keeper.getBalance(ctx, bob, 'uatom')).toBe(0n);
    expect(keeper.getAllBalances(ctx, alice)).toEqual([
      { denom: 'uatom', amount: '50' },
      { denom: 'upara', amount: '1000' },
    ]);
    expect(keeper.getAllBalances(ctx, addr(config, 9))).toEqual([]);
    expect(keeper.getSupply(ctx, 'upara')).toBe(1010n);
  });

  it('sendCoins moves coins, creates the recipient account and emits the SDK events in order', () => {
    const { keeper, ctx, alice, config, accounts } = setup();
    const carol = addr(config, 3);
    accounts.calls.length = 0;
    keeper.sendCoins(ctx, alice, carol, [{ denom: 'upara', amount: '1000' }]);
    expect(keeper.getBalance(ctx, alice, 'upara')).toBe(0n);
    expect(keeper.getBalance(ctx, carol, 'upara')).toBe(1000n);
    expect(accounts.calls).toEqual([carol]);
    // The emptied balance is deleted, not stored as 0.
    expect(keeper.getAllBalances(ctx, alice)).toEqual([{ denom: 'uatom', amount: '50' }]);
    expect(flat(ctx.events.events)).toEqual([
      [
        'coin_spent',
        [
          ['spender', alice],
          ['amount', '1000upara'],
        ],
      ],
      [
        'coin_received',
        [
          ['receiver', carol],
          ['amount', '1000upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', carol],
          ['sender', alice],
          ['amount', '1000upara'],
        ],
      ],
      ['message', [['sender', alice]]],
    ]);
  });

  it('multi-coin amounts use Coins.String() format', () => {
    const { keeper, ctx, alice, bob } = setup();
    keeper.sendCoins(ctx, alice, bob, [
      { denom: 'uatom', amount: '5' },
      { denom: 'upara', amount: '7' },
    ]);
    expect(ctx.events.events[0]!.attributes[1]!.value).toBe('5uatom,7upara');
  });

  it('self-send is allowed and leaves the balance as it was', () => {
    const { keeper, ctx, alice } = setup();
    keeper.sendCoins(ctx, alice, alice, [{ denom: 'upara', amount: '600' }]);
    expect(keeper.getBalance(ctx, alice, 'upara')).toBe(1000n);
  });

  it('rejects insufficient funds without a partial debit, even outside a branch', () => {
    const { keeper, ctx, alice, bob, dump } = setup();
    const before = dump();
    let err: unknown;
    try {
      keeper.sendCoins(ctx, alice, bob, [
        { denom: 'uatom', amount: '10' },
        { denom: 'upara', amount: '1001' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(ErrInsufficientFunds.is(err)).toBe(true);
    expect((err as Error).message).toBe('spendable balance 1000upara is smaller than 1001upara: insufficient funds');
    expect(dump()).toEqual(before);
    expect(ctx.events.events).toEqual([]);
  });

  it('rejects invalid coins and addresses', () => {
    const { keeper, ctx, alice, bob } = setup();
    expect(() => keeper.sendCoins(ctx, alice, bob, [{ denom: 'upara', amount: '0' }])).toThrow(/must be positive/);
    expect(() =>
      keeper.sendCoins(ctx, alice, bob, [
        { denom: 'upara', amount: '1' },
        { denom: 'uatom', amount: '1' },
      ]),
    ).toThrow(/sorted and unique/);
    try {
      keeper.sendCoins(ctx, alice, 'cosmos1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn8hn4f4', [{ denom: 'upara', amount: '1' }]);
      throw new Error('no error');
    } catch (e) {
      expect(ErrInvalidAddress.is(e)).toBe(true);
    }
    expect(() => keeper.sendCoins(ctx, alice, bob, [{ denom: 'upara', amount: '-1' }])).toThrow(ErrInvalidCoins.description);
  });

  it('module transfers: account→module, module→module, module→account (blocked recipient refused)', () => {
    const { keeper, ctx, alice, bob } = setup();
    const treasury = keeper.moduleAddress('treasury');
    keeper.sendCoinsFromAccountToModule(ctx, alice, 'treasury', [{ denom: 'upara', amount: '100' }]);
    keeper.sendCoinsFromModuleToModule(ctx, 'treasury', 'governance', [{ denom: 'upara', amount: '40' }]);
    keeper.sendCoinsFromModuleToAccount(ctx, 'treasury', bob, [{ denom: 'upara', amount: '10' }]);
    expect(keeper.getBalance(ctx, treasury, 'upara')).toBe(50n);
    expect(keeper.getBalance(ctx, keeper.moduleAddress('governance'), 'upara')).toBe(40n);
    expect(keeper.getBalance(ctx, bob, 'upara')).toBe(20n);
    const err = runBranch(ctx, (b) =>
      keeper.sendCoinsFromModuleToAccount(b, 'treasury', keeper.moduleAddress('governance'), [{ denom: 'upara', amount: '1' }]),
    );
    expect(ErrUnauthorized.is(err)).toBe(true);
    expect((err as Error).message).toBe(`${keeper.moduleAddress('governance')} is not allowed to receive funds: unauthorized`);
  });
});

describe('TokensKeeper mint and burn', () => {
  it('mintCoins credits the module, raises supply, emits coin_received then coinbase', () => {
    const { keeper, ctx } = setup();
    const tokens = keeper.moduleAddress('tokens');
    keeper.mintCoins(ctx, 'tokens', [{ denom: 'unew', amount: '77' }]);
    expect(keeper.getBalance(ctx, tokens, 'unew')).toBe(77n);
    expect(keeper.getSupply(ctx, 'unew')).toBe(77n);
    expect(flat(ctx.events.events)).toEqual([
      [
        'coin_received',
        [
          ['receiver', tokens],
          ['amount', '77unew'],
        ],
      ],
      [
        'coinbase',
        [
          ['minter', tokens],
          ['amount', '77unew'],
        ],
      ],
    ]);
  });

  it('burnCoins debits the module, lowers supply, emits coin_spent then burn', () => {
    const { keeper, ctx, alice } = setup();
    const gov = keeper.moduleAddress('governance');
    keeper.sendCoinsFromAccountToModule(ctx, alice, 'governance', [{ denom: 'upara', amount: '300' }]);
    const before = ctx.events.events.length;
    keeper.burnCoins(ctx, 'governance', [{ denom: 'upara', amount: '100' }]);
    expect(keeper.getBalance(ctx, gov, 'upara')).toBe(200n);
    expect(keeper.getSupply(ctx, 'upara')).toBe(910n);
    expect(flat(ctx.events.events.slice(before))).toEqual([
      [
        'coin_spent',
        [
          ['spender', gov],
          ['amount', '100upara'],
        ],
      ],
      [
        'burn',
        [
          ['burner', gov],
          ['amount', '100upara'],
        ],
      ],
    ]);
  });

  it('enforces minter/burner permissions and funds for burning', () => {
    const { keeper, ctx, dump } = setup();
    const before = dump();
    expect(() => keeper.mintCoins(ctx, 'governance', [{ denom: 'upara', amount: '1' }])).toThrow(
      'module account governance does not have permissions to mint tokens: unauthorized',
    );
    expect(() => keeper.burnCoins(ctx, 'treasury', [{ denom: 'upara', amount: '1' }])).toThrow(/permissions to burn/);
    expect(() => keeper.burnCoins(ctx, 'tokens', [{ denom: 'upara', amount: '1' }])).toThrow(/insufficient funds/);
    expect(dump()).toEqual(before);
  });

  it('refuses to mint past the 77-digit ceiling', () => {
    const { keeper, ctx } = setup();
    const max = (10n ** 77n - 1n).toString();
    keeper.mintCoins(ctx, 'tokens', [{ denom: 'ubig', amount: max }]);
    expect(() => keeper.mintCoins(ctx, 'tokens', [{ denom: 'ubig', amount: '1' }])).toThrow(/exceed the 77-digit maximum/);
  });

  it('permissions and blocked list are configurable', () => {
    const f = tokensFixture({}, { modulePermissions: { mint: ['minter'] }, blockedModules: ['treasury'] });
    f.keeper.mintCoins(f.ctx, 'mint', [{ denom: 'upara', amount: '5' }]);
    expect(() => f.keeper.mintCoins(f.ctx, 'tokens', [{ denom: 'upara', amount: '5' }])).toThrow(/permissions/);
    expect(f.keeper.isBlockedAddress(f.keeper.moduleAddress('treasury'))).toBe(true);
    expect(f.keeper.isBlockedAddress(f.keeper.moduleAddress('governance'))).toBe(false);
  });
});

describe('TokensKeeper fees without a hot key', () => {
  it('collectFee debits the payer, records the fee per tx, emits SDK fee events; endBlock sweeps', () => {
    const { keeper, ctx, alice, bob, module, accounts, contextAt } = setup();
    const collector = keeper.moduleAddress('fee_collector');
    const tx0 = ctx;
    const tx1 = contextAt(1);
    keeper.collectFee(tx0, alice, [{ denom: 'upara', amount: '20' }]);
    keeper.collectFee(tx1, bob, [{ denom: 'upara', amount: '3' }]);
    expect(flat(tx0.events.events)).toEqual([
      [
        'coin_spent',
        [
          ['spender', alice],
          ['amount', '20upara'],
        ],
      ],
      [
        'coin_received',
        [
          ['receiver', collector],
          ['amount', '20upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', collector],
          ['sender', alice],
          ['amount', '20upara'],
        ],
      ],
      ['message', [['sender', alice]]],
    ]);
    // Nothing touches the collector's balance during the block; supply is unchanged.
    expect(keeper.getBalance(ctx, collector, 'upara')).toBe(0n);
    expect(keeper.getPendingFees(ctx)).toEqual([{ denom: 'upara', amount: '23' }]);
    expect(keeper.getSupply(ctx, 'upara')).toBe(1010n);
    for (const inv of module.invariants!) expect(inv.check(ctx)).toBeUndefined();

    accounts.calls.length = 0;
    const block = contextAt(-1);
    module.endBlock!(block);
    expect(keeper.getBalance(ctx, collector, 'upara')).toBe(23n);
    expect(keeper.getPendingFees(ctx)).toEqual([]);
    expect(block.events.events).toEqual([]);
    expect(accounts.calls).toEqual([collector]);
    for (const inv of module.invariants!) expect(inv.check(ctx)).toBeUndefined();
    // A second sweep with nothing pending is a no-op.
    module.endBlock!(block);
    expect(keeper.getBalance(ctx, collector, 'upara')).toBe(23n);
  });

  it('two txs write different keys: no shared key between fee payments', () => {
    const { keeper, store: state, alice, bob } = setup();
    const writes = (txIndex: number, payer: string) => {
      const store = new CacheKV(state);
      keeper.collectFee(testContext({ height: 5, txIndex, store }), payer, [{ denom: 'upara', amount: '1' }]);
      return store.changes().map((c) => Buffer.from(c.key).toString('hex'));
    };
    const a = writes(0, alice);
    const b = writes(1, bob);
    expect(a.filter((k) => b.includes(k))).toEqual([]);
  });

  it('a second fee in the same tx adds to its record; empty fee is a no-op; insufficient fee fails', () => {
    const { keeper, ctx, alice, bob, dump } = setup();
    keeper.collectFee(ctx, alice, [{ denom: 'upara', amount: '1' }]);
    keeper.collectFee(ctx, alice, [
      { denom: 'uatom', amount: '2' },
      { denom: 'upara', amount: '1' },
    ]);
    expect(keeper.getPendingFees(ctx)).toEqual([
      { denom: 'uatom', amount: '2' },
      { denom: 'upara', amount: '2' },
    ]);
    const before = dump();
    keeper.collectFee(ctx, bob, []);
    expect(() => keeper.collectFee(ctx, bob, [{ denom: 'upara', amount: '11' }])).toThrow(/insufficient funds/);
    expect(dump()).toEqual(before);
  });
});
