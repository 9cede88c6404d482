/** The CometBFT RPC calls a node operator needs: status, broadcast, waiting for a height (over app/rpc's one client). */
import { rpcCall } from '../rpc/json-rpc.js';
import type { CometbftProcess } from './cometbft-process.js';
import { LOCALHOST } from './ports.js';

export { RpcAnswerError, RpcError, RpcTransportError, rpcCall } from '../rpc/json-rpc.js';

export function rpcUrlForPort(port: number): string {
  return `http://${LOCALHOST}:${port}`;
}

export interface NodeStatus {
  node_info: { id: string; network: string; version: string; moniker: string };
  sync_info: { latest_block_height: string; latest_app_hash: string; catching_up: boolean };
}

export async function fetchStatus(rpcUrl: string, timeoutMs = 2000): Promise<NodeStatus> {
  return rpcCall<NodeStatus>(rpcUrl, 'status', {}, timeoutMs);
}

/** `broadcast_tx_sync`: the CheckTx verdict and the tx hash (hex). */
export async function broadcastTxSync(
  rpcUrl: string,
  tx: Uint8Array,
): Promise<{ code: number; data: string; log: string; codespace: string; hash: string }> {
  return rpcCall(rpcUrl, 'broadcast_tx_sync', { tx: Buffer.from(tx).toString('base64') });
}

export interface WaitOptions {
  /** Fail fast (with the log tail) if this process exits while we wait. */
  process?: CometbftProcess;
  intervalMs?: number;
}

/**
 * Polls `/status` until the latest block height is at least `height`; returns that height.
 * Bounded: throws after `timeoutMs` with the last height seen (and the node's log tail, if known).
 */
export async function waitForHeight(rpcUrl: string, height: number, timeoutMs: number, options: WaitOptions = {}): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const interval = options.intervalMs ?? 100;
  let lastHeight: number | undefined;
  let lastError: unknown;
  for (;;) {
    const proc = options.process;
    if (proc && !proc.running) {
      throw new Error(
        `CometBFT exited (${JSON.stringify(proc.exit)}) while waiting for height ${height} ` +
          `(last seen ${lastHeight ?? 'none'}). Log tail:\n${await proc.logTail()}`,
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    try {
      const status = await fetchStatus(rpcUrl, Math.max(100, Math.min(2000, remaining)));
      lastHeight = Number(status.sync_info.latest_block_height);
      if (lastHeight >= height) return lastHeight;
    } catch (err) {
      lastError = err; // not up yet, or busy
    }
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
  }
  const tail = options.process ? `\nLog tail:\n${await options.process.logTail()}` : '';
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for height ${height} at ${rpcUrl} ` +
      `(last seen ${lastHeight ?? 'none'}${lastError && lastHeight === undefined ? `; last error: ${(lastError as Error).message}` : ''})${tail}`,
  );
}
