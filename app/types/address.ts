import { fromBech32, toBech32 } from '@cosmjs/encoding';
import { hash } from 'node:crypto';
import { ErrInvalidAddress } from './errors.js';

/**
 * Bech32 account addresses, as the Cosmos SDK makes them: 20 bytes, for a secp256k1 key
 * ripemd160(sha256(pubkey33)), for a module account sha256(name)[:20].
 */
export class AddressCodec {
  /**
   * Decoded addresses, bounded. A bech32 checksum costs microseconds and a transfer decodes the
   * same few addresses many times (validateBasic, ante, keepers); decoding is a pure function, so
   * a cache cannot change a result.
   */
  private readonly decoded = new Map<string, Uint8Array>();
  private static readonly CACHE_LIMIT = 65_536;
  private readonly moduleAddresses = new Map<string, string>();

  constructor(readonly prefix: string) {}

  encode(bytes: Uint8Array): string {
    return toBech32(this.prefix, bytes);
  }

  /** Decodes and checks the prefix and length; throws ErrInvalidAddress saying what is wrong. */
  decode(address: string, field = 'address'): Uint8Array {
    const hit = this.decoded.get(address);
    if (hit) return hit.slice(); // a copy: callers may change theirs; slice is far cheaper than Uint8Array.from
    const bytes = this.decodeUncached(address, field);
    if (this.decoded.size >= AddressCodec.CACHE_LIMIT) this.decoded.clear();
    this.decoded.set(address, Uint8Array.from(bytes));
    return bytes;
  }

  private decodeUncached(address: string, field: string): Uint8Array {
    let decoded: { prefix: string; data: Uint8Array };
    try {
      decoded = fromBech32(address);
    } catch (err) {
      throw ErrInvalidAddress.wrap(`${field} "${address}" is not valid bech32 (${(err as Error).message})`);
    }
    if (decoded.prefix !== this.prefix) {
      throw ErrInvalidAddress.wrap(`${field} "${address}" has prefix "${decoded.prefix}", expected "${this.prefix}"`);
    }
    if (decoded.data.length !== 20 && decoded.data.length !== 32) {
      throw ErrInvalidAddress.wrap(`${field} "${address}" is ${decoded.data.length} bytes, expected 20 or 32`);
    }
    return decoded.data;
  }

  isValid(address: string): boolean {
    try {
      this.decode(address);
      return true;
    } catch {
      return false;
    }
  }

  fromSecp256k1PubKey(pubkey33: Uint8Array): string {
    return this.encode(secp256k1PubKeyToAddressBytes(pubkey33));
  }

  /** Memoised: fees, escrow and treasury moves look the same few module addresses up on every tx. */
  moduleAddress(moduleName: string): string {
    let address = this.moduleAddresses.get(moduleName);
    if (address === undefined) this.moduleAddresses.set(moduleName, (address = this.encode(moduleAddressBytes(moduleName))));
    return address;
  }
}

// Native one-shot hashes (OpenSSL): the ante derives an address from every signer's pubkey, and
// the pure-JS ones cost ~10x more per call.
export function secp256k1PubKeyToAddressBytes(pubkey33: Uint8Array): Uint8Array {
  return new Uint8Array(hash('ripemd160', hash('sha256', pubkey33, 'buffer'), 'buffer'));
}

export function moduleAddressBytes(moduleName: string): Uint8Array {
  return new Uint8Array(hash('sha256', moduleName, 'buffer')).subarray(0, 20);
}
