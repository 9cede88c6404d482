import { BaseError } from '../types/base-error.js';

/**
 * Why a proof was rejected. Messages follow cosmos/ics23's Go verifier word for word where it has
 * one, so a rejection can be compared with the reference implementation and its test tables.
 */
export class Ics23Error extends BaseError {
  /** Go's `fmt.Errorf("<context>, %w", err)`. */
  static wrap(context: string, cause: unknown): Ics23Error {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new Ics23Error(`${context}, ${message}`, { cause });
  }
}
