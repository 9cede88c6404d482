import { makeChainConfig } from '../../app/types/chain-config.js';
import { ErrUnauthorized } from '../../app/types/errors.js';
import { ProposalStatus, VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { Params } from '../../generated/parazone/governance/v1/gov.js';
import type { Any } from '../../generated/google/protobuf/any.js';
import {
  ErrInactiveProposal,
  ErrInvalidDepositDenom,
  ErrInvalidProposer,
  ErrMinDepositTooSmall,
  ErrUnknownProposal,
  ErrVotingPeriodEnded,
} from './errors.js';
import { TYPE_URLS } from './msgs.js';
import { DENOM, NOTES, eventsOf, govHarness, readNote, testParams, type GovHarness } from './testing.js';

const { VOTE_OPTION_YES: YES, VOTE_OPTION_NO: NO, VOTE_OPTION_NO_WITH_VETO: VETO, VOTE_OPTION_ABSTAIN: ABSTAIN } = VoteOption;
const S = ProposalStatus;
const coins = (amount: bigint, denom = DENOM) => [{ denom, amount: amount.toString() }];

interface SubmitOptions {
  messages?: Any[];
  deposit?: bigint;
  proposer?: string;
  title?: string;
  summary?: string;
  metadata?: string;
}

function submit(h: GovHarness, o: SubmitOptions = {}) {
  return h.exec(TYPE_URLS.submitProposal, {
    messages: o.messages ?? [],
    initialDeposit: o.deposit === 0n ? [] : coins(o.deposit ?? 1000n),
    proposer: o.proposer ?? h.addr(1),
    title: o.title ?? 'Fund the audit',
    summary: o.summary ?? 'Pay the auditors from the treasury.',
    metadata: o.metadata ?? 'ipfs://proposal',
  });
}

function vote(h: GovHarness, id: bigint, voter: string, option: VoteOption) {
  return h.exec(TYPE_URLS.vote, { proposalId: id, voter, option, metadata: '' });
}

function proposal(h: GovHarness, id: bigint) {
  return h.keeper.getProposal(h.ctx(), id)!;
}

/** A harness with accounts 1..5 holding 10 000 ugov each (eligible power 50 000). */
function setup(params: Params = testParams()) {
  const h = govHarness(params);
  for (let i = 1; i <= 5; i++) h.fund(h.addr(i), 10_000n);
  return h;
}

function expectInvariant(h: GovHarness) {
  expect(h.keeper.checkDepositsInvariant(h.ctx())).toBeUndefined();
}

describe('submit and deposit', () => {
  it('a proposal below min deposit waits in the deposit period; reaching it starts voting', () => {
    const h = setup();
    const res = submit(h, { deposit: 400n });
    expect(res.error).toBeUndefined();
    expect(res.response).toEqual({ proposalId: 1n });
    expect(eventsOf(res.events, 'submit_proposal')).toEqual([{ proposal_id: '1', proposal_messages: '', proposer: h.addr(1) }]);
    let p = proposal(h, 1n);
    expect(p.status).toBe(S.PROPOSAL_STATUS_DEPOSIT_PERIOD);
    expect(p.totalDeposit).toEqual(coins(400n));
    expect(p.depositEndTime!.seconds).toBe(p.submitTime!.seconds + 100n);
    expect(h.balance(h.gov)).toBe(400n);
    expect(h.balance(h.addr(1))).toBe(9_600n);

    h.advance(10);
    const dep = h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(2), amount: coins(600n) });
    expect(dep.error).toBeUndefined();
    expect(eventsOf(dep.events, 'proposal_deposit')).toEqual([
      { depositor: h.addr(2), amount: `600${DENOM}`, proposal_id: '1', voting_period_start: '1' },
    ]);
    p = proposal(h, 1n);
    expect(p.status).toBe(S.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(p.totalDeposit).toEqual(coins(1000n));
    expect(p.votingEndTime!.seconds - p.votingStartTime!.seconds).toBe(100n);
    expect(h.keeper.getDeposit(h.ctx(), 1n, h.addr(2))!.amount).toEqual(coins(600n));
    expectInvariant(h);
  });

  it('an initial deposit ≥ min deposit starts voting at once; deposits still accepted while voting', () => {
    const h = setup();
    const res = submit(h, { deposit: 1000n });
    expect(eventsOf(res.events, 'submit_proposal')[0]!.voting_period_start).toBe('1');
    expect(proposal(h, 1n).status).toBe(S.PROPOSAL_STATUS_VOTING_PERIOD);
    expect(h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(1), amount: coins(5n) }).error).toBeUndefined();
    expect(h.keeper.getDeposit(h.ctx(), 1n, h.addr(1))!.amount).toEqual(coins(1005n));
    expectInvariant(h);
  });

  it('proposal ids come from a counter that only MsgSubmitProposal writes (marked serializes)', () => {
    const h = setup();
    expect(submit(h).response.proposalId).toBe(1n);
    expect(submit(h).response.proposalId).toBe(2n);
    const flags = Object.fromEntries(h.module.msgs!.map((m) => [m.typeUrl, m.serializes ?? false]));
    expect(flags[TYPE_URLS.submitProposal]).toBe(true);
    expect(flags[TYPE_URLS.vote]).toBe(false);
    expect(flags[TYPE_URLS.voteWeighted]).toBe(false);
  });

  it('a vote writes exactly one key, its own (proposal, voter) record', () => {
    const h = setup();
    submit(h);
    const before = h.dump();
    expect(vote(h, 1n, h.addr(2), YES).error).toBeUndefined();
    const after = h.dump();
    const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changed).toHaveLength(1);
    expect(Buffer.from(changed[0]!, 'hex').toString('latin1')).toMatch(/^governance\/\x20/);
  });
});

describe('rejections leave state unchanged', () => {
  function expectRejected(h: GovHarness, run: () => { error: unknown }, check: (err: unknown) => boolean, message?: RegExp) {
    const before = h.dump();
    const { error } = run();
    expect(error).toBeDefined();
    expect(check(error)).toBe(true);
    if (message) expect((error as Error).message).toMatch(message);
    expect(h.dump()).toEqual(before);
  }

  it('initial deposit below min_initial_deposit_ratio × min_deposit', () => {
    const h = setup();
    expectRejected(
      h,
      () => submit(h, { deposit: 99n }),
      (e) => ErrMinDepositTooSmall.is(e),
      /below the required "100ugov"/,
    );
    expectRejected(
      h,
      () => submit(h, { deposit: 0n }),
      (e) => ErrMinDepositTooSmall.is(e),
    );
    expect(submit(h, { deposit: 100n }).error).toBeUndefined(); // exactly the minimum is enough
  });

  it('deposits in a denom min_deposit does not list', () => {
    const h = setup();
    h.fund(h.addr(1), 5000n, 'uother');
    submit(h, { deposit: 100n });
    expectRejected(
      h,
      () => h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(1), amount: coins(10n, 'uother') }),
      (e) => ErrInvalidDepositDenom.is(e),
      /accepted only in ugov/,
    );
    expectRejected(
      h,
      () =>
        h.exec(TYPE_URLS.submitProposal, {
          messages: [],
          initialDeposit: [...coins(100n, DENOM), ...coins(1n, 'uother')].sort((a, b) => (a.denom < b.denom ? -1 : 1)),
          proposer: h.addr(1),
          title: 't',
          summary: 's',
          metadata: '',
        }),
      (e) => ErrInvalidDepositDenom.is(e),
    );
  });

  it('deposit more than the depositor holds', () => {
    const h = setup();
    submit(h, { deposit: 100n });
    expectRejected(
      h,
      () => h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(1), amount: coins(1_000_000n) }),
      (e) => (e as { code?: number }).code === 5,
    );
  });

  it('votes on unknown, deposit-period, finished and cancelled proposals', () => {
    const h = setup();
    expectRejected(
      h,
      () => vote(h, 7n, h.addr(1), YES),
      (e) => ErrUnknownProposal.is(e),
    );
    submit(h, { deposit: 100n }); // 1: deposit period
    expectRejected(
      h,
      () => vote(h, 1n, h.addr(1), YES),
      (e) => ErrInactiveProposal.is(e),
      /PROPOSAL_STATUS_DEPOSIT_PERIOD/,
    );
    submit(h); // 2: voting
    h.block(101); // 2 ends (rejected: no votes), 1 is dropped
    expect(proposal(h, 2n).status).toBe(S.PROPOSAL_STATUS_REJECTED);
    expectRejected(
      h,
      () => vote(h, 2n, h.addr(1), YES),
      (e) => ErrInactiveProposal.is(e),
      /REJECTED/,
    );
    expectRejected(
      h,
      () => h.exec(TYPE_URLS.deposit, { proposalId: 2n, depositor: h.addr(1), amount: coins(1n) }),
      (e) => ErrInactiveProposal.is(e),
    );
    submit(h); // 3
    h.exec(TYPE_URLS.cancelProposal, { proposalId: 3n, proposer: h.addr(1) });
    expectRejected(
      h,
      () => vote(h, 3n, h.addr(1), YES),
      (e) => ErrInactiveProposal.is(e),
      /CANCELED/,
    );
  });

  it('malformed votes: unspecified option, weights not summing to 1, oversized metadata', () => {
    const h = setup();
    submit(h);
    expectRejected(
      h,
      () => vote(h, 1n, h.addr(1), VoteOption.VOTE_OPTION_UNSPECIFIED),
      (e) => (e as { code?: number }).code === 7,
    );
    expectRejected(
      h,
      () =>
        h.exec(TYPE_URLS.voteWeighted, {
          proposalId: 1n,
          voter: h.addr(1),
          options: [
            { option: YES, weight: '0.7' },
            { option: NO, weight: '0.2' },
          ],
          metadata: '',
        }),
      (e) => (e as { code?: number }).code === 7,
      /sum to exactly 1, got 0.9/,
    );
    expectRejected(
      h,
      () => h.exec(TYPE_URLS.vote, { proposalId: 1n, voter: h.addr(1), option: YES, metadata: 'x'.repeat(256) }),
      (e) => (e as { code?: number }).code === 15,
      /256 bytes, at most 255/,
    );
    expectRejected(
      h,
      () => vote(h, 1n, 'para1notanaddress', YES),
      (e) => (e as { code?: number }).code === 7 && (e as { codespace?: string }).codespace === 'sdk',
    );
  });

  it('title, summary and metadata limits', () => {
    const h = setup();
    const check = (o: SubmitOptions, code: number, message: RegExp) =>
      expectRejected(
        h,
        () => submit(h, o),
        (e) => (e as { code?: number; codespace?: string }).code === code,
        message,
      );
    check({ metadata: 'm'.repeat(256) }, 15, /metadata is 256 bytes/);
    check({ metadata: 'é'.repeat(128) }, 15, /metadata is 256 bytes/); // 128 characters, 256 UTF-8 bytes
    check({ title: 't'.repeat(256) }, 30, /title is 256 bytes/);
    check({ summary: 's'.repeat(10201) }, 22, /summary is 10201 bytes/);
    check({ title: '   ' }, 5, /title must not be empty/);
    check({ summary: '' }, 5, /summary must not be empty/);
    expect(submit(h, { metadata: 'm'.repeat(255), title: 't'.repeat(255), summary: 's'.repeat(10200) }).error).toBeUndefined();
  });

  it('proposal messages: signer other than governance, unroutable, undecodable, invalid, too many', () => {
    const h = setup();
    const gov = h.gov;
    const check = (messages: Any[], code: number, message: RegExp) =>
      expectRejected(
        h,
        () => submit(h, { messages }),
        (e) => (e as { code?: number }).code === code && (e as { codespace?: string }).codespace === 'governance',
        message,
      );
    check(
      [h.anyOf(NOTES.userNote, { signer: h.addr(1), key: 'k' })],
      13,
      /signed by \[para1.*\]; it must be signed by exactly the governance account/,
    );
    check([h.anyOf(NOTES.setNote, { authority: h.addr(2), key: 'k', value: 'v' })], 13, /governance account/);
    check([h.anyOf(NOTES.setNote, { authority: gov.toUpperCase(), key: 'k', value: 'v' })], 13, /governance account/);
    check([h.anyOf(TYPE_URLS.updateParams, { authority: h.addr(2), params: testParams() })], 13, /governance account/);
    check([{ typeUrl: '/nobody.v1.MsgNothing', value: Buffer.alloc(0) }], 10, /no module handles/);
    check([{ typeUrl: NOTES.setNote, value: Buffer.from('{not json') }], 12, /does not decode/);
    check([h.anyOf(NOTES.setNote, { authority: gov, key: '', value: 'v' })], 12, /note key must not be empty/);
    const eleven = Array.from({ length: 11 }, (_, i) => h.anyOf(NOTES.setNote, { authority: gov, key: `k${i}`, value: 'v' }));
    check(eleven, 32, /11 messages, at most 10/);
    // MsgUpdateParams carrying invalid params is refused at submission, not at execution.
    const bad = Params.fromPartial({ ...testParams(), threshold: '1.5' });
    check([h.anyOf(TYPE_URLS.updateParams, { authority: gov, params: bad })], 12, /threshold 1.5 must not exceed 1/);
  });
});

describe('voting period outcomes', () => {
  function votingProposal(h: GovHarness, messages: Any[] = []) {
    const res = submit(h, { messages });
    expect(res.error).toBeUndefined();
    return res.response.proposalId as bigint;
  }

  it('passes and executes its message with the governance account as authority', () => {
    const h = setup();
    const id = votingProposal(h, [h.anyOf(NOTES.setNote, { authority: h.gov, key: 'motto', value: 'safe drugs' })]);
    vote(h, id, h.addr(1), YES);
    vote(h, id, h.addr(2), YES);
    h.advance(50);
    expect(h.block(49)).toEqual([]); // not yet due
    expect(readNote(h.ctx(), 'motto')).toBeUndefined();
    const events = h.block(1); // voting end == block time: tallied in this block
    expect(eventsOf(events, 'active_proposal')).toEqual([{ proposal_id: '1', proposal_result: 'proposal_passed', proposal_log: 'passed' }]);
    expect(eventsOf(events, 'note_set')).toEqual([{ key: 'motto' }]);
    expect(readNote(h.ctx(), 'motto')).toBe('safe drugs');
    const p = proposal(h, id);
    expect(p.status).toBe(S.PROPOSAL_STATUS_PASSED);
    // The proposer's 1000 was in escrow at tally time, so it did not vote: 9000 + 10000.
    expect(p.finalTallyResult).toEqual({ yesCount: '19000', abstainCount: '0', noCount: '0', noWithVetoCount: '0' });
    expect(h.balance(h.addr(1))).toBe(10_000n); // deposit refunded
    expect(h.balance(h.gov)).toBe(0n);
    expect(h.keeper.getVotes(h.ctx(), id)).toEqual([]); // votes pruned after the tally
    expectInvariant(h);
  });

  it('a passed proposal whose second message fails writes nothing, ends FAILED and records why', () => {
    const h = setup();
    const id = votingProposal(h, [
      h.anyOf(NOTES.setNote, { authority: h.gov, key: 'first', value: 'written then dropped' }),
      h.anyOf(NOTES.setNote, { authority: h.gov, key: 'second', value: 'fail' }),
    ]);
    vote(h, id, h.addr(1), YES);
    vote(h, id, h.addr(2), YES);
    const before = h.dump();
    const events = h.block(100);
    const p = proposal(h, id);
    expect(p.status).toBe(S.PROPOSAL_STATUS_FAILED);
    expect(p.failedReason).toBe(
      'message 1 (/test.notes.MsgSetNote) failed: the note "fail" is refused: invalid request (codespace sdk, code 18)',
    );
    expect(readNote(h.ctx(), 'first')).toBeUndefined();
    expect(readNote(h.ctx(), 'second')).toBeUndefined();
    expect(eventsOf(events, 'note_set')).toEqual([]); // the branch's events are dropped too
    expect(eventsOf(events, 'active_proposal')[0]!.proposal_result).toBe('proposal_failed');
    expect(eventsOf(events, 'proposal_failed')).toEqual([{ proposal_id: '1', reason: p.failedReason }]);
    // Only governance bookkeeping and the refund changed: no key of the notes module appeared.
    const after = h.dump();
    const notesKeys = [...after.keys()].filter((k) => Buffer.from(k, 'hex').toString('latin1').startsWith('notes/'));
    expect(notesKeys).toEqual([]);
    expect(after.size).toBeLessThanOrEqual(before.size);
    expect(h.balance(h.addr(1))).toBe(10_000n); // deposits are settled by the tally, not the execution
    expectInvariant(h);
  });

  it('execution may not spend the deposit escrow held for other proposals', () => {
    const h = setup();
    const other = votingProposal(h); // its 1000 stays in escrow
    h.advance(1);
    const id = votingProposal(h, [h.anyOf(NOTES.moveFromGov, { authority: h.gov, to: h.addr(9), amount: coins(500n) })]);
    vote(h, id, h.addr(1), YES);
    vote(h, id, h.addr(2), YES);
    h.block(99); // `other` ends (no votes: rejected, refunded)
    expect(proposal(h, other).status).toBe(S.PROPOSAL_STATUS_REJECTED);
    votingProposal(h); // a fresh deposit sits in escrow when `id` executes
    h.block(1);
    const p = proposal(h, id);
    expect(p.status).toBe(S.PROPOSAL_STATUS_FAILED);
    expect(p.failedReason).toMatch(/would spend the governance deposit escrow \(1000ugov → 500ugov\)/);
    expect(h.balance(h.addr(9))).toBe(0n);
    expectInvariant(h);
  });

  it('rejected below threshold: deposits refunded', () => {
    const h = setup();
    const id = votingProposal(h);
    h.exec(TYPE_URLS.deposit, { proposalId: id, depositor: h.addr(3), amount: coins(300n) });
    vote(h, id, h.addr(1), YES);
    vote(h, id, h.addr(2), NO);
    const events = h.block(100);
    expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_REJECTED);
    expect(eventsOf(events, 'active_proposal')[0]).toMatchObject({ proposal_result: 'proposal_rejected' });
    expect(h.balance(h.addr(1))).toBe(10_000n);
    expect(h.balance(h.addr(3))).toBe(10_000n);
    expectInvariant(h);
  });

  it('vetoed: deposits burned (burn_vote_veto) and supply falls', () => {
    const h = setup();
    const id = votingProposal(h);
    h.exec(TYPE_URLS.deposit, { proposalId: id, depositor: h.addr(3), amount: coins(300n) });
    const supply = h.bank.getSupply(h.ctx(), DENOM);
    vote(h, id, h.addr(1), YES);
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(4), VETO);
    vote(h, id, h.addr(5), VETO);
    // Power read at tally: 1 and 3 have deposited, so yes = 9000 + 10000, veto = 20000 of 39000 total.
    h.block(100);
    expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_REJECTED);
    expect(proposal(h, id).finalTallyResult).toEqual({ yesCount: '19000', abstainCount: '0', noCount: '0', noWithVetoCount: '20000' });
    expect(h.balance(h.addr(1))).toBe(9_000n);
    expect(h.balance(h.addr(3))).toBe(9_700n);
    expect(h.bank.getSupply(h.ctx(), DENOM)).toBe(supply - 1300n);
    expect(h.balance(h.gov)).toBe(0n);
    expectInvariant(h);
  });

  it('no quorum: refunded by default, burned with burn_vote_quorum', () => {
    for (const burnVoteQuorum of [false, true]) {
      const h = setup(testParams({ burnVoteQuorum }));
      const id = votingProposal(h);
      vote(h, id, h.addr(2), YES); // 10 000 of 49 000 eligible < 0.334
      h.block(100);
      expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_REJECTED);
      expect(h.balance(h.addr(1))).toBe(burnVoteQuorum ? 9_000n : 10_000n);
      expectInvariant(h);
    }
  });

  it('quorum exactly reached at tally time passes; one token short does not', () => {
    for (const [yes, expected] of [
      [1670n, S.PROPOSAL_STATUS_PASSED],
      [1669n, S.PROPOSAL_STATUS_REJECTED],
    ] as const) {
      // eligible = 5000 (accounts 1..5 with 1000 each, deposits excluded as escrow) … make it exact:
      const h = govHarness(testParams({ minDeposit: coins(10n), minInitialDepositRatio: '0' }));
      h.fund(h.addr(1), 10n); // deposits it all: escrow is not eligible
      h.fund(h.addr(2), yes);
      h.fund(h.addr(3), 5000n - yes);
      const id = submit(h, { deposit: 10n }).response.proposalId as bigint;
      vote(h, id, h.addr(2), YES);
      // eligible = supply 5010 − escrow 10 = 5000; quorum 0.334 × 5000 = 1670.
      h.block(100);
      expect(proposal(h, id).status).toBe(expected);
    }
  });

  it('changing a vote: the last vote counts', () => {
    const h = setup();
    const id = votingProposal(h);
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(3), YES);
    expect(vote(h, id, h.addr(2), NO).error).toBeUndefined();
    expect(h.keeper.getVote(h.ctx(), id, h.addr(2))!.options).toEqual([{ option: NO, weight: '1' }]);
    h.block(100);
    expect(proposal(h, id).finalTallyResult).toMatchObject({ yesCount: '10000', noCount: '10000' });
    expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_REJECTED); // exactly 50 % yes
  });

  it('tokens moved between voters count once, for whoever holds them at tally time', () => {
    const h = setup();
    const id = votingProposal(h);
    vote(h, id, h.addr(2), YES);
    h.bank.sendCoins(h.ctx(), h.addr(2), h.addr(3), coins(10_000n)); // 2 gives everything to 3
    vote(h, id, h.addr(3), NO);
    h.block(100);
    expect(proposal(h, id).finalTallyResult).toEqual({ yesCount: '0', abstainCount: '0', noCount: '20000', noWithVetoCount: '0' });
  });

  it('a bech32 upper-case voter is the same voter (one key per address bytes)', () => {
    const h = setup();
    const id = votingProposal(h);
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(2).toUpperCase(), NO);
    expect(h.keeper.getVotes(h.ctx(), id)).toHaveLength(1);
    expect(h.keeper.getVotes(h.ctx(), id)[0]!.voter).toBe(h.addr(2));
  });

  it('weighted votes split power exactly and emit their split', () => {
    const h = setup();
    const id = votingProposal(h);
    const res = h.exec(TYPE_URLS.voteWeighted, {
      proposalId: id,
      voter: h.addr(2),
      options: [
        { option: YES, weight: '0.6' },
        { option: ABSTAIN, weight: '0.1' },
        { option: NO, weight: '0.3' },
      ],
      metadata: '',
    });
    expect(res.error).toBeUndefined();
    expect(eventsOf(res.events, 'proposal_vote')).toEqual([
      { voter: h.addr(2), option: 'VOTE_OPTION_YES:0.6,VOTE_OPTION_ABSTAIN:0.1,VOTE_OPTION_NO:0.3', proposal_id: '1' },
    ]);
    expect(eventsOf(vote(h, id, h.addr(3), YES).events, 'proposal_vote')[0]!.option).toBe('VOTE_OPTION_YES');
    expect(h.query('/parazone.governance.v1.Query/TallyResult', { proposalId: id }).tally).toEqual({
      yesCount: '16000',
      abstainCount: '1000',
      noCount: '3000',
      noWithVetoCount: '0',
    });
  });

  it('module accounts do not vote and are not eligible', () => {
    const h = setup();
    h.fund(h.treasury, 1_000_000n); // a rich treasury must not make quorum unreachable
    const id = votingProposal(h);
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(3), YES);
    h.block(100);
    expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_PASSED); // 20 000 of 49 000 ≥ 0.334
  });

  it('a proposal may not make the escrow deposit into itself', () => {
    const h = setup();
    const other = votingProposal(h);
    const id = votingProposal(h, [h.anyOf(TYPE_URLS.deposit, { proposalId: other, depositor: h.gov, amount: coins(10n) })]);
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(3), YES);
    h.advance(1);
    votingProposal(h); // keeps coins in escrow after `id` is refunded
    h.block(99);
    expect(proposal(h, id).status).toBe(S.PROPOSAL_STATUS_FAILED);
    expect(proposal(h, id).failedReason).toMatch(/governance account cannot make deposits/);
    expectInvariant(h);
  });

  it('by default fee_collector and tokens balances are not eligible power either', () => {
    const h = govHarness(testParams()); // default non-voting module list
    h.fund(h.addr(1), 1000n);
    h.fund(h.config.addresses.moduleAddress('fee_collector'), 500n);
    h.fund(h.config.addresses.moduleAddress('tokens'), 300n);
    h.fund(h.treasury, 200n);
    expect(h.keeper.eligiblePower(h.ctx(), DENOM)).toBe(1000n);
    expect(h.keeper.votingPower(h.ctx(), h.config.addresses.moduleAddress('fee_collector'), DENOM)).toBe(0n);
  });
});

describe('deposit period end and cancellation', () => {
  it('drops a proposal that misses min deposit: refund by default, burn with the prevote flag', () => {
    for (const burnProposalDepositPrevote of [false, true]) {
      const h = setup(testParams({ burnProposalDepositPrevote }));
      submit(h, { deposit: 500n });
      h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(2), amount: coins(100n) });
      expect(h.block(99)).toEqual([]);
      const events = h.block(1);
      expect(eventsOf(events, 'inactive_proposal')).toEqual([{ proposal_id: '1', proposal_result: 'proposal_dropped' }]);
      expect(proposal(h, 1n).status).toBe(S.PROPOSAL_STATUS_DROPPED);
      expect(h.balance(h.addr(1))).toBe(burnProposalDepositPrevote ? 9_500n : 10_000n);
      expect(h.balance(h.addr(2))).toBe(burnProposalDepositPrevote ? 9_900n : 10_000n);
      expect(h.keeper.getDeposits(h.ctx(), 1n)).toEqual([]);
      expectInvariant(h);
    }
  });

  it('the proposer cancels in the deposit period: half of each deposit burned, the rest refunded', () => {
    const h = setup();
    submit(h, { deposit: 301n });
    h.exec(TYPE_URLS.deposit, { proposalId: 1n, depositor: h.addr(2), amount: coins(99n) });
    const supply = h.bank.getSupply(h.ctx(), DENOM);
    const res = h.exec(TYPE_URLS.cancelProposal, { proposalId: 1n, proposer: h.addr(1) });
    expect(res.error).toBeUndefined();
    expect(res.response).toEqual({ proposalId: 1n, canceledHeight: 1n });
    expect(eventsOf(res.events, 'proposal_canceled')).toEqual([{ proposal_id: '1', proposer: h.addr(1) }]);
    expect(proposal(h, 1n).status).toBe(S.PROPOSAL_STATUS_CANCELED);
    // floor(301 × 0.5) = 150 charged, 151 back; floor(99 × 0.5) = 49 charged, 50 back.
    expect(h.balance(h.addr(1))).toBe(10_000n - 150n);
    expect(h.balance(h.addr(2))).toBe(10_000n - 49n);
    expect(h.bank.getSupply(h.ctx(), DENOM)).toBe(supply - 199n);
    expect(h.block(200)).toEqual([]); // nothing left in the queues
    expectInvariant(h);
  });

  it('cancel in the voting period sends the charge to proposal_cancel_dest and deletes votes', () => {
    const dest = makeChainConfig().addresses.encode(new Uint8Array(20).fill(8));
    const h = govHarness(testParams({ proposalCancelDest: dest, proposalCancelRatio: '0.25' }));
    h.fund(h.addr(1), 10_000n);
    h.fund(h.addr(2), 10_000n);
    submit(h, { deposit: 1000n });
    vote(h, 1n, h.addr(2), YES);
    expect(h.exec(TYPE_URLS.cancelProposal, { proposalId: 1n, proposer: h.addr(1) }).error).toBeUndefined();
    expect(h.balance(dest)).toBe(250n);
    expect(h.balance(h.addr(1))).toBe(9_750n); // 1000 deposited, 750 back
    expect(h.keeper.getVotes(h.ctx(), 1n)).toEqual([]);
    expect(h.block(200)).toEqual([]);
  });

  it('only the proposer may cancel, and only until voting ends', () => {
    const h = setup();
    submit(h);
    const before = h.dump();
    const wrong = h.exec(TYPE_URLS.cancelProposal, { proposalId: 1n, proposer: h.addr(2) });
    expect(ErrInvalidProposer.is(wrong.error)).toBe(true);
    expect(h.dump()).toEqual(before);
    // Deferred past its end (cap 1 and another proposal ends first): late cancel refused.
    const h2 = setup(testParams({ maxProposalsPerBlock: 1n }));
    submit(h2, { proposer: h2.addr(2) });
    submit(h2);
    h2.block(100); // proposal 1 finalized, proposal 2 deferred
    expect(proposal(h2, 2n).status).toBe(S.PROPOSAL_STATUS_VOTING_PERIOD);
    h2.advance(1);
    const late = h2.exec(TYPE_URLS.cancelProposal, { proposalId: 2n, proposer: h2.addr(1) });
    expect(ErrVotingPeriodEnded.is(late.error)).toBe(true);
    const lateVote = vote(h2, 2n, h2.addr(3), YES);
    expect(ErrVotingPeriodEnded.is(lateVote.error)).toBe(true);
  });
});

describe('end block is bounded and ordered', () => {
  it('finalizes at most max_proposals_per_block per block, oldest end first, ties by id', () => {
    const h = setup(testParams({ maxProposalsPerBlock: 2n }));
    for (let i = 0; i < 5; i++) submit(h, { proposer: h.addr(1 + (i % 5)) });
    const order: string[] = [];
    for (let b = 0; b < 3; b++) {
      const events = h.block(b === 0 ? 100 : 1);
      order.push(
        eventsOf(events, 'active_proposal')
          .map((e) => e.proposal_id)
          .join(','),
      );
    }
    expect(order).toEqual(['1,2', '3,4', '5']);
    expectInvariant(h);
  });

  it('stops starting tallies once max_tally_votes_per_block votes were counted (the first always runs)', () => {
    const h = setup(testParams({ maxTallyVotesPerBlock: 3n }));
    for (let i = 0; i < 3; i++) submit(h);
    for (const id of [1n, 2n, 3n]) {
      vote(h, id, h.addr(2), YES);
      vote(h, id, h.addr(3), YES);
    }
    const first = eventsOf(h.block(100), 'active_proposal').map((e) => e.proposal_id);
    expect(first).toEqual(['1', '2']); // 2 votes (< 3) then 4 votes: stop
    expect(eventsOf(h.block(1), 'active_proposal').map((e) => e.proposal_id)).toEqual(['3']);
    // Deferred proposals were tallied with the same votes; all three passed.
    expect([1n, 2n, 3n].map((id) => proposal(h, id).status)).toEqual([3, 3, 3]);
  });
});

describe('governance-only messages', () => {
  it('MsgUpdateParams outside a proposal is unauthorized', () => {
    const h = setup();
    const res = h.exec(TYPE_URLS.updateParams, { authority: h.addr(1), params: testParams({ quorum: '0.5' }) });
    expect(ErrUnauthorized.is(res.error)).toBe(true);
  });

  it('a proposal changes governance params; the new params apply afterwards', () => {
    const h = setup();
    const next = testParams({ votingPeriodSeconds: 7n, quorum: '0.2' });
    const id = submit(h, { messages: [h.anyOf(TYPE_URLS.updateParams, { authority: h.gov, params: next })] }).response.proposalId;
    vote(h, id, h.addr(2), YES);
    vote(h, id, h.addr(3), YES);
    const events = h.block(100);
    expect(eventsOf(events, 'update_params')).toEqual([{ module: 'governance' }]);
    expect(h.query('/parazone.governance.v1.Query/Params', {}).params).toEqual(next);
    const second = submit(h).response.proposalId;
    expect(proposal(h, second).votingEndTime!.seconds - proposal(h, second).votingStartTime!.seconds).toBe(7n);
  });

  it('a proposal mints to the treasury, a second spends from it', () => {
    const h = setup();
    const mint = submit(h, { messages: [h.anyOf(NOTES.mintTo, { authority: h.gov, to: h.treasury, amount: coins(5000n, 'uusd') })] });
    vote(h, mint.response.proposalId, h.addr(2), YES);
    vote(h, mint.response.proposalId, h.addr(3), YES);
    h.block(100);
    expect(h.query('/parazone.governance.v1.Query/Treasury', {})).toEqual({ address: h.treasury, balances: coins(5000n, 'uusd') });
    const spend = submit(h, {
      messages: [h.anyOf(TYPE_URLS.spendTreasury, { authority: h.gov, recipient: h.addr(7), amount: coins(1200n, 'uusd') })],
    });
    vote(h, spend.response.proposalId, h.addr(2), YES);
    vote(h, spend.response.proposalId, h.addr(3), YES);
    const events = h.block(100);
    expect(eventsOf(events, 'treasury_spend')).toEqual([{ recipient: h.addr(7), amount: '1200uusd' }]);
    expect(h.balance(h.addr(7), 'uusd')).toBe(1200n);
    expect(h.balance(h.treasury, 'uusd')).toBe(3800n);
    // Spending more than the treasury holds fails the proposal and moves nothing.
    const over = submit(h, {
      messages: [h.anyOf(TYPE_URLS.spendTreasury, { authority: h.gov, recipient: h.addr(7), amount: coins(9999n, 'uusd') })],
    });
    vote(h, over.response.proposalId, h.addr(2), YES);
    vote(h, over.response.proposalId, h.addr(3), YES);
    h.block(100);
    expect(proposal(h, over.response.proposalId).status).toBe(S.PROPOSAL_STATUS_FAILED);
    expect(proposal(h, over.response.proposalId).failedReason).toMatch(/MsgSpendTreasury\) failed: .*insufficient funds/);
    expect(h.balance(h.treasury, 'uusd')).toBe(3800n);
  });

  it('MsgSpendTreasury signed by anyone else is unauthorized', () => {
    const h = setup();
    const res = h.exec(TYPE_URLS.spendTreasury, { authority: h.addr(1), recipient: h.addr(1), amount: coins(1n) });
    expect(ErrUnauthorized.is(res.error)).toBe(true);
  });
});
