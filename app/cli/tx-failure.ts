import { BaseError } from '../types/base-error.js';

/** Where a tx was refused: by Simulate (fee "auto"), by CheckTx (mempool), or in its block. */
export type TxStage = 'simulation' | 'check' | 'delivery';

/**
 * A tx the chain refused, with the result code, codespace and log the chain gave. Its own file,
 * free of cosmjs, so that commands can name it without importing the signing client.
 */
export class TxFailure extends BaseError {
  constructor(
    readonly stage: TxStage,
    readonly code: number,
    readonly codespace: string,
    readonly log: string,
    readonly txhash?: string,
  ) {
    super(`tx failed in ${stage}${txhash ? ` (txhash ${txhash})` : ''}: code ${code}, codespace ${codespace || '""'}: ${log}`);
  }
}
