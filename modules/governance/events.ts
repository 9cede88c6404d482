/**
 * Event types and attribute values, named as x/gov names them (x/gov/types/events.go) so indexers
 * and explorers that follow x/gov work unchanged; proposal_failed / proposal_canceled /
 * treasury_spend are ours.
 */
export const EventSubmitProposal = 'submit_proposal';
export const EventProposalDeposit = 'proposal_deposit';
export const EventProposalVote = 'proposal_vote';
export const EventActiveProposal = 'active_proposal';
export const EventInactiveProposal = 'inactive_proposal';
export const EventProposalFailed = 'proposal_failed';
export const EventProposalCanceled = 'proposal_canceled';
export const EventUpdateParams = 'update_params';
export const EventTreasurySpend = 'treasury_spend';

export const AttrProposalId = 'proposal_id';
export const AttrProposalMessages = 'proposal_messages';
export const AttrVotingPeriodStart = 'voting_period_start';
export const AttrProposalResult = 'proposal_result';
export const AttrProposalLog = 'proposal_log';
export const AttrOption = 'option';
export const AttrVoter = 'voter';
export const AttrDepositor = 'depositor';
export const AttrAmount = 'amount';
export const AttrReason = 'reason';
export const AttrProposer = 'proposer';
export const AttrRecipient = 'recipient';
export const AttrModule = 'module';

export const ResultPassed = 'proposal_passed';
export const ResultRejected = 'proposal_rejected';
export const ResultFailed = 'proposal_failed';
export const ResultDropped = 'proposal_dropped';
