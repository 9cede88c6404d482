/** What the ibc module's applications need from other modules (satisfied by their keepers). */
import type { Coin } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import type { Batch, Product, Unit, UnitEvent, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';

/** ICS-20: a subset of TokensKeeper. The ibc module account needs minter + burner. */
export interface BankKeeper {
  sendCoins(ctx: Context, from: string, to: string, coins: Coin[]): void;
  sendCoinsFromAccountToModule(ctx: Context, from: string, moduleName: string, coins: Coin[]): void;
  sendCoinsFromModuleToAccount(ctx: Context, moduleName: string, to: string, coins: Coin[]): void;
  mintCoins(ctx: Context, moduleName: string, coins: Coin[]): void;
  burnCoins(ctx: Context, moduleName: string, coins: Coin[]): void;
  getBalance(ctx: Context, address: string, denom: string): bigint;
  /** Module accounts that must not receive transfers (ICS-20 refuses them as receivers). */
  isBlockedAddress(address: string): boolean;
}

/** One unit as it leaves its zone: its record, master data and full trace. */
export interface ExportedUnitData {
  unit: Unit;
  product: Product;
  batch: Batch;
  history: UnitEvent[];
}

/** Cross-zone custody: the methods DrugRegistryKeeper adds for the drugcustody application. */
export interface DrugCustodyKeeper {
  /**
   * Locks units (or every ACTIVE, unaggregated unit of a batch) the sender holds for export:
   * status LOCKED, locked by `locker` (the ibc module account, which nobody can sign for), one
   * SHIPPED trace event naming `transferId` and `destination`. Returns them as they now are.
   */
  lockUnitsForExport(
    ctx: Context,
    req: {
      sender: string;
      units: UnitRef[];
      batch?: { gtin: string; lot: string };
      destination: string;
      transferId: string;
      locker: string;
    },
  ): ExportedUnitData[];
  /** Acknowledged: units still locked by `locker` for `transferId` become EXPORTED. */
  completeExport(ctx: Context, req: { units: UnitRef[]; transferId: string; locker: string }): void;
  /** Error acknowledgement or timeout: units still locked by `locker` for `transferId` are ACTIVE again with their sender. */
  cancelExport(ctx: Context, req: { units: UnitRef[]; transferId: string; locker: string; reason: string }): void;
  /**
   * Arrival: units land ACTIVE with `receiver` (an ACTIVE trading participant here), with their
   * carried history appended to whatever this zone already knew of them. Throws (→ error ack)
   * when the receiver, the master data or the history is not acceptable.
   */
  importUnits(
    ctx: Context,
    req: { receiver: string; sender: string; units: ExportedUnitData[]; transferId: string; importer: string; origin: string },
  ): void;
}
