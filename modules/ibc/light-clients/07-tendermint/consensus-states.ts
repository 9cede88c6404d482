/**
 * Where a client keeps its consensus states, one per verified height. The light-client rules only
 * need point reads and the nearest neighbours of a height (for time monotonicity), so a keeper can
 * back this with its store; `MemoryConsensusStates` is the in-process version.
 */
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type { ConsensusState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';

export interface ConsensusStates {
  get(height: Height): ConsensusState | undefined;
  set(height: Height, state: ConsensusState): void;
  /** The state at the greatest stored height below `height`. */
  previous(height: Height): ConsensusState | undefined;
  /** The state at the smallest stored height above `height`. */
  next(height: Height): ConsensusState | undefined;
}

export function compareHeights(a: Height, b: Height): number {
  if (a.revisionNumber !== b.revisionNumber) return a.revisionNumber < b.revisionNumber ? -1 : 1;
  if (a.revisionHeight !== b.revisionHeight) return a.revisionHeight < b.revisionHeight ? -1 : 1;
  return 0;
}

export const heightString = (h: Height) => `${h.revisionNumber}-${h.revisionHeight}`;

/** A sorted in-memory list: deterministic order, binary search for neighbours. */
export class MemoryConsensusStates implements ConsensusStates {
  private readonly entries: { height: Height; state: ConsensusState }[] = [];

  /** First index whose height is ≥ `height`. */
  private lowerBound(height: Height): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareHeights(this.entries[mid]!.height, height) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(height: Height): ConsensusState | undefined {
    const i = this.lowerBound(height);
    const e = this.entries[i];
    return e !== undefined && compareHeights(e.height, height) === 0 ? e.state : undefined;
  }

  set(height: Height, state: ConsensusState): void {
    const i = this.lowerBound(height);
    const e = this.entries[i];
    if (e !== undefined && compareHeights(e.height, height) === 0) e.state = state;
    else this.entries.splice(i, 0, { height: { ...height }, state });
  }

  previous(height: Height): ConsensusState | undefined {
    return this.entries[this.lowerBound(height) - 1]?.state;
  }

  next(height: Height): ConsensusState | undefined {
    const i = this.lowerBound(height);
    const e = this.entries[i];
    return e !== undefined && compareHeights(e.height, height) === 0 ? this.entries[i + 1]?.state : e?.state;
  }

  /** Stored heights, ascending. */
  heights(): Height[] {
    return this.entries.map((e) => ({ ...e.height }));
  }
}
