/**
 * Watches the chain, not our own sends: polls `block_results` for the next height (the moment a
 * block's results exist is when its txs are committed and executed), then reads that block for its
 * header time and tx bytes. Our txs are recognised by hash, so each gets its commit height, its
 * result code and a submit-to-commit latency.
 */
import { RpcAnswerError, RpcPool } from './rpc.js';
import { nowMs, sleep } from './submitter.js';
import { txHash } from './txs.js';

export interface BlockRecord {
  readonly height: number;
  /** Header time (ms since epoch), from the chain. */
  readonly time: number;
  /** When the observer first saw this block's results (ms since epoch, ±poll interval). */
  readonly observedAt: number;
  /** All txs in the block, and those that succeeded (code 0). */
  readonly txs: number;
  readonly ok: number;
  /** Txs of this run in the block, and those that succeeded. */
  readonly ours: number;
  readonly oursOk: number;
  /** Over this run's txs in the block: events in their results, and attributes flagged for indexing. */
  readonly oursEvents: number;
  readonly oursIndexedAttributes: number;
}

interface TxResult {
  code: number;
  events?: { attributes?: { index?: boolean }[] | null }[] | null;
}
interface BlockResults {
  height: string;
  txs_results: TxResult[] | null;
}
interface BlockResponse {
  block: { header: { time: string }; data: { txs: string[] | null } };
}

export class ChainObserver {
  readonly blocks: BlockRecord[] = [];
  /** Tx index → commit height (0 = not seen), result code, time its block was observed. */
  readonly height: Int32Array;
  readonly code: Int32Array;
  readonly committedAt: Float64Array;
  private readonly byHash = new Map<string, number>();
  private readonly pool: RpcPool;
  private stopped = false;
  private running: Promise<void> | undefined;
  private nextHeight = 0;
  private lastError: unknown;
  found = 0;

  constructor(
    readonly rpc: string,
    txs: readonly Uint8Array[],
    private readonly pollMs = 20,
  ) {
    txs.forEach((tx, i) => this.byHash.set(txHash(tx), i));
    this.height = new Int32Array(txs.length);
    this.code = new Int32Array(txs.length).fill(-1);
    this.committedAt = new Float64Array(txs.length).fill(Number.NaN);
    this.pool = new RpcPool(rpc, 4);
  }

  /**
   * Starts watching from the current block: it holds none of our txs (nothing is sent yet) and
   * anchors the time of the first block that does.
   */
  async start(): Promise<void> {
    const status = await this.pool.call<{ sync_info: { latest_block_height: string } }>('status', {});
    this.nextHeight = Math.max(1, Number(status.sync_info.latest_block_height));
    this.running = this.run();
  }

  get latestHeight(): number {
    return this.nextHeight - 1;
  }

  /** Resolves once the block at `height` has been recorded (or throws after `timeoutMs`). */
  async waitForHeight(height: number, timeoutMs: number): Promise<void> {
    const deadline = nowMs() + timeoutMs;
    while (this.nextHeight <= height) {
      if (nowMs() > deadline)
        throw new Error(`no block ${height} within ${timeoutMs} ms (last error: ${String(this.lastError ?? 'none')})`);
      await sleep(this.pollMs);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    this.pool.close();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const h = this.nextHeight;
      let results: BlockResults;
      try {
        results = await this.pool.call<BlockResults>('block_results', { height: String(h) });
      } catch (err) {
        // "must be less than or equal to the current blockchain height": not there yet.
        if (!(err instanceof RpcAnswerError)) this.lastError = err;
        await sleep(this.pollMs);
        continue;
      }
      const observedAt = nowMs();
      const block = await this.fetchBlock(h);
      this.record(h, observedAt, block, results.txs_results ?? []);
      this.nextHeight = h + 1;
    }
  }

  private async fetchBlock(h: number): Promise<BlockResponse> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.pool.call<BlockResponse>('block', { height: String(h) });
      } catch (err) {
        if (attempt >= 50) throw err;
        await sleep(this.pollMs);
      }
    }
  }

  private record(height: number, observedAt: number, block: BlockResponse, results: TxResult[]): void {
    const txs = block.block.data.txs ?? [];
    let ok = 0;
    let ours = 0;
    let oursOk = 0;
    let oursEvents = 0;
    let oursIndexedAttributes = 0;
    txs.forEach((b64, j) => {
      const code = results[j]?.code ?? 0;
      if (code === 0) ok++;
      const i = this.byHash.get(txHash(Buffer.from(b64, 'base64')));
      if (i === undefined || this.height[i] !== 0) return;
      ours++;
      if (code === 0) oursOk++;
      for (const event of results[j]?.events ?? []) {
        oursEvents++;
        for (const attribute of event.attributes ?? []) if (attribute.index) oursIndexedAttributes++;
      }
      this.height[i] = height;
      this.code[i] = code;
      this.committedAt[i] = observedAt;
      this.found++;
    });
    this.blocks.push({
      height,
      time: parseRfc3339Ms(block.block.header.time),
      observedAt,
      txs: txs.length,
      ok,
      ours,
      oursOk,
      oursEvents,
      oursIndexedAttributes,
    });
  }
}

/** RFC 3339 with up to nanoseconds (CometBFT's format) → ms since epoch (sub-ms digits dropped). */
export function parseRfc3339Ms(time: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) throw new Error(`not an RFC 3339 time: ${time}`);
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  return Date.parse(`${m[1]}.${ms}${m[3]}`);
}
