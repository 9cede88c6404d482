import { keyString } from '../store/bytes.js';

/**
 * Memory of signatures already verified, so a tx checked in CheckTx (or verified ahead of
 * execution by the parallel executor) is not verified again when the block runs — a secp256k1
 * check costs more than executing a transfer.
 *
 * Skipping is safe only when every input of the check is the same, so the key holds all of them:
 * the tx hash (fixes body bytes, auth-info bytes — hence the pubkey and sequence — and the
 * signature), the signer index (and, for a multisig, the signing member's position in it), the
 * account number the SignDoc used, and the chain id. A pubkey taken from the account instead of the
 * tx is fixed by the address it must hash to.
 *
 * The cache is an optimisation only: a miss means "verify", so its size or eviction order never
 * changes a result, and keeping it in process memory does not break determinism.
 */
export interface SignatureCache {
  has(key: string): boolean;
  add(key: string): void;
}

/** `memberPath`: a multisig member's position in each multisig on the way down ([] for a single-key signer). */
export function signatureCacheKey(
  txHash: Uint8Array,
  signerIndex: number,
  accountNumber: bigint,
  chainId: string,
  memberPath: readonly number[] = [],
): string {
  const signer = memberPath.length === 0 ? `${signerIndex}` : `${signerIndex}.${memberPath.join('.')}`;
  // The hash in latin1 (one character a byte, fixed length, so the parts cannot run together):
  // half the length of hex, and every signature check hashes this string for a Map lookup.
  return `${keyString(txHash)}/${signer}/${accountNumber}/${chainId}`;
}

/** A bounded least-recently-used set (Map keeps insertion order; a hit moves the key to the end). */
export class LruSignatureCache implements SignatureCache {
  private readonly entries = new Map<string, true>();

  constructor(readonly capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`signature cache capacity must be a positive integer, got ${capacity}`);
  }

  has(key: string): boolean {
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.set(key, true);
    return true;
  }

  add(key: string): void {
    this.entries.delete(key);
    this.entries.set(key, true);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
