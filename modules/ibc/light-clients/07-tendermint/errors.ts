/**
 * Light-client errors, codespace "07-tendermint" with ibc-go's codes for the errors it has
 * (modules/light-clients/07-tendermint/errors.go); codes from 20 up are ours.
 */
import { registerError } from '../../../../app/types/errors.js';

export const TENDERMINT_CLIENT = '07-tendermint';

export const ErrInvalidChainID = registerError(TENDERMINT_CLIENT, 2, 'invalid chain-id');
export const ErrInvalidTrustingPeriod = registerError(TENDERMINT_CLIENT, 3, 'invalid trusting period');
export const ErrInvalidUnbondingPeriod = registerError(TENDERMINT_CLIENT, 4, 'invalid unbonding period');
export const ErrInvalidHeaderHeight = registerError(TENDERMINT_CLIENT, 5, 'invalid header height');
export const ErrInvalidHeader = registerError(TENDERMINT_CLIENT, 6, 'invalid header');
export const ErrInvalidMaxClockDrift = registerError(TENDERMINT_CLIENT, 7, 'invalid max clock drift');
export const ErrTrustingPeriodExpired = registerError(
  TENDERMINT_CLIENT,
  11,
  'time since latest trusted state has passed the trusting period',
);
export const ErrInvalidProofSpecs = registerError(TENDERMINT_CLIENT, 13, 'invalid proof specs');
export const ErrInvalidValidatorSet = registerError(TENDERMINT_CLIENT, 14, 'invalid validator set');
export const ErrInvalidTrustLevel = registerError(TENDERMINT_CLIENT, 15, 'invalid trust level');
export const ErrClientFrozen = registerError(TENDERMINT_CLIENT, 21, 'client is frozen');
export const ErrConsensusStateNotFound = registerError(TENDERMINT_CLIENT, 22, 'consensus state not found');
export const ErrInvalidCommit = registerError(TENDERMINT_CLIENT, 23, 'invalid commit');
export const ErrNotEnoughVotingPower = registerError(TENDERMINT_CLIENT, 24, 'not enough voting power signed');
export const ErrInvalidMisbehaviour = registerError(TENDERMINT_CLIENT, 25, 'invalid misbehaviour');
export const ErrClientExpired = registerError(TENDERMINT_CLIENT, 26, 'client is expired');
