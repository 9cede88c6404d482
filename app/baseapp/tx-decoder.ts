import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { coreSchemas, type MessageSchemas } from '../codec/message-schemas.js';
import { rejectUnknownFields } from '../codec/unknown-fields.js';
import { sha256 } from '../crypto/secp256k1.js';
import {
  ChainError,
  ErrInvalidRequest,
  ErrNoSignatures,
  ErrTxDecode,
  ErrTxTooLarge,
  ErrUnauthorized,
  ErrUnknownExtensionOptions,
  ErrUnknownRequest,
} from '../types/errors.js';
import type { MsgHandler } from '../types/module.js';
import { timestampProblem } from '../types/timestamp.js';
import type { DecodedMsg, DecodedTx } from './tx-types.js';

/** CometBFT's default mempool `max_tx_bytes` (1 MiB); baseapp passes its own limit. */
export const DEFAULT_MAX_TX_BYTES = 1024 * 1024;

/**
 * Decodes a tx once, from its exact bytes, the way the SDK's default tx decoder and the stateless
 * half of its ante chain do: TxRaw → TxBody → AuthInfo, each Msg resolved by type URL and decoded,
 * checked with its `validateBasic`, and the signer list built. `schemas` must know every Msg type
 * `lookup` finds (the router's schemas: the core ones plus the extra modules').
 *
 * Throws only ChainError: ErrTxTooLarge (21), ErrTxDecode (2) for bytes that are not a tx,
 * ErrUnknownRequest (6) for a Msg no module handles, ErrUnknownExtensionOptions (31),
 * ErrInvalidRequest (18), ErrNoSignatures (15), ErrUnauthorized (4), or a Msg's own error.
 */
export function decodeTx(
  bytes: Uint8Array,
  lookup: (typeUrl: string) => MsgHandler | undefined,
  maxTxBytes: number = DEFAULT_MAX_TX_BYTES,
  schemas: MessageSchemas = coreSchemas,
): DecodedTx {
  try {
    return decode(bytes, lookup, maxTxBytes, schemas);
  } catch (err) {
    if (err instanceof ChainError) throw err;
    throw ErrTxDecode.wrap(`invalid tx: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decode(
  bytes: Uint8Array,
  lookup: (typeUrl: string) => MsgHandler | undefined,
  maxTxBytes: number,
  schemas: MessageSchemas,
): DecodedTx {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw ErrTxDecode.wrap('tx bytes are empty');
  if (bytes.length > maxTxBytes) throw ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${maxTxBytes}`);

  // Unknown fields are refused at every depth, as the SDK's decoder does with RejectUnknownFields:
  // in TxRaw they would let anyone change a tx's hash without touching its signature; in the
  // signed body and auth info (Msgs, Anys inside them, fee, signer infos, public keys) they are
  // fields the signer meant but this chain would silently ignore. Only the body may carry
  // non-critical fields (bit 11 set), which ADR-020 reserves for extensions a node may ignore.
  rejectUnknownFields(bytes, schemaOf(schemas, TX_RAW), schemas, false);
  const raw = decodeOrThrow('TxRaw', () => TxRaw.decode(bytes));
  const body = decodeOrThrow('TxBody', () => TxBody.decode(raw.bodyBytes));
  // The SDK's decoder refuses a Timestamp outside 0001-01-01..9999-12-31 (stdtime); so do we.
  const timeoutProblem = body.timeoutTimestamp && timestampProblem(body.timeoutTimestamp);
  if (timeoutProblem) throw ErrTxDecode.wrap(`TxBody timeout_timestamp: ${timeoutProblem}`);

  if (body.extensionOptions.length > 0) {
    const urls = body.extensionOptions.map((o) => o.typeUrl).join(', ');
    throw ErrUnknownExtensionOptions.wrap(`extension options are not supported (${urls})`);
  }
  if (body.unordered) throw ErrInvalidRequest.wrap('unordered transactions are not supported; sign with the account sequence');
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap('must contain at least one message');
  const handlers = body.messages.map((any, i) => {
    const handler = lookup(any.typeUrl);
    if (!handler) throw ErrUnknownRequest.wrap(`message ${i}: unknown message type URL "${any.typeUrl}"`);
    return handler;
  });
  rejectUnknownFields(raw.bodyBytes, schemaOf(schemas, TX_BODY), schemas, true);
  rejectUnknownFields(raw.authInfoBytes, schemaOf(schemas, AUTH_INFO), schemas, false);
  const authInfo = decodeOrThrow('AuthInfo', () => AuthInfo.decode(raw.authInfoBytes));

  const msgs: DecodedMsg[] = [];
  const signers: string[] = [];
  const seen = new Set<string>();
  body.messages.forEach((any, i) => {
    const handler = handlers[i]!;
    const value = decodeOrThrow(`message ${i} (${any.typeUrl})`, () => handler.type.decode(any.value));
    const msgSigners = callMsg(i, any.typeUrl, 'signers', () => handler.signers(value));
    if (!Array.isArray(msgSigners) || msgSigners.length === 0) {
      throw ErrInvalidRequest.wrap(`message ${i} (${any.typeUrl}) names no signer`);
    }
    for (const signer of msgSigners) {
      if (typeof signer !== 'string' || signer === '') throw ErrInvalidRequest.wrap(`message ${i} (${any.typeUrl}) has an empty signer`);
      if (!seen.has(signer)) {
        seen.add(signer);
        signers.push(signer);
      }
    }
    if (handler.validateBasic) callMsg(i, any.typeUrl, 'validateBasic', () => handler.validateBasic!(value));
    msgs.push({ typeUrl: any.typeUrl, value, handler });
  });

  const sigCount = raw.signatures.length;
  if (sigCount === 0) throw ErrNoSignatures.wrap('the tx carries no signature');
  if (sigCount !== signers.length) {
    throw ErrUnauthorized.wrap(`wrong number of signers; expected ${signers.length}, got ${sigCount}`);
  }
  if (authInfo.signerInfos.length !== sigCount) {
    throw ErrUnauthorized.wrap(`wrong number of signer infos; expected ${sigCount}, got ${authInfo.signerInfos.length}`);
  }

  return { bytes, hash: sha256(bytes), raw, body, authInfo, msgs, signers };
}

function decodeOrThrow<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw ErrTxDecode.wrap(`${what} does not decode: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Runs a Msg handler's `signers`/`validateBasic`; a plain Error from it becomes ErrInvalidRequest. */
function callMsg<T>(index: number, typeUrl: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ChainError) throw err;
    throw ErrInvalidRequest.wrap(`message ${index} (${typeUrl}) ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const TX_RAW = 'cosmos.tx.v1beta1.TxRaw';
const TX_BODY = 'cosmos.tx.v1beta1.TxBody';
const AUTH_INFO = 'cosmos.tx.v1beta1.AuthInfo';

function schemaOf(schemas: MessageSchemas, name: string) {
  const schema = schemas.get(name);
  if (!schema) throw new Error(`message schemas lack ${name}`);
  return schema;
}
