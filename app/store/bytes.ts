/** Byte helpers shared by the store layers. Keys are compared as unsigned bytes, like LMDB and IAVL. */

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;

/**
 * Node's `Buffer.prototype.latin1Slice` reads any Uint8Array in place; the documented route
 * (`Buffer.from(view).toString('latin1')`) first wraps the bytes in a new Buffer object. Every store
 * access converts one key, so the direct call matters: about 80 ns against 230 ns for a 28-byte key.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice }).latin1Slice;

/** A 1:1 string form of bytes whose JS `<` order equals unsigned byte order (latin1 code units). */
export const keyString: (bytes: Uint8Array) => string =
  typeof latin1Slice === 'function'
    ? (bytes) => latin1Slice.call(bytes, 0, bytes.length)
    : (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export function keyBytes(str: string): Uint8Array {
  return new Uint8Array(Buffer.from(str, 'latin1'));
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

/** One exact-size allocation and one copy per part (keys are built on every store access). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/** True when `key` lies in [start, end); `undefined` bounds are open. */
export function inRange(key: Uint8Array, start: Uint8Array | undefined, end: Uint8Array | undefined): boolean {
  if (start !== undefined && compareBytes(key, start) < 0) return false;
  if (end !== undefined && compareBytes(key, end) >= 0) return false;
  return true;
}

/** Index of the first element of sorted `sorted` that is >= `key` (binary search). */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest key greater than every key starting with `prefix`, or undefined when none exists. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = Uint8Array.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

const encoder = new TextEncoder();
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * The value of an index or marker entry whose key carries all the information. One byte, never
 * empty: ICS-23 cannot prove an empty value, and such a leaf would also break the absence proofs
 * of its neighbours.
 */
export const PRESENT: Uint8Array = Uint8Array.of(1);
