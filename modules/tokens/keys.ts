import { concatBytes, utf8 } from '../../app/store/bytes.js';
import { StoreKey } from '../../app/store/types.js';

/**
 * Key layout of the tokens store (inside its "tokens/" prefix). Built only by these functions.
 *
 *   0x01 | len(addr) | addr | denom   → balance amount (decimal string); zero balances are deleted
 *   0x02 | denom                      → total supply (decimal string)
 *   0x03 | denom                      → Metadata (protobuf)
 *   0x04 | denom                      → send enabled (0x01 / 0x00)
 *   0x05                              → Params (protobuf)
 *   0x06 | height u64 BE | tx u32 BE  → PendingFee (protobuf), swept by EndBlock
 *   0x07 | len(denom) | denom | addr  → empty: reverse index denom → holders (DenomOwners query),
 *                                       present exactly when the balance is non-zero (as x/bank's)
 *
 * The address is length-prefixed (like the SDK's `address.MustLengthPrefix`) so one account's
 * balances form one contiguous range that never overlaps another, longer address.
 */
export const MODULE_NAME = 'tokens';
export const STORE_KEY = new StoreKey(MODULE_NAME);

/** Module account that receives fees (the SDK's `authtypes.FeeCollectorName`). */
export const FEE_COLLECTOR = 'fee_collector';

const BALANCES = 0x01;
const SUPPLY = 0x02;
const DENOM_METADATA = 0x03;
const SEND_ENABLED = 0x04;
const PARAMS = 0x05;
const PENDING_FEES = 0x06;
const DENOM_OWNERS = 0x07;

const byte = (b: number) => new Uint8Array([b]);

export function accountBalancesPrefix(address: Uint8Array): Uint8Array {
  if (address.length > 255) throw new Error('address longer than 255 bytes');
  return concatBytes(byte(BALANCES), byte(address.length), address);
}

/**
 * A denom's UTF-8 bytes, memoised: every balance, supply and send-enabled key carries one, and a
 * chain has few denoms. Bounded, so a flood of distinct denoms in queries cannot grow it. The
 * bytes are only ever copied into keys, never handed out.
 */
const denomBytesCache = new Map<string, Uint8Array>();
function denomBytes(denom: string): Uint8Array {
  let bytes = denomBytesCache.get(denom);
  if (bytes === undefined) {
    if (denomBytesCache.size >= 1024) denomBytesCache.clear();
    bytes = utf8(denom);
    denomBytesCache.set(denom, bytes);
  }
  return bytes;
}

export function balanceKey(address: Uint8Array, denom: string): Uint8Array {
  // accountBalancesPrefix(address) ‖ denom, built in one allocation: it is on every transfer's path.
  if (address.length > 255) throw new Error('address longer than 255 bytes');
  const d = denomBytes(denom);
  const key = new Uint8Array(2 + address.length + d.length);
  key[0] = BALANCES;
  key[1] = address.length;
  key.set(address, 2);
  key.set(d, 2 + address.length);
  return key;
}

/** Prefix of every balance of every account (for genesis export and invariants). */
export const allBalancesPrefix = byte(BALANCES);

/** Splits a key under `allBalancesPrefix` (prefix included) into address bytes and denom. */
export function parseBalanceKey(key: Uint8Array): { address: Uint8Array; denom: string } {
  const len = key[1]!;
  return { address: key.subarray(2, 2 + len), denom: Buffer.from(key.subarray(2 + len)).toString('utf8') };
}

export const supplyPrefix = byte(SUPPLY);
export function supplyKey(denom: string): Uint8Array {
  return concatBytes(supplyPrefix, denomBytes(denom));
}

export const denomMetadataPrefix = byte(DENOM_METADATA);
export function denomMetadataKey(denom: string): Uint8Array {
  return concatBytes(denomMetadataPrefix, utf8(denom));
}

export const sendEnabledPrefix = byte(SEND_ENABLED);
export function sendEnabledKey(denom: string): Uint8Array {
  return concatBytes(sendEnabledPrefix, denomBytes(denom));
}

export const paramsKey = byte(PARAMS);

export const pendingFeesPrefix = byte(PENDING_FEES);
/**
 * One key per tx: (height, txIndex + 1) big-endian, so byte order is block order and code running
 * outside a tx (txIndex -1) gets slot 0.
 */
export function pendingFeeKey(height: number, txIndex: number): Uint8Array {
  const key = new Uint8Array(13);
  key[0] = PENDING_FEES;
  const view = new DataView(key.buffer);
  view.setBigUint64(1, BigInt(height));
  view.setUint32(9, txIndex + 1);
  return key;
}

export function denomOwnersPrefix(denom: string): Uint8Array {
  const d = denomBytes(denom);
  if (d.length > 255) throw new Error('denom longer than 255 bytes');
  return concatBytes(byte(DENOM_OWNERS), byte(d.length), d);
}

export function denomOwnerKey(denom: string, address: Uint8Array): Uint8Array {
  return concatBytes(denomOwnersPrefix(denom), address);
}

/** Prefix of the whole reverse index (for the invariant). */
export const allDenomOwnersPrefix = byte(DENOM_OWNERS);

/** Splits a key under `allDenomOwnersPrefix` (prefix included) into denom and address bytes. */
export function parseDenomOwnerKey(key: Uint8Array): { denom: string; address: Uint8Array } {
  const len = key[1]!;
  return { denom: Buffer.from(key.subarray(2, 2 + len)).toString('utf8'), address: key.subarray(2 + len) };
}

/** Decodes the key bytes relative to a one-byte prefix as a UTF-8 denom. */
export function denomFromKey(relative: Uint8Array): string {
  return Buffer.from(relative).toString('utf8');
}
