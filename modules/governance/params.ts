import type { AddressCodec } from '../../app/types/address.js';
import { isValidDenom, validateCoins } from '../../app/types/coins.js';
import { Params } from '../../generated/parazone/governance/v1/gov.js';
import { ONE, isDec, parseDec } from './decimal.js';
import { ErrInvalidParams } from './errors.js';

/** Longest deposit or voting period accepted: 100 years, so end times stay far inside u64 ms. */
export const MAX_PERIOD_SECONDS = 100n * 365n * 24n * 3600n;

/**
 * Defaults: x/gov's ratios and burn flags, a 2-day deposit period and a 5-day
 * voting period; `govDenom` is the chain's bond denom.
 */
export function defaultParams(govDenom: string): Params {
  return Params.fromPartial({
    minDeposit: [{ denom: govDenom, amount: '10000000' }],
    maxDepositPeriodSeconds: 2n * 24n * 3600n,
    votingPeriodSeconds: 5n * 24n * 3600n,
    quorum: '0.334',
    threshold: '0.5',
    vetoThreshold: '0.334',
    minInitialDepositRatio: '0.1',
    proposalCancelRatio: '0.5',
    proposalCancelDest: '',
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    maxMetadataLen: 255n,
    maxTitleLen: 255n,
    maxSummaryLen: 10200n,
    maxMessages: 50n,
    govDenom,
    maxProposalsPerBlock: 100n,
    maxTallyVotesPerBlock: 10000n,
  });
}

/**
 * Checks a whole params object (MsgUpdateParams replaces all of it, so a missing field is an error
 * here rather than a silent zero). Throws ErrInvalidParams saying which field is wrong.
 */
export function validateParams(params: Params | undefined, addresses: AddressCodec): void {
  if (!params) throw ErrInvalidParams.wrap('params are required');
  const fail = (what: string) => ErrInvalidParams.wrap(what);

  if (params.minDeposit.length === 0) throw fail('min_deposit must list at least one coin');
  try {
    validateCoins(params.minDeposit);
  } catch (err) {
    throw fail(`min_deposit: ${(err as Error).message}`);
  }
  for (const [name, value] of [
    ['max_deposit_period_seconds', params.maxDepositPeriodSeconds],
    ['voting_period_seconds', params.votingPeriodSeconds],
  ] as const) {
    if (value <= 0n) throw fail(`${name} must be positive, got ${value}`);
    if (value > MAX_PERIOD_SECONDS) throw fail(`${name} must be at most ${MAX_PERIOD_SECONDS} (100 years), got ${value}`);
  }
  // x/gov: threshold and veto must be positive; quorum and the deposit ratios may be zero.
  ratio('quorum', params.quorum, false);
  ratio('threshold', params.threshold, true);
  ratio('veto_threshold', params.vetoThreshold, true);
  ratio('min_initial_deposit_ratio', params.minInitialDepositRatio, false);
  ratio('proposal_cancel_ratio', params.proposalCancelRatio, false);
  if (params.proposalCancelDest !== '' && !addresses.isValid(params.proposalCancelDest)) {
    throw fail(`proposal_cancel_dest "${params.proposalCancelDest}" must be empty (burn) or a valid address`);
  }
  for (const [name, value] of [
    ['max_metadata_len', params.maxMetadataLen],
    ['max_title_len', params.maxTitleLen],
    ['max_summary_len', params.maxSummaryLen],
    ['max_messages', params.maxMessages],
    ['max_proposals_per_block', params.maxProposalsPerBlock],
    ['max_tally_votes_per_block', params.maxTallyVotesPerBlock],
  ] as const) {
    if (value < 1n) throw fail(`${name} must be at least 1, got ${value}`);
  }
  if (!isValidDenom(params.govDenom)) throw fail(`gov_denom "${params.govDenom}" is not a valid denom`);

  function ratio(name: string, text: string, positive: boolean): void {
    if (!isDec(text)) throw fail(`${name} "${text}" must be a decimal like "0.5" with at most 18 fractional digits`);
    const value = parseDec(text, name);
    if (value > ONE) throw fail(`${name} ${text} must not exceed 1`);
    if (positive && value === 0n) throw fail(`${name} must be positive`);
  }
}

/**
 * Client helper for MsgUpdateParams, which replaces the whole object (x/gov issue #4247: omitting
 * a field used to zero it). Start from the current params (Query/Params), apply a patch, validate,
 * and send the result.
 */
export function patchParams(current: Params, patch: Partial<Params>, addresses: AddressCodec): Params {
  const next = Params.fromPartial({ ...current, ...patch });
  validateParams(next, addresses);
  return next;
}
