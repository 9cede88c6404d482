/**
 * The light client's `ConsensusStates` in its client store (`clients/<id>/…`): one key per
 * verified height, `consensusStates/<rev be64><h be64>`, big-endian so neighbours are one
 * iterator step away.
 */
import { ConsensusState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { prefixEnd } from '../../../../app/store/bytes.js';
import type { KVStore } from '../../../../app/store/types.js';
import type { ConsensusStates } from './consensus-states.js';
import { be64 } from '../../keys.js';

const PREFIX = new TextEncoder().encode('consensusStates/');

function keyOf(h: Height): Uint8Array {
  const out = new Uint8Array(PREFIX.length + 16);
  out.set(PREFIX, 0);
  out.set(be64(h.revisionNumber), PREFIX.length);
  out.set(be64(h.revisionHeight), PREFIX.length + 8);
  return out;
}

export class StoreConsensusStates implements ConsensusStates {
  constructor(private readonly store: KVStore) {}

  get(height: Height): ConsensusState | undefined {
    const raw = this.store.get(keyOf(height));
    return raw === undefined ? undefined : ConsensusState.decode(raw);
  }

  set(height: Height, state: ConsensusState): void {
    this.store.set(keyOf(height), ConsensusState.encode(state).finish());
  }

  previous(height: Height): ConsensusState | undefined {
    for (const { value } of this.store.iterator(PREFIX, keyOf(height), true)) return ConsensusState.decode(value);
    return undefined;
  }

  next(height: Height): ConsensusState | undefined {
    const at = keyOf(height);
    for (const { key, value } of this.store.iterator(at, prefixEnd(PREFIX))) {
      if (Buffer.compare(key, at) === 0) continue;
      return ConsensusState.decode(value);
    }
    return undefined;
  }
}
