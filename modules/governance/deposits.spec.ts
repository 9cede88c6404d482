import fc from 'fast-check';
import { ProposalStatus } from '../../generated/parazone/governance/v1/gov.js';
import { ONE, formatDec, mulRoundBankers } from './decimal.js';
import { ErrMinDepositTooSmall } from './errors.js';
import { TYPE_URLS } from './msgs.js';
import { DENOM, govHarness, testParams } from './testing.js';

const coins = (amount: bigint) => (amount === 0n ? [] : [{ denom: DENOM, amount: amount.toString() }]);
/** A ratio × 10^18 in [0, 1]; params take it as formatDec(r). */
const ratio = fc.bigInt({ min: 0n, max: ONE });

describe('deposit rules (properties)', () => {
  it('cancel charges floor(deposit × ratio) per depositor, refunds the rest, and empties the escrow', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 5 }), ratio, (amounts, cancelRatio) => {
        const h = govHarness(
          testParams({ minDeposit: coins(10n ** 15n), minInitialDepositRatio: '0', proposalCancelRatio: formatDec(cancelRatio) }),
        );
        amounts.forEach((_, i) => h.fund(h.addr(i + 1), 10n ** 13n));
        const [first, ...rest] = amounts;
        expect(
          h.exec(TYPE_URLS.submitProposal, {
            messages: [],
            initialDeposit: coins(first!),
            proposer: h.addr(1),
            title: 't',
            summary: 's',
            metadata: '',
          }).error,
        ).toBeUndefined();
        rest.forEach((amount, i) => h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(i + 2), amount: coins(amount) }));
        const supply = h.bank.getSupply(h.ctx(), DENOM);
        expect(h.exec(TYPE_URLS.cancelProposal, { proposalId: 1n, proposer: h.addr(1) }).error).toBeUndefined();
        let burned = 0n;
        amounts.forEach((amount, i) => {
          const charged = (amount * cancelRatio) / ONE;
          burned += charged;
          expect(h.balance(h.addr(i + 1))).toBe(10n ** 13n - charged);
        });
        expect(h.bank.getSupply(h.ctx(), DENOM)).toBe(supply - burned);
        expect(h.balance(h.gov)).toBe(0n);
        expect(h.keeper.getProposal(h.ctx(), 1n)!.status).toBe(ProposalStatus.PROPOSAL_STATUS_CANCELED);
      }),
      { numRuns: 60 },
    );
  });

  it('the initial deposit minimum is round(min_deposit × ratio), exactly, both ways', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 15n }), ratio, (minDeposit, initialRatio) => {
        const h = govHarness(testParams({ minDeposit: coins(minDeposit), minInitialDepositRatio: formatDec(initialRatio) }));
        h.fund(h.addr(1), 10n ** 16n);
        const required = mulRoundBankers(minDeposit, initialRatio);
        const submit = (amount: bigint) =>
          h.exec(TYPE_URLS.submitProposal, {
            messages: [],
            initialDeposit: coins(amount),
            proposer: h.addr(1),
            title: 't',
            summary: 's',
            metadata: '',
          });
        if (required > 0n) expect(ErrMinDepositTooSmall.is(submit(required - 1n).error)).toBe(true);
        expect(submit(required).error).toBeUndefined();
      }),
      { numRuns: 80 },
    );
  });
});
