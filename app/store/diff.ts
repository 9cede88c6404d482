import { compareBytes } from './bytes.js';
import type { KVReader } from './types.js';

export interface KeyDifference {
  readonly key: Uint8Array;
  /** The value on each side; undefined where that side lacks the key. */
  readonly left?: Uint8Array;
  readonly right?: Uint8Array;
}

/**
 * The first key (in byte order) whose value differs between two states, or undefined when they
 * are equal: what a determinism check reports when two nodes' app hashes diverge.
 */
export function firstDifference(left: KVReader, right: KVReader): KeyDifference | undefined {
  const a = left.iterator(undefined, undefined)[Symbol.iterator]();
  const b = right.iterator(undefined, undefined)[Symbol.iterator]();
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (x.done) return { key: y.value!.key, right: y.value!.value };
    if (y.done) return { key: x.value.key, left: x.value.value };
    const order = compareBytes(x.value.key, y.value.key);
    if (order < 0) return { key: x.value.key, left: x.value.value };
    if (order > 0) return { key: y.value.key, right: y.value.value };
    if (compareBytes(x.value.value, y.value.value) !== 0) return { key: x.value.key, left: x.value.value, right: y.value.value };
    x = a.next();
    y = b.next();
  }
  return undefined;
}

/** "tokens/\x02…" with non-printable bytes escaped, for error messages. */
export function describeKey(key: Uint8Array): string {
  return [...key]
    .map((c) => (c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`))
    .join('');
}
