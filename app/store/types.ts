/**
 * The store contract every layer speaks: a synchronous, ordered byte-key/byte-value map.
 *
 * Synchronous on purpose: LMDB reads are synchronous, and state-machine code that never awaits
 * cannot interleave with another transaction, which keeps execution deterministic and lets the
 * parallel executor run the same handler code on worker threads.
 */
import { ErrInvalidRequest } from '../types/errors.js';

/**
 * The longest key, module prefix included, the store holds, at every height. LMDB refuses keys
 * over 1978 bytes (lmdb-js's default), and the commit store's history entry of a key is
 * esc(key) ‖ 0x00 0x00 ‖ ~height(8), where esc() may double each byte (0x00 → 0x00 0xFF):
 * 2 · 984 + 2 + 8 = 1978.
 */
export const MAX_KEY_BYTES = 984;

/** Refuses a key the store could not hold with ErrInvalidRequest (18), before any read or write. */
export function checkKeySize(key: Uint8Array): void {
  if (key.length > MAX_KEY_BYTES) {
    throw ErrInvalidRequest.wrap(`store key of ${key.length} bytes is longer than the limit of ${MAX_KEY_BYTES} bytes`);
  }
}
export interface KVPair {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

export interface KVReader {
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  /** Keys in [start, end) in byte order (descending when reverse). `undefined` bounds are open. */
  iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse?: boolean): Iterable<KVPair>;
}

export interface KVStore extends KVReader {
  set(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
}

/** One pending change: a value to write, or `null` for a delete. */
export interface KVChange {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/**
 * Names a module's slice of state. Only the module's keeper should hold it: a context hands out a
 * store for a key, so holding the key is the capability to touch that state.
 */
export class StoreKey {
  readonly prefix: Uint8Array;
  constructor(readonly name: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new Error(`store key "${name}" must be lower-case letters, digits or "_", starting with a letter`);
    }
    this.prefix = new TextEncoder().encode(`${name}/`);
  }
}
