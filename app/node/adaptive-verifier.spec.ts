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

const batch = (n: number) =>
  Array.from({ length: n }, () => ({ pubkey: new Uint8Array(33), msgHash: new Uint8Array(32), sig: new Uint8Array(64) }));

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

  it('checks a CheckTx batch ahead only while learning, when the pool halves the time, and to re-time it now and then', () => {
    const slow = setup(0.3, 0.1);
    const asked = (v: AdaptiveVerifier) => {
      const ahead = v.worthCheckingAhead(10);
      if (ahead) v.verify(batch(10));
      return ahead;
    };
    const answers = Array.from({ length: 64 }, () => asked(slow.verifier));
    expect(answers.slice(0, 2)).toEqual([true, true]); // timing the pool, then this thread
    const later = answers.slice(2).filter(Boolean).length;
    expect(later).toBeGreaterThanOrEqual(3); // every 16th: a pool re-timing
    expect(later).toBeLessThanOrEqual(5);
    expect(slow.calls.pool).toBe(1 + later);

    const fast = setup(0.02, 0.05);
    expect(Array.from({ length: 32 }, () => asked(fast.verifier)).every(Boolean)).toBe(true);
    const marginal = setup(0.03, 0.05); // faster, but not twice as fast
    expect(Array.from({ length: 32 }, () => asked(marginal.verifier)).filter(Boolean).length).toBeLessThan(6);
  });
});
