import { toBech32 } from '@cosmjs/encoding';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { ErrInsufficientFunds, ErrInvalidAddress, ErrInvalidCoins, ErrUnauthorized, type ErrorDef } from '../../app/types/errors.js';
import {
  ErrDuplicateEntry,
  ErrInputOutputMismatch,
  ErrInvalidMetadata,
  ErrInvalidParams,
  ErrMultipleSenders,
  ErrNoInputs,
  ErrNoOutputs,
  ErrSendDisabled,
} from './errors.js';
import { TypeUrls } from './msgs.js';
import { addr, flat, tokensFixture, type TokensFixture } from './testing.js';

const config = makeChainConfig();
const alice = addr(config, 1);
const bob = addr(config, 2);
const carol = addr(config, 3);
const gov = config.addresses.moduleAddress('governance');
const feeCollector = config.addresses.moduleAddress('fee_collector');
const tokensAcc = config.addresses.moduleAddress('tokens');
const foreign = toBech32('cosmos', new Uint8Array(20).fill(2));
const upara = (amount: string | number) => ({ denom: 'upara', amount: String(amount) });

function setup(): TokensFixture {
  return tokensFixture({
    balances: [
      { address: alice, coins: [{ denom: 'uatom', amount: '50' }, upara(1000)] },
      { address: bob, coins: [upara(10)] },
      { address: gov, coins: [upara(500)] },
    ],
  });
}

/** Runs the Msg and checks it fails with `def`, leaving the store and events untouched. */
function expectRejected(f: TokensFixture, typeUrl: string, msg: unknown, def: ErrorDef, text?: RegExp | string): void {
  const before = f.dump();
  const { error, events } = f.exec(typeUrl, msg);
  if (!def.is(error)) throw new Error(`expected ${def.codespace}/${def.code}, got ${String(error)}`);
  if (text !== undefined) expect((error as Error).message).toMatch(text);
  expect(events).toEqual([]);
  expect(f.dump()).toEqual(before);
  for (const inv of f.module.invariants!) expect(inv.check(f.ctx)).toBeUndefined();
}

function expectOk(f: TokensFixture, typeUrl: string, msg: unknown) {
  const result = f.exec(typeUrl, msg);
  if (result.error) throw result.error;
  for (const inv of f.module.invariants!) expect(inv.check(f.ctx)).toBeUndefined();
  return result;
}

describe('MsgSend', () => {
  it('sends with the SDK events and creates the recipient account', () => {
    const f = setup();
    const { events, response } = expectOk(f, TypeUrls.send, { fromAddress: alice, toAddress: carol, amount: [upara(300)] });
    expect(response).toEqual({});
    expect(f.keeper.getBalance(f.ctx, alice, 'upara')).toBe(700n);
    expect(f.keeper.getBalance(f.ctx, carol, 'upara')).toBe(300n);
    expect(f.accounts.created).toContain(carol);
    expect(flat(events)).toEqual([
      [
        'coin_spent',
        [
          ['spender', alice],
          ['amount', '300upara'],
        ],
      ],
      [
        'coin_received',
        [
          ['receiver', carol],
          ['amount', '300upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', carol],
          ['sender', alice],
          ['amount', '300upara'],
        ],
      ],
      ['message', [['sender', alice]]],
    ]);
  });

  it('declares the sender as signer', () => {
    const f = setup();
    const h = f.module.msgs!.find((m) => m.typeUrl === TypeUrls.send)!;
    expect(h.signers({ fromAddress: alice, toAddress: bob, amount: [] })).toEqual([alice]);
  });

  it('may send to a non-blocked module account (treasury)', () => {
    const f = setup();
    const treasury = config.addresses.moduleAddress('treasury');
    expectOk(f, TypeUrls.send, { fromAddress: alice, toAddress: treasury, amount: [upara(1)] });
    expect(f.keeper.getBalance(f.ctx, treasury, 'upara')).toBe(1n);
  });

  it('rejects insufficient funds', () => {
    expectRejected(
      setup(),
      TypeUrls.send,
      { fromAddress: bob, toAddress: alice, amount: [upara(11)] },
      ErrInsufficientFunds,
      'spendable balance 10upara is smaller than 11upara: insufficient funds',
    );
    expectRejected(
      setup(),
      TypeUrls.send,
      { fromAddress: bob, toAddress: alice, amount: [{ denom: 'uatom', amount: '1' }] },
      ErrInsufficientFunds,
      'spendable balance 0uatom is smaller than 1uatom',
    );
  });

  it('rejects blocked recipients (module accounts on the blocked list)', () => {
    for (const to of [feeCollector, gov, tokensAcc]) {
      expectRejected(
        setup(),
        TypeUrls.send,
        { fromAddress: alice, toAddress: to, amount: [upara(1)] },
        ErrUnauthorized,
        `${to} is not allowed to receive funds: unauthorized`,
      );
    }
  });

  it('rejects a denom whose sending is disabled, per denom or by default', () => {
    const f = setup();
    f.keeper.setSendEnabled(f.ctx, 'uatom', false);
    expectRejected(
      f,
      TypeUrls.send,
      { fromAddress: alice, toAddress: bob, amount: [{ denom: 'uatom', amount: '1' }, upara(1)] },
      ErrSendDisabled,
      'uatom transfers are currently disabled: send transactions are disabled',
    );
    expectOk(f, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [upara(1)] });

    const g = setup();
    g.keeper.setParams(g.ctx, { sendEnabled: [], defaultSendEnabled: false });
    expectRejected(g, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [upara(1)] }, ErrSendDisabled);
    g.keeper.setSendEnabled(g.ctx, 'upara', true);
    expectOk(g, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [upara(1)] });
  });

  it('rejects addresses with a wrong prefix or bad checksum', () => {
    expectRejected(
      setup(),
      TypeUrls.send,
      { fromAddress: alice, toAddress: foreign, amount: [upara(1)] },
      ErrInvalidAddress,
      /to address "cosmos1.*" has prefix "cosmos", expected "para"/,
    );
    expectRejected(setup(), TypeUrls.send, { fromAddress: foreign, toAddress: bob, amount: [upara(1)] }, ErrInvalidAddress);
    expectRejected(
      setup(),
      TypeUrls.send,
      { fromAddress: alice, toAddress: bob.slice(0, -1) + (bob.endsWith('q') ? 'p' : 'q'), amount: [upara(1)] },
      ErrInvalidAddress,
      /not valid bech32/,
    );
  });

  it('rejects zero, empty, unsorted, duplicate and malformed coins', () => {
    const send = (amount: unknown) => ({ fromAddress: alice, toAddress: bob, amount });
    expectRejected(setup(), TypeUrls.send, send([upara(0)]), ErrInvalidCoins, /must be positive/);
    expectRejected(setup(), TypeUrls.send, send([]), ErrInvalidCoins, /must not be empty/);
    expectRejected(setup(), TypeUrls.send, send([upara(1), { denom: 'uatom', amount: '1' }]), ErrInvalidCoins, /sorted and unique/);
    expectRejected(setup(), TypeUrls.send, send([upara(1), upara(2)]), ErrInvalidCoins, /sorted and unique/);
    expectRejected(setup(), TypeUrls.send, send([{ denom: 'u', amount: '1' }]), ErrInvalidCoins, /invalid denom/);
    expectRejected(setup(), TypeUrls.send, send([upara('1.5')]), ErrInvalidCoins);
  });
});

describe('MsgMultiSend', () => {
  const input = (coins: unknown[], address = alice) => ({ address, coins });
  it('sends one input to several outputs with the SDK events', () => {
    const f = setup();
    const { events } = expectOk(f, TypeUrls.multiSend, {
      inputs: [input([upara(30)])],
      outputs: [
        { address: bob, coins: [upara(10)] },
        { address: carol, coins: [upara(20)] },
      ],
    });
    expect(f.keeper.getBalance(f.ctx, alice, 'upara')).toBe(970n);
    expect(f.keeper.getBalance(f.ctx, bob, 'upara')).toBe(20n);
    expect(f.keeper.getBalance(f.ctx, carol, 'upara')).toBe(20n);
    expect(flat(events)).toEqual([
      [
        'coin_spent',
        [
          ['spender', alice],
          ['amount', '30upara'],
        ],
      ],
      ['message', [['sender', alice]]],
      [
        'coin_received',
        [
          ['receiver', bob],
          ['amount', '10upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', bob],
          ['amount', '10upara'],
        ],
      ],
      [
        'coin_received',
        [
          ['receiver', carol],
          ['amount', '20upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', carol],
          ['amount', '20upara'],
        ],
      ],
    ]);
    expect(f.accounts.created).toEqual(expect.arrayContaining([bob, carol]));
  });

  it('rejects malformed input/output sets', () => {
    const out = [{ address: bob, coins: [upara(1)] }];
    expectRejected(setup(), TypeUrls.multiSend, { inputs: [], outputs: out }, ErrNoInputs);
    expectRejected(setup(), TypeUrls.multiSend, { inputs: [input([upara(1)]), input([upara(1)], bob)], outputs: out }, ErrMultipleSenders);
    expectRejected(setup(), TypeUrls.multiSend, { inputs: [input([upara(1)])], outputs: [] }, ErrNoOutputs);
    expectRejected(setup(), TypeUrls.multiSend, { inputs: [input([upara(2)])], outputs: out }, ErrInputOutputMismatch);
    expectRejected(
      setup(),
      TypeUrls.multiSend,
      { inputs: [input([upara(1)])], outputs: [{ address: bob, coins: [upara(0)] }] },
      ErrInvalidCoins,
    );
    expectRejected(
      setup(),
      TypeUrls.multiSend,
      { inputs: [input([upara(1)])], outputs: [{ address: foreign, coins: [upara(1)] }] },
      ErrInvalidAddress,
    );
  });

  it('rejects blocked outputs, disabled denoms and insufficient funds', () => {
    expectRejected(
      setup(),
      TypeUrls.multiSend,
      {
        inputs: [input([upara(2)])],
        outputs: [
          { address: bob, coins: [upara(1)] },
          { address: gov, coins: [upara(1)] },
        ],
      },
      ErrUnauthorized,
    );
    const f = setup();
    f.keeper.setSendEnabled(f.ctx, 'upara', false);
    expectRejected(f, TypeUrls.multiSend, { inputs: [input([upara(1)])], outputs: [{ address: bob, coins: [upara(1)] }] }, ErrSendDisabled);
    expectRejected(
      setup(),
      TypeUrls.multiSend,
      { inputs: [input([upara(11)], bob)], outputs: [{ address: alice, coins: [upara(11)] }] },
      ErrInsufficientFunds,
    );
  });
});

describe('MsgMint', () => {
  it('mints to the recipient through the tokens module account, raising supply', () => {
    const f = setup();
    const { events } = expectOk(f, TypeUrls.mint, { authority: gov, recipient: carol, amount: [upara(25)] });
    expect(f.keeper.getBalance(f.ctx, carol, 'upara')).toBe(25n);
    expect(f.keeper.getBalance(f.ctx, tokensAcc, 'upara')).toBe(0n);
    expect(f.keeper.getSupply(f.ctx, 'upara')).toBe(1535n);
    expect(flat(events)).toEqual([
      [
        'coin_received',
        [
          ['receiver', tokensAcc],
          ['amount', '25upara'],
        ],
      ],
      [
        'coinbase',
        [
          ['minter', tokensAcc],
          ['amount', '25upara'],
        ],
      ],
      [
        'coin_spent',
        [
          ['spender', tokensAcc],
          ['amount', '25upara'],
        ],
      ],
      [
        'coin_received',
        [
          ['receiver', carol],
          ['amount', '25upara'],
        ],
      ],
      [
        'transfer',
        [
          ['recipient', carol],
          ['sender', tokensAcc],
          ['amount', '25upara'],
        ],
      ],
      ['message', [['sender', tokensAcc]]],
    ]);
  });

  it('rejects a non-authority, a blocked or foreign recipient, and bad coins', () => {
    expectRejected(
      setup(),
      TypeUrls.mint,
      { authority: alice, recipient: alice, amount: [upara(1)] },
      ErrUnauthorized,
      `invalid authority; expected ${gov}, got ${alice}: unauthorized`,
    );
    expectRejected(
      setup(),
      TypeUrls.mint,
      { authority: gov, recipient: feeCollector, amount: [upara(1)] },
      ErrUnauthorized,
      /not allowed to receive funds/,
    );
    expectRejected(setup(), TypeUrls.mint, { authority: gov, recipient: foreign, amount: [upara(1)] }, ErrInvalidAddress);
    expectRejected(setup(), TypeUrls.mint, { authority: gov, recipient: bob, amount: [upara(0)] }, ErrInvalidCoins);
    expectRejected(setup(), TypeUrls.mint, { authority: gov, recipient: bob, amount: [] }, ErrInvalidCoins);
  });
});

describe('MsgBurn', () => {
  it('burns from the authority account by default', () => {
    const f = setup();
    const { events } = expectOk(f, TypeUrls.burn, { authority: gov, amount: [upara(200)] });
    expect(f.keeper.getBalance(f.ctx, gov, 'upara')).toBe(300n);
    expect(f.keeper.getSupply(f.ctx, 'upara')).toBe(1310n);
    expect(flat(events)).toEqual([
      [
        'coin_spent',
        [
          ['spender', gov],
          ['amount', '200upara'],
        ],
      ],
      [
        'burn',
        [
          ['burner', gov],
          ['amount', '200upara'],
        ],
      ],
    ]);
  });

  it('burns from a named module account that has the burner permission', () => {
    const f = setup();
    f.keeper.sendCoinsFromAccountToModule(f.ctx, alice, 'tokens', [upara(40)]);
    expectOk(f, TypeUrls.burn, { authority: gov, amount: [upara(40)], fromModule: 'tokens' });
    expect(f.keeper.getBalance(f.ctx, tokensAcc, 'upara')).toBe(0n);
    expect(f.keeper.getSupply(f.ctx, 'upara')).toBe(1470n);
  });

  it('rejects a non-authority, a module without burner permission, insufficient funds, bad coins', () => {
    expectRejected(setup(), TypeUrls.burn, { authority: alice, amount: [upara(1)] }, ErrUnauthorized, /invalid authority/);
    const f = setup();
    f.keeper.sendCoinsFromAccountToModule(f.ctx, alice, 'treasury', [upara(5)]);
    expectRejected(
      f,
      TypeUrls.burn,
      { authority: gov, amount: [upara(1)], fromModule: 'treasury' },
      ErrUnauthorized,
      /module account treasury does not have permissions to burn tokens/,
    );
    expectRejected(setup(), TypeUrls.burn, { authority: gov, amount: [upara(501)] }, ErrInsufficientFunds);
    expectRejected(setup(), TypeUrls.burn, { authority: gov, amount: [upara(0)] }, ErrInvalidCoins);
  });
});

describe('MsgSetSendEnabled', () => {
  it('sets and resets per-denom switches', () => {
    const f = setup();
    expectOk(f, TypeUrls.setSendEnabled, {
      authority: gov,
      sendEnabled: [
        { denom: 'uatom', enabled: false },
        { denom: 'upara', enabled: true },
      ],
    });
    expect(f.keeper.getAllSendEnabled(f.ctx)).toEqual([
      { denom: 'uatom', enabled: false },
      { denom: 'upara', enabled: true },
    ]);
    expectRejected(f, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [{ denom: 'uatom', amount: '1' }] }, ErrSendDisabled);
    expectOk(f, TypeUrls.setSendEnabled, { authority: gov, useDefaultFor: ['uatom'] });
    expect(f.keeper.getAllSendEnabled(f.ctx)).toEqual([{ denom: 'upara', enabled: true }]);
    expectOk(f, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [{ denom: 'uatom', amount: '1' }] });
  });

  it('rejects a non-authority, duplicates, overlaps and bad denoms', () => {
    const off = { denom: 'uatom', enabled: false };
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: alice, sendEnabled: [off] }, ErrUnauthorized);
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: gov, sendEnabled: [off, off] }, ErrInvalidParams, /duplicate denom/);
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: gov, useDefaultFor: ['uatom', 'uatom'] }, ErrDuplicateEntry);
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: gov, sendEnabled: [off], useDefaultFor: ['uatom'] }, ErrDuplicateEntry);
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: gov, sendEnabled: [{ denom: '1x', enabled: true }] }, ErrInvalidParams);
    expectRejected(setup(), TypeUrls.setSendEnabled, { authority: gov, useDefaultFor: ['!!'] }, ErrInvalidCoins);
  });
});

describe('MsgUpdateParams', () => {
  it('replaces params; default_send_enabled false stops sends of denoms without an entry', () => {
    const f = setup();
    expectOk(f, TypeUrls.updateParams, { authority: gov, params: { defaultSendEnabled: false } });
    expect(f.keeper.getParams(f.ctx)).toEqual({ sendEnabled: [], defaultSendEnabled: false });
    expectRejected(f, TypeUrls.send, { fromAddress: alice, toAddress: bob, amount: [upara(1)] }, ErrSendDisabled);
  });

  it('rejects a non-authority and invalid params', () => {
    expectRejected(setup(), TypeUrls.updateParams, { authority: bob, params: { defaultSendEnabled: false } }, ErrUnauthorized);
    expectRejected(setup(), TypeUrls.updateParams, { authority: gov }, ErrInvalidParams, /params must be set/);
    expectRejected(
      setup(),
      TypeUrls.updateParams,
      { authority: gov, params: { defaultSendEnabled: true, sendEnabled: [{ denom: 'upara', enabled: false }] } },
      ErrInvalidParams,
      /no longer supported/,
    );
    expectRejected(setup(), TypeUrls.updateParams, { authority: foreign, params: { defaultSendEnabled: true } }, ErrInvalidAddress);
  });
});

describe('MsgSetDenomMetadata', () => {
  const meta = (over: Record<string, unknown> = {}) => ({
    description: 'The Parazone token',
    denomUnits: [
      { denom: 'upara', exponent: 0, aliases: ['micropara'] },
      { denom: 'para', exponent: 6, aliases: [] },
    ],
    base: 'upara',
    display: 'para',
    name: 'Parazone',
    symbol: 'PARA',
    uri: '',
    uriHash: '',
    ...over,
  });

  it('stores metadata under its base denom, replacing any earlier one', () => {
    const f = setup();
    expectOk(f, TypeUrls.setDenomMetadata, { authority: gov, metadata: meta() });
    expectOk(f, TypeUrls.setDenomMetadata, { authority: gov, metadata: meta({ symbol: 'PZ' }) });
    expect(f.keeper.getDenomMetadata(f.ctx, 'upara')).toEqual(meta({ symbol: 'PZ' }));
    expect(f.keeper.getAllDenomMetadata(f.ctx)).toHaveLength(1);
  });

  it('rejects a non-authority and each kind of invalid metadata', () => {
    expectRejected(setup(), TypeUrls.setDenomMetadata, { authority: alice, metadata: meta() }, ErrUnauthorized);
    expectRejected(setup(), TypeUrls.setDenomMetadata, { authority: gov }, ErrInvalidMetadata, /must be set/);
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ name: ' ' }, /name field cannot be blank/],
      [{ symbol: '' }, /symbol field cannot be blank/],
      [{ base: 'x' }, /invalid metadata base denom/],
      [{ display: 'pa' }, /invalid metadata display denom/],
      [{ denomUnits: [{ denom: 'para', exponent: 6, aliases: [] }] }, /first denomination unit must be the one with base/],
      [{ denomUnits: [{ denom: 'upara', exponent: 1, aliases: [] }] }, /must be 0/],
      [
        {
          denomUnits: [
            { denom: 'upara', exponent: 0, aliases: [] },
            { denom: 'para', exponent: 0, aliases: [] },
          ],
        },
        /ascending/,
      ],
      [
        {
          denomUnits: [
            { denom: 'upara', exponent: 0, aliases: [] },
            { denom: 'upara', exponent: 3, aliases: [] },
          ],
        },
        /duplicate denomination unit upara/,
      ],
      [
        {
          denomUnits: [
            { denom: 'upara', exponent: 0, aliases: ['a', 'a'] },
            { denom: 'para', exponent: 6, aliases: [] },
          ],
        },
        /duplicate denomination unit alias/,
      ],
      [
        {
          denomUnits: [
            { denom: 'upara', exponent: 0, aliases: [' '] },
            { denom: 'para', exponent: 6, aliases: [] },
          ],
        },
        /cannot be blank/,
      ],
      [{ denomUnits: [{ denom: 'upara', exponent: 0, aliases: [] }] }, /display denom 'para'/],
    ];
    for (const [over, text] of bad) {
      expectRejected(setup(), TypeUrls.setDenomMetadata, { authority: gov, metadata: meta(over) }, ErrInvalidMetadata, text);
    }
  });
});
