/**
 * Sends pre-signed txs over CometBFT RPC from `connections` concurrent loops, either at a fixed
 * target rate (tx i is due at start + i/rate) or open-loop (each loop sends its next tx as soon as
 * the previous one is answered). A "mempool is full" answer is not a loss: the same tx is retried
 * after a short pause, so open-loop means "as fast as the node accepts". Any other CheckTx
 * rejection is final and counted by reason.
 */
import { RpcAnswerError, RpcPool } from './rpc.js';

export type BroadcastMode = 'sync' | 'async';

export interface SubmitOptions {
  readonly rpc: string;
  readonly mode: BroadcastMode;
  readonly connections: number;
  /** Target txs per second; 0 = open-loop. */
  readonly rate: number;
  /** Stop starting new sends after this long (ms); unsent txs are reported as not sent. */
  readonly maxDurationMs?: number;
  readonly onProgress?: (sent: number) => void;
}

export interface SubmitResult {
  /** Wall-clock ms (epoch) of the last send attempt of tx i; NaN if never sent. */
  readonly sentAt: Float64Array;
  /** True if CheckTx (sync) or the RPC (async) accepted tx i. */
  readonly accepted: Uint8Array;
  readonly sent: number;
  readonly acceptedCount: number;
  /** Final rejections by reason ("code N: log" with digits masked). */
  readonly rejections: Record<string, number>;
  readonly mempoolFullRetries: number;
  readonly startedAt: number;
  readonly endedAt: number;
}

const MEMPOOL_FULL = /mempool is full/i;
const RETRY_PAUSE_MS = 20;

export const nowMs = (): number => performance.timeOrigin + performance.now();

export async function submit(txs: readonly Uint8Array[], options: SubmitOptions): Promise<SubmitResult> {
  const pool = new RpcPool(options.rpc, options.connections);
  const method = options.mode === 'sync' ? 'broadcast_tx_sync' : 'broadcast_tx_async';
  const sentAt = new Float64Array(txs.length).fill(Number.NaN);
  const accepted = new Uint8Array(txs.length);
  const rejections: Record<string, number> = {};
  let next = 0;
  let sent = 0;
  let acceptedCount = 0;
  let retries = 0;
  const startedAt = nowMs();
  const stopAt = options.maxDurationMs ? startedAt + options.maxDurationMs : Infinity;
  const reject = (reason: string) => {
    const key = reason.replace(/\d+/g, '#').slice(0, 120);
    rejections[key] = (rejections[key] ?? 0) + 1;
  };

  const loop = async () => {
    for (;;) {
      const i = next++;
      if (i >= txs.length) return;
      if (options.rate > 0) {
        const due = startedAt + (i * 1000) / options.rate;
        const wait = due - nowMs();
        if (wait > 1) await sleep(wait);
      }
      if (nowMs() >= stopAt) {
        next = txs.length;
        return;
      }
      const tx = Buffer.from(txs[i]!.buffer, txs[i]!.byteOffset, txs[i]!.byteLength).toString('base64');
      for (;;) {
        sentAt[i] = nowMs();
        try {
          const r = await pool.call<{ code: number; log: string; codespace?: string }>(method, { tx });
          if (r.code === 0) {
            accepted[i] = 1;
            acceptedCount++;
          } else {
            reject(`code ${r.codespace ? `${r.codespace}/` : ''}${r.code}: ${r.log}`);
          }
          break;
        } catch (err) {
          const message = (err as Error).message;
          if (err instanceof RpcAnswerError && MEMPOOL_FULL.test(message) && nowMs() < stopAt) {
            retries++;
            await sleep(RETRY_PAUSE_MS);
            continue;
          }
          reject(err instanceof RpcAnswerError ? `rpc: ${message}` : `transport: ${message}`);
          break;
        }
      }
      sent++;
      options.onProgress?.(sent);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.connections) }, loop));
  } finally {
    pool.close();
  }
  return { sentAt, accepted, sent, acceptedCount, rejections, mempoolFullRetries: retries, startedAt, endedAt: nowMs() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
