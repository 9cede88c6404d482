import type { AnteHandler } from '../../../app/baseapp/tx-types.js';
import type { AminoJsonCodec } from '../../../app/codec/amino-json.js';
import type { SignatureCache } from '../../../app/crypto/signature-cache.js';
import type { ChainConfig } from '../../../app/types/chain-config.js';
import type { FeeCollector } from '../expected-keepers.js';
import type { AuthKeeper } from '../keeper.js';
import { checkGasLimit, checkSignatureCount, checkTimeouts, consumeTxSizeGas, validateMemo } from './basic.js';
import { deductFee } from './fee.js';
import { processSigners } from './signatures.js';

export interface AnteOptions {
  readonly accounts: AuthKeeper;
  /** Takes the fee into the fee collector (the tokens keeper). */
  readonly fees: FeeCollector;
  readonly config: ChainConfig;
  /**
   * Signatures already verified (e.g. in CheckTx, or ahead of execution by the parallel executor);
   * a hit skips only the curve operation — gas, sequence and pubkey checks still run.
   */
  readonly signatureCache?: SignatureCache;
  /**
   * The amino JSON of the chain's Msgs, for SIGN_MODE_LEGACY_AMINO_JSON signatures; read on first
   * use (it needs the final module list). Without it only SIGN_MODE_DIRECT is accepted.
   */
  readonly aminoJson?: () => AminoJsonCodec;
}

/**
 * The ante chain, in the Cosmos SDK's order (x/auth/ante/ante.go NewAnteHandler). The stateless
 * tx checks (extension options, messages, signature counts, Msg validateBasic) already ran in the
 * tx decoder; the gas meter is set up by baseapp (limit = fee.gas_limit, infinite in simulate).
 *
 *   memo length → timeout height/timestamp → signature count → gas limit → tx size gas →
 *   fee check + collection (first signer pays) → per signer: account, pubkey, sequence,
 *   signature gas, signature, sequence increment.
 *
 * Runs on a branch that baseapp keeps even if the messages fail (fee paid, sequence bumped) and
 * drops if the ante throws; so it may throw at any point.
 */
export function createAnteHandler(options: AnteOptions): AnteHandler {
  const { accounts, fees, signatureCache, aminoJson } = options;
  if (accounts.config.bech32Prefix !== options.config.bech32Prefix) {
    throw new Error(`auth keeper uses prefix "${accounts.config.bech32Prefix}" but the ante config "${options.config.bech32Prefix}"`);
  }
  return (ctx, tx, simulate) => {
    const params = accounts.getParams(ctx);
    validateMemo(tx, params);
    checkTimeouts(ctx, tx);
    checkSignatureCount(tx, params);
    const gasLimit = checkGasLimit(tx, simulate);
    consumeTxSizeGas(ctx, tx, params, simulate);
    deductFee(ctx, tx, params, gasLimit, simulate, accounts, fees);
    processSigners(ctx, tx, params, simulate, accounts, signatureCache, aminoJson);
  };
}
