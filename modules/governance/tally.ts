import { type TallyResult, VoteOption, voteOptionToJSON, type WeightedVoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { ONE, formatDec, isDec, parseDec } from './decimal.js';
import { ErrInvalidVote } from './errors.js';

/**
 * The tally, as pure functions over bigints (x/gov/keeper/tally.go).
 *
 * Voting power is kept scaled by 10^18 ("power18") so that a voter's power × an 18-place weight is
 * exact: balance × weight18 needs no rounding, sums are exact, and every ratio test is a
 * cross-multiplication. (x/gov divides with LegacyDec.Quo, which rounds the quotient to 18
 * places; we compare the exact rationals instead; the two can differ
 * only when a ratio lies within 5e-19 of a boundary.)
 */

export const VALID_OPTIONS = [
  VoteOption.VOTE_OPTION_YES,
  VoteOption.VOTE_OPTION_ABSTAIN,
  VoteOption.VOTE_OPTION_NO,
  VoteOption.VOTE_OPTION_NO_WITH_VETO,
] as const;

export interface ParsedOption {
  option: VoteOption;
  /** Weight × 10^18. */
  weight: bigint;
}

/**
 * Checks a (weighted) vote as x/gov's MsgVoteWeighted.ValidateBasic: at least one option, each a
 * known option with a weight in (0, 1], no option twice, weights summing to exactly 1.
 */
export function parseVoteOptions(options: readonly WeightedVoteOption[]): ParsedOption[] {
  if (options.length === 0) throw ErrInvalidVote.wrap('a vote needs at least one option');
  const seen = new Set<VoteOption>();
  let sum = 0n;
  const parsed = options.map(({ option, weight }) => {
    if (!(VALID_OPTIONS as readonly VoteOption[]).includes(option)) {
      throw ErrInvalidVote.wrap(`option ${option} is not one of YES(1), ABSTAIN(2), NO(3), NO_WITH_VETO(4)`);
    }
    if (seen.has(option)) throw ErrInvalidVote.wrap(`option ${voteOptionToJSON(option)} appears twice`);
    seen.add(option);
    if (!isDec(weight)) {
      throw ErrInvalidVote.wrap(`weight "${weight}" of ${voteOptionToJSON(option)} must be a decimal like "0.25" (≤ 18 decimals)`);
    }
    const w = parseDec(weight);
    if (w === 0n || w > ONE) throw ErrInvalidVote.wrap(`weight ${weight} of ${voteOptionToJSON(option)} must be in (0, 1]`);
    sum += w;
    return { option, weight: w };
  });
  if (sum !== ONE) throw ErrInvalidVote.wrap(`weights must sum to exactly 1, got ${formatDec(sum)}`);
  return parsed;
}

/** Power per option, scaled by 10^18. */
export interface OptionPower {
  yes: bigint;
  abstain: bigint;
  no: bigint;
  noWithVeto: bigint;
}

export function emptyPower(): OptionPower {
  return { yes: 0n, abstain: 0n, no: 0n, noWithVeto: 0n };
}

/** Adds one voter's balance, split by its weights, to the running totals. */
export function addVote(acc: OptionPower, balance: bigint, options: readonly ParsedOption[]): void {
  for (const { option, weight } of options) {
    const share = balance * weight;
    switch (option) {
      case VoteOption.VOTE_OPTION_YES:
        acc.yes += share;
        break;
      case VoteOption.VOTE_OPTION_ABSTAIN:
        acc.abstain += share;
        break;
      case VoteOption.VOTE_OPTION_NO:
        acc.no += share;
        break;
      case VoteOption.VOTE_OPTION_NO_WITH_VETO:
        acc.noWithVeto += share;
        break;
      default:
        throw new Error(`unexpected vote option ${option}`);
    }
  }
}

export interface TallyRules {
  /** Ratios × 10^18. */
  quorum: bigint;
  threshold: bigint;
  vetoThreshold: bigint;
  burnVoteQuorum: boolean;
  burnVoteVeto: boolean;
}

export type TallyReason = 'no_eligible_power' | 'no_quorum' | 'all_abstain' | 'vetoed' | 'passed' | 'below_threshold';

export interface TallyOutcome {
  passes: boolean;
  burnDeposits: boolean;
  reason: TallyReason;
  result: TallyResult;
}

/**
 * x/gov's decision, in its order:
 *  1. no eligible power → reject, keep deposits;
 *  2. participation < quorum → reject, burn iff burnVoteQuorum  (equal to quorum passes this step);
 *  3. everyone abstained → reject, keep deposits;
 *  4. veto / all votes (abstain included) > vetoThreshold → reject, burn iff burnVoteVeto (strict >);
 *  5. yes / (all − abstain) > threshold → pass (strict >);
 *  6. otherwise reject, keep deposits.
 * `eligible` is an integer token amount; `power` is scaled by 10^18.
 */
export function decide(power: OptionPower, eligible: bigint, rules: TallyRules): TallyOutcome {
  const result = tallyResult(power);
  const total = power.yes + power.abstain + power.no + power.noWithVeto;
  const outcome = (passes: boolean, burnDeposits: boolean, reason: TallyReason): TallyOutcome => ({
    passes,
    burnDeposits,
    reason,
    result,
  });
  if (eligible <= 0n) return outcome(false, false, 'no_eligible_power');
  // total/(eligible·10^18) < quorum/10^18  ⇔  total < quorum · eligible
  if (total < rules.quorum * eligible) return outcome(false, rules.burnVoteQuorum, 'no_quorum');
  const nonAbstain = total - power.abstain;
  if (nonAbstain === 0n) return outcome(false, false, 'all_abstain');
  if (power.noWithVeto * ONE > rules.vetoThreshold * total) return outcome(false, rules.burnVoteVeto, 'vetoed');
  if (power.yes * ONE > rules.threshold * nonAbstain) return outcome(true, false, 'passed');
  return outcome(false, false, 'below_threshold');
}

/** The stored/queried form: integer power per option, truncated like x/gov's TruncateInt. */
export function tallyResult(power: OptionPower): TallyResult {
  return {
    yesCount: (power.yes / ONE).toString(),
    abstainCount: (power.abstain / ONE).toString(),
    noCount: (power.no / ONE).toString(),
    noWithVetoCount: (power.noWithVeto / ONE).toString(),
  };
}

export function emptyTallyResult(): TallyResult {
  return tallyResult(emptyPower());
}

/** "VOTE_OPTION_YES" for a plain vote, "VOTE_OPTION_YES:0.6,VOTE_OPTION_NO:0.4" for a split one. */
export function describeOptions(options: readonly ParsedOption[]): string {
  if (options.length === 1 && options[0]!.weight === ONE) return voteOptionToJSON(options[0]!.option);
  return options.map((o) => `${voteOptionToJSON(o.option)}:${formatDec(o.weight)}`).join(',');
}
