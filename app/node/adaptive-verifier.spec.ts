import type { AnySigItem } from '../exec/signatures.js';
import { AdaptiveVerifier } from './adaptive-verifier.js';

/** A fake clock and two fake paths, each advancing the clock by its cost per signature. */
function setup(poolMsPerSig: number, inlineMsPerSig: number) {
  let t = 0;
  const calls = { pool: 0, inline: 0 };
  const path = (name: 'pool' | 'inline', ms: number) => (items: readonly AnySigItem[]) => {
    calls[name]++;
    t += ms * items.length;
    return items.map((_, i) => i % 2 === 0);
  };
  const verifier = new AdaptiveVerifier(path('pool', poolMsPerSig), path('inline', inlineMsPerSig), () => t);
  return { verifier, calls };
}

const batch = (n: number) => Array.from({ length: n }, () => ({ pubkey: new Uint8Array(33), msgHash: new Uint8Array(32), sig: new Uint8Array(64) }));

describe('AdaptiveVerifier', () => {
  it('settles on the faster path, still timing the other now and then, with the same answers either way', () => {
    const { verifier, calls } = setup(0.3, 0.1); // a busy machine: the pool round trip is slow
    for (let i = 0; i < 64; i++) expect(verifier.verify(batch(10))).toEqual(batch(10).map((_, j) => j % 2 === 0));
    expect(calls.pool).toBeGreaterThanOrEqual(2); // the first batch, then every 16th
    expect(calls.pool).toBeLessThanOrEqual(6);
    expect(calls.inline).toBe(64 - calls.pool);
  });

  it('prefers the pool when it is faster, and judges batch sizes apart', () => {
    const { verifier, calls } = setup(0.02, 0.05);
    for (let i = 0; i < 32; i++) verifier.verify(batch(100));
    expect(calls.inline).toBeLessThanOrEqual(3);
    const before = { ...calls };
    verifier.verify(batch(2)); // a new size class: nothing known yet, the pool is tried first
    verifier.verify(batch(2)); // then this thread
    expect(calls.pool - before.pool).toBe(1);
    expect(calls.inline - before.inline).toBe(1);
  });

  it('calls nothing for an empty batch', () => {
    const { verifier, calls } = setup(1, 1);
    expect(verifier.verify([])).toEqual([]);
    expect(calls).toEqual({ pool: 0, inline: 0 });
  });
});
