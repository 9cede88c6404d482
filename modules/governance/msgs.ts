import type { AddressCodec } from '../../app/types/address.js';
import { validateCoins } from '../../app/types/coins.js';
import { ErrInvalidCoins, ErrInvalidRequest, ErrUnauthorized } from '../../app/types/errors.js';
import { defineMsg, type MsgHandler } from '../../app/types/module.js';
import {
  MsgCancelProposal,
  MsgCancelProposalResponse,
  MsgDeposit,
  MsgDepositResponse,
  MsgSpendTreasury,
  MsgSpendTreasuryResponse,
  MsgSubmitProposal,
  MsgSubmitProposalResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgVote,
  MsgVoteResponse,
  MsgVoteWeighted,
  MsgVoteWeightedResponse,
} from '../../generated/parazone/governance/v1/tx.js';
import { EventUpdateParams, AttrModule } from './events.js';
import { ErrInvalidProposalContent, ErrUnknownProposal } from './errors.js';
import type { GovernanceKeeper } from './keeper.js';
import { validateParams } from './params.js';
import { parseVoteOptions } from './tally.js';

/** Type URLs of the governance Msgs (what a cosmjs Registry registers). */
export const TYPE_URLS = {
  submitProposal: '/parazone.governance.v1.MsgSubmitProposal',
  deposit: '/parazone.governance.v1.MsgDeposit',
  vote: '/parazone.governance.v1.MsgVote',
  voteWeighted: '/parazone.governance.v1.MsgVoteWeighted',
  cancelProposal: '/parazone.governance.v1.MsgCancelProposal',
  updateParams: '/parazone.governance.v1.MsgUpdateParams',
  spendTreasury: '/parazone.governance.v1.MsgSpendTreasury',
} as const;

/**
 * The Msg handlers. Stateless checks live in validateBasic (run in CheckTx too); everything that
 * needs params or state is checked by the keeper before it writes.
 */
export function governanceMsgs(keeper: GovernanceKeeper): MsgHandler[] {
  const addresses: AddressCodec = keeper.config.addresses;
  const checkAddress = (address: string, field: string) => addresses.decode(address, field);
  const checkId = (id: bigint) => {
    if (id === 0n) throw ErrUnknownProposal.wrap('proposal_id must be set (ids start at 1)');
  };
  const checkAuthority = (authority: string) => {
    checkAddress(authority, 'authority');
    if (!keeper.isAuthority(authority)) {
      throw ErrUnauthorized.wrap(`invalid authority: expected the governance account ${keeper.authority}, got ${authority}`);
    }
  };
  const checkAmount = (amount: readonly { denom: string; amount: string }[], what: string, allowEmpty: boolean) => {
    if (!allowEmpty && amount.length === 0) throw ErrInvalidCoins.wrap(`${what} must not be empty`);
    validateCoins(amount);
  };

  return [
    defineMsg({
      typeUrl: TYPE_URLS.submitProposal,
      aminoName: 'parazone/governance/MsgSubmitProposal',
      type: MsgSubmitProposal,
      responseType: MsgSubmitProposalResponse,
      // Every submission writes the proposal-id counter, so submissions serialize among themselves.
      serializes: true,
      signers: (msg) => [msg.proposer],
      validateBasic(msg) {
        checkAddress(msg.proposer, 'proposer');
        checkAmount(msg.initialDeposit, 'initial_deposit', true);
        if (msg.title.trim() === '') throw ErrInvalidProposalContent.wrap('proposal title must not be empty');
        if (msg.summary.trim() === '') throw ErrInvalidProposalContent.wrap('proposal summary must not be empty');
        for (const [i, any] of msg.messages.entries()) {
          if (!any.typeUrl) throw ErrInvalidRequest.wrap(`message ${i} has an empty type URL`);
        }
      },
      handle(ctx, msg) {
        const { id } = keeper.submitProposal(ctx, msg);
        return { proposalId: id };
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.deposit,
      aminoName: 'parazone/governance/MsgDeposit',
      type: MsgDeposit,
      responseType: MsgDepositResponse,
      signers: (msg) => [msg.depositor],
      validateBasic(msg) {
        checkId(msg.proposalId);
        checkAddress(msg.depositor, 'depositor');
        checkAmount(msg.amount, 'deposit amount', false);
      },
      handle(ctx, msg) {
        keeper.addDeposit(ctx, msg.proposalId, msg.depositor, msg.amount);
        return {};
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.vote,
      aminoName: 'parazone/governance/MsgVote',
      type: MsgVote,
      responseType: MsgVoteResponse,
      signers: (msg) => [msg.voter],
      validateBasic(msg) {
        checkId(msg.proposalId);
        checkAddress(msg.voter, 'voter');
        parseVoteOptions([{ option: msg.option, weight: '1' }]);
      },
      handle(ctx, msg) {
        keeper.addVote(ctx, msg.proposalId, msg.voter, [{ option: msg.option, weight: '1' }], msg.metadata);
        return {};
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.voteWeighted,
      aminoName: 'parazone/governance/MsgVoteWeighted',
      type: MsgVoteWeighted,
      responseType: MsgVoteWeightedResponse,
      signers: (msg) => [msg.voter],
      validateBasic(msg) {
        checkId(msg.proposalId);
        checkAddress(msg.voter, 'voter');
        parseVoteOptions(msg.options);
      },
      handle(ctx, msg) {
        keeper.addVote(ctx, msg.proposalId, msg.voter, msg.options, msg.metadata);
        return {};
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.cancelProposal,
      aminoName: 'parazone/governance/MsgCancelProposal',
      type: MsgCancelProposal,
      responseType: MsgCancelProposalResponse,
      signers: (msg) => [msg.proposer],
      validateBasic(msg) {
        checkId(msg.proposalId);
        checkAddress(msg.proposer, 'proposer');
      },
      handle(ctx, msg) {
        keeper.cancelProposal(ctx, msg.proposalId, msg.proposer);
        return { proposalId: msg.proposalId, canceledHeight: BigInt(ctx.height) };
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.updateParams,
      aminoName: 'parazone/governance/MsgUpdateParams',
      type: MsgUpdateParams,
      responseType: MsgUpdateParamsResponse,
      signers: (msg) => [msg.authority],
      validateBasic(msg) {
        checkAuthority(msg.authority);
        validateParams(msg.params, addresses);
      },
      handle(ctx, msg) {
        checkAuthority(msg.authority);
        keeper.setParams(ctx, msg.params!);
        ctx.events.emit(EventUpdateParams, [[AttrModule, keeper.moduleName]]);
        return {};
      },
    }),
    defineMsg({
      typeUrl: TYPE_URLS.spendTreasury,
      aminoName: 'parazone/governance/MsgSpendTreasury',
      type: MsgSpendTreasury,
      responseType: MsgSpendTreasuryResponse,
      signers: (msg) => [msg.authority],
      validateBasic(msg) {
        checkAuthority(msg.authority);
        checkAddress(msg.recipient, 'recipient');
        checkAmount(msg.amount, 'amount', false);
      },
      handle(ctx, msg) {
        checkAuthority(msg.authority);
        keeper.spendTreasury(ctx, msg.recipient, msg.amount);
        return {};
      },
    }),
  ];
}
