import fc from 'fast-check';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { runBranch, testContext } from '../../test/harness.js';
import { TypeUrls } from './msgs.js';
import { addr, tokensFixture } from './testing.js';

/**
 * Random sequences of sends, mints, burns, fee payments and block ends keep
 * supply == Σ balances + pending fees, and every balance equals a simple reference model: no
 * operation creates or destroys coins except mint and burn, and failed operations change nothing.
 */
const config = makeChainConfig();
const users = [1, 2, 3, 4].map((n) => addr(config, n));
const tokensAcc = config.addresses.moduleAddress('tokens');
const gov = config.addresses.moduleAddress('governance');
const collector = config.addresses.moduleAddress('fee_collector');
const denoms = ['uaaa', 'upara'];

type Op =
  | { kind: 'send'; from: number; to: number; denom: string; amount: number }
  | { kind: 'mint'; to: number; denom: string; amount: number }
  | { kind: 'burn'; from: number; denom: string; amount: number }
  | { kind: 'fee'; payer: number; denom: string; amount: number }
  | { kind: 'endBlock' };

const user = fc.integer({ min: 0, max: users.length - 1 });
const denom = fc.constantFrom(...denoms);
const amount = fc.integer({ min: 1, max: 400 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), from: user, to: user, denom, amount }),
  fc.record({ kind: fc.constant('mint' as const), to: user, denom, amount }),
  fc.record({ kind: fc.constant('burn' as const), from: user, denom, amount }),
  fc.record({ kind: fc.constant('fee' as const), payer: user, denom, amount }),
  fc.constant({ kind: 'endBlock' as const }),
);

describe('tokens supply property', () => {
  it('keeps the supply invariant and never creates balances from nothing', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const f = tokensFixture({
          balances: users.map((address) => ({
            address,
            coins: [
              { denom: 'uaaa', amount: '300' },
              { denom: 'upara', amount: '500' },
            ],
          })),
        });
        const model = new Map<string, bigint>();
        const key = (a: string, d: string) => `${a}|${d}`;
        const bal = (a: string, d: string) => model.get(key(a, d)) ?? 0n;
        const move = (a: string, d: string, delta: bigint) => model.set(key(a, d), bal(a, d) + delta);
        for (const a of users) {
          move(a, 'uaaa', 300n);
          move(a, 'upara', 500n);
        }
        const supply = new Map(denoms.map((d) => [d, 1200n + (d === 'upara' ? 800n : 0n)]));
        const pending = new Map<string, bigint>();
        let height = 5;
        let txIndex = 0;
        const txCtx = () => testContext({ height, txIndex: txIndex++, store: f.store });

        for (const o of ops) {
          const amt = o.kind === 'endBlock' ? 0n : BigInt(o.amount);
          if (o.kind === 'send') {
            const from = users[o.from]!;
            const to = users[o.to]!;
            const ok = bal(from, o.denom) >= amt;
            const { error } = f.exec(
              TypeUrls.send,
              { fromAddress: from, toAddress: to, amount: [{ denom: o.denom, amount: String(o.amount) }] },
              txCtx(),
            );
            expect(error === undefined).toBe(ok);
            if (ok) {
              move(from, o.denom, -amt);
              move(to, o.denom, amt);
            }
          } else if (o.kind === 'mint') {
            const { error } = f.exec(
              TypeUrls.mint,
              { authority: gov, recipient: users[o.to]!, amount: [{ denom: o.denom, amount: String(o.amount) }] },
              txCtx(),
            );
            expect(error).toBeUndefined();
            move(users[o.to]!, o.denom, amt);
            supply.set(o.denom, supply.get(o.denom)! + amt);
          } else if (o.kind === 'burn') {
            // Users hand coins to the tokens module, which governance then burns.
            const from = users[o.from]!;
            const ctx = txCtx();
            const ok = bal(from, o.denom) >= amt;
            const error = runBranch(ctx, (b) => {
              f.keeper.sendCoinsFromAccountToModule(b, from, 'tokens', [{ denom: o.denom, amount: String(o.amount) }]);
              f.module
                .msgs!.find((m) => m.typeUrl === TypeUrls.burn)!
                .handle(b, {
                  authority: gov,
                  amount: [{ denom: o.denom, amount: String(o.amount) }],
                  fromModule: 'tokens',
                });
            });
            expect(error === undefined).toBe(ok);
            if (ok) {
              move(from, o.denom, -amt);
              supply.set(o.denom, supply.get(o.denom)! - amt);
            }
          } else if (o.kind === 'fee') {
            const payer = users[o.payer]!;
            const ok = bal(payer, o.denom) >= amt;
            const error = runBranch(txCtx(), (b) => f.keeper.collectFee(b, payer, [{ denom: o.denom, amount: String(o.amount) }]));
            expect(error === undefined).toBe(ok);
            if (ok) {
              move(payer, o.denom, -amt);
              pending.set(o.denom, (pending.get(o.denom) ?? 0n) + amt);
            }
          } else {
            f.module.endBlock!(testContext({ height, txIndex: -1, store: f.store, mode: 'block' }));
            for (const [d, a] of pending) move(collector, d, a);
            pending.clear();
            height++;
            txIndex = 0;
          }

          for (const inv of f.module.invariants!) expect(inv.check(f.ctx)).toBeUndefined();
          for (const d of denoms) {
            expect(f.keeper.getSupply(f.ctx, d)).toBe(supply.get(d));
            for (const a of [...users, tokensAcc, gov, collector]) expect(f.keeper.getBalance(f.ctx, a, d)).toBe(bal(a, d));
          }
          expect(f.keeper.getPendingFees(f.ctx)).toEqual(
            denoms.filter((d) => (pending.get(d) ?? 0n) > 0n).map((d) => ({ denom: d, amount: pending.get(d)!.toString() })),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
