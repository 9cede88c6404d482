/**
 * Time as the light client sees it: protobuf Timestamps and Durations, compared as bigint
 * nanoseconds. "Now" is always passed in (block time on chain, a fake clock in tests), never read.
 */
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';

const NS_PER_SECOND = 1_000_000_000n;

/** Go's zero time.Time (0001-01-01T00:00:00Z) as a protobuf Timestamp: what an absent vote carries. */
export const GO_ZERO_TIME_SECONDS = -62135596800n;

export function timestampToNanos(t: Timestamp): bigint {
  return t.seconds * NS_PER_SECOND + BigInt(t.nanos);
}

export function nanosToTimestamp(ns: bigint): Timestamp {
  let seconds = ns / NS_PER_SECOND;
  let nanos = ns % NS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NS_PER_SECOND;
    seconds -= 1n;
  }
  return { seconds, nanos: Number(nanos) };
}

export function durationToNanos(d: Duration): bigint {
  return d.seconds * NS_PER_SECOND + BigInt(d.nanos);
}

export function durationFromSeconds(seconds: number | bigint): Duration {
  return { seconds: BigInt(seconds), nanos: 0 };
}

/** A clock reading: unix nanoseconds, or a Date (millisecond precision, e.g. `ctx.time`). */
export type Now = bigint | Date;

export function nowToNanos(now: Now): bigint {
  return typeof now === 'bigint' ? now : BigInt(now.getTime()) * 1_000_000n;
}

/**
 * Parses CometBFT's JSON time (Go RFC3339Nano, e.g. "2026-11-24T06:10:00.123456789Z") without
 * losing the nanoseconds a JS Date would drop.
 */
export function parseRfc3339Nano(text: string): Timestamp {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (m === null) throw new Error(`not an RFC 3339 time: "${text}"`);
  const [, whole, fraction = '', zone] = m;
  const millis = Date.parse(`${whole}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(millis)) throw new Error(`not an RFC 3339 time: "${text}"`);
  return { seconds: BigInt(millis / 1000), nanos: Number(fraction.padEnd(9, '0')) };
}
