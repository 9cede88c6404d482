import { ErrOutOfGas } from '../types/errors.js';

/**
 * Gas costs of store access, the Cosmos SDK's `KVGasConfig` (store/types/gas.go), so clients see
 * the same `gasUsed` figures and cosmjs's 1.4x "auto" margin fits.
 */
export const KV_GAS = {
  hasCost: 1000,
  deleteCost: 1000,
  readCostFlat: 1000,
  readCostPerByte: 3,
  writeCostFlat: 2000,
  writeCostPerByte: 30,
  iterNextCostFlat: 30,
} as const;

export interface GasMeter {
  readonly limit: number;
  readonly consumed: number;
  consume(amount: number, descriptor: string): void;
}

/** A gas meter with a limit; exceeding it throws ErrOutOfGas (code 11), like the SDK's panic. */
export class BasicGasMeter implements GasMeter {
  private used = 0;
  constructor(readonly limit: number) {}

  get consumed(): number {
    return this.used;
  }

  consume(amount: number, descriptor: string): void {
    this.used += amount;
    if (this.used > this.limit) {
      throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }
}

/** Counts gas without a limit: queries, genesis and block hooks. */
export class InfiniteGasMeter implements GasMeter {
  private used = 0;
  readonly limit = Number.MAX_SAFE_INTEGER;
  get consumed(): number {
    return this.used;
  }
  consume(amount: number): void {
    this.used += amount;
  }
}
