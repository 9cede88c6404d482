/** Pure arithmetic over what the observer recorded: steady-window TPS, latency percentiles, series. */
import type { BlockRecord } from './observer.js';

/** Median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for none. */
export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface SteadyWindow {
  /** Blocks (fromHeight, toHeight]: the txs of toHeight count, those of fromHeight do not. */
  readonly fromHeight: number;
  readonly toHeight: number;
  readonly blocks: number;
  readonly seconds: number;
  /** Successful txs of this run committed in the window. */
  readonly txs: number;
  /** txs / seconds, by block header times. */
  readonly tps: number;
  /**
   * When the window began and ended (ms since epoch, block header times): lets concurrent runs on
   * other chains (zones) check that their windows overlap.
   */
  readonly startMs: number;
  readonly endMs: number;
  /** False when the run was too short for a window after warm-up (then the whole load is used). */
  readonly steady: boolean;
}

/**
 * Committed TPS in the steady part of the load: from the first block at least `warmupMs` after
 * the first block carrying our txs, to the block before the last one carrying our txs (the last
 * one is usually part-filled). A block's header time is when it was proposed, right after the
 * previous block was committed, so block h ran from time(h) to time(h+1): TPS = successful txs of
 * blocks a+1..b over time(b+1) - time(a+1).
 */
export function steadyWindow(blocks: readonly BlockRecord[], warmupMs: number): SteadyWindow | undefined {
  const withOurs = blocks.filter((b) => b.ours > 0);
  if (withOurs.length === 0) return undefined;
  const first = withOurs[0]!;
  const last = withOurs[withOurs.length - 1]!;
  const idx = (h: number) => blocks.findIndex((b) => b.height === h);
  let a = blocks.findIndex((b) => b.time >= first.time + warmupMs && b.height < last.height);
  let b = idx(last.height) - 1;
  let steady = true;
  if (a < 0 || b - a < 2) {
    // Too short for a steady window: count every block with our txs.
    a = idx(first.height) - 1;
    b = idx(last.height);
    steady = false;
  }
  // Block b must have a successor to know when it ended.
  if (a < 0 || b + 1 >= blocks.length || b <= a) return undefined;
  const seconds = (blocks[b + 1]!.time - blocks[a + 1]!.time) / 1000;
  if (seconds <= 0) return undefined;
  let txs = 0;
  for (let i = a + 1; i <= b; i++) txs += blocks[i]!.oursOk;
  return {
    fromHeight: blocks[a]!.height,
    toHeight: blocks[b]!.height,
    blocks: b - a,
    seconds,
    txs,
    tps: txs / seconds,
    startMs: blocks[a + 1]!.time,
    endMs: blocks[b + 1]!.time,
    steady,
  };
}

/** Per block: successful txs of this run over the block's time (its header time to the next one's). */
export function blockTpsSeries(blocks: readonly BlockRecord[], t0: number): { t: number; tps: number; height: number }[] {
  const out: { t: number; tps: number; height: number }[] = [];
  for (let i = 0; i + 1 < blocks.length; i++) {
    const dt = (blocks[i + 1]!.time - blocks[i]!.time) / 1000;
    if (dt <= 0) continue;
    out.push({ t: (blocks[i + 1]!.time - t0) / 1000, tps: blocks[i]!.oursOk / dt, height: blocks[i]!.height });
  }
  return out;
}

/** Latency p50/p95 of txs grouped by the second (since t0) their block was observed in. */
export function latencySeries(
  sentAt: Float64Array,
  committedAt: Float64Array,
  t0: number,
): { t: number; p50: number; p95: number; count: number }[] {
  const buckets = new Map<number, number[]>();
  for (let i = 0; i < sentAt.length; i++) {
    const c = committedAt[i]!;
    if (Number.isNaN(c) || Number.isNaN(sentAt[i]!)) continue;
    const sec = Math.floor((c - t0) / 1000);
    let list = buckets.get(sec);
    if (!list) buckets.set(sec, (list = []));
    list.push(c - sentAt[i]!);
  }
  return [...buckets.entries()]
    .sort(([x], [y]) => x - y)
    .map(([t, list]) => ({ t, p50: percentile(list, 50), p95: percentile(list, 95), count: list.length }));
}
