import { registerError } from '../../app/types/errors.js';

/**
 * Governance errors, codespace "governance". Codes mirror cosmos-sdk x/gov/types/errors.go where
 * the meaning is the same, so operators who know x/gov recognise them.
 */
export const CODESPACE = 'governance';

export const ErrUnknownProposal = registerError(CODESPACE, 2, 'unknown proposal');
export const ErrInactiveProposal = registerError(CODESPACE, 3, 'inactive proposal');
export const ErrInvalidProposalContent = registerError(CODESPACE, 5, 'invalid proposal content');
export const ErrInvalidVote = registerError(CODESPACE, 7, 'invalid vote option');
export const ErrInvalidGenesis = registerError(CODESPACE, 8, 'invalid genesis state');
export const ErrUnroutableProposalMsg = registerError(CODESPACE, 10, 'proposal message not recognized by router');
export const ErrInvalidProposalMsg = registerError(CODESPACE, 12, 'invalid proposal message');
export const ErrInvalidSigner = registerError(CODESPACE, 13, 'expected governance account as only signer for proposal message');
export const ErrMetadataTooLong = registerError(CODESPACE, 15, 'metadata too long');
export const ErrMinDepositTooSmall = registerError(CODESPACE, 16, 'minimum deposit is too small');
export const ErrInvalidProposer = registerError(CODESPACE, 18, 'invalid proposer');
export const ErrVotingPeriodEnded = registerError(CODESPACE, 20, 'voting period already ended');
export const ErrInvalidProposal = registerError(CODESPACE, 21, 'invalid proposal');
export const ErrSummaryTooLong = registerError(CODESPACE, 22, 'summary too long');
export const ErrInvalidDepositDenom = registerError(CODESPACE, 23, 'invalid deposit denom');
export const ErrTitleTooLong = registerError(CODESPACE, 30, 'title too long');
export const ErrInvalidParams = registerError(CODESPACE, 31, 'invalid governance params');
export const ErrTooManyMessages = registerError(CODESPACE, 32, 'too many proposal messages');
