import { planTxs } from './plan.js';

describe('planTxs', () => {
  it('sends in rounds: every sender once per round, sequence offset = round', () => {
    const p = planTxs('transfer', 25, 10, 3);
    for (let r = 0; r < 3; r++) {
      const senders = new Set(Array.from(p.from.subarray(r * 10, r * 10 + 10)));
      if (r < 2) expect(senders.size).toBe(10);
    }
    p.round.forEach((round, i) => expect(round).toBe(Math.floor(i / 10)));
    // The same sender order in each round, so an account's txs are `senders` sends apart.
    expect(Array.from(p.from.subarray(10, 20))).toEqual(Array.from(p.from.subarray(0, 10)));
  });

  it('transfer never sends to itself or the hot account; hot always to the hot account', () => {
    const t = planTxs('transfer', 2000, 50);
    t.from.forEach((f, i) => {
      expect(t.to[i]).not.toBe(f);
      expect(t.to[i]).toBeLessThan(50);
    });
    const h = planTxs('hot', 100, 50);
    expect(new Set(h.to)).toEqual(new Set([50]));
    expect(h.hotIndex).toBe(50);
  });

  it('mixed is about half hot, and deterministic per seed', () => {
    const m = planTxs('mixed', 4000, 100, 9);
    const hot = m.to.filter((x) => x === m.hotIndex).length;
    expect(hot).toBeGreaterThan(1800);
    expect(hot).toBeLessThan(2200);
    expect(planTxs('mixed', 4000, 100, 9)).toEqual(m);
    expect(planTxs('mixed', 4000, 100, 10).to).not.toEqual(m.to);
  });

  it('drug ships between senders only, and every (sender, round) — the unit shipped — is used once', () => {
    const d = planTxs('drug', 1234, 100, 5);
    const seen = new Set<string>();
    d.from.forEach((f, i) => {
      expect(d.to[i]).not.toBe(f);
      expect(d.to[i]).toBeLessThan(100);
      seen.add(`${f}/${d.round[i]}`);
    });
    expect(seen.size).toBe(1234);
    // A sender's rounds are 0..n-1 with no gap, so it needs exactly n units at genesis.
    const maxRound = new Map<number, number>();
    const count = new Map<number, number>();
    d.from.forEach((f, i) => {
      maxRound.set(f, Math.max(maxRound.get(f) ?? -1, d.round[i]!));
      count.set(f, (count.get(f) ?? 0) + 1);
    });
    for (const [f, n] of count) expect(maxRound.get(f)).toBe(n - 1);
  });

  it('rejects nonsense sizes', () => {
    expect(() => planTxs('transfer', 0, 10)).toThrow(/txs/);
    expect(() => planTxs('transfer', 10, 1)).toThrow(/accounts/);
  });
});
