import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
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
 * checked with its `validateBasic`, and the signer list built.
 *
 * Throws only ChainError: ErrTxTooLarge (21), ErrTxDecode (2) for bytes that are not a tx,
 * ErrUnknownRequest (6) for a Msg no module handles, ErrUnknownExtensionOptions (31),
 * ErrInvalidRequest (18), ErrNoSignatures (15), ErrUnauthorized (4), or a Msg's own error.
 */
export function decodeTx(
  bytes: Uint8Array,
  lookup: (typeUrl: string) => MsgHandler | undefined,
  maxTxBytes: number = DEFAULT_MAX_TX_BYTES,
): DecodedTx {
  try {
    return decode(bytes, lookup, maxTxBytes);
  } catch (err) {
    if (err instanceof ChainError) throw err;
    throw ErrTxDecode.wrap(`invalid tx: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function decode(bytes: Uint8Array, lookup: (typeUrl: string) => MsgHandler | undefined, maxTxBytes: number): DecodedTx {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw ErrTxDecode.wrap('tx bytes are empty');
  if (bytes.length > maxTxBytes) throw ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes, the limit is ${maxTxBytes}`);

  // Unknown fields are refused (as the SDK's RejectUnknownFields does): in TxRaw they would let
  // anyone change a tx's hash without touching its signature; in the signed body and auth info
  // they are fields the signer meant but this chain would silently ignore.
  checkFields(bytes, 'TxRaw', TX_RAW_FIELDS);
  const raw = decodeOrThrow('TxRaw', () => TxRaw.decode(bytes));
  checkFields(raw.bodyBytes, 'TxBody', TX_BODY_FIELDS, true);
  const body = decodeOrThrow('TxBody', () => TxBody.decode(raw.bodyBytes));
  // The SDK's decoder refuses a Timestamp outside 0001-01-01..9999-12-31 (stdtime); so do we.
  const timeoutProblem = body.timeoutTimestamp && timestampProblem(body.timeoutTimestamp);
  if (timeoutProblem) throw ErrTxDecode.wrap(`TxBody timeout_timestamp: ${timeoutProblem}`);
  checkFields(raw.authInfoBytes, 'AuthInfo', AUTH_INFO_FIELDS);
  const authInfo = decodeOrThrow('AuthInfo', () => AuthInfo.decode(raw.authInfoBytes));

  if (body.extensionOptions.length > 0) {
    const urls = body.extensionOptions.map((o) => o.typeUrl).join(', ');
    throw ErrUnknownExtensionOptions.wrap(`extension options are not supported (${urls})`);
  }
  if (body.unordered) throw ErrInvalidRequest.wrap('unordered transactions are not supported; sign with the account sequence');
  if (body.messages.length === 0) throw ErrInvalidRequest.wrap('must contain at least one message');

  const msgs: DecodedMsg[] = [];
  const signers: string[] = [];
  const seen = new Set<string>();
  body.messages.forEach((any, i) => {
    const handler = lookup(any.typeUrl);
    if (!handler) throw ErrUnknownRequest.wrap(`message ${i}: unknown message type URL "${any.typeUrl}"`);
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

// ───────────────────────── protobuf wire check ─────────────────────────

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

/** field number → wire type, for the fields of each tx message this chain understands. */
type FieldTable = ReadonlyMap<number, number>;

const TX_RAW_FIELDS: FieldTable = new Map([
  [1, LEN], // body_bytes
  [2, LEN], // auth_info_bytes
  [3, LEN], // signatures
]);
const TX_BODY_FIELDS: FieldTable = new Map([
  [1, LEN], // messages
  [2, LEN], // memo
  [3, VARINT], // timeout_height
  [4, VARINT], // unordered
  [5, LEN], // timeout_timestamp
  [1023, LEN], // extension_options
  [2047, LEN], // non_critical_extension_options
]);
const AUTH_INFO_FIELDS: FieldTable = new Map([
  [1, LEN], // signer_infos
  [2, LEN], // fee
  [3, LEN], // tip (deprecated; decoded, then ignored)
]);

/**
 * Walks the top level of a protobuf message and refuses truncation, groups, invalid wire types,
 * known fields with the wrong wire type and unknown fields — except, with `allowNonCritical`,
 * fields numbered with bit 11 set (≥ 1024), which ADR-020 reserves for non-critical extensions.
 */
function checkFields(bytes: Uint8Array, message: string, fields: FieldTable, allowNonCritical = false): void {
  let pos = 0;
  const end = bytes.length;
  const fail = (what: string): never => {
    throw ErrTxDecode.wrap(`${message}: ${what} at byte ${pos}`);
  };
  const varint = (): number => {
    // Values above 2^53 only occur as uint64 payloads, which are skipped, not used.
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) fail('truncated varint');
      const byte = bytes[pos++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    return fail('varint longer than 10 bytes');
  };
  while (pos < end) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0 || field > 0x1fffffff) fail(`invalid field number ${field}`);
    const expected = fields.get(field);
    if (expected === undefined && !(allowNonCritical && (field & 0x400) !== 0)) {
      fail(`unknown field ${field} (wire type ${wireType})`);
    }
    if (expected !== undefined && expected !== wireType) fail(`field ${field} has wire type ${wireType}, expected ${expected}`);
    switch (wireType) {
      case VARINT:
        varint();
        break;
      case FIXED64:
        if (end - pos < 8) fail('truncated fixed64');
        pos += 8;
        break;
      case LEN: {
        const length = varint();
        if (length > end - pos) fail(`field ${field} claims ${length} bytes, only ${end - pos} left`);
        pos += length;
        break;
      }
      case FIXED32:
        if (end - pos < 4) fail('truncated fixed32');
        pos += 4;
        break;
      default:
        fail(`field ${field} has unsupported wire type ${wireType}`);
    }
  }
}
