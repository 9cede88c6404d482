/**
 * What a cosmjs client does: register the generated types in a Registry, encode a TxBody holding
 * MsgSubmitProposal (with a nested tokens MsgMint as Any) and a MsgVote, and the chain-side
 * handlers decode them back to the same values.
 */
import { Registry } from '@cosmjs/proto-signing';
import { TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import { VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { MsgSubmitProposal, MsgVote, MsgVoteWeighted } from '../../generated/parazone/governance/v1/tx.js';
import { TYPE_URLS } from './msgs.js';
import { govHarness } from './testing.js';

describe('cosmjs encoding of governance Msgs', () => {
  it('round-trips through a cosmjs Registry TxBody', () => {
    const h = govHarness();
    const registry = new Registry([
      [TYPE_URLS.submitProposal, MsgSubmitProposal],
      [TYPE_URLS.vote, MsgVote],
      [TYPE_URLS.voteWeighted, MsgVoteWeighted],
      ['/parazone.tokens.v1.MsgMint', MsgMint],
    ]);
    const mint = MsgMint.fromPartial({ authority: h.gov, recipient: h.treasury, amount: [{ denom: 'upara', amount: '5000000' }] });
    const submit = {
      typeUrl: TYPE_URLS.submitProposal,
      value: MsgSubmitProposal.fromPartial({
        messages: [{ typeUrl: '/parazone.tokens.v1.MsgMint', value: Buffer.from(MsgMint.encode(mint).finish()) }],
        initialDeposit: [{ denom: 'upara', amount: '10000000' }],
        proposer: h.addr(1),
        title: 'Seed the treasury',
        summary: 'Mint 5 PARA into the treasury',
        metadata: '',
      }),
    };
    const vote = {
      typeUrl: TYPE_URLS.vote,
      value: MsgVote.fromPartial({ proposalId: 1n, voter: h.addr(2), option: VoteOption.VOTE_OPTION_YES }),
    };
    const bodyBytes = registry.encodeTxBody({ messages: [submit, vote], memo: '' });
    // What the chain sees: the raw Anys of the signed body.
    const [anySubmit, anyVote] = TxBody.decode(bodyBytes).messages;

    const submitHandler = h.router.handler(anySubmit!.typeUrl)!;
    const decoded = submitHandler.type.decode(anySubmit!.value) as MsgSubmitProposal;
    expect(submitHandler.signers(decoded)).toEqual([h.addr(1)]);
    expect(decoded.messages[0]!.typeUrl).toBe('/parazone.tokens.v1.MsgMint');
    expect(MsgMint.decode(decoded.messages[0]!.value)).toEqual(mint);
    const voteHandler = h.router.handler(anyVote!.typeUrl)!;
    expect(voteHandler.type.decode(anyVote!.value)).toEqual({ proposalId: 1n, voter: h.addr(2), option: 1, metadata: '' });
  });
});
