/**
 * 07-tendermint as a LightClientModule (ibc-go modules/light-clients/07-tendermint/
 * light_client_module.go): decodes its wire types from the client store and client messages and
 * runs the pure rules of client.ts over a store-backed ConsensusStates. Keys in the client store
 * are ibc-go's: `clientState` and `consensusStates/<height>`.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import { ClientState, ConsensusState, Header, Misbehaviour } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { Ics23Error, type Ics23ProofSpec } from '../../../../app/ics23/index.js';
import type { Context } from '../../../../app/types/context.js';
import { ErrInvalidRequest, toChainError } from '../../../../app/types/errors.js';
import { ErrClientNotFound, ErrConsensusStateNotFound, ErrInvalidClientParams, ErrInvalidProof } from '../../errors.js';
import type { ClientHandle, ClientStatus, ClientUpdate, CreateClientPayload, LightClientModule } from '../../light-client-module.js';
import { assertChainedMembership, assertChainedNonMembership, knownSpecs } from '../../merkle-proof.js';
import { clientStatus, createClient, submitMisbehaviour, updateClient } from './client.js';
import { heightString } from './consensus-states.js';
import { TENDERMINT_CLIENT } from './errors.js';
import { StoreConsensusStates } from './store-consensus-states.js';
import { timestampToNanos } from './time.js';

const CLIENT_STATE_KEY = new TextEncoder().encode('clientState');

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw ErrInvalidRequest.wrap(`${what} does not decode: ${(err as Error).message}`);
  }
}

/** Light-client errors are ChainErrors already (codespace 07-tendermint); anything else is a bug. */
function asChainError(err: unknown): never {
  throw toChainError(err);
}

function mustClientState(client: ClientHandle): ClientState {
  const raw = client.store.get(CLIENT_STATE_KEY);
  if (raw === undefined) throw ErrClientNotFound.wrap(`no client ${client.id}`);
  return ClientState.decode(raw);
}

const writeClientState = (client: ClientHandle, cs: ClientState) => client.store.set(CLIENT_STATE_KEY, ClientState.encode(cs).finish());

/** Our verifier's specs for a stored client (only known layouts are ever stored). */
function specsOf(cs: ClientState): readonly Ics23ProofSpec[] {
  const specs = knownSpecs(cs.proofSpecs);
  if (specs === undefined) throw ErrInvalidClientParams.wrap('the client names proof specs this chain cannot verify');
  return specs;
}

export class TendermintLightClientModule implements LightClientModule {
  readonly clientType = TENDERMINT_CLIENT;

  initialize(ctx: Context, client: ClientHandle, payload: CreateClientPayload): { latestHeight: Height; chainId: string } {
    const params = decodeOrThrow('client_params', () => ClientState.decode(payload.clientParams));
    const signedHeader = decodeOrThrow('signed_header', () => SignedHeader.decode(payload.signedHeader));
    const validatorSet = decodeOrThrow('validator_set', () => ValidatorSet.decode(payload.validatorSet));
    // Proofs are verified with our own specs for the layouts we know (merkle-proof.ts): a
    // Parazone zone's one SMT, or a Cosmos SDK chain's IAVL store under its multistore.
    const specs = knownSpecs(params.proofSpecs);
    if (specs === undefined) {
      throw ErrInvalidClientParams.wrap(
        'proof_specs must be [SmtSpec] (a Parazone zone) or [IavlSpec, TendermintSpec] (a Cosmos SDK chain)',
      );
    }
    if (params.trustingPeriod === undefined || params.unbondingPeriod === undefined || params.maxClockDrift === undefined) {
      throw ErrInvalidClientParams.wrap('trusting_period, unbonding_period and max_clock_drift are required');
    }
    let created: ReturnType<typeof createClient>;
    try {
      created = createClient(
        {
          chainId: params.chainId,
          trustLevel: params.trustLevel,
          trustingPeriod: params.trustingPeriod,
          unbondingPeriod: params.unbondingPeriod,
          maxClockDrift: params.maxClockDrift,
          proofSpecs: [...specs],
          upgradePath: [],
        },
        { signedHeader, validatorSet },
        ctx.time,
      );
    } catch (err) {
      asChainError(err);
    }
    writeClientState(client, created.clientState);
    new StoreConsensusStates(client.store).set(created.height, created.consensusState);
    return { latestHeight: created.height, chainId: params.chainId };
  }

  updateState(ctx: Context, client: ClientHandle, clientMessage: Any): ClientUpdate {
    if (clientMessage.typeUrl === Misbehaviour.typeUrl) {
      this.submitMisbehaviour(ctx, client, clientMessage);
      return { kind: 'frozen' };
    }
    if (clientMessage.typeUrl !== Header.typeUrl)
      throw ErrInvalidRequest.wrap(`client_message must be ${Header.typeUrl} or ${Misbehaviour.typeUrl}`);
    const header = Header.decode(clientMessage.value);
    const cs = mustClientState(client);
    let result: ReturnType<typeof updateClient>;
    try {
      result = updateClient(cs, new StoreConsensusStates(client.store), header, ctx.time);
    } catch (err) {
      asChainError(err);
    }
    if (result.kind !== 'duplicate') writeClientState(client, result.clientState);
    return { kind: result.kind, height: result.height };
  }

  submitMisbehaviour(ctx: Context, client: ClientHandle, misbehaviour: Any): void {
    if (misbehaviour.typeUrl !== Misbehaviour.typeUrl) throw ErrInvalidRequest.wrap(`misbehaviour must be ${Misbehaviour.typeUrl}`);
    const evidence = Misbehaviour.decode(misbehaviour.value);
    const cs = mustClientState(client);
    let frozen: ClientState;
    try {
      frozen = submitMisbehaviour(cs, new StoreConsensusStates(client.store), evidence, ctx.time);
    } catch (err) {
      asChainError(err);
    }
    writeClientState(client, frozen);
  }

  verifyMembership(client: ClientHandle, height: Height, proof: Uint8Array, path: readonly Uint8Array[], value: Uint8Array): void {
    const { specs, root, proofs } = this.prepareProof(client, height, proof);
    try {
      assertChainedMembership(specs, root, proofs, path, value);
    } catch (err) {
      if (err instanceof Ics23Error) throw ErrInvalidProof.wrap(`membership at ${heightString(height)} on ${client.id}: ${err.message}`);
      throw err;
    }
  }

  verifyNonMembership(client: ClientHandle, height: Height, proof: Uint8Array, path: readonly Uint8Array[]): void {
    const { specs, root, proofs } = this.prepareProof(client, height, proof);
    try {
      assertChainedNonMembership(specs, root, proofs, path);
    } catch (err) {
      if (err instanceof Ics23Error)
        throw ErrInvalidProof.wrap(`non-membership at ${heightString(height)} on ${client.id}: ${err.message}`);
      throw err;
    }
  }

  private prepareProof(client: ClientHandle, height: Height, proof: Uint8Array) {
    const state = new StoreConsensusStates(client.store).get(height);
    if (state === undefined)
      throw ErrConsensusStateNotFound.wrap(`client ${client.id} has no consensus state at ${heightString(height)}; update it first`);
    const specs = specsOf(mustClientState(client));
    const merkle = decodeOrThrow('proof', () => MerkleProof.decode(proof));
    if (merkle.proofs.length !== specs.length)
      throw ErrInvalidProof.wrap(`expected a ${specs.length}-level MerkleProof, got ${merkle.proofs.length} levels`);
    return { specs, root: state.root.hash, proofs: merkle.proofs };
  }

  merklePathLength(client: ClientHandle): number {
    return specsOf(mustClientState(client)).length;
  }

  status(ctx: Context, client: ClientHandle): ClientStatus {
    return clientStatus(mustClientState(client), new StoreConsensusStates(client.store), ctx.time);
  }

  latestHeight(client: ClientHandle): Height {
    return mustClientState(client).latestHeight;
  }

  timestampAtHeight(client: ClientHandle, height: Height): bigint {
    const state = new StoreConsensusStates(client.store).get(height);
    if (state === undefined) throw ErrConsensusStateNotFound.wrap(`client ${client.id} has no consensus state at ${heightString(height)}`);
    return timestampToNanos(state.timestamp);
  }

  clientState(client: ClientHandle): Any {
    return { typeUrl: ClientState.typeUrl, value: ClientState.encode(mustClientState(client)).finish() };
  }

  consensusState(client: ClientHandle, height: Height): Any | undefined {
    const state = new StoreConsensusStates(client.store).get(height);
    return state === undefined ? undefined : { typeUrl: ConsensusState.typeUrl, value: ConsensusState.encode(state).finish() };
  }

  chainId(client: ClientHandle): string {
    return mustClientState(client).chainId;
  }
}
