import { composeChain, type ComposedChain } from '../app.js';
import { Router } from '../baseapp/router.js';
import { decodeFailure, runTx, type TxResult } from '../baseapp/run-tx.js';
import { DEFAULT_MAX_TX_BYTES, decodeTx } from '../baseapp/tx-decoder.js';
import type { DecodedTx } from '../baseapp/tx-types.js';
import type { BlockTask } from './types.js';

/**
 * How FinalizeBlock's tx runner reaches the executor's worker threads — the template for baseapp
 * (used by this folder's tests with the default chain). A worker imports this module and calls
 * `deliverTask(payload)`: it rebuilds the same wiring as the node (modules, router, ante — once
 * per thread, immutable) and runs each tx exactly as BaseApp.finalizeBlock does: decode (lazily,
 * only the txs this thread executes), then `runTx` in deliver mode on the executor's view.
 *
 * Everything a tx's result depends on must be in the payload or in the immutable wiring: the
 * header, the raw txs, and (not here yet) the signatures verified ahead of execution, which a
 * worker adds to its own signature cache before running anything.
 */
export interface DeliverPayload {
  chainId: string;
  height: number;
  /** Block time, ms since the epoch (structured clone keeps Dates too; a number is explicit). */
  timeMs: number;
  txs: Uint8Array[];
  maxTxBytes?: number;
  /** Signature-cache keys (signatureCacheKey) verified on the pool before execution. */
  verifiedSignatures?: string[];
}

let wiring: { chain: ComposedChain; router: Router } | undefined;

export function deliverTask(payload: DeliverPayload): BlockTask<TxResult> {
  wiring ??= (() => {
    const chain = composeChain();
    return { chain, router: new Router(chain.modules) };
  })();
  const { chain, router } = wiring;
  for (const key of payload.verifiedSignatures ?? []) chain.signatureCache.add(key);
  const header = { chainId: payload.chainId, height: payload.height, time: new Date(payload.timeMs) };
  const decoded: (DecodedTx | TxResult | undefined)[] = new Array(payload.txs.length);
  const decodeAt = (i: number): DecodedTx | TxResult => {
    let tx = decoded[i];
    if (tx === undefined) {
      try {
        tx = decodeTx(payload.txs[i]!, (url) => router.handler(url), payload.maxTxBytes ?? DEFAULT_MAX_TX_BYTES, router.schemas);
      } catch (err) {
        tx = decodeFailure(err);
      }
      decoded[i] = tx;
    }
    return tx;
  };
  return {
    count: payload.txs.length,
    run(index, view) {
      const tx = decodeAt(index);
      if ((tx as DecodedTx).raw === undefined) return tx as TxResult;
      return runTx({ header, mode: 'deliver', ante: chain.ante, txIndex: index }, tx as DecodedTx, view);
    },
  };
}
