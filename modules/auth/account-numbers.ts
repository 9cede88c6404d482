import type { KVStore } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';
import { ErrAccountNumbersExhausted } from './errors.js';
import { accountNumberKey } from './keys.js';

/**
 * Account numbers without a hot key.
 *
 * The SDK takes account numbers from one global counter, which every tx that creates an account
 * reads and writes — a conflict that would serialize the parallel executor. Here a number is
 * derived from WHERE the account is created:
 *
 *   genesis:       0, 1, 2, …  in genesis order (auth's accounts first, then any account other
 *                  modules' genesis creates); must stay below 2^24.
 *   in a block:    height · 2^24 + slot · 2^8 + k
 *                  slot = the tx's index in the block (0 … 65534); 65535 is shared by everything
 *                  that runs outside a tx (begin/end block, and CheckTx/simulate, where txIndex is -1)
 *                  k    = 0 … 255, the k-th account this tx creates.
 *
 * k is not kept in a counter: the account-number index (number → address, keys.ts) already says
 * which numbers of the tx's 256-number range are taken, so a new account takes the first free one.
 * Those index keys are written only by this tx (no other tx owns the same height and slot), so
 * probing them creates no conflict between txs, and it leaves no extra state behind.
 *
 * Limits (exceeding one fails the tx with ErrAccountNumbersExhausted, never reuses a number):
 *  - 256 new accounts per tx (and per block for begin/end block together, per height in CheckTx);
 *  - 65535 txs per block may create accounts;
 *  - numbers stay below 2^53 (cosmjs reads them as JS numbers) up to height 2^29 − 1 = 536,870,911:
 *    about 17 years of 1-second blocks, 3.4 years of 200 ms blocks. A chain that lives longer must
 *    move to a new scheme by upgrade (e.g. a height offset), which existing accounts never notice.
 */
export const GENESIS_NUMBER_LIMIT = 1n << 24n;
export const NEW_ACCOUNTS_PER_TX = 256;
export const BLOCK_HOOK_SLOT = 0xffff;
export const MAX_TX_SLOT = BLOCK_HOOK_SLOT - 1;
export const MAX_ACCOUNT_HEIGHT = 2 ** 29 - 1;

/** First number of the 256-number range owned by (height, slot). */
export function accountNumberRangeStart(height: number, txIndex: number): bigint {
  if (!Number.isSafeInteger(height) || height < 1 || height > MAX_ACCOUNT_HEIGHT) {
    throw ErrAccountNumbersExhausted.wrap(`height ${height} is outside the account-number scheme (1 … ${MAX_ACCOUNT_HEIGHT})`);
  }
  if (!Number.isSafeInteger(txIndex) || txIndex > MAX_TX_SLOT) {
    throw ErrAccountNumbersExhausted.wrap(`tx index ${txIndex} is above ${MAX_TX_SLOT}; no account numbers reserved for it`);
  }
  const slot = txIndex < 0 ? BLOCK_HOOK_SLOT : txIndex;
  return (BigInt(height) << 24n) + (BigInt(slot) << 8n);
}

/**
 * Picks the number for an account being created now and claims it in the number index
 * (the caller stores the account itself). `kv` is the auth store of `ctx`.
 */
export function claimAccountNumber(ctx: Context, kv: KVStore, addressBytes: Uint8Array): bigint {
  const number = ctx.mode === 'genesis' ? nextGenesisNumber(ctx, kv) : nextNumberInTx(ctx, kv);
  kv.set(accountNumberKey(number), addressBytes);
  return number;
}

function nextNumberInTx(ctx: Context, kv: KVStore): bigint {
  const start = accountNumberRangeStart(ctx.height, ctx.txIndex);
  for (let k = 0; k < NEW_ACCOUNTS_PER_TX; k++) {
    const candidate = start + BigInt(k);
    if (!kv.has(accountNumberKey(candidate))) return candidate;
  }
  throw ErrAccountNumbersExhausted.wrap(
    `height ${ctx.height}, tx ${ctx.txIndex} already created ${NEW_ACCOUNTS_PER_TX} accounts, the most one tx may create`,
  );
}

/**
 * Where the next genesis number search starts, per InitChain (keyed by the genesis store). Only a
 * hint: the number is still the first one the index does not hold, so the result depends on state
 * alone — and no counter stays in state, so an exported genesis re-imports to the same app hash.
 */
const genesisSearchStart = new WeakMap<object, bigint>();

/** Genesis numbers count up from 0, skipping numbers an imported genesis already assigned. */
function nextGenesisNumber(ctx: Context, kv: KVStore): bigint {
  let candidate = genesisSearchStart.get(ctx.rootStore) ?? 0n;
  while (kv.has(accountNumberKey(candidate))) candidate++;
  if (candidate >= GENESIS_NUMBER_LIMIT) {
    throw ErrAccountNumbersExhausted.wrap(`genesis may number at most ${GENESIS_NUMBER_LIMIT} accounts`);
  }
  genesisSearchStart.set(ctx.rootStore, candidate + 1n);
  return candidate;
}
