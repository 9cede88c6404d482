import { ChainError } from './errors.js';
import { MAX_TIMESTAMP_SECONDS, MIN_TIMESTAMP_SECONDS, timestampToDate } from './timestamp.js';

describe('timestampToDate', () => {
  it('converts both ends of the protobuf range to valid Dates', () => {
    expect(timestampToDate({ seconds: MIN_TIMESTAMP_SECONDS, nanos: 0 }).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(timestampToDate({ seconds: MAX_TIMESTAMP_SECONDS, nanos: 999_999_999 }).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    expect(timestampToDate(undefined).getTime()).toBe(0);
  });

  it('refuses what lies outside with invalid request (18), never an invalid Date or a RangeError', () => {
    for (const ts of [
      { seconds: -(10n ** 13n), nanos: 0 },
      { seconds: MAX_TIMESTAMP_SECONDS + 1n, nanos: 0 },
      { seconds: 0n, nanos: -1 },
    ]) {
      let caught: unknown;
      try {
        timestampToDate(ts);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ChainError);
      expect(caught).toMatchObject({ codespace: 'sdk', code: 18 });
    }
  });
});
