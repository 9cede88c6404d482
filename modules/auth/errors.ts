import { registerError } from '../../app/types/errors.js';

/** Errors of the auth module (codespace "auth"). Signature and fee failures use the SDK root codes. */
export const AUTH = 'auth';
export const ErrInvalidParams = registerError(AUTH, 2, 'invalid auth params');
export const ErrInvalidGenesis = registerError(AUTH, 3, 'invalid auth genesis');
export const ErrUnknownModuleAccount = registerError(AUTH, 4, 'unknown module account');
export const ErrAccountNumbersExhausted = registerError(AUTH, 5, 'no account number available');
export const ErrAccountNumberPending = registerError(AUTH, 6, 'account number not assigned yet');
