/** Shared constants of the main thread ↔ executor worker protocol. */

/** A module whose named export builds the block's task from a structured-cloneable payload. */
export interface TaskModuleRef {
  /** file:// URL (or specifier) the worker can `import()`. */
  url: string;
  exportName: string;
}

/** Int32 slots of the control SharedArrayBuffer. */
export const CTRL_MAIN = 0; // bumped by a worker after posting: wakes the coordinator
export const CTRL_GEN = 1; // current block generation; workers drop tasks of older ones
export function ctrlWorker(i: number): number {
  return 2 + i; // bumped by the coordinator after posting to worker i
}
export function ctrlSlots(workers: number): number {
  return 2 + workers;
}

/**
 * Waits until ctrl[idx] !== seen: spins for up to `spinMs` first, then sleeps in Atomics.wait.
 * Why spin: a sleeping thread gives its core away, and being woken costs a futex round trip
 * (~18 µs measured here on an idle machine) — and about 1 ms on a loaded one (measured: a worker
 * averaged 1.0 ms per wake-up while three other benchmarks shared the 2 cores), which is longer
 * than the gap it waits for (the coordinator refills a queue within one tx's execution time).
 */
export function spinThenWait(
  ctrl: Int32Array,
  idx: number,
  seen: number,
  spinMs: number,
  timeoutMs: number,
): 'ok' | 'not-equal' | 'timed-out' {
  const until = performance.now() + spinMs;
  do {
    if (Atomics.load(ctrl, idx) !== seen) return 'not-equal';
  } while (performance.now() < until);
  return Atomics.wait(ctrl, idx, seen, timeoutMs);
}
