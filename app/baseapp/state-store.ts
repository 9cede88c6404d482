import type { KVChange, KVReader } from '../store/types.js';

/**
 * What baseapp needs from the committed store (app/store/commit-store.ts implements it): flat
 * storage for reads, a commitment for the app hash, and one atomic commit per height.
 */
export interface StateStore<Prepared extends { readonly root: Uint8Array } = { readonly root: Uint8Array }> {
  lastCommit(): { readonly height: number; readonly appHash: Uint8Array };
  /** The latest committed state. */
  latest(): KVReader;
  /** Committed state at a recent past height; throws when that height is not kept. */
  readerAt(height: number): KVReader;
  /** The app hash the latest state would have after `changes`, plus what commit needs to persist it. */
  computeRoot(changes: readonly KVChange[]): Prepared;
  /** Persists data, commitment and height together, or nothing. */
  commit(height: number, changes: readonly KVChange[], prepared?: Prepared): unknown;
  close(): void | Promise<void>;
}
