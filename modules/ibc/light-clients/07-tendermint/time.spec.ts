import { GO_ZERO_TIME_SECONDS, nanosToTimestamp, parseRfc3339Nano, timestampToNanos } from './time.js';

test('RFC 3339 times keep their nanoseconds, including Go zero time', () => {
  expect(parseRfc3339Nano('2026-11-24T06:10:00.123456789Z')).toEqual({ seconds: 1795500600n, nanos: 123456789 });
  expect(parseRfc3339Nano('2026-11-24T06:10:00Z')).toEqual({ seconds: 1795500600n, nanos: 0 });
  expect(parseRfc3339Nano('2026-11-24T06:10:00.5Z')).toEqual({ seconds: 1795500600n, nanos: 500000000 });
  expect(parseRfc3339Nano('0001-01-01T00:00:00Z')).toEqual({ seconds: GO_ZERO_TIME_SECONDS, nanos: 0 });
  expect(() => parseRfc3339Nano('yesterday')).toThrow('not an RFC 3339 time');
});

test('timestamps and nanoseconds round-trip, also before 1970', () => {
  for (const ns of [0n, 1n, 1795500600123456789n, -1n, GO_ZERO_TIME_SECONDS * 1_000_000_000n]) {
    expect(timestampToNanos(nanosToTimestamp(ns))).toBe(ns);
  }
  expect(nanosToTimestamp(-1n)).toEqual({ seconds: -1n, nanos: 999999999 });
});
