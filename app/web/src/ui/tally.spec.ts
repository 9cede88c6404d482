import { percent, tallyBars } from './tally.js';

describe('tallyBars', () => {
  it('measures turnout against the eligible power, yes against the decisive votes, veto against all votes', () => {
    const bars = tallyBars({ yesCount: '60', noCount: '20', noWithVetoCount: '20', abstainCount: '100' }, 1000n);
    expect(bars).toEqual({ turnout: 0.2, yes: 0.6, no: 0.2, veto: 0.1, abstain: 0.5, total: 200n });
  });

  it('is all zeros before any vote, and exact for amounts beyond 2^53', () => {
    expect(tallyBars({ yesCount: '0', noCount: '0', noWithVetoCount: '0', abstainCount: '0' }, 0n).turnout).toBe(0);
    const big = tallyBars(
      { yesCount: '1000000000000000000000', noCount: '0', noWithVetoCount: '0', abstainCount: '0' },
      3000000000000000000000n,
    );
    expect(big.turnout).toBeCloseTo(1 / 3, 5);
    expect(percent(big.turnout)).toBe('33.3%');
    expect(percent(0.00001)).toBe('0.0010%');
  });
});
