import fc from 'fast-check';
import { ChainError } from '../../app/types/errors.js';
import { VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { ONE, formatDec, mulRoundBankers, mulTruncate, parseDec } from './decimal.js';
import { ErrInvalidVote } from './errors.js';
import { type OptionPower, type TallyRules, addVote, decide, emptyPower, parseVoteOptions } from './tally.js';

const { VOTE_OPTION_YES: YES, VOTE_OPTION_ABSTAIN: ABSTAIN, VOTE_OPTION_NO: NO, VOTE_OPTION_NO_WITH_VETO: VETO } = VoteOption;

const RULES: TallyRules = {
  quorum: parseDec('0.334'),
  threshold: parseDec('0.5'),
  vetoThreshold: parseDec('0.334'),
  burnVoteQuorum: false,
  burnVoteVeto: true,
};

/** Power from whole-token amounts (tests speak tokens; the tally works in 10^-18 units). */
function power(p: Partial<Record<'yes' | 'abstain' | 'no' | 'noWithVeto', bigint>>): OptionPower {
  return {
    yes: (p.yes ?? 0n) * ONE,
    abstain: (p.abstain ?? 0n) * ONE,
    no: (p.no ?? 0n) * ONE,
    noWithVeto: (p.noWithVeto ?? 0n) * ONE,
  };
}

describe('decimal', () => {
  it('parses and formats 18-place decimals exactly', () => {
    expect(parseDec('0.334')).toBe(334_000_000_000_000_000n);
    expect(parseDec('1')).toBe(ONE);
    expect(parseDec('0.000000000000000001')).toBe(1n);
    expect(formatDec(parseDec('0.5'))).toBe('0.5');
    expect(formatDec(parseDec('12.000100'))).toBe('12.0001');
  });

  it.each(['', '.5', '1.', '-0.1', '+1', '1e-3', '0.1234567890123456789', '01', ' 1', 'NaN'])('rejects "%s"', (bad) => {
    expect(() => parseDec(bad)).toThrow(ChainError);
  });

  it('rounds like LegacyDec.RoundInt (banker’s) and truncates like TruncateInt', () => {
    expect(mulRoundBankers(25n, parseDec('0.1'))).toBe(2n); // 2.5 → 2 (even)
    expect(mulRoundBankers(35n, parseDec('0.1'))).toBe(4n); // 3.5 → 4 (even)
    expect(mulRoundBankers(26n, parseDec('0.1'))).toBe(3n); // 2.6 → 3
    expect(mulTruncate(29n, parseDec('0.1'))).toBe(2n);
  });

  it('round-trips any 18-place value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (v) => {
        expect(parseDec(formatDec(v))).toBe(v);
      }),
    );
  });
});

describe('decide: x/gov order and boundaries', () => {
  it('rejects without burning when nothing is eligible', () => {
    const out = decide(power({ yes: 10n }), 0n, RULES);
    expect(out).toMatchObject({ passes: false, burnDeposits: false, reason: 'no_eligible_power' });
  });

  it('quorum: participation exactly at quorum passes the quorum step; one unit less fails it', () => {
    // eligible 1000, quorum 0.334 → 334 tokens needed.
    expect(decide(power({ yes: 334n }), 1000n, RULES)).toMatchObject({ passes: true, reason: 'passed' });
    expect(decide(power({ yes: 333n }), 1000n, RULES)).toMatchObject({ passes: false, reason: 'no_quorum' });
    // One 10^-18 unit below the boundary still fails (exact arithmetic, no rounding up).
    const justBelow = { ...power({ yes: 334n }), yes: 334n * ONE - 1n };
    expect(decide(justBelow, 1000n, RULES).reason).toBe('no_quorum');
  });

  it('quorum failure burns only when burnVoteQuorum is set', () => {
    expect(decide(power({ no: 1n }), 1000n, RULES).burnDeposits).toBe(false);
    expect(decide(power({ no: 1n }), 1000n, { ...RULES, burnVoteQuorum: true })).toMatchObject({
      passes: false,
      burnDeposits: true,
      reason: 'no_quorum',
    });
  });

  it('abstain counts toward quorum', () => {
    expect(decide(power({ yes: 10n, abstain: 324n }), 1000n, RULES)).toMatchObject({ passes: true });
    expect(decide(power({ yes: 10n, abstain: 323n }), 1000n, RULES)).toMatchObject({ reason: 'no_quorum' });
  });

  it('everyone abstaining rejects without burning', () => {
    expect(decide(power({ abstain: 1000n }), 1000n, RULES)).toMatchObject({
      passes: false,
      burnDeposits: false,
      reason: 'all_abstain',
    });
  });

  it('veto: exactly the veto threshold does not veto; one unit more does (abstain in the denominator)', () => {
    // total 1000, veto threshold 0.334 → 334 is not > 0.334.
    expect(decide(power({ yes: 666n, noWithVeto: 334n }), 1000n, RULES)).toMatchObject({ passes: true });
    expect(decide(power({ yes: 665n, noWithVeto: 335n }), 1000n, RULES)).toMatchObject({
      passes: false,
      burnDeposits: true,
      reason: 'vetoed',
    });
    // Abstain is in the veto denominator: 334 veto of 1000 total (500 abstain) does not veto …
    expect(decide(power({ yes: 166n, abstain: 500n, noWithVeto: 334n }), 1000n, RULES).reason).not.toBe('vetoed');
    // … and one 10^-18 unit above the boundary does.
    const above = { ...power({ yes: 166n, abstain: 500n, noWithVeto: 334n }), noWithVeto: 334n * ONE + 1n };
    expect(decide(above, 1000n, RULES).reason).toBe('vetoed');
  });

  it('veto burns only when burnVoteVeto is set', () => {
    expect(decide(power({ noWithVeto: 1000n }), 1000n, { ...RULES, burnVoteVeto: false })).toMatchObject({
      passes: false,
      burnDeposits: false,
      reason: 'vetoed',
    });
  });

  it('threshold: exactly 50% yes of non-abstaining votes fails; a hair more passes (abstain excluded)', () => {
    expect(decide(power({ yes: 500n, no: 500n }), 1000n, RULES)).toMatchObject({
      passes: false,
      burnDeposits: false,
      reason: 'below_threshold',
    });
    expect(decide(power({ yes: 501n, no: 499n }), 1000n, RULES)).toMatchObject({ passes: true });
    // Abstain does not dilute yes: 300 yes vs 299 no with 400 abstain passes.
    expect(decide(power({ yes: 300n, no: 299n, abstain: 400n }), 1000n, RULES)).toMatchObject({ passes: true });
    expect(decide(power({ yes: 300n, no: 300n, abstain: 400n }), 1000n, RULES)).toMatchObject({ passes: false });
    // NO_WITH_VETO counts as a "no" for the threshold.
    expect(decide(power({ yes: 300n, no: 200n, noWithVeto: 100n }), 1000n, RULES)).toMatchObject({ passes: false });
    const hair = { ...power({ yes: 500n, no: 500n }), yes: 500n * ONE + 1n };
    expect(decide(hair, 1000n, RULES).passes).toBe(true);
  });

  it('reports truncated integer counts', () => {
    const p = emptyPower();
    addVote(
      p,
      3n,
      parseVoteOptions([
        { option: YES, weight: '0.5' },
        { option: NO, weight: '0.5' },
      ]),
    );
    expect(decide(p, 10n, RULES).result).toEqual({ yesCount: '1', abstainCount: '0', noCount: '1', noWithVetoCount: '0' });
  });
});

describe('decide: properties', () => {
  const ratio = fc.integer({ min: 1, max: 999 }).map((k) => BigInt(k) * 10n ** 15n); // k/1000

  it('quorum boundary holds both ways for any eligible power and quorum', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), ratio, (units, quorum) => {
        const eligible = units * 1000n; // so quorum × eligible is a whole number of tokens
        const need = (quorum * eligible) / ONE;
        const rules = { ...RULES, quorum };
        expect(decide(power({ yes: need }), eligible, rules).reason).not.toBe('no_quorum');
        if (need > 0n) expect(decide(power({ yes: need - 1n }), eligible, rules).reason).toBe('no_quorum');
      }),
    );
  });

  it('threshold boundary holds both ways (exact ratio rejects, one more unit passes)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), ratio, fc.bigInt({ min: 0n, max: 10n ** 12n }), (units, threshold, abstain) => {
        const nonAbstain = units * 1000n;
        const yes = (threshold * nonAbstain) / ONE;
        const rules = { ...RULES, quorum: 0n, threshold, vetoThreshold: ONE };
        const eligible = nonAbstain + abstain;
        const at = power({ yes, no: nonAbstain - yes, abstain });
        expect(decide(at, eligible, rules).passes).toBe(false);
        const above = power({ yes: yes + 1n, no: nonAbstain - yes - 1n, abstain });
        if (nonAbstain - yes - 1n >= 0n) expect(decide(above, eligible, rules).passes).toBe(true);
      }),
    );
  });

  it('veto boundary holds both ways', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), ratio, (units, vetoThreshold) => {
        const total = units * 1000n;
        const veto = (vetoThreshold * total) / ONE;
        const rules = { ...RULES, quorum: 0n, vetoThreshold };
        expect(decide(power({ noWithVeto: veto, yes: total - veto }), total, rules).reason).not.toBe('vetoed');
        expect(decide(power({ noWithVeto: veto + 1n, yes: total - veto - 1n }), total, rules).reason).toBe('vetoed');
      }),
    );
  });

  it('more YES never turns a pass into a rejection', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 15n });
    fc.assert(
      fc.property(amount, amount, amount, amount, amount, fc.bigInt({ min: 1n, max: 10n ** 15n }), (y, a, n, v, extra, slack) => {
        const before = power({ yes: y, abstain: a, no: n, noWithVeto: v });
        const after = power({ yes: y + extra, abstain: a, no: n, noWithVeto: v });
        const eligible = y + a + n + v + extra + slack;
        if (decide(before, eligible, RULES).passes) expect(decide(after, eligible, RULES).passes).toBe(true);
      }),
    );
  });

  it('matches a reference written with rational fractions', () => {
    const amount = fc.bigInt({ min: 0n, max: 10n ** 9n });
    fc.assert(
      fc.property(
        amount,
        amount,
        amount,
        amount,
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        ratio,
        ratio,
        ratio,
        (y, a, n, v, slack, q, t, vt) => {
          const eligible = y + a + n + v + slack;
          const rules = { ...RULES, quorum: q, threshold: t, vetoThreshold: vt };
          const total = y + a + n + v;
          // Reference: compare fractions p1/q1 vs p2/q2 as p1·q2 vs p2·q1 on whole tokens.
          const lt = (p1: bigint, q1: bigint, p2: bigint, q2: bigint) => p1 * q2 < p2 * q1;
          let expected: string;
          if (eligible === 0n) expected = 'no_eligible_power';
          else if (lt(total, eligible, q, ONE)) expected = 'no_quorum';
          else if (total - a === 0n) expected = 'all_abstain';
          else if (lt(vt, ONE, v, total)) expected = 'vetoed';
          else if (lt(t, ONE, y, total - a)) expected = 'passed';
          else expected = 'below_threshold';
          expect(decide(power({ yes: y, abstain: a, no: n, noWithVeto: v }), eligible, rules).reason).toBe(expected);
        },
      ),
    );
  });
});

describe('weighted votes', () => {
  it('accepts weights that sum to exactly 1', () => {
    expect(
      parseVoteOptions([
        { option: YES, weight: '0.333333333333333333' },
        { option: NO, weight: '0.333333333333333333' },
        { option: ABSTAIN, weight: '0.333333333333333334' },
      ]).map((o) => o.weight),
    ).toEqual([333333333333333333n, 333333333333333333n, 333333333333333334n]);
  });

  it.each([
    [
      'sum 0.999…',
      [
        { option: YES, weight: '0.5' },
        { option: NO, weight: '0.499999999999999999' },
      ],
      /sum to exactly 1/,
    ],
    [
      'sum above 1',
      [
        { option: YES, weight: '0.5' },
        { option: NO, weight: '0.500000000000000001' },
      ],
      /sum to exactly 1/,
    ],
    [
      'duplicate option',
      [
        { option: YES, weight: '0.5' },
        { option: YES, weight: '0.5' },
      ],
      /appears twice/,
    ],
    [
      'zero weight',
      [
        { option: YES, weight: '1' },
        { option: NO, weight: '0' },
      ],
      /\(0, 1\]/,
    ],
    ['weight above 1', [{ option: YES, weight: '1.5' }], /\(0, 1\]/],
    ['float-ish weight', [{ option: YES, weight: '1e0' }], /decimal/],
    ['too many decimals', [{ option: YES, weight: '0.1000000000000000000' }], /decimal/],
    ['unspecified option', [{ option: VoteOption.VOTE_OPTION_UNSPECIFIED, weight: '1' }], /not one of/],
    ['unknown option', [{ option: 9 as VoteOption, weight: '1' }], /not one of/],
    ['no options', [], /at least one option/],
  ])('rejects %s with ErrInvalidVote', (_name, options, message) => {
    let error: unknown;
    try {
      parseVoteOptions(options);
    } catch (err) {
      error = err;
    }
    expect(ErrInvalidVote.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('a split vote distributes exactly the voter’s power (no float, no loss before truncation)', () => {
    const weightsArb = fc
      .array(fc.bigInt({ min: 1n, max: ONE }), { minLength: 1, maxLength: 4 })
      .map((raw) => {
        // Scale arbitrary positives into weights summing to exactly ONE.
        const sum = raw.reduce((s, x) => s + x, 0n);
        const ws = raw.map((x) => (x * ONE) / sum);
        ws[0]! += ONE - ws.reduce((s, x) => s + x, 0n);
        return ws;
      })
      .filter((ws) => ws.every((w) => w > 0n));
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), weightsArb, (balance, ws) => {
        const options = ws.map((w, i) => ({ option: [YES, ABSTAIN, NO, VETO][i]!, weight: formatDec(w) }));
        const parsed = parseVoteOptions(options);
        const p = emptyPower();
        addVote(p, balance, parsed);
        expect(p.yes + p.abstain + p.no + p.noWithVeto).toBe(balance * ONE);
        const r = decide(p, balance + 1n, RULES).result;
        const counted = BigInt(r.yesCount) + BigInt(r.abstainCount) + BigInt(r.noCount) + BigInt(r.noWithVetoCount);
        expect(counted <= balance && counted >= balance - 3n).toBe(true);
      }),
    );
  });
});
