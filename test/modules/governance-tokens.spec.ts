/**
 * Governance over the real tokens module (modules/tokens): the TokensKeeper is the bank, and the
 * router holds both modules' Msgs, as the app will wire them.
 */
import { memoryStore } from '../../app/store/cache-kv.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import type { MsgHandler } from '../../app/types/module.js';
import { runBranch, testContext } from '../harness.js';
import { Params, ProposalStatus, VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { createTokensModule, TokensTypeUrls } from '../../modules/tokens/index.js';
import { FakeAccounts } from '../../modules/tokens/testing.js';
import { createGovernanceModule } from '../../modules/governance/module.js';
import { TYPE_URLS } from '../../modules/governance/msgs.js';
import { testParams } from '../../modules/governance/testing.js';

const DENOM = 'upara';

function chain() {
  const config = makeChainConfig();
  const routes = new Map<string, MsgHandler>();
  const tokens = createTokensModule({ config, accounts: new FakeAccounts() });
  const gov = createGovernanceModule({
    config,
    bank: tokens.keeper,
    router: { handler: (typeUrl) => routes.get(typeUrl) },
    nonVotingModules: ['fee_collector', 'tokens'],
  });
  for (const h of [...tokens.module.msgs!, ...gov.module.msgs!]) routes.set(h.typeUrl, h);
  const store = memoryStore();
  let height = 1;
  let time = Date.parse('2026-03-01T00:00:00Z');
  let ctx: Context = testContext({ store, height, time: new Date(time) });
  const addr = (n: number) => config.addresses.encode(new Uint8Array(20).fill(n));
  tokens.module.genesis!.init(
    ctx,
    tokens.module.genesis!.validate({
      balances: [1, 2, 3, 4].map((n) => ({ address: addr(n), coins: [{ denom: DENOM, amount: '1000000' }] })),
    }),
  );
  gov.module.genesis!.init(
    ctx,
    gov.module.genesis!.validate({
      startingProposalId: '1',
      params: Params.toJSON(testParams({ govDenom: DENOM, minDeposit: [{ denom: DENOM, amount: '1000' }] })),
    }),
  );
  const exec = (typeUrl: string, msg: unknown) => {
    const h = routes.get(typeUrl)!;
    const decoded = h.type.decode(h.type.encode(h.type.fromPartial(msg)).finish());
    h.validateBasic?.(decoded);
    let response: any;
    const error = runBranch(ctx, (b) => {
      response = h.handle(b, decoded);
    });
    if (error) throw error;
    return response;
  };
  const any = (typeUrl: string, msg: unknown) => {
    const h = routes.get(typeUrl)!;
    return { typeUrl, value: Buffer.from(h.type.encode(h.type.fromPartial(msg)).finish()) };
  };
  /** EndBlock order as the app should run it: tokens (fee sweep) first, then governance. */
  const block = (seconds: number) => {
    height++;
    time += seconds * 1000;
    ctx = testContext({ store, height, time: new Date(time) });
    tokens.module.endBlock!(ctx);
    gov.module.endBlock!(ctx);
  };
  return { config, tokens, gov, exec, any, block, addr, ctx: () => ctx };
}

describe('governance with the real tokens module', () => {
  it('a proposal mints to the treasury; several accounts vote; the change lands after the voting period', () => {
    const c = chain();
    const treasury = c.gov.keeper.treasuryAddress;
    const mint = c.any(TokensTypeUrls.mint, {
      authority: c.gov.keeper.authority,
      recipient: treasury,
      amount: [{ denom: DENOM, amount: '5000000' }],
    });
    const { proposalId } = c.exec(TYPE_URLS.submitProposal, {
      messages: [mint],
      initialDeposit: [{ denom: DENOM, amount: '1000' }],
      proposer: c.addr(1),
      title: 'Seed the treasury',
      summary: 'Mint 5 PARA into the community treasury.',
      metadata: '',
    });
    for (const n of [1, 2, 3]) c.exec(TYPE_URLS.vote, { proposalId, voter: c.addr(n), option: VoteOption.VOTE_OPTION_YES, metadata: '' });
    c.exec(TYPE_URLS.vote, { proposalId, voter: c.addr(4), option: VoteOption.VOTE_OPTION_NO, metadata: '' });
    c.block(99);
    expect(c.tokens.keeper.getBalance(c.ctx(), treasury, DENOM)).toBe(0n);
    c.block(1);
    const p = c.gov.keeper.getProposal(c.ctx(), proposalId)!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(c.tokens.keeper.getBalance(c.ctx(), treasury, DENOM)).toBe(5_000_000n);
    expect(c.tokens.keeper.getBalance(c.ctx(), c.addr(1), DENOM)).toBe(1_000_000n); // deposit refunded
    expect(c.gov.keeper.checkDepositsInvariant(c.ctx())).toBeUndefined();

    // The treasury (a module account) does not vote and is not eligible power.
    expect(c.gov.keeper.eligiblePower(c.ctx(), DENOM)).toBe(4_000_000n);
  });

  it('a vetoed proposal burns its deposit through the governance Burner permission', () => {
    const c = chain();
    const { proposalId } = c.exec(TYPE_URLS.submitProposal, {
      messages: [],
      initialDeposit: [{ denom: DENOM, amount: '1000' }],
      proposer: c.addr(1),
      title: 'Spam',
      summary: 'spam',
      metadata: '',
    });
    for (const n of [2, 3])
      c.exec(TYPE_URLS.vote, { proposalId, voter: c.addr(n), option: VoteOption.VOTE_OPTION_NO_WITH_VETO, metadata: '' });
    c.block(100);
    expect(c.gov.keeper.getProposal(c.ctx(), proposalId)!.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(c.tokens.keeper.getSupply(c.ctx(), DENOM)).toBe(4_000_000n - 1000n);
    expect(c.tokens.keeper.getBalance(c.ctx(), c.gov.keeper.authority, DENOM)).toBe(0n);
  });

  it('tokens MsgBurn from the governance account cannot burn escrowed deposits', () => {
    const c = chain();
    const burn = c.any(TokensTypeUrls.burn, {
      authority: c.gov.keeper.authority,
      amount: [{ denom: DENOM, amount: '500' }],
      fromModule: '',
    });
    const { proposalId } = c.exec(TYPE_URLS.submitProposal, {
      messages: [burn],
      initialDeposit: [{ denom: DENOM, amount: '1000' }],
      proposer: c.addr(1),
      title: 'Burn',
      summary: 'burn from governance',
      metadata: '',
    });
    for (const n of [1, 2, 3]) c.exec(TYPE_URLS.vote, { proposalId, voter: c.addr(n), option: VoteOption.VOTE_OPTION_YES, metadata: '' });
    c.block(50);
    // Another proposal's 500 sits in escrow when proposal 1 executes.
    c.exec(TYPE_URLS.submitProposal, {
      messages: [],
      initialDeposit: [{ denom: DENOM, amount: '500' }],
      proposer: c.addr(4),
      title: 'waiting',
      summary: 'waiting for deposits',
      metadata: '',
    });
    c.block(50);
    const p = c.gov.keeper.getProposal(c.ctx(), proposalId)!;
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p.failedReason).toBe('execution would spend the governance deposit escrow (500upara → nothing)');
    expect(c.tokens.keeper.getSupply(c.ctx(), DENOM)).toBe(4_000_000n);
    expect(c.tokens.keeper.getBalance(c.ctx(), c.gov.keeper.authority, DENOM)).toBe(500n);
    expect(c.gov.keeper.checkDepositsInvariant(c.ctx())).toBeUndefined();
  });
});
