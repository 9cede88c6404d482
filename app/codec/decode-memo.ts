/**
 * Decoding memoized by the identity of the stored bytes. A branch that keeps what it read
 * (`CacheKV` with `cacheReads`) hands out the same array for a key until the key is written, so a
 * value every tx reads (a module's params, an account read by several ante decorators) is decoded
 * once per block instead of once per read. Writing a key stores a new array, which misses the memo,
 * so a result can never be stale. Results are frozen (shallowly): one caller changing a decoded
 * value would change it for every other, and a frozen object makes that attempt throw instead.
 */
export function decodeMemo<T extends object>(decode: (bytes: Uint8Array) => T): (bytes: Uint8Array) => T {
  const memo = new WeakMap<Uint8Array, T>();
  return (bytes) => {
    let value = memo.get(bytes);
    if (value === undefined) {
      value = Object.freeze(decode(bytes));
      memo.set(bytes, value);
    }
    return value;
  };
}
