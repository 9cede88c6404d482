import type { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Context } from '../types/context.js';
import type { MsgHandler } from '../types/module.js';

/** One Msg of a tx, decoded and matched to the module handler registered for its type URL. */
export interface DecodedMsg {
  readonly typeUrl: string;
  readonly value: unknown;
  readonly handler: MsgHandler;
}

/**
 * A tx decoded once from its exact bytes. The raw `bodyBytes`/`authInfoBytes` are kept because
 * the signature covers them as sent, never a re-encoding.
 */
export interface DecodedTx {
  readonly bytes: Uint8Array;
  /** sha256(bytes): the hash CometBFT indexes and cosmjs polls for. */
  readonly hash: Uint8Array;
  readonly raw: TxRaw;
  readonly body: TxBody;
  readonly authInfo: AuthInfo;
  readonly msgs: readonly DecodedMsg[];
  /** Distinct signers in order of first appearance across msgs; signer_infos[i] belongs to signers[i]. */
  readonly signers: readonly string[];
}

/**
 * The checks and charges that run before a tx's messages, on a branch that is kept even when the
 * messages fail (fee paid, sequence bumped). `simulate` skips signature verification but charges
 * the same gas, so `fee: "auto"` estimates are never short.
 */
export type AnteHandler = (ctx: Context, tx: DecodedTx, simulate: boolean) => void;
