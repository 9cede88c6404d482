/**
 * ICS-02 for one client type (07-tendermint, app/ibc/lightclient): create, update, freeze on
 * misbehaviour, the v2 counterparty pairing, and proof verification against stored roots.
 *
 * Which root a proof is checked against: the consensus state stored at height H+1 has
 * root = app_hash of header H+1 = the CommitStore root after block H (CometBFT puts the app hash
 * of block H in header H+1). A relayer therefore queries `/store/ibc/key` (prove=true) at height H
 * and submits `proofHeight = H+1` after updating the client to H+1 — the SDK / ibc-go convention.
 * Timeouts use the same consensus state's timestamp (header H+1's time): no receive can land in
 * block H+1 or later once that time is ≥ the timeout, so the state after H is final.
 */
import { MerkleProof } from 'cosmjs-types/ibc/core/commitment/v1/commitment';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { CounterpartyInfo } from 'cosmjs-types/ibc/core/client/v2/counterparty';
import { ClientState, ConsensusState, Header as ClientHeader, Misbehaviour } from 'cosmjs-types/ibc/lightclients/tendermint/v1/tendermint';
import { SignedHeader } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { Ics23Error } from '../../app/ibc/ics23/index.js';
import {
  clientStatus,
  createClient,
  heightString,
  submitMisbehaviour,
  updateClient,
  type ClientStatus,
} from '../../app/ibc/lightclient/index.js';
import { timestampToNanos } from '../../app/ibc/lightclient/time.js';
import { prefixEnd } from '../../app/store/bytes.js';
import type { KVStore, StoreKey } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';
import { ErrInvalidRequest, ErrUnauthorized, toChainError } from '../../app/types/errors.js';
import { StoreConsensusStates } from './consensus-store.js';
import { assertChainedMembership, assertChainedNonMembership, buildMerklePath, knownSpecs } from './merkle-proof.js';
import {
  ErrClientNotActive,
  ErrClientNotFound,
  ErrConsensusStateNotFound,
  ErrCounterpartyExists,
  ErrCounterpartyNotFound,
  ErrInvalidClientParams,
  ErrInvalidMerklePrefix,
  ErrInvalidProof,
} from './errors.js';
import {
  be64,
  clientIdFor,
  clientStateKey,
  clientsPrefix,
  counterpartyKey,
  creatorKey,
  isClientId,
  nextClientSequenceKey,
  nextSequenceSendKey,
  readBe64,
  TENDERMINT_CLIENT_TYPE,
} from './keys.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

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

export class ClientKeeper {
  constructor(
    private readonly storeKey: StoreKey,
    /** Governance may also pair a client (ICS spec: creator or governance). */
    private readonly authority?: string,
  ) {}

  store(ctx: Context): KVStore {
    return ctx.kv(this.storeKey);
  }

  // ---------------------------------------------------------------- reads

  getClientState(ctx: Context, clientId: string): ClientState | undefined {
    const raw = this.store(ctx).get(clientStateKey(clientId));
    return raw === undefined ? undefined : ClientState.decode(raw);
  }

  mustClientState(ctx: Context, clientId: string): ClientState {
    const cs = this.getClientState(ctx, clientId);
    if (cs === undefined) throw ErrClientNotFound.wrap(`no client ${clientId}`);
    return cs;
  }

  consensusStates(ctx: Context, clientId: string): StoreConsensusStates {
    return new StoreConsensusStates(this.store(ctx), clientId);
  }

  getConsensusState(ctx: Context, clientId: string, height: Height): ConsensusState | undefined {
    return this.consensusStates(ctx, clientId).get(height);
  }

  status(ctx: Context, clientId: string): ClientStatus {
    const cs = this.mustClientState(ctx, clientId);
    return clientStatus(cs, this.consensusStates(ctx, clientId), ctx.time);
  }

  getCounterparty(ctx: Context, clientId: string): CounterpartyInfo | undefined {
    const raw = this.store(ctx).get(counterpartyKey(clientId));
    return raw === undefined ? undefined : CounterpartyInfo.decode(raw);
  }

  mustCounterparty(ctx: Context, clientId: string): CounterpartyInfo {
    const cp = this.getCounterparty(ctx, clientId);
    if (cp === undefined) throw ErrCounterpartyNotFound.wrap(`client ${clientId} has no registered counterparty`);
    return cp;
  }

  getCreator(ctx: Context, clientId: string): string | undefined {
    const raw = this.store(ctx).get(creatorKey(clientId));
    return raw === undefined ? undefined : fromUtf8(raw);
  }

  /** Every client id, in key order. */
  clientIds(ctx: Context): string[] {
    const prefix = clientsPrefix();
    const ids = new Set<string>();
    const out: string[] = [];
    for (const { key } of this.store(ctx).iterator(prefix, prefixEnd(prefix))) {
      const rest = fromUtf8(key.subarray(prefix.length));
      const id = rest.slice(0, rest.indexOf('/'));
      if (!ids.has(id)) {
        ids.add(id);
        out.push(id);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Msgs

  /** MsgCreateClient: trusts a signed header of the chain named in the params. */
  createClient(
    ctx: Context,
    msg: { clientParams: Uint8Array; signedHeader: Uint8Array; validatorSet: Uint8Array; signer: string },
  ): string {
    const params = decodeOrThrow('client_params', () => ClientState.decode(msg.clientParams));
    const signedHeader = decodeOrThrow('signed_header', () => SignedHeader.decode(msg.signedHeader));
    const validatorSet = decodeOrThrow('validator_set', () => ValidatorSet.decode(msg.validatorSet));
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
    const store = this.store(ctx);
    const raw = store.get(nextClientSequenceKey());
    const n = raw === undefined ? 0n : readBe64(raw);
    store.set(nextClientSequenceKey(), be64(n + 1n));
    const clientId = clientIdFor(n);
    store.set(clientStateKey(clientId), ClientState.encode(created.clientState).finish());
    this.consensusStates(ctx, clientId).set(created.height, created.consensusState);
    store.set(creatorKey(clientId), utf8(msg.signer));
    ctx.events.emit('create_client', {
      client_id: clientId,
      client_type: TENDERMINT_CLIENT_TYPE,
      consensus_heights: heightString(created.height),
      chain_id: params.chainId,
    });
    return clientId;
  }

  /** MsgUpdateClient: a verified header adds a consensus state; a conflicting one freezes the client. */
  updateClient(ctx: Context, clientId: string, header: ClientHeader): 'updated' | 'duplicate' | 'frozen' {
    const cs = this.mustClientState(ctx, clientId);
    let result: ReturnType<typeof updateClient>;
    try {
      result = updateClient(cs, this.consensusStates(ctx, clientId), header, ctx.time);
    } catch (err) {
      asChainError(err);
    }
    if (result.kind !== 'duplicate') this.store(ctx).set(clientStateKey(clientId), ClientState.encode(result.clientState).finish());
    if (result.kind === 'frozen') {
      ctx.events.emit('client_misbehaviour', {
        client_id: clientId,
        client_type: TENDERMINT_CLIENT_TYPE,
        consensus_height: heightString(result.height),
      });
    } else {
      ctx.events.emit('update_client', {
        client_id: clientId,
        client_type: TENDERMINT_CLIENT_TYPE,
        consensus_heights: heightString(result.height),
      });
    }
    return result.kind;
  }

  /** MsgSubmitMisbehaviour: valid evidence freezes the client; anything else fails. */
  submitMisbehaviour(ctx: Context, clientId: string, misbehaviour: Misbehaviour): void {
    const cs = this.mustClientState(ctx, clientId);
    let frozen: ClientState;
    try {
      frozen = submitMisbehaviour(cs, this.consensusStates(ctx, clientId), misbehaviour, ctx.time);
    } catch (err) {
      asChainError(err);
    }
    this.store(ctx).set(clientStateKey(clientId), ClientState.encode(frozen).finish());
    ctx.events.emit('client_misbehaviour', { client_id: clientId, client_type: TENDERMINT_CLIENT_TYPE });
  }

  /**
   * MsgRegisterCounterparty (ICS-04 v2 pairing): only the client's creator (or governance) may pair it, once.
   * The merkle prefix has one element per proof level of the client (merkle-proof.ts), the first
   * non-empty: ["ibc/"] for a Parazone zone, ["ibc", ""] for a Cosmos SDK chain.
   */
  registerCounterparty(
    ctx: Context,
    msg: { clientId: string; counterpartyMerklePrefix: Uint8Array[]; counterpartyClientId: string; signer: string },
  ): void {
    const levels = this.specs(this.mustClientState(ctx, msg.clientId)).length;
    const creator = this.getCreator(ctx, msg.clientId);
    if (creator !== msg.signer && msg.signer !== this.authority)
      throw ErrUnauthorized.wrap(`only the creator of ${msg.clientId} (${creator ?? 'unknown'}) may register its counterparty`);
    if (this.getCounterparty(ctx, msg.clientId) !== undefined)
      throw ErrCounterpartyExists.wrap(`client ${msg.clientId} already has a counterparty`);
    if (!isClientId(msg.counterpartyClientId))
      throw ErrInvalidRequest.wrap(`counterparty client id "${msg.counterpartyClientId}" is not a 07-tendermint client id`);
    if (msg.counterpartyMerklePrefix.length !== levels || msg.counterpartyMerklePrefix[0]!.length === 0) {
      throw ErrInvalidMerklePrefix.wrap(
        `the counterparty merkle prefix must have ${levels} element(s), the first non-empty (["ibc/"] for a zone, ["ibc", ""] for a Cosmos SDK chain)`,
      );
    }
    const info: CounterpartyInfo = {
      merklePrefix: msg.counterpartyMerklePrefix.map((p) => Uint8Array.from(p)),
      clientId: msg.counterpartyClientId,
    };
    this.store(ctx).set(counterpartyKey(msg.clientId), CounterpartyInfo.encode(info).finish());
    this.store(ctx).set(nextSequenceSendKey(msg.clientId), be64(1n));
    ctx.events.emit('register_counterparty', { client_id: msg.clientId, counterparty_client_id: msg.counterpartyClientId });
  }

  // ---------------------------------------------------------------- proofs

  /** The client's consensus state at `proofHeight`, provided the client is Active. */
  private provingState(ctx: Context, clientId: string, proofHeight: Height): ConsensusState {
    const status = this.status(ctx, clientId);
    if (status !== 'Active') throw ErrClientNotActive.wrap(`client ${clientId} is ${status}`);
    const state = this.getConsensusState(ctx, clientId, proofHeight);
    if (state === undefined)
      throw ErrConsensusStateNotFound.wrap(`client ${clientId} has no consensus state at ${heightString(proofHeight)}; update it first`);
    return state;
  }

  /** The consensus state's time in unix seconds (IBC v2 timeouts are seconds). */
  timestampSecondsAt(ctx: Context, clientId: string, height: Height): bigint {
    const state = this.getConsensusState(ctx, clientId, height);
    if (state === undefined) throw ErrConsensusStateNotFound.wrap(`client ${clientId} has no consensus state at ${heightString(height)}`);
    return timestampToNanos(state.timestamp) / 1_000_000_000n;
  }

  latestTimestampSeconds(ctx: Context, clientId: string): bigint {
    return this.timestampSecondsAt(ctx, clientId, this.mustClientState(ctx, clientId).latestHeight);
  }

  /** Our verifier's specs for a stored client (only known layouts are ever stored). */
  private specs(cs: ClientState) {
    const specs = knownSpecs(cs.proofSpecs);
    if (specs === undefined) throw ErrInvalidClientParams.wrap('the client names proof specs this chain cannot verify');
    return specs;
  }

  /** Throws ErrInvalidProof unless `proof` (an encoded MerkleProof) proves path → value at proofHeight. */
  verifyMembership(ctx: Context, clientId: string, proofHeight: Height, proof: Uint8Array, key: Uint8Array, value: Uint8Array): void {
    const { specs, root, path, proofs } = this.prepareProof(ctx, clientId, proofHeight, proof, key);
    try {
      assertChainedMembership(specs, root, proofs, path, value);
    } catch (err) {
      if (err instanceof Ics23Error)
        throw ErrInvalidProof.wrap(`membership at ${heightString(proofHeight)} on ${clientId}: ${err.message}`);
      throw err;
    }
  }

  /** Throws ErrInvalidProof unless `proof` proves that path has no value at proofHeight. */
  verifyNonMembership(ctx: Context, clientId: string, proofHeight: Height, proof: Uint8Array, key: Uint8Array): void {
    const { specs, root, path, proofs } = this.prepareProof(ctx, clientId, proofHeight, proof, key);
    try {
      assertChainedNonMembership(specs, root, proofs, path);
    } catch (err) {
      if (err instanceof Ics23Error)
        throw ErrInvalidProof.wrap(`non-membership at ${heightString(proofHeight)} on ${clientId}: ${err.message}`);
      throw err;
    }
  }

  private prepareProof(ctx: Context, clientId: string, proofHeight: Height, proof: Uint8Array, key: Uint8Array) {
    const state = this.provingState(ctx, clientId, proofHeight);
    const specs = this.specs(this.mustClientState(ctx, clientId));
    const counterparty = this.mustCounterparty(ctx, clientId);
    const merkle = decodeOrThrow('proof', () => MerkleProof.decode(proof));
    if (merkle.proofs.length !== specs.length)
      throw ErrInvalidProof.wrap(`expected a ${specs.length}-level MerkleProof, got ${merkle.proofs.length} levels`);
    return { specs, root: state.root.hash, path: buildMerklePath(counterparty.merklePrefix, key), proofs: merkle.proofs };
  }
}
