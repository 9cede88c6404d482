import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

/**
 * The bytes a SIGN_MODE_DIRECT signature covers: protobuf `SignDoc{body_bytes, auth_info_bytes,
 * chain_id, account_number}`, built from the RAW bytes of the tx as sent (never a re-encoding of
 * the decoded body), encoded canonically — default values omitted, so account number 0 adds no
 * field, exactly as cosmjs's `makeSignBytes` produces it.
 */
export function makeSignDocBytes(bodyBytes: Uint8Array, authInfoBytes: Uint8Array, chainId: string, accountNumber: bigint): Uint8Array {
  return SignDoc.encode({ bodyBytes, authInfoBytes, chainId, accountNumber }).finish();
}
