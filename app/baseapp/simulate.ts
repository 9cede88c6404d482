import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Tx } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ChainError, ErrInvalidRequest, toChainError } from '../types/errors.js';
import { defineQuery } from '../types/module.js';
import type { TxResult } from './run-tx.js';

/**
 * `/cosmos.tx.v1beta1.Service/Simulate`, as cosmjs calls it for `fee: "auto"`: the tx comes as an
 * encoded `Tx` (same wire shape as TxRaw) with an empty signature.
 */
export function simulateQuery(simulate: (txBytes: Uint8Array) => TxResult) {
  return defineQuery({
    path: '/cosmos.tx.v1beta1.Service/Simulate',
    requestType: SimulateRequest,
    responseType: SimulateResponse,
    handle(_ctx, req) {
      let bytes = req.txBytes;
      if (bytes.length === 0 && req.tx) bytes = Tx.encode(req.tx).finish();
      if (bytes.length === 0) throw ErrInvalidRequest.wrap('simulate needs tx_bytes');
      let result: TxResult;
      try {
        result = simulate(bytes);
      } catch (err) {
        throw toChainError(err);
      }
      // A failing simulation is a failed query carrying the tx's own code and log.
      if (result.code !== 0) throw new ChainError(result.codespace, result.code, result.log);
      return SimulateResponse.fromPartial({
        gasInfo: { gasWanted: BigInt(result.gasWanted), gasUsed: BigInt(result.gasUsed) },
        result: { data: result.data, log: result.log, events: result.events, msgResponses: result.msgResponses },
      });
    },
  });
}
