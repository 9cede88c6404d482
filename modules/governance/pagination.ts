import { concatBytes, prefixEnd } from '../../app/store/bytes.js';
import type { KVReader } from '../../app/store/types.js';
import { DEFAULT_PAGE_LIMIT } from '../../app/types/pagination.js';
import { ErrInvalidRequest } from '../../app/types/errors.js';
import type { PageRequest, PageResponse } from '../../generated/parazone/governance/v1/query.js';

/**
 * Pagination with a filter, like the SDK's query.FilteredPaginate: `offset`, `limit`, `total` and
 * `nextKey` count only the items that pass the filter. `nextKey` is the prefix-relative key of the
 * next matching item (empty at the end). Same request rules as app/types/pagination.ts.
 */
export function filteredPaginate<T>(
  store: KVReader,
  prefix: Uint8Array,
  request: Partial<PageRequest> | undefined,
  decode: (key: Uint8Array, value: Uint8Array) => T,
  accept: (item: T) => boolean,
): { items: T[]; pagination: PageResponse } {
  const key = request?.key ?? new Uint8Array();
  const offset = request?.offset ?? 0n;
  let limit = request?.limit ?? 0n;
  let countTotal = request?.countTotal ?? false;
  const reverse = request?.reverse ?? false;
  if (offset > 0n && key.length > 0) {
    throw ErrInvalidRequest.wrap('invalid request, either offset or key is expected, got both');
  }
  if (limit === 0n) {
    limit = DEFAULT_PAGE_LIMIT;
    countTotal = true;
  }
  if (key.length > 0) countTotal = false;
  const n = prefix.length;
  let iterable;
  if (key.length === 0) iterable = store.iterator(prefix, prefixEnd(prefix), reverse);
  else if (!reverse) iterable = store.iterator(concatBytes(prefix, key), prefixEnd(prefix));
  else iterable = store.iterator(prefix, concatBytes(prefix, key, Uint8Array.of(0)), true);

  const items: T[] = [];
  let matched = 0n;
  let nextKey = new Uint8Array();
  for (const pair of iterable) {
    const relative = pair.key.subarray(n);
    const item = decode(relative, pair.value);
    if (!accept(item)) continue;
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
