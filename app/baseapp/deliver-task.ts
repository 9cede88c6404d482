import type { SignatureCache } from '../crypto/signature-cache.js';
import type { BlockTask } from '../exec/types.js';
import type { Module } from '../types/module.js';
import { Router } from './router.js';
import { decodeFailure, runTx, type TxResult } from './run-tx.js';
import { DEFAULT_MAX_TX_BYTES, decodeTx } from './tx-decoder.js';
import type { AnteHandler, DecodedTx } from './tx-types.js';

/**
 * How FinalizeBlock's tx runner reaches the parallel executor's worker threads. A worker imports
 * a chain's task module (the stock chain's is app/chain-task.ts) and calls its `deliverTask(payload)`,
 * made here by `deliverTaskFor` from that chain's wiring: the same modules, router and ante as the
 * node's BaseApp (built once per thread, immutable), each tx run exactly as BaseApp.finalizeBlock
 * runs it: decoded (lazily, only the txs this thread executes), then `runTx` in deliver mode on
 * the executor's view.
 *
 * Everything a tx's result depends on must be in the payload or in the immutable wiring: the
 * header, the raw txs, and the signatures verified ahead of execution, which a worker adds to its
 * own signature cache before running anything.
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

/** What a worker needs of a chain's composition to run its txs. */
export interface DeliverWiring {
  readonly modules: readonly Module[];
  readonly ante: AnteHandler;
  readonly signatureCache: SignatureCache;
}

/** A task module's `deliverTask`, over the chain `compose` builds (once, on first use in the thread). */
export function deliverTaskFor(compose: () => DeliverWiring): (payload: DeliverPayload) => BlockTask<TxResult> {
  let wiring: { chain: DeliverWiring; router: Router } | undefined;
  return (payload) => {
    wiring ??= (() => {
      const chain = compose();
      return { chain, router: new Router(chain.modules) };
    })();
    return blockTask(wiring.chain, wiring.router, payload);
  };
}

function blockTask(chain: DeliverWiring, router: Router, payload: DeliverPayload): BlockTask<TxResult> {
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
