/**
 * Like app/types/pagination.ts (same SDK semantics) plus a filter, which the registry's queries
 * need (inventory by lot, saleable only; recalls by status...).
 *
 * Cosmos-style pagination over a key prefix (PageRequest {key, offset, limit, countTotal, reverse}
 * → PageResponse {nextKey, total}). `nextKey` is the next matching key with the prefix stripped.
 * A filter may skip entries; offsets and totals count matches only (the SDK's FilteredPaginate).
 */
import { concatBytes, prefixEnd } from '../../app/store/bytes.js';
import type { KVStore } from '../../app/store/types.js';
import { ErrInvalidRequest } from '../../app/types/errors.js';
import type { PageRequest, PageResponse } from '../../generated/parazone/drugregistry/v1/types.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export interface Page<T> {
  items: T[];
  pagination: PageResponse;
}

export function paginate<T>(
  kv: KVStore,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  map: (key: Uint8Array, value: Uint8Array) => T | undefined,
  defaultReverse = false,
): Page<T> {
  const key = page?.key && page.key.length > 0 ? new Uint8Array(page.key) : undefined;
  const offset = Number(page?.offset ?? 0n);
  let limit = Number(page?.limit ?? 0n);
  // As the SDK (and app/types/pagination.ts): limit 0 means the default and counts the total.
  const defaulted = limit === 0;
  if (defaulted) limit = DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${MAX_LIMIT}`);
  if (key && offset > 0) throw ErrInvalidRequest.wrap('pagination takes either key or offset, not both');
  const reverse = defaultReverse !== !!page?.reverse;
  const countTotal = (!!page?.countTotal || defaulted) && !key;

  let start: Uint8Array | undefined = prefix;
  let end: Uint8Array | undefined = prefixEnd(prefix);
  if (key) {
    if (reverse) end = concatBytes(prefix, key, new Uint8Array([0]));
    else start = concatBytes(prefix, key);
  }
  const items: T[] = [];
  let skipped = 0;
  let total = 0;
  let nextKey: Uint8Array = new Uint8Array(0);
  for (const { key: k, value } of kv.iterator(start, end, reverse)) {
    const item = map(k.subarray(prefix.length), value);
    if (item === undefined) continue;
    total++;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    if (items.length < limit) {
      items.push(item);
      continue;
    }
    if (nextKey.length === 0) nextKey = Uint8Array.from(k.subarray(prefix.length));
    if (!countTotal) break;
  }
  return { items, pagination: { nextKey: Buffer.from(nextKey), total: countTotal ? BigInt(total) : 0n } };
}

/** Pagination over an in-memory list (recursive container contents); the key is the index. */
export function paginateArray<T>(list: T[], page: PageRequest | undefined): Page<T> {
  const from = page?.key && page.key.length > 0 ? Number(Buffer.from(page.key).toString('latin1')) : Number(page?.offset ?? 0n);
  let limit = Number(page?.limit ?? 0n) || DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${MAX_LIMIT}`);
  const items = list.slice(from, from + limit);
  const next = from + limit < list.length ? Buffer.from(String(from + limit), 'latin1') : Buffer.alloc(0);
  return { items, pagination: { nextKey: next, total: page?.countTotal ? BigInt(list.length) : 0n } };
}
