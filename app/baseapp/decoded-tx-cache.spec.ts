import type { DecodedTx } from './tx-types.js';
import { DecodedTxCache } from './decoded-tx-cache.js';

const bytes = (n: number) => Uint8Array.of(n, n + 1, n + 2);
const fakeDecode = () => {
  let calls = 0;
  const fn = (b: Uint8Array) => {
    calls++;
    if (b[0] === 0xff) throw new Error('malformed');
    return { bytes: b } as unknown as DecodedTx;
  };
  return { fn, calls: () => calls };
};

describe('DecodedTxCache', () => {
  it('decodes equal bytes once and returns the same frozen result', () => {
    const cache = new DecodedTxCache(4);
    const d = fakeDecode();
    const first = cache.decode(bytes(1), d.fn);
    const again = cache.decode(Uint8Array.from(bytes(1)), d.fn);
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(d.calls()).toBe(1);
    cache.decode(bytes(2), d.fn);
    expect(d.calls()).toBe(2);
  });

  it('does not remember failures: a malformed tx fails every time', () => {
    const cache = new DecodedTxCache(4);
    const d = fakeDecode();
    expect(() => cache.decode(Uint8Array.of(0xff), d.fn)).toThrow('malformed');
    expect(() => cache.decode(Uint8Array.of(0xff), d.fn)).toThrow('malformed');
    expect(d.calls()).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('stays within its capacity, dropping the oldest entry first', () => {
    const cache = new DecodedTxCache(2);
    const d = fakeDecode();
    cache.decode(bytes(1), d.fn);
    cache.decode(bytes(2), d.fn);
    cache.decode(bytes(3), d.fn);
    expect(cache.size).toBe(2);
    cache.decode(bytes(3), d.fn);
    cache.decode(bytes(2), d.fn);
    expect(d.calls()).toBe(3);
    cache.decode(bytes(1), d.fn); // evicted: decoded again
    expect(d.calls()).toBe(4);
  });

  it('with capacity 0 always decodes', () => {
    const cache = new DecodedTxCache(0);
    const d = fakeDecode();
    cache.decode(bytes(1), d.fn);
    cache.decode(bytes(1), d.fn);
    expect(d.calls()).toBe(2);
  });
});
