import type { BlockRecord } from './observer.js';
import { parseRfc3339Ms } from './observer.js';
import { blockTpsSeries, latencySeries, percentile, steadyWindow } from './stats.js';

const block = (height: number, time: number, oursOk: number, ours = oursOk): BlockRecord => ({
  height,
  time,
  observedAt: time + 5,
  txs: ours,
  ok: oursOk,
  ours,
  oursOk,
  oursEvents: 0,
  oursIndexedAttributes: 0,
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile(xs, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('steadyWindow', () => {
  // 1 block per second; ours from height 3 to 12; the last one part-filled; one empty block after.
  const blocks = [
    block(1, 1000, 0),
    block(2, 2000, 0),
    ...Array.from({ length: 9 }, (_, i) => block(3 + i, 3000 + i * 1000, 100)),
    block(12, 12_000, 10),
    block(13, 13_000, 0),
  ];

  it('skips the warm-up and the last part-filled block; block h runs from time(h) to time(h+1)', () => {
    const w = steadyWindow(blocks, 2000)!;
    // first block with ours at t=3000; first at ≥ 5000 is height 5 (anchor); end = height 11.
    expect(w).toMatchObject({ fromHeight: 5, toHeight: 11, blocks: 6, txs: 600, steady: true });
    expect(w.seconds).toBe(6); // time(12) - time(6)
    expect([w.startMs, w.endMs]).toEqual([6000, 12_000]);
    expect(w.tps).toBe(100);
  });

  it('a big block is charged the time it took, not the time before it', () => {
    // Block 2 carries 1000 txs and takes 4 s (block 3 is proposed 4 s after block 2).
    const w = steadyWindow([block(1, 0, 0), block(2, 500, 1000), block(3, 4500, 0)], 5000)!;
    expect(w).toMatchObject({ fromHeight: 1, toHeight: 2, txs: 1000, steady: false });
    expect(w.tps).toBe(250);
  });

  it('is undefined when none of our txs were committed, or no block anchors or ends them', () => {
    expect(steadyWindow([block(1, 0, 0), block(2, 1000, 0)], 0)).toBeUndefined();
    expect(steadyWindow([block(1, 0, 300), block(2, 1000, 0)], 0)).toBeUndefined();
    expect(steadyWindow([block(1, 0, 0), block(2, 1000, 300)], 0)).toBeUndefined();
  });
});

describe('series', () => {
  it('per-block TPS uses the time until the next block', () => {
    expect(blockTpsSeries([block(1, 1000, 50), block(2, 1500, 0)], 1000)).toEqual([{ t: 0.5, tps: 100, height: 1 }]);
  });
  it('latency is bucketed by commit second, skipping uncommitted txs', () => {
    const sent = Float64Array.from([0, 100, 200, 300]);
    const committed = Float64Array.from([500, 700, Number.NaN, 1600]);
    expect(latencySeries(sent, committed, 0)).toEqual([
      { t: 0, p50: 500, p95: 600, count: 2 },
      { t: 1, p50: 1300, p95: 1300, count: 1 },
    ]);
  });
});

describe('parseRfc3339Ms', () => {
  it('reads CometBFT nanosecond times', () => {
    expect(parseRfc3339Ms('2026-11-24T06:05:18.123456789Z')).toBe(Date.UTC(2026, 10, 24, 6, 5, 18, 123));
    expect(parseRfc3339Ms('2026-11-24T06:05:18Z')).toBe(Date.UTC(2026, 10, 24, 6, 5, 18));
    expect(() => parseRfc3339Ms('yesterday')).toThrow(/RFC 3339/);
  });
});
