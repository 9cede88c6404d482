import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { ErrInvalidRequest } from './errors.js';

/**
 * google.protobuf.Timestamp's valid range, as its definition and the SDK's decoder enforce it:
 * 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, nanos in [0, 10^9). Every timestamp in
 * that range is also a valid JS Date (whose range is about ±275,000 years).
 */
export const MIN_TIMESTAMP_SECONDS = -62_135_596_800n;
export const MAX_TIMESTAMP_SECONDS = 253_402_300_799n;

/** What is wrong with `ts`, or undefined when it lies in the valid range. */
export function timestampProblem(ts: Timestamp): string | undefined {
  if (ts.seconds < MIN_TIMESTAMP_SECONDS) return `seconds ${ts.seconds} is before 0001-01-01`;
  if (ts.seconds > MAX_TIMESTAMP_SECONDS) return `seconds ${ts.seconds} is after 9999-12-31`;
  if (!Number.isInteger(ts.nanos) || ts.nanos < 0 || ts.nanos >= 1_000_000_000) return `nanos ${ts.nanos} is not in [0, 999999999]`;
  return undefined;
}

/** A Timestamp as a Date (millisecond precision); an absent one is the Unix epoch. Throws ErrInvalidRequest out of range. */
export function timestampToDate(ts: Timestamp | undefined): Date {
  if (!ts) return new Date(0);
  const problem = timestampProblem(ts);
  if (problem) throw ErrInvalidRequest.wrap(`invalid timestamp: ${problem}`);
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1_000_000));
}
