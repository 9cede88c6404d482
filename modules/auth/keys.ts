import { concatBytes, utf8 } from '../../app/store/bytes.js';
import { StoreKey } from '../../app/store/types.js';

/**
 * Key layout of the auth store (all under the module prefix "auth/"):
 *
 *   0x01 | address bytes (20)       → Any(BaseAccount | ModuleAccount)
 *   0x02 | account number (8, BE)   → address bytes        (number index)
 *   0x03                            → parazone.auth.v1.Params
 *   0x04                            → next account number (8, BE); written by sequential code only
 *   0x05 | module name (utf8)       → module address bytes (which module accounts exist)
 *   0x06 | tx index (4, BE) | k (2, BE) → address bytes    the k-th account a tx of the current block
 *                                                             created, numbered and deleted at EndBlock
 *                                                             (see account-numbers.ts)
 *   0x07 | tx index (4, BE)         → accounts that tx created so far (2, BE), deleted at EndBlock
 *
 * Accounts are keyed by address bytes, not the bech32 text, so the same account is found whatever
 * case the address is written in, and the store orders accounts as the SDK's does.
 */
export const MODULE_NAME = 'auth';
export const STORE_KEY = new StoreKey(MODULE_NAME);

const ACCOUNT_PREFIX = Uint8Array.of(0x01);
const ACCOUNT_NUMBER_PREFIX = Uint8Array.of(0x02);
const PARAMS_KEY = Uint8Array.of(0x03);
const NEXT_ACCOUNT_NUMBER_KEY = Uint8Array.of(0x04);
const MODULE_NAME_PREFIX = Uint8Array.of(0x05);
const NEW_ACCOUNT_PREFIX = Uint8Array.of(0x06);
const NEW_ACCOUNT_COUNT_PREFIX = Uint8Array.of(0x07);

export function accountKey(addressBytes: Uint8Array): Uint8Array {
  return concatBytes(ACCOUNT_PREFIX, addressBytes);
}

export function accountKeyPrefix(): Uint8Array {
  return ACCOUNT_PREFIX;
}

export function accountNumberKey(accountNumber: bigint): Uint8Array {
  const key = new Uint8Array(9);
  key[0] = ACCOUNT_NUMBER_PREFIX[0]!;
  new DataView(key.buffer).setBigUint64(1, accountNumber);
  return key;
}

export function nextAccountNumberKey(): Uint8Array {
  return NEXT_ACCOUNT_NUMBER_KEY;
}

export function newAccountKey(txIndex: number, k: number): Uint8Array {
  const key = new Uint8Array(7);
  key[0] = NEW_ACCOUNT_PREFIX[0]!;
  const view = new DataView(key.buffer);
  view.setUint32(1, txIndex);
  view.setUint16(5, k);
  return key;
}

export function newAccountKeyPrefix(): Uint8Array {
  return NEW_ACCOUNT_PREFIX;
}

export function newAccountCountKey(txIndex: number): Uint8Array {
  const key = new Uint8Array(5);
  key[0] = NEW_ACCOUNT_COUNT_PREFIX[0]!;
  new DataView(key.buffer).setUint32(1, txIndex);
  return key;
}

export function newAccountCountKeyPrefix(): Uint8Array {
  return NEW_ACCOUNT_COUNT_PREFIX;
}

export function paramsKey(): Uint8Array {
  return PARAMS_KEY;
}

export function moduleNameKey(name: string): Uint8Array {
  return concatBytes(MODULE_NAME_PREFIX, utf8(name));
}

export function moduleNameKeyPrefix(): Uint8Array {
  return MODULE_NAME_PREFIX;
}
