import { KV_GAS, type GasMeter } from './gas.js';
import type { KVPair, KVStore } from './types.js';

/** Charges the SDK's per-access gas for every read, write and iteration step on `parent`. */
export class GasKV implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly gas: GasMeter,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.gas.consume(KV_GAS.readCostFlat, 'ReadFlat');
    const value = this.parent.get(key);
    this.gas.consume(KV_GAS.readCostPerByte * (key.length + (value?.length ?? 0)), 'ReadPerByte');
    return value;
  }

  has(key: Uint8Array): boolean {
    this.gas.consume(KV_GAS.hasCost, 'Has');
    return this.parent.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    // Every module write passes here. Empty values cannot be proven with ICS-23 (and would break the
    // absence proofs of neighbouring keys), so they are a programming error, caught at once.
    if (value.length === 0) throw new Error('a store value must not be empty: store a marker byte (PRESENT) for index entries');
    this.gas.consume(KV_GAS.writeCostFlat, 'WriteFlat');
    this.gas.consume(KV_GAS.writeCostPerByte * (key.length + value.length), 'WritePerByte');
    this.parent.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.gas.consume(KV_GAS.deleteCost, 'Delete');
    this.parent.delete(key);
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    for (const pair of this.parent.iterator(start, end, reverse)) {
      this.gas.consume(KV_GAS.iterNextCostFlat, 'IterNextFlat');
      this.gas.consume(KV_GAS.readCostPerByte * (pair.key.length + pair.value.length), 'ValuePerByte');
      yield pair;
    }
  }
}

/** A store that refuses writes: what queries get. */
export class ReadOnlyKV implements KVStore {
  constructor(private readonly parent: KVStore) {}
  get(key: Uint8Array) {
    return this.parent.get(key);
  }
  has(key: Uint8Array) {
    return this.parent.has(key);
  }
  iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false) {
    return this.parent.iterator(start, end, reverse);
  }
  set(): void {
    throw new Error('this store is read-only: queries cannot change state');
  }
  delete(): void {
    throw new Error('this store is read-only: queries cannot change state');
  }
}
