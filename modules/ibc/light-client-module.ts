/**
 * What core IBC asks of a light client: ibc-go v10's `exported.LightClientModule`
 * (modules/core/exported/client.go) narrowed to the calls this module makes. Core never decodes a
 * client's state: it hands each call the client's own store (`clients/<id>/…`, client-store.ts)
 * and gets back heights, times, a status, or an error. A client type is one implementation,
 * registered in the LightClientRouter under its type ("07-tendermint").
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import type { KVStore } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';

/** ibc-go's client statuses; only an Active client may verify packets. */
export type ClientStatus = 'Active' | 'Frozen' | 'Expired';

/** One client as a light client module sees it: its id (for messages) and its own store. */
export interface ClientHandle {
  readonly id: string;
  readonly store: KVStore;
}

/** MsgCreateClient's payload, opaque to core: the light client decodes and checks it. */
export interface CreateClientPayload {
  readonly clientParams: Uint8Array;
  readonly signedHeader: Uint8Array;
  readonly validatorSet: Uint8Array;
}

/** What a client message did: stored a new consensus state, repeated one, or froze the client. */
export type ClientUpdate =
  | { readonly kind: 'updated' | 'duplicate'; readonly height: Height }
  /** `height` is the conflicting header's, absent when the message was misbehaviour evidence. */
  | { readonly kind: 'frozen'; readonly height?: Height };

export interface LightClientModule {
  /** The client type, also the prefix of its client ids ("07-tendermint-0"). */
  readonly clientType: string;

  /** ibc-go Initialize: checks the payload and stores the first client and consensus state. */
  initialize(ctx: Context, client: ClientHandle, payload: CreateClientPayload): { latestHeight: Height; chainId: string };

  /**
   * ibc-go VerifyClientMessage, then CheckForMisbehaviour and UpdateState or
   * UpdateStateOnMisbehaviour. Throws when the message does not verify; writes nothing then.
   */
  updateState(ctx: Context, client: ClientHandle, clientMessage: Any): ClientUpdate;

  /** MsgSubmitMisbehaviour: like updateState, but only misbehaviour evidence is accepted. */
  submitMisbehaviour(ctx: Context, client: ClientHandle, misbehaviour: Any): void;

  /**
   * ibc-go VerifyMembership: throws unless `proof` proves `path` → `value` under the root of the
   * consensus state at `height`. Core has checked the client is Active.
   */
  verifyMembership(client: ClientHandle, height: Height, proof: Uint8Array, path: readonly Uint8Array[], value: Uint8Array): void;

  /** ibc-go VerifyNonMembership: throws unless `proof` proves `path` has no value at `height`. */
  verifyNonMembership(client: ClientHandle, height: Height, proof: Uint8Array, path: readonly Uint8Array[]): void;

  /** How many elements a merkle path (and so a counterparty merkle prefix) has for this client. */
  merklePathLength(client: ClientHandle): number;

  status(ctx: Context, client: ClientHandle): ClientStatus;
  latestHeight(client: ClientHandle): Height;
  /** ibc-go TimestampAtHeight, in unix nanoseconds; throws when no consensus state is stored there. */
  timestampAtHeight(client: ClientHandle, height: Height): bigint;

  /** For queries: the client state, and a consensus state, as the Any ibc-go's gRPC returns. */
  clientState(client: ClientHandle): Any;
  consensusState(client: ClientHandle, height: Height): Any | undefined;
  /** The counterparty's chain id (custody names where units went and came from by it). */
  chainId(client: ClientHandle): string;
}
