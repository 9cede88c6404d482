import type { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
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
  /** An ICS-23 proof of `key` (present or absent) in the state committed at `height`. */
  prove?(height: number, key: Uint8Array): { proof: CommitmentProof; root: Uint8Array };
  /** The oldest height `readerAt` still serves (pruning moves it up). */
  earliestHeight?(): number;
  /** Forgets the history of heights below `height` (readers at `height` and later keep working). */
  pruneBefore?(height: number): void;
  close(): void | Promise<void>;
}
