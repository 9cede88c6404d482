/**
 * Decoding memoized by the identity of the stored bytes. A branch that keeps what it read
 * (`CacheKV` with `cacheReads`) hands out the same array for a key until the key is written, so a
 * value every tx reads (a module's params, an account read by several ante decorators) is decoded
 * once per block instead of once per read. Writing a key stores a new array, which misses the memo,
 * so a result can never be stale. Results are frozen (shallowly): one caller changing a decoded
 * value would change it for every other, and a frozen object makes that attempt throw instead.
 */
export interface MemoizedDecoder<T> {
  (bytes: Uint8Array): T;
  /**
   * Records what `bytes` decode to, for a writer that encoded them from that value: the next reader
   * of the same array (the key's pending write) then skips the decode. `value` must be exactly what
   * decoding `bytes` gives; it is frozen here like every decoded result.
   */
  remember(bytes: Uint8Array, value: T): void;
}

export function decodeMemo<T extends object>(decode: (bytes: Uint8Array) => T): MemoizedDecoder<T> {
  const memo = new WeakMap<Uint8Array, T>();
  const decoder = (bytes: Uint8Array): T => {
    let value = memo.get(bytes);
    if (value === undefined) {
      value = Object.freeze(decode(bytes));
      memo.set(bytes, value);
    }
    return value;
  };
  decoder.remember = (bytes: Uint8Array, value: T): void => {
    memo.set(bytes, Object.freeze(value));
  };
  return decoder;
}
