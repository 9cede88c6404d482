import { ErrNotFound } from '../../app/types/errors.js';
import { ProposalStatus, VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { ErrUnknownProposal } from './errors.js';
import { TYPE_URLS } from './msgs.js';
import { DENOM, govHarness, testParams, type GovHarness } from './testing.js';

const Q = '/parazone.governance.v1.Query/';
const coins = (amount: bigint) => [{ denom: DENOM, amount: amount.toString() }];

describe('queries', () => {
  let h: GovHarness;
  beforeEach(() => {
    h = govHarness(testParams());
    for (let i = 1; i <= 5; i++) h.fund(h.addr(i), 10_000n);
    const submit = (deposit: bigint, proposer = h.addr(1)) =>
      h.exec(TYPE_URLS.submitProposal, {
        messages: [],
        initialDeposit: coins(deposit),
        proposer,
        title: 't',
        summary: 's',
        metadata: '',
      }).response.proposalId as bigint;
    const vote = (id: bigint, n: number, option = VoteOption.VOTE_OPTION_YES) =>
      h.exec(TYPE_URLS.vote, { proposalId: id, voter: h.addr(n), option, metadata: '' });
    submit(1000n); // 1: will be rejected (ends first)
    h.advance(50);
    submit(1000n); // 2: voting
    submit(100n); // 3: deposit period
    h.exec(TYPE_URLS.deposit, { proposalId: 3n, depositor: h.addr(4), amount: coins(10n) });
    submit(1000n, h.addr(5)); // 4: voting
    vote(2n, 2);
    vote(2n, 3, VoteOption.VOTE_OPTION_NO);
    vote(4n, 3);
    h.block(50); // proposal 1 ends: rejected (no votes)
  });

  it('Proposal returns the record; unknown ids are ErrUnknownProposal', () => {
    const res = h.query(`${Q}Proposal`, { proposalId: 2n });
    expect(res.proposal.id).toBe(2n);
    expect(res.proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(() => h.query(`${Q}Proposal`, { proposalId: 99n })).toThrow(expect.objectContaining({ code: ErrUnknownProposal.code }));
  });

  it('Proposals filters by status, voter and depositor', () => {
    const ids = (req: object) => h.query(`${Q}Proposals`, req).proposals.map((p: { id: bigint }) => p.id);
    expect(ids({})).toEqual([1n, 2n, 3n, 4n]);
    expect(ids({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD })).toEqual([2n, 4n]);
    expect(ids({ proposalStatus: ProposalStatus.PROPOSAL_STATUS_REJECTED })).toEqual([1n]);
    expect(ids({ voter: h.addr(3) })).toEqual([2n, 4n]);
    expect(ids({ voter: h.addr(2) })).toEqual([2n]);
    expect(ids({ depositor: h.addr(4) })).toEqual([3n]);
    expect(ids({ depositor: h.addr(1), proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD })).toEqual([2n]);
    expect(ids({ voter: h.addr(5) })).toEqual([]);
  });

  it('Proposals paginates the filtered list: offset, total, next_key round-trip, reverse', () => {
    const page1 = h.query(`${Q}Proposals`, { pagination: { limit: 2n, countTotal: true } });
    expect(page1.proposals.map((p: { id: bigint }) => p.id)).toEqual([1n, 2n]);
    expect(page1.pagination.total).toBe(4n);
    const page2 = h.query(`${Q}Proposals`, { pagination: { key: page1.pagination.nextKey, limit: 2n } });
    expect(page2.proposals.map((p: { id: bigint }) => p.id)).toEqual([3n, 4n]);
    expect(page2.pagination.nextKey.length).toBe(0);
    const filtered = h.query(`${Q}Proposals`, {
      proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
      pagination: { limit: 1n, countTotal: true },
    });
    expect(filtered.proposals.map((p: { id: bigint }) => p.id)).toEqual([2n]);
    expect(filtered.pagination.total).toBe(2n);
    const next = h.query(`${Q}Proposals`, {
      proposalStatus: ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
      pagination: { key: filtered.pagination.nextKey, limit: 1n },
    });
    expect(next.proposals.map((p: { id: bigint }) => p.id)).toEqual([4n]);
    const offset = h.query(`${Q}Proposals`, { pagination: { offset: 3n, limit: 5n } });
    expect(offset.proposals.map((p: { id: bigint }) => p.id)).toEqual([4n]);
    const reverse = h.query(`${Q}Proposals`, { pagination: { reverse: true, limit: 3n } });
    expect(reverse.proposals.map((p: { id: bigint }) => p.id)).toEqual([4n, 3n, 2n]);
    expect(() => h.query(`${Q}Proposals`, { pagination: { key: Buffer.from([1]), offset: 1n } })).toThrow(/either offset or key/);
  });

  it('Vote, Votes, Deposit, Deposits', () => {
    expect(h.query(`${Q}Vote`, { proposalId: 2n, voter: h.addr(3) }).vote.options).toEqual([
      { option: VoteOption.VOTE_OPTION_NO, weight: '1' },
    ]);
    expect(() => h.query(`${Q}Vote`, { proposalId: 2n, voter: h.addr(5) })).toThrow(expect.objectContaining({ code: ErrNotFound.code }));
    const votes = h.query(`${Q}Votes`, { proposalId: 2n, pagination: { limit: 1n, countTotal: true } });
    expect(votes.votes).toHaveLength(1);
    expect(votes.pagination.total).toBe(2n);
    const rest = h.query(`${Q}Votes`, { proposalId: 2n, pagination: { key: votes.pagination.nextKey } });
    expect([votes.votes[0].voter, rest.votes[0].voter].sort()).toEqual([h.addr(2), h.addr(3)].sort());
    expect(h.query(`${Q}Deposit`, { proposalId: 3n, depositor: h.addr(4) }).deposit.amount).toEqual(coins(10n));
    expect(() => h.query(`${Q}Deposit`, { proposalId: 3n, depositor: h.addr(2) })).toThrow(/has no deposit/);
    expect(
      h
        .query(`${Q}Deposits`, { proposalId: 3n })
        .deposits.map((d: { depositor: string }) => d.depositor)
        .sort(),
    ).toEqual([h.addr(1), h.addr(4)].sort());
    expect(() => h.query(`${Q}Votes`, { proposalId: 0n })).toThrow(/proposal_id must be set/);
  });

  it('TallyResult is live during voting and final afterwards', () => {
    // 2: voter 2 (10 000) yes, voter 3 (10 000) no
    expect(h.query(`${Q}TallyResult`, { proposalId: 2n }).tally).toEqual({
      yesCount: '10000',
      abstainCount: '0',
      noCount: '10000',
      noWithVetoCount: '0',
    });
    h.bank.sendCoins(h.ctx(), h.addr(2), h.addr(5), coins(4000n));
    expect(h.query(`${Q}TallyResult`, { proposalId: 2n }).tally.yesCount).toBe('6000');
    h.block(50);
    expect(h.query(`${Q}Proposal`, { proposalId: 2n }).proposal.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(h.query(`${Q}TallyResult`, { proposalId: 2n }).tally).toEqual({
      yesCount: '6000',
      abstainCount: '0',
      noCount: '10000',
      noWithVetoCount: '0',
    });
  });

  it('Params returns the stored params', () => {
    expect(h.query(`${Q}Params`, {}).params).toEqual(testParams());
  });
});
