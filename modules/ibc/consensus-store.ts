/**
 * The light client's `ConsensusStates`, backed by the ibc store: one key per verified height,
 * ordered by (revision, height) in big-endian so neighbours are one iterator step away.
 */
import { ConsensusState } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { prefixEnd } from '../../app/store/bytes.js';
import type { KVStore } from '../../app/store/types.js';
import type { ConsensusStates } from '../../app/ibc/lightclient/index.js';
import { consensusStateKey, consensusStatesPrefix, heightFromConsensusKey } from './keys.js';

export class StoreConsensusStates implements ConsensusStates {
  private readonly prefix: Uint8Array;
  constructor(
    private readonly store: KVStore,
    private readonly clientId: string,
  ) {
    this.prefix = consensusStatesPrefix(clientId);
  }

  get(height: Height): ConsensusState | undefined {
    const raw = this.store.get(consensusStateKey(this.clientId, height));
    return raw === undefined ? undefined : ConsensusState.decode(raw);
  }

  set(height: Height, state: ConsensusState): void {
    this.store.set(consensusStateKey(this.clientId, height), ConsensusState.encode(state).finish());
  }

  previous(height: Height): ConsensusState | undefined {
    for (const { value } of this.store.iterator(this.prefix, consensusStateKey(this.clientId, height), true))
      return ConsensusState.decode(value);
    return undefined;
  }

  next(height: Height): ConsensusState | undefined {
    const at = consensusStateKey(this.clientId, height);
    for (const { key, value } of this.store.iterator(at, prefixEnd(this.prefix))) {
      if (Buffer.compare(key, at) === 0) continue;
      return ConsensusState.decode(value);
    }
    return undefined;
  }

  /** Every stored height, ascending (queries, export). */
  heights(): Height[] {
    const out: Height[] = [];
    for (const { key } of this.store.iterator(this.prefix, prefixEnd(this.prefix)))
      out.push(heightFromConsensusKey(key, this.prefix.length));
    return out;
  }
}
