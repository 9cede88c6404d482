import { ErrInvalidRequest, ErrNotFound } from '../../app/types/errors.js';
import { defineQuery, type QueryHandler } from '../../app/types/module.js';
import { ProposalStatus } from '../../generated/parazone/governance/v1/gov.js';
import type { PageResponse } from '../../generated/cosmos/base/query/v1beta1/pagination.js';
import {
  QueryDepositRequest,
  QueryDepositResponse,
  QueryDepositsRequest,
  QueryDepositsResponse,
  QueryParamsRequest,
  QueryParamsResponse,
  QueryProposalRequest,
  QueryProposalResponse,
  QueryProposalsRequest,
  QueryProposalsResponse,
  QueryTallyResultRequest,
  QueryTallyResultResponse,
  QueryTreasuryRequest,
  QueryTreasuryResponse,
  QueryVoteRequest,
  QueryVoteResponse,
  QueryVotesRequest,
  QueryVotesResponse,
} from '../../generated/parazone/governance/v1/query.js';
import type { GovernanceKeeper } from './keeper.js';

export const QUERY_PREFIX = '/parazone.governance.v1.Query/';

/** The Query service, served at /parazone.governance.v1.Query/<Method>. */
export function governanceQueries(keeper: GovernanceKeeper): QueryHandler[] {
  const requireId = (id: bigint) => {
    if (id === 0n) throw ErrInvalidRequest.wrap('proposal_id must be set (ids start at 1)');
  };
  const requireProposal = (ctx: Parameters<QueryHandler['handle']>[0], id: bigint) => {
    requireId(id);
    return keeper.mustGetProposal(ctx, id);
  };

  return [
    defineQuery({
      path: `${QUERY_PREFIX}Proposal`,
      requestType: QueryProposalRequest,
      responseType: QueryProposalResponse,
      handle: (ctx, req) => ({ proposal: requireProposal(ctx, req.proposalId) }),
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Proposals`,
      requestType: QueryProposalsRequest,
      responseType: QueryProposalsResponse,
      handle(ctx, req) {
        const voter = req.voter ? keeper.canonical(req.voter, 'voter') : undefined;
        const depositor = req.depositor ? keeper.canonical(req.depositor, 'depositor') : undefined;
        const status = req.proposalStatus;
        const { items, pagination } = keeper.pageProposals(ctx, req.pagination, (p) => {
          if (status !== ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED && p.status !== status) return false;
          if (voter && !keeper.getVote(ctx, p.id, voter)) return false;
          if (depositor && !keeper.getDeposit(ctx, p.id, depositor)) return false;
          return true;
        });
        return { proposals: items, pagination };
      },
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Vote`,
      requestType: QueryVoteRequest,
      responseType: QueryVoteResponse,
      handle(ctx, req) {
        requireProposal(ctx, req.proposalId);
        const vote = keeper.getVote(ctx, req.proposalId, req.voter);
        if (!vote) throw ErrNotFound.wrap(`voter ${req.voter} has not voted on proposal ${req.proposalId}`);
        return { vote };
      },
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Votes`,
      requestType: QueryVotesRequest,
      responseType: QueryVotesResponse,
      handle(ctx, req) {
        requireProposal(ctx, req.proposalId);
        const page = keeper.pageVotes(ctx, req.proposalId, req.pagination);
        return { votes: page.items, pagination: toPageResponse(page.pagination) };
      },
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Deposit`,
      requestType: QueryDepositRequest,
      responseType: QueryDepositResponse,
      handle(ctx, req) {
        requireProposal(ctx, req.proposalId);
        const deposit = keeper.getDeposit(ctx, req.proposalId, req.depositor);
        if (!deposit) throw ErrNotFound.wrap(`depositor ${req.depositor} has no deposit on proposal ${req.proposalId}`);
        return { deposit };
      },
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Deposits`,
      requestType: QueryDepositsRequest,
      responseType: QueryDepositsResponse,
      handle(ctx, req) {
        requireProposal(ctx, req.proposalId);
        const page = keeper.pageDeposits(ctx, req.proposalId, req.pagination);
        return { deposits: page.items, pagination: toPageResponse(page.pagination) };
      },
    }),
    defineQuery({
      path: `${QUERY_PREFIX}TallyResult`,
      requestType: QueryTallyResultRequest,
      responseType: QueryTallyResultResponse,
      handle: (ctx, req) => ({ tally: keeper.currentTally(ctx, requireProposal(ctx, req.proposalId)) }),
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Params`,
      requestType: QueryParamsRequest,
      responseType: QueryParamsResponse,
      handle: (ctx) => ({ params: keeper.getParams(ctx) }),
    }),
    defineQuery({
      path: `${QUERY_PREFIX}Treasury`,
      requestType: QueryTreasuryRequest,
      responseType: QueryTreasuryResponse,
      handle: (ctx) => ({
        address: keeper.treasuryAddress,
        balances: keeper.bank.getAllBalances(ctx, keeper.treasuryAddress),
      }),
    }),
  ];
}

/** Our generated PageResponse carries bytes as Buffer (ts-proto env=node). */
function toPageResponse(page: { nextKey: Uint8Array; total: bigint }): PageResponse {
  return { nextKey: Buffer.from(page.nextKey), total: page.total };
}
