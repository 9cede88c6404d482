import { LruSignatureCache, signatureCacheKey } from './signature-cache.js';

describe('LruSignatureCache', () => {
  it('remembers keys and evicts the least recently used beyond capacity', () => {
    const cache = new LruSignatureCache(2);
    cache.add('a');
    cache.add('b');
    expect(cache.has('a')).toBe(true); // a is now the most recent
    cache.add('c'); // evicts b
    expect(cache.has('b')).toBe(false);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('c')).toBe(true);
    expect(cache.size).toBe(2);
  });

  it('keys on hash, signer index, account number and chain id', () => {
    const hash = Uint8Array.of(0xab, 0xcd);
    const keys = new Set([
      signatureCacheKey(hash, 0, 5n, 'c'),
      signatureCacheKey(hash, 1, 5n, 'c'),
      signatureCacheKey(hash, 0, 6n, 'c'),
      signatureCacheKey(hash, 0, 5n, 'd'),
      signatureCacheKey(Uint8Array.of(0xab, 0xce), 0, 5n, 'c'),
    ]);
    expect(keys.size).toBe(5);
  });

  it('refuses a non-positive capacity', () => {
    expect(() => new LruSignatureCache(0)).toThrow(/capacity/);
  });
});
