import { verifyItem, type AnySigItem } from '../exec/signatures.js';

type Verify = (items: readonly AnySigItem[]) => boolean[];

/** Batch sizes are judged apart: a pool round trip costs about the same for 2 signatures as for 40. */
const SIZE_CLASSES = [4, 16, 64] as const;

/** Every this many batches of a size class, the path not in favour is timed again. */
const EXPLORE_EVERY = 16;

/** Weight of the newest timing in the running mean. */
const ALPHA = 0.25;

/**
 * Checking a CheckTx batch's signatures ahead pays only if the pool at least halves their time:
 * building the checks reads every signer's account a second time (the ante reads it again), and
 * a check left to the ante costs nothing extra.
 */
const AHEAD_MARGIN = 0.5;

interface PathCost {
  /** Running mean of wall milliseconds per signature, or undefined before the first timing. */
  msPerSig: number | undefined;
}

/**
 * Verifies a batch of signatures either on the executor's worker pool or on this thread,
 * whichever has lately been faster for batches of that size. The pool's verify blocks this thread
 * until every share is done, and on a loaded 2-core machine (CometBFT, the load generator) a
 * sleeping worker can take milliseconds to be scheduled, longer than verifying a mempool burst
 * here (measured: 16 secp256k1 checks took 4.2 ms through the pool and 1.6 ms inline at load
 * average 16; on an idle machine the pool halves them). Either path gives the same answers, so
 * the choice only moves time.
 */
export class AdaptiveVerifier {
  /** One per size class: below 4, 16, 64 signatures, and 64 or more. */
  private readonly classes = [...SIZE_CLASSES, Infinity].map(() => ({
    pool: { msPerSig: undefined } as PathCost,
    inline: { msPerSig: undefined } as PathCost,
    calls: 0,
    asked: 0,
    timePoolNext: false,
  }));

  constructor(
    private readonly pool: Verify,
    private readonly inline: Verify = (items) => items.map(verifyItem),
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Whether a CheckTx batch of about `n` signatures should have them checked ahead (through
   * `verify`) rather than one by one in the ante: yes while either path's cost is still unknown
   * and now and then to time them again, otherwise only when the pool is clearly faster.
   */
  worthCheckingAhead(n: number): boolean {
    const c = this.sizeClass(n);
    c.asked++;
    const { pool, inline } = c;
    if (pool.msPerSig === undefined || inline.msPerSig === undefined) return true;
    if (pool.msPerSig <= AHEAD_MARGIN * inline.msPerSig) return true;
    // Not worth it lately: now and then time the pool again, in case the machine got quieter.
    if (c.asked % EXPLORE_EVERY !== 0) return false;
    c.timePoolNext = true;
    return true;
  }

  verify(items: readonly AnySigItem[]): boolean[] {
    if (items.length === 0) return [];
    const usePool = this.choose(items.length);
    const started = this.now();
    const valid = usePool ? this.pool(items) : this.inline(items);
    this.record(items.length, usePool, (this.now() - started) / items.length);
    return valid;
  }

  private sizeClass(n: number) {
    const i = SIZE_CLASSES.findIndex((limit) => n < limit);
    return this.classes[i === -1 ? SIZE_CLASSES.length : i]!;
  }

  private choose(n: number): boolean {
    const c = this.sizeClass(n);
    c.calls++;
    if (c.timePoolNext) {
      c.timePoolNext = false;
      return true;
    }
    const { pool, inline } = c;
    if (pool.msPerSig === undefined) return true;
    if (inline.msPerSig === undefined) return false;
    const favourPool = pool.msPerSig <= inline.msPerSig;
    return c.calls % EXPLORE_EVERY === 0 ? !favourPool : favourPool;
  }

  private record(n: number, usePool: boolean, msPerSig: number): void {
    const cost = usePool ? this.sizeClass(n).pool : this.sizeClass(n).inline;
    cost.msPerSig = cost.msPerSig === undefined ? msPerSig : cost.msPerSig + ALPHA * (msPerSig - cost.msPerSig);
  }
}
