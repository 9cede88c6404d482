/**
 * CometBFT's simple Merkle tree (crypto/merkle/tree.go, hash.go): RFC-6962 style, leaf =
 * sha256(0x00 ‖ item), inner = sha256(0x01 ‖ left ‖ right), split at the largest power of two
 * below n, and sha256("") for no items. Header and validator-set hashes are built with it.
 */
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const LEAF = Uint8Array.of(0);
const INNER = Uint8Array.of(1);

export const leafHash = (item: Uint8Array) => sha256(LEAF, item);
export const innerHash = (left: Uint8Array, right: Uint8Array) => sha256(INNER, left, right);

/** The largest power of two strictly below `n` (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The Merkle root of `items` (CometBFT `merkle.HashFromByteSlices`). */
export function hashFromByteSlices(items: readonly Uint8Array[]): Uint8Array {
  switch (items.length) {
    case 0:
      return sha256();
    case 1:
      return leafHash(items[0]!);
    default: {
      const k = splitPoint(items.length);
      return innerHash(hashFromByteSlices(items.slice(0, k)), hashFromByteSlices(items.slice(k)));
    }
  }
}
