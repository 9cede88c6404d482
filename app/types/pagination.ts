import type { PageRequest, PageResponse } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import { concatBytes, prefixEnd } from '../store/bytes.js';
import type { KVReader } from '../store/types.js';
import { ErrInvalidRequest } from './errors.js';

/**
 * Cosmos-style pagination over one key prefix of a store, with the semantics of the SDK's
 * `query.Paginate` (types/query/pagination.go), so cosmjs clients and explorers page as they
 * would against a Go chain:
 *
 * - `key` and `offset` are exclusive; `key` resumes at that key (inclusive) and never counts a total;
 * - `limit` 0 means the default (100) and then `total` is counted as if `countTotal` were set;
 * - `nextKey` is the key (relative to the prefix) of the first item not returned, empty at the end;
 * - `reverse` walks keys in descending order; with `key` it resumes at that key going down.
 *
 * Keys handed to `decode` and returned in `nextKey` are relative to `prefix`.
 */
export const DEFAULT_PAGE_LIMIT = 100n;

export interface Page<T> {
  items: T[];
  pagination: PageResponse;
}

export function paginate<T>(
  store: KVReader,
  prefix: Uint8Array,
  request: Partial<PageRequest> | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T,
): Page<T> {
  const key = request?.key ?? new Uint8Array();
  const offset = request?.offset ?? 0n;
  let limit = request?.limit ?? 0n;
  let countTotal = request?.countTotal ?? false;
  const reverse = request?.reverse ?? false;
  if (offset < 0n || limit < 0n) throw ErrInvalidRequest.wrap('pagination offset and limit must not be negative');
  if (offset > 0n && key.length > 0) {
    throw ErrInvalidRequest.wrap('invalid request, either offset or key is expected, got both');
  }
  if (limit === 0n) {
    limit = DEFAULT_PAGE_LIMIT;
    countTotal = true;
  }
  const n = prefix.length;
  const items: T[] = [];

  if (key.length > 0) {
    let count = 0n;
    let nextKey = new Uint8Array();
    for (const pair of iterateFrom(store, prefix, key, reverse)) {
      const relative = pair.key.subarray(n);
      if (count === limit) {
        nextKey = Uint8Array.from(relative);
        break;
      }
      items.push(decode(relative, pair.value));
      count++;
    }
    return { items, pagination: { nextKey, total: 0n } };
  }

  const end = offset + limit;
  let count = 0n;
  let nextKey = new Uint8Array();
  for (const pair of store.iterator(prefix, prefixEnd(prefix), reverse)) {
    count++;
    if (count <= offset) continue;
    if (count <= end) {
      items.push(decode(pair.key.subarray(n), pair.value));
    } else if (count === end + 1n) {
      nextKey = Uint8Array.from(pair.key.subarray(n));
      if (!countTotal) break;
    }
  }
  return { items, pagination: { nextKey, total: countTotal ? count : 0n } };
}

/** Keys under `prefix` from `key` onwards: ascending from key, or descending from key (inclusive). */
function iterateFrom(store: KVReader, prefix: Uint8Array, key: Uint8Array, reverse: boolean) {
  const start = concatBytes(prefix, key);
  if (!reverse) return store.iterator(start, prefixEnd(prefix));
  // start + 0x00 is the smallest key greater than start: the exclusive end that includes start.
  return store.iterator(prefix, concatBytes(start, new Uint8Array([0])), true);
}

export interface FilteredPageOptions {
  /** A limit above this is refused (ErrInvalidRequest); none by default. */
  readonly maxLimit?: bigint;
  /** Walk keys in descending order unless the request asks for `reverse` (newest first for ascending ids). */
  readonly reverseByDefault?: boolean;
}

/** A page whose `nextKey` is a Buffer, which both cosmjs-types and our generated codecs (ts-proto env=node) take. */
export interface FilteredPage<T> {
  items: T[];
  pagination: { nextKey: Buffer; total: bigint };
}

/**
 * `paginate` with a filter, the SDK's `query.FilteredPaginate`: `decode` returns undefined for an
 * entry that does not match, and `offset`, `limit`, `total` and `nextKey` count matching entries
 * only (`nextKey` is the prefix-relative key of the next match, empty at the end).
 */
export function filteredPaginate<T>(
  store: KVReader,
  prefix: Uint8Array,
  request: Partial<PageRequest> | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T | undefined,
  options: FilteredPageOptions = {},
): FilteredPage<T> {
  const key = request?.key ?? new Uint8Array();
  const offset = request?.offset ?? 0n;
  let limit = request?.limit ?? 0n;
  let countTotal = request?.countTotal ?? false;
  const reverse = (request?.reverse ?? false) !== (options.reverseByDefault ?? false);
  if (offset > 0n && key.length > 0) {
    throw ErrInvalidRequest.wrap('invalid request, either offset or key is expected, got both');
  }
  if (limit === 0n) {
    limit = DEFAULT_PAGE_LIMIT;
    countTotal = true;
  }
  if (options.maxLimit !== undefined && limit > options.maxLimit) {
    throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${options.maxLimit}`);
  }
  if (key.length > 0) countTotal = false;
  const n = prefix.length;
  const iterable = key.length === 0 ? store.iterator(prefix, prefixEnd(prefix), reverse) : iterateFrom(store, prefix, key, reverse);

  const items: T[] = [];
  let matched = 0n;
  let nextKey = new Uint8Array();
  for (const pair of iterable) {
    const relative = pair.key.subarray(n);
    const item = decode(relative, pair.value);
    if (item === undefined) continue;
    matched++;
    if (matched <= offset) continue;
    if (BigInt(items.length) < limit) {
      items.push(item);
    } else {
      if (nextKey.length === 0) nextKey = Uint8Array.from(relative);
      if (!countTotal) break;
    }
  }
  return { items, pagination: { nextKey: Buffer.from(nextKey), total: countTotal ? matched : 0n } };
}

/** Pagination over an in-memory list; `key` is the decimal index of the next item. */
export function paginateArray<T>(
  list: readonly T[],
  request: Partial<PageRequest> | undefined,
  options: FilteredPageOptions = {},
): FilteredPage<T> {
  const from = request?.key && request.key.length > 0 ? Number(Buffer.from(request.key).toString('latin1')) : Number(request?.offset ?? 0n);
  const limit = (request?.limit ?? 0n) || DEFAULT_PAGE_LIMIT;
  if (options.maxLimit !== undefined && limit > options.maxLimit) {
    throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${options.maxLimit}`);
  }
  const items = list.slice(from, from + Number(limit));
  const next = from + Number(limit) < list.length ? Buffer.from(String(from + Number(limit)), 'latin1') : Buffer.alloc(0);
  return { items, pagination: { nextKey: next, total: request?.countTotal ? BigInt(list.length) : 0n } };
}
