import { prefixEnd } from '../../app/store/bytes.js';
import type { KVStore } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';
import { ErrAccountNumbersExhausted } from './errors.js';
import {
  accountNumberKey,
  newAccountCountKey,
  newAccountCountKeyPrefix,
  newAccountKey,
  newAccountKeyPrefix,
  nextAccountNumberKey,
} from './keys.js';

/**
 * Account numbers 0, 1, 2, … as in the SDK (what every client and hardware wallet expects),
 * without a key that every account-creating tx writes.
 *
 * The SDK takes the next number from one counter when the account is created; if every tx that
 * creates an account read and wrote that counter, the parallel executor would serialize on it.
 * Here the counter is only touched by sequential code:
 *
 *  - genesis, BeginBlock and EndBlock (outside any tx) take the next number from the counter at once;
 *  - a tx stores its new account with no number yet (UNASSIGNED_ACCOUNT_NUMBER) and records it under
 *    (tx index, k), k = 0, 1, … the accounts this tx created so far, kept in a count of the tx's
 *    own. No other tx writes either key. (One read and two writes per new account, as the SDK's
 *    one read and one write of its counter; probing for the first free k instead would cost
 *    quadratic gas in a MultiSend that creates many accounts.)
 *  - auth's EndBlock, the first EndBlocker, numbers the recorded accounts in (tx index, k) order,
 *    deletes the records and counts and writes the counter once.
 *
 * So a block numbers its accounts in the order it creates them: BeginBlock's, then the txs' in
 * index order, then EndBlock's. A client learns the number once the block is committed, as it
 * always does (by querying the account). Until then the account cannot sign: the ante handler
 * answers ErrAccountNumberPending for it.
 *
 * CheckTx and RecheckTx create the account unnumbered and record nothing: their state is shared by
 * every checked tx until the next commit discards it, and no EndBlock runs on it. Simulate records
 * like a block does (on its own throw-away branch), so its gas estimate is what the block charges.
 */
export const UNASSIGNED_ACCOUNT_NUMBER = (1n << 64n) - 1n;
/** Accounts one tx may create (k and the tx's count are 16 bits). */
export const NEW_ACCOUNTS_PER_TX = (1 << 16) - 1;
/** Where a tx outside a block (simulate, txIndex −1) records its new accounts. */
const NO_BLOCK_SLOT = 0xffffffff;

/** True while the account waits for the EndBlock of the block that created it. */
export function isAccountNumberPending(account: { accountNumber: bigint }): boolean {
  return account.accountNumber === UNASSIGNED_ACCOUNT_NUMBER;
}

/**
 * The number for an account being created now, or UNASSIGNED_ACCOUNT_NUMBER inside a tx (see the
 * file comment). The caller stores the account itself; `kv` is the auth store of `ctx`.
 */
export function claimAccountNumber(ctx: Context, kv: KVStore, addressBytes: Uint8Array): bigint {
  switch (ctx.mode) {
    case 'genesis':
    case 'block':
      return takeNextNumber(kv, addressBytes);
    case 'deliver':
    case 'simulate':
      recordNewAccount(ctx, kv, addressBytes);
      return UNASSIGNED_ACCOUNT_NUMBER;
    default:
      return UNASSIGNED_ACCOUNT_NUMBER;
  }
}

/** Claims an explicit number (genesis import); the counter moves past it. Returns false when it is taken. */
export function claimExplicitAccountNumber(kv: KVStore, accountNumber: bigint, addressBytes: Uint8Array): boolean {
  const key = accountNumberKey(accountNumber);
  if (kv.has(key)) return false;
  kv.set(key, addressBytes);
  if (accountNumber >= readNextNumber(kv)) writeNextNumber(kv, accountNumber + 1n);
  return true;
}

/**
 * EndBlock: numbers the accounts the block's txs created, in (tx index, k) order, from the counter;
 * `assign` rewrites each stored account with its number. Writes the counter once.
 */
export function numberNewAccounts(kv: KVStore, assign: (addressBytes: Uint8Array, accountNumber: bigint) => void): void {
  const prefix = newAccountKeyPrefix();
  const records: { key: Uint8Array; address: Uint8Array }[] = [];
  for (const { key, value } of kv.iterator(prefix, prefixEnd(prefix)))
    records.push({ key: Uint8Array.from(key), address: Uint8Array.from(value) });
  if (records.length === 0) return;
  const countPrefix = newAccountCountKeyPrefix();
  const counts: Uint8Array[] = [];
  for (const { key } of kv.iterator(countPrefix, prefixEnd(countPrefix))) counts.push(Uint8Array.from(key));
  for (const key of counts) kv.delete(key);
  let next = readNextNumber(kv);
  for (const { key, address } of records) {
    next = firstFreeNumber(kv, next);
    kv.set(accountNumberKey(next), address);
    assign(address, next);
    kv.delete(key);
    next++;
  }
  writeNextNumber(kv, next);
}

function recordNewAccount(ctx: Context, kv: KVStore, addressBytes: Uint8Array): void {
  const slot = ctx.txIndex < 0 ? NO_BLOCK_SLOT : ctx.txIndex;
  if (!Number.isSafeInteger(slot) || slot > NO_BLOCK_SLOT) throw ErrAccountNumbersExhausted.wrap(`tx index ${ctx.txIndex} is out of range`);
  const countKey = newAccountCountKey(slot);
  const stored = kv.get(countKey);
  const k = stored ? new DataView(stored.buffer, stored.byteOffset, stored.byteLength).getUint16(0) : 0;
  if (k >= NEW_ACCOUNTS_PER_TX) {
    throw ErrAccountNumbersExhausted.wrap(`tx ${ctx.txIndex} already created ${k} accounts, the most one tx may create`);
  }
  const count = new Uint8Array(2);
  new DataView(count.buffer).setUint16(0, k + 1);
  kv.set(countKey, count);
  kv.set(newAccountKey(slot, k), addressBytes);
}

function takeNextNumber(kv: KVStore, addressBytes: Uint8Array): bigint {
  const number = firstFreeNumber(kv, readNextNumber(kv));
  kv.set(accountNumberKey(number), addressBytes);
  writeNextNumber(kv, number + 1n);
  return number;
}

/** `from`, or the first number after it no account holds (an imported genesis may hold any). */
function firstFreeNumber(kv: KVStore, from: bigint): bigint {
  let candidate = from;
  while (kv.has(accountNumberKey(candidate))) candidate++;
  if (candidate >= UNASSIGNED_ACCOUNT_NUMBER) throw ErrAccountNumbersExhausted.wrap('every 64-bit account number is taken');
  return candidate;
}

/** The next number to give; absent before the first account is numbered. */
function readNextNumber(kv: KVStore): bigint {
  const bytes = kv.get(nextAccountNumberKey());
  return bytes ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0) : 0n;
}

function writeNextNumber(kv: KVStore, next: bigint): void {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, next);
  kv.set(nextAccountNumberKey(), bytes);
}
