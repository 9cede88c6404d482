/**
 * A convenience holder of one client's state and its consensus states in memory (tests, the
 * relayer's own view of a counterparty). On chain, a keeper calls the functions in client.ts
 * with a store-backed `ConsensusStates` instead.
 */
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type {
  ClientState,
  ConsensusState,
  Header as ClientHeader,
  Misbehaviour,
} from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import type { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import {
  clientStatus,
  createClient,
  isFrozen,
  submitMisbehaviour,
  updateClient,
  type ClientParams,
  type ClientStatus,
  type UpdateResult,
} from './client.js';
import { MemoryConsensusStates } from './consensus-states.js';
import type { Now } from './time.js';

export class TendermintLightClient {
  private state: ClientState;

  private constructor(
    clientState: ClientState,
    readonly consensusStates: MemoryConsensusStates,
  ) {
    this.state = clientState;
  }

  /** Trusts `signedHeader` (checked for self-consistency and > 2/3 signatures of `validatorSet`). */
  static create(
    params: ClientParams,
    trusted: { signedHeader: SignedHeader; validatorSet: ValidatorSet },
    now: Now,
  ): TendermintLightClient {
    const { clientState, consensusState, height } = createClient(params, trusted, now);
    const states = new MemoryConsensusStates();
    states.set(height, consensusState);
    return new TendermintLightClient(clientState, states);
  }

  get clientState(): ClientState {
    return this.state;
  }

  get latestHeight(): Height {
    return this.state.latestHeight;
  }

  get frozen(): boolean {
    return isFrozen(this.state);
  }

  consensusState(height: Height): ConsensusState | undefined {
    return this.consensusStates.get(height);
  }

  status(now: Now): ClientStatus {
    return clientStatus(this.state, this.consensusStates, now);
  }

  /** Throws if the header does not verify; a conflicting header freezes the client instead. */
  update(header: ClientHeader, now: Now): UpdateResult {
    const result = updateClient(this.state, this.consensusStates, header, now);
    this.state = result.clientState;
    return result;
  }

  /** Freezes the client on valid evidence; throws otherwise. */
  submitMisbehaviour(misbehaviour: Misbehaviour, now: Now): void {
    this.state = submitMisbehaviour(this.state, this.consensusStates, misbehaviour, now);
  }
}
