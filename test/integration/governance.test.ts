/**
 * Governance end to end on a real node through stock cosmjs: a proposal minting tokens to the
 * treasury and one changing a param are submitted, several accounts vote, and the changes are seen
 * after the voting period. Bad governance input is rejected with clear codes.
 */
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, createProtobufRpcClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import {
  MsgCancelProposal,
  MsgDeposit,
  MsgSpendTreasury,
  MsgSubmitProposal,
  MsgUpdateParams,
  MsgVote,
} from '../../generated/parazone/governance/v1/tx.js';
import { QueryClientImpl } from '../../generated/parazone/governance/v1/query.js';
import { ProposalStatus, VoteOption, type Params } from '../../generated/parazone/governance/v1/gov.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
const config = makeChainConfig();
const govAddress = config.addresses.moduleAddress('governance');
const treasury = config.addresses.moduleAddress('treasury');
const VOTING_SECONDS = 4n;

const registry = new Registry(defaultRegistryTypes);
for (const [url, type] of Object.entries({
  '/parazone.governance.v1.MsgSubmitProposal': MsgSubmitProposal,
  '/parazone.governance.v1.MsgVote': MsgVote,
  '/parazone.governance.v1.MsgDeposit': MsgDeposit,
  '/parazone.governance.v1.MsgCancelProposal': MsgCancelProposal,
}))
  registry.register(url, type);

let chain: TestChain;
let comet: CometClient;
let gov: QueryClientImpl;
const voters: { address: string; client: SigningStargateClient }[] = [];

beforeAll(async () => {
  chain = await startTestChain(
    {
      accounts: { alice: `500000000${TEST_DENOM}`, bob: `300000000${TEST_DENOM}`, carol: `200000000${TEST_DENOM}` },
      editAppState: (state) => {
        const governance = state.governance as { params: Record<string, unknown> };
        governance.params = { ...governance.params, votingPeriodSeconds: VOTING_SECONDS.toString(), maxDepositPeriodSeconds: '60' };
        return state;
      },
    },
    cleanup,
  );
  for (const name of ['alice', 'bob', 'carol']) {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys[name]!.mnemonic, { prefix: 'para' });
    const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
      registry,
      gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
      broadcastPollIntervalMs: 200,
    });
    cleanup.add(`disconnect ${name}`, () => client.disconnect());
    voters.push({ address: (await wallet.getAccounts())[0]!.address, client });
  }
  comet = await connectComet(chain.rpc);
  cleanup.add('disconnect comet', () => comet.disconnect());
  gov = new QueryClientImpl(createProtobufRpcClient(new QueryClient(comet)));
});

function submit(
  proposer: (typeof voters)[number],
  messages: { typeUrl: string; value: Uint8Array }[],
  extra: Partial<MsgSubmitProposal> = {},
) {
  const msg = MsgSubmitProposal.fromPartial({
    messages: messages.map((m) => ({ typeUrl: m.typeUrl, value: Buffer.from(m.value) })),
    initialDeposit: [{ denom: TEST_DENOM, amount: '10000000' }],
    proposer: proposer.address,
    title: 'A proposal',
    summary: 'Tested end to end',
    metadata: '',
    ...extra,
  });
  return proposer.client.signAndBroadcast(proposer.address, [{ typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: msg }], 'auto');
}

function vote(voter: (typeof voters)[number], proposalId: bigint, option: VoteOption) {
  return voter.client.signAndBroadcast(
    voter.address,
    [
      {
        typeUrl: '/parazone.governance.v1.MsgVote',
        value: MsgVote.fromPartial({ proposalId, voter: voter.address, option, metadata: '' }),
      },
    ],
    'auto',
  );
}

async function waitForStatus(id: bigint, status: ProposalStatus, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { proposal } = await gov.Proposal({ proposalId: id });
    if (proposal?.status === status) return proposal;
    if (Date.now() > deadline) throw new Error(`proposal ${id} is ${proposal?.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function idOf(result: { msgResponses: readonly { value: Uint8Array }[] }): bigint {
  // MsgSubmitProposalResponse { proposal_id = 1 }
  return BigInt(Buffer.from(result.msgResponses[0]!.value).readUInt8(1));
}

describe('governance on a real node', () => {
  it('passes a proposal that mints to the treasury, voted by several accounts', async () => {
    const [alice, bob, carol] = voters as [(typeof voters)[0], (typeof voters)[0], (typeof voters)[0]];
    const before = BigInt((await alice.client.getBalance(treasury, TEST_DENOM)).amount);
    const mint = MsgMint.fromPartial({ authority: govAddress, recipient: treasury, amount: [{ denom: TEST_DENOM, amount: '5000000' }] });
    const submitted = await submit(alice, [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: MsgMint.encode(mint).finish() }]);
    expect(submitted.code).toBe(0);
    const id = idOf(submitted);
    expect((await gov.Proposal({ proposalId: id })).proposal?.status).toBe(ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD);

    expect((await vote(alice, id, VoteOption.VOTE_OPTION_YES)).code).toBe(0);
    expect((await vote(bob, id, VoteOption.VOTE_OPTION_NO)).code).toBe(0);
    expect((await vote(carol, id, VoteOption.VOTE_OPTION_YES)).code).toBe(0);
    expect((await vote(bob, id, VoteOption.VOTE_OPTION_YES)).code).toBe(0); // changing a vote: the last one counts

    const passed = await waitForStatus(id, ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect(passed.failedReason).toBe('');
    expect(BigInt((await alice.client.getBalance(treasury, TEST_DENOM)).amount)).toBe(before + 5_000_000n);
  });

  it('changes a governance param through a proposal, validated before it lands', async () => {
    const [alice, bob] = voters as [(typeof voters)[0], (typeof voters)[0]];
    const { params } = await gov.Params({});
    const next: Params = { ...params!, maxTitleLen: 77n };
    const update = MsgUpdateParams.fromPartial({ authority: govAddress, params: next });
    const submitted = await submit(bob, [
      { typeUrl: '/parazone.governance.v1.MsgUpdateParams', value: MsgUpdateParams.encode(update).finish() },
    ]);
    expect(submitted.code).toBe(0);
    const id = idOf(submitted);
    for (const voter of voters) expect((await vote(voter, id, VoteOption.VOTE_OPTION_YES)).code).toBe(0);
    await waitForStatus(id, ProposalStatus.PROPOSAL_STATUS_PASSED);
    expect((await gov.Params({})).params?.maxTitleLen).toBe(77n);

    // Params that fail validation are refused at submission; nothing changes.
    const invalid = MsgUpdateParams.fromPartial({ authority: govAddress, params: { ...next, quorum: '1.5' } });
    await expect(
      submit(alice, [{ typeUrl: '/parazone.governance.v1.MsgUpdateParams', value: MsgUpdateParams.encode(invalid).finish() }]),
    ).rejects.toThrow(/quorum 1.5 must not exceed 1/);

    // A passed proposal whose message fails when executed ends FAILED, with the reason, and writes nothing.
    const recipient = alice.address;
    const balanceBefore = BigInt((await alice.client.getBalance(recipient, TEST_DENOM)).amount);
    const overspend = MsgSpendTreasury.fromPartial({
      authority: govAddress,
      recipient,
      amount: [{ denom: TEST_DENOM, amount: '999999999999999' }],
    });
    const spend = await submit(bob, [
      { typeUrl: '/parazone.governance.v1.MsgSpendTreasury', value: MsgSpendTreasury.encode(overspend).finish() },
    ]);
    expect(spend.code).toBe(0);
    const spendId = idOf(spend);
    for (const voter of voters) expect((await vote(voter, spendId, VoteOption.VOTE_OPTION_YES)).code).toBe(0);
    const failed = await waitForStatus(spendId, ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(failed.failedReason).toMatch(/insufficient funds/);
    // alice paid fees for her votes, and got nothing from the treasury.
    expect(BigInt((await alice.client.getBalance(recipient, TEST_DENOM)).amount)).toBeLessThan(balanceBefore);
    expect((await gov.Params({})).params?.quorum).toBe(params!.quorum);
  });

  it('rejects bad governance input with clear codes and no state change', async () => {
    const [alice] = voters as [(typeof voters)[0]];
    // A Msg whose signer is not the governance account.
    const selfMint = MsgMint.fromPartial({
      authority: alice.address,
      recipient: alice.address,
      amount: [{ denom: TEST_DENOM, amount: '1' }],
    });
    await expect(submit(alice, [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: MsgMint.encode(selfMint).finish() }])).rejects.toThrow(
      /governance|authority|signer/i,
    );
    // Oversized metadata.
    await expect(submit(alice, [], { metadata: 'm'.repeat(10_001) })).rejects.toThrow(/metadata/i);
    // Vote on a finished proposal (id 1 passed above).
    await expect(vote(alice, 1n, VoteOption.VOTE_OPTION_NO)).rejects.toThrow(/voting period|not.*voting|inactive|closed/i);
    // Deposit in the wrong denom.
    const deposit = MsgDeposit.fromPartial({ proposalId: 1n, depositor: alice.address, amount: [{ denom: 'uother', amount: '5' }] });
    await expect(
      alice.client.signAndBroadcast(alice.address, [{ typeUrl: '/parazone.governance.v1.MsgDeposit', value: deposit }], 'auto'),
    ).rejects.toThrow(/denom|deposit/i);
    expect((await gov.Proposal({ proposalId: 1n })).proposal?.status).toBe(ProposalStatus.PROPOSAL_STATUS_PASSED);
  });
});
