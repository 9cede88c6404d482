import { makeChainConfig } from '../../app/types/chain-config.js';
import { Params, ProposalStatus, VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { ErrInvalidGenesis, ErrInvalidParams } from './errors.js';
import { TYPE_URLS } from './msgs.js';
import { defaultParams, patchParams, validateParams } from './params.js';
import { DENOM, govHarness, testParams } from './testing.js';

const addresses = makeChainConfig().addresses;
const coins = (amount: bigint) => [{ denom: DENOM, amount: amount.toString() }];

describe('params validation', () => {
  it('accepts the defaults and the test params', () => {
    expect(() => validateParams(defaultParams('upara'), addresses)).not.toThrow();
    expect(() => validateParams(testParams(), addresses)).not.toThrow();
  });

  it.each<[string, Partial<Params>, RegExp]>([
    ['empty min deposit', { minDeposit: [] }, /min_deposit must list/],
    ['zero min deposit', { minDeposit: coins(0n) }, /must be positive/],
    ['bad denom', { minDeposit: [{ denom: '1x', amount: '5' }] }, /invalid denom/],
    ['zero voting period', { votingPeriodSeconds: 0n }, /voting_period_seconds must be positive/],
    ['zero deposit period', { maxDepositPeriodSeconds: 0n }, /max_deposit_period_seconds must be positive/],
    ['absurd period', { votingPeriodSeconds: 10n ** 12n }, /at most/],
    ['quorum > 1', { quorum: '1.000000000000000001' }, /quorum .* must not exceed 1/],
    ['quorum float text', { quorum: '3.34e-1' }, /quorum "3.34e-1" must be a decimal/],
    ['zero threshold', { threshold: '0' }, /threshold must be positive/],
    ['zero veto', { vetoThreshold: '0.0' }, /veto_threshold must be positive/],
    ['empty ratio', { minInitialDepositRatio: '' }, /min_initial_deposit_ratio/],
    ['negative cancel ratio', { proposalCancelRatio: '-0.5' }, /proposal_cancel_ratio/],
    ['bad cancel dest', { proposalCancelDest: 'cosmos1xyz' }, /proposal_cancel_dest/],
    ['zero metadata len', { maxMetadataLen: 0n }, /max_metadata_len must be at least 1/],
    ['zero messages', { maxMessages: 0n }, /max_messages must be at least 1/],
    ['zero block cap', { maxProposalsPerBlock: 0n }, /max_proposals_per_block/],
    ['zero vote budget', { maxTallyVotesPerBlock: 0n }, /max_tally_votes_per_block/],
    ['bad gov denom', { govDenom: 'x' }, /gov_denom/],
  ])('rejects %s', (_name, patch, message) => {
    let error: unknown;
    try {
      validateParams(Params.fromPartial({ ...testParams(), ...patch }), addresses);
    } catch (err) {
      error = err;
    }
    expect(ErrInvalidParams.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('a partial object (the #4247 footgun) is rejected; patchParams keeps the other fields', () => {
    expect(() => validateParams(Params.fromPartial({ quorum: '0.5' }), addresses)).toThrow(/min_deposit/);
    const next = patchParams(testParams(), { quorum: '0.5' }, addresses);
    expect(next).toEqual({ ...testParams(), quorum: '0.5' });
    expect(() => patchParams(testParams(), { threshold: '2' }, addresses)).toThrow(ErrInvalidParams.description);
  });
});

describe('genesis', () => {
  it('the default genesis validates and is plain JSON', () => {
    const h = govHarness();
    const g = h.module.genesis!.defaultGenesis();
    expect(JSON.parse(JSON.stringify(g))).toEqual(g);
    expect(h.module.genesis!.validate(g)).toEqual(g);
    expect(g).toMatchObject({ startingProposalId: '1', params: { govDenom: 'upara', quorum: '0.334' } });
  });

  it('exports live proposals, deposits and votes; importing the export elsewhere reproduces it', () => {
    const h = govHarness(testParams());
    for (let i = 1; i <= 3; i++) h.fund(h.addr(i), 10_000n);
    const submit = (deposit: bigint) =>
      h.exec(TYPE_URLS.submitProposal, {
        messages: [],
        initialDeposit: coins(deposit),
        proposer: h.addr(1),
        title: 't',
        summary: 's',
        metadata: '',
      });
    submit(1000n);
    submit(200n);
    h.exec(TYPE_URLS.deposit, { proposalId: 2n, depositor: h.addr(2), amount: coins(50n) });
    h.exec(TYPE_URLS.vote, { proposalId: 1n, voter: h.addr(3), option: VoteOption.VOTE_OPTION_YES, metadata: 'why' });
    const exported = h.module.genesis!.export(h.ctx());
    expect(JSON.parse(JSON.stringify(exported))).toEqual(exported);
    expect(exported).toMatchObject({ startingProposalId: '3' });

    const other = govHarness(testParams());
    other.fund(other.gov, 1250n); // the escrow as the tokens genesis would restore it
    other.fund(other.addr(3), 10_000n);
    other.module.genesis!.init(other.ctx(), other.module.genesis!.validate(exported));
    expect(other.module.genesis!.export(other.ctx())).toEqual(exported);
    expect(other.keeper.checkDepositsInvariant(other.ctx())).toBeUndefined();
    // Queues were rebuilt: proposal 1 still ends and tallies in the imported chain.
    other.block(100);
    // Eligible there is the 10 000 of account 3 (escrow excluded), all YES.
    expect(other.keeper.getProposal(other.ctx(), 1n)!.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });

  it('refuses an escrow that does not match the deposits', () => {
    const h = govHarness(testParams());
    h.fund(h.addr(1), 10_000n);
    h.exec(TYPE_URLS.submitProposal, {
      messages: [],
      initialDeposit: coins(500n),
      proposer: h.addr(1),
      title: 't',
      summary: 's',
      metadata: '',
    });
    const exported = h.module.genesis!.export(h.ctx());
    const other = govHarness(testParams());
    expect(() => other.module.genesis!.init(other.ctx(), exported)).toThrow(/holds "" but deposits total "500ugov"/);
  });

  it.each<[string, (g: any) => void, RegExp]>([
    ['not an object', () => undefined, /JSON object/],
    ['starting id 0', (g) => (g.startingProposalId = '0'), /starting_proposal_id/],
    ['bad params', (g) => (g.params.quorum = '2'), /params: quorum/],
    ['proposal id beyond next id', (g) => g.proposals[0] && (g.proposals[0].id = '99'), /must be in \[1/],
    ['duplicate proposal', (g) => g.proposals.push(g.proposals[0]), /appears twice/],
    ['deposit on unknown proposal', (g) => (g.deposits[0].proposalId = '42'), /not open/],
    ['total deposit mismatch', (g) => (g.deposits[0].amount[0].amount = '1'), /differs from its deposits/],
    ['vote with bad weights', (g) => (g.votes[0].options[0].weight = '0.5'), /sum to exactly 1/],
    ['vote on unknown proposal', (g) => (g.votes[0].proposalId = '2'), /not in its voting period/],
  ])('validate rejects %s', (name, mutate, message) => {
    const h = govHarness(testParams());
    h.fund(h.addr(1), 10_000n);
    h.exec(TYPE_URLS.submitProposal, {
      messages: [],
      initialDeposit: coins(1000n),
      proposer: h.addr(1),
      title: 't',
      summary: 's',
      metadata: '',
    });
    h.exec(TYPE_URLS.vote, { proposalId: 1n, voter: h.addr(1), option: VoteOption.VOTE_OPTION_YES, metadata: '' });
    const g = JSON.parse(JSON.stringify(h.module.genesis!.export(h.ctx())));
    mutate(g);
    const input = name === 'not an object' ? [g] : g;
    let error: unknown;
    try {
      h.module.genesis!.validate(input);
    } catch (err) {
      error = err;
    }
    expect(ErrInvalidGenesis.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
