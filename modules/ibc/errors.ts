/** Errors of the ibc module, codespace "ibc" (codes ≥ 2; numbering is ours, not ibc-go's). */
import { registerError } from '../../app/types/errors.js';

export const IBC = 'ibc';

export const ErrClientNotFound = registerError(IBC, 2, 'light client not found');
export const ErrClientNotActive = registerError(IBC, 3, 'light client is not active');
export const ErrCounterpartyNotFound = registerError(IBC, 4, 'counterparty not registered');
export const ErrInvalidCounterparty = registerError(IBC, 5, 'invalid counterparty');
export const ErrCounterpartyExists = registerError(IBC, 6, 'counterparty already registered');
export const ErrInvalidPacket = registerError(IBC, 7, 'invalid packet');
export const ErrTimeoutElapsed = registerError(IBC, 8, 'packet timeout elapsed');
export const ErrTimeoutNotReached = registerError(IBC, 9, 'packet timeout not reached');
export const ErrInvalidTimeout = registerError(IBC, 10, 'invalid packet timeout');
export const ErrInvalidProof = registerError(IBC, 11, 'invalid proof');
export const ErrConsensusStateNotFound = registerError(IBC, 12, 'consensus state not found at proof height');
export const ErrPacketCommitmentNotFound = registerError(IBC, 13, 'packet commitment not found');
export const ErrPacketCommitmentMismatch = registerError(IBC, 14, 'packet does not match its commitment');
export const ErrInvalidAcknowledgement = registerError(IBC, 15, 'invalid acknowledgement');
export const ErrUnknownPort = registerError(IBC, 16, 'no application bound to port');
export const ErrInvalidClientParams = registerError(IBC, 17, 'invalid client parameters');
export const ErrInvalidDenom = registerError(IBC, 18, 'invalid denomination for cross-zone transfer');
export const ErrInvalidPacketData = registerError(IBC, 19, 'invalid packet data');
export const ErrInvalidMerklePrefix = registerError(IBC, 20, 'invalid merkle prefix');
export const ErrAckExists = registerError(IBC, 21, 'acknowledgement already written');
export const ErrUntrustedClient = registerError(IBC, 22, 'client not trusted for drug custody');
export const ErrInvalidClientType = registerError(IBC, 23, 'no light client of that type');
