import { ChainError } from '../types/errors.js';
import { memoryStore } from './cache-kv.js';
import { PrefixKV } from './prefix-kv.js';
import { MAX_KEY_BYTES } from './types.js';

describe('PrefixKV', () => {
  const prefix = new TextEncoder().encode('mod/');
  const longest = new Uint8Array(MAX_KEY_BYTES - prefix.length);
  const tooLong = new Uint8Array(MAX_KEY_BYTES - prefix.length + 1);

  it('accepts full keys up to MAX_KEY_BYTES and refuses longer ones with invalid request (18), for every access', () => {
    const root = memoryStore();
    const kv = new PrefixKV(root, prefix);
    kv.set(longest, Uint8Array.of(1));
    expect(kv.get(longest)).toEqual(Uint8Array.of(1));
    expect([...kv.iterator(longest, undefined)]).toHaveLength(1);
    const accesses: (() => unknown)[] = [
      () => kv.get(tooLong),
      () => kv.has(tooLong),
      () => kv.set(tooLong, Uint8Array.of(1)),
      () => kv.delete(tooLong),
      () => [...kv.iterator(tooLong, undefined)],
      () => [...kv.iterator(undefined, tooLong)],
    ];
    for (const access of accesses) {
      let caught: unknown;
      try {
        access();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ChainError);
      expect(caught).toMatchObject({
        codespace: 'sdk',
        code: 18,
        message: expect.stringContaining(`store key of ${MAX_KEY_BYTES + 1} bytes is longer than the limit of ${MAX_KEY_BYTES} bytes`),
      });
    }
    expect(root.size).toBe(1);
  });
});
