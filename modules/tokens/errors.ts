import { registerError } from '../../app/types/errors.js';
import { MODULE_NAME } from './keys.js';

/** Errors of the tokens module, codespace "tokens", with x/bank's codes and descriptions. */
export const ErrNoInputs = registerError(MODULE_NAME, 2, 'no inputs to send transaction');
export const ErrNoOutputs = registerError(MODULE_NAME, 3, 'no outputs to send transaction');
export const ErrInputOutputMismatch = registerError(MODULE_NAME, 4, 'sum inputs != sum outputs');
export const ErrSendDisabled = registerError(MODULE_NAME, 5, 'send transactions are disabled');
export const ErrDenomMetadataNotFound = registerError(MODULE_NAME, 6, 'client denom metadata not found');
export const ErrInvalidKey = registerError(MODULE_NAME, 7, 'invalid key');
export const ErrDuplicateEntry = registerError(MODULE_NAME, 8, 'duplicate entry');
export const ErrMultipleSenders = registerError(MODULE_NAME, 9, 'multiple senders not allowed');
export const ErrInvalidParams = registerError(MODULE_NAME, 10, 'invalid params');
export const ErrInvalidMetadata = registerError(MODULE_NAME, 11, 'invalid denom metadata');
export const ErrInvalidGenesis = registerError(MODULE_NAME, 12, 'invalid genesis state');
