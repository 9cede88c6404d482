import { serializeSignDoc, type StdFee, type StdSignDoc } from '@cosmjs/amino';
import type { DecodedTx } from '../baseapp/tx-types.js';
import { AminoJsonError, type AminoJsonCodec } from '../codec/amino-json.js';
import { ErrInvalidRequest } from '../types/errors.js';

/**
 * The bytes a SIGN_MODE_LEGACY_AMINO_JSON signature covers: the SDK's StdSignDoc
 * `{account_number, chain_id, fee{amount, gas, payer?, granter?}, memo, msgs, sequence,
 * timeout_height?}` as compact JSON with sorted keys and `&<>` escaped — @cosmjs/amino's
 * `serializeSignDoc`, so a cosmjs amino signer and the chain build the same bytes.
 *
 * The doc covers less of the tx than SIGN_MODE_DIRECT's, so a tx whose body carries what it
 * cannot cover is refused (ErrInvalidRequest) rather than left unsigned: non-critical extension
 * options (as the SDK refuses them) and a timeout timestamp. A Msg without an amino name is
 * refused the same way.
 */
export function makeAminoSignBytes(
  tx: DecodedTx,
  codec: AminoJsonCodec,
  chainId: string,
  accountNumber: bigint,
  sequence: bigint,
): Uint8Array {
  const { body, authInfo } = tx;
  if (body.nonCriticalExtensionOptions.length > 0) {
    throw ErrInvalidRequest.wrap('SIGN_MODE_LEGACY_AMINO_JSON does not support protobuf extension options');
  }
  if (body.timeoutTimestamp) {
    throw ErrInvalidRequest.wrap('SIGN_MODE_LEGACY_AMINO_JSON sign bytes do not cover timeout_timestamp; sign with SIGN_MODE_DIRECT');
  }
  let msgs;
  try {
    msgs = tx.msgs.map((m) => codec.toAmino(m.typeUrl, m.value));
  } catch (err) {
    if (err instanceof AminoJsonError) throw ErrInvalidRequest.wrap(`SIGN_MODE_LEGACY_AMINO_JSON: ${err.message}`);
    throw err;
  }
  const fee = authInfo.fee;
  const stdFee: StdFee = {
    amount: (fee?.amount ?? []).map((c) => ({ denom: c.denom, amount: c.amount })),
    gas: (fee?.gasLimit ?? 0n).toString(),
    ...(fee?.payer ? { payer: fee.payer } : {}),
    ...(fee?.granter ? { granter: fee.granter } : {}),
  };
  const doc: StdSignDoc = {
    account_number: accountNumber.toString(),
    chain_id: chainId,
    fee: stdFee,
    memo: body.memo,
    msgs,
    sequence: sequence.toString(),
    ...(body.timeoutHeight > 0n ? { timeout_height: body.timeoutHeight.toString() } : {}),
  };
  return serializeSignDoc(doc);
}
