/**
 * ICS-02: create, update, freeze on misbehaviour, the v2 counterparty pairing, and proof
 * verification against stored roots. Every client call goes to the client's LightClientModule
 * (light-client-module.ts), found by client type in the router, with the client's own store; this
 * keeper keeps only what IBC core owns (client sequence, creator, counterparty).
 *
 * Which root a proof is checked against: the consensus state stored at height H+1 has
 * root = app_hash of header H+1 = the CommitStore root after block H (CometBFT puts the app hash
 * of block H in header H+1). A relayer therefore queries `/store/ibc/key` (prove=true) at height H
 * and submits `proofHeight = H+1` after updating the client to H+1 — the SDK / ibc-go convention.
 * Timeouts use the same consensus state's timestamp (header H+1's time): no receive can land in
 * block H+1 or later once that time is ≥ the timeout, so the state after H is final.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Height } from 'cosmjs-types/ibc/core/client/v1/client';
import { CounterpartyInfo } from 'cosmjs-types/ibc/core/client/v2/counterparty';
import { prefixEnd } from '../../app/store/bytes.js';
import type { KVStore, StoreKey } from '../../app/store/types.js';
import type { Context } from '../../app/types/context.js';
import { ErrInvalidRequest, ErrUnauthorized } from '../../app/types/errors.js';
import { PrefixedStore } from './client-store.js';
import { heightString } from './height.js';
import { buildMerklePath } from './merkle-proof.js';
import { ErrClientNotActive, ErrClientNotFound, ErrCounterpartyExists, ErrCounterpartyNotFound, ErrInvalidMerklePrefix } from './errors.js';
import type { ClientHandle, ClientStatus, CreateClientPayload, LightClientModule } from './light-client-module.js';
import type { LightClientRouter } from './light-client-router.js';
import {
  be64,
  clientIdFor,
  clientStateKey,
  clientStorePrefix,
  clientsPrefix,
  counterpartyKey,
  creatorKey,
  isClientId,
  nextClientSequenceKey,
  nextSequenceSendKey,
  readBe64,
} from './keys.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array) => new TextDecoder().decode(b);

export class ClientKeeper {
  constructor(
    private readonly storeKey: StoreKey,
    private readonly lightClients: LightClientRouter,
    /** Governance may also pair a client (ICS spec: creator or governance). */
    private readonly authority?: string,
  ) {}

  store(ctx: Context): KVStore {
    return ctx.kv(this.storeKey);
  }

  /** An existing client's light client module and its own store; ErrClientNotFound otherwise. */
  private client(ctx: Context, clientId: string): { module: LightClientModule; handle: ClientHandle } {
    const module = this.lightClients.forClient(clientId);
    if (!this.store(ctx).has(clientStateKey(clientId))) throw ErrClientNotFound.wrap(`no client ${clientId}`);
    return { module, handle: this.handle(ctx, clientId) };
  }

  private handle(ctx: Context, clientId: string): ClientHandle {
    return { id: clientId, store: new PrefixedStore(this.store(ctx), clientStorePrefix(clientId)) };
  }

  // ---------------------------------------------------------------- reads

  /** Throws ErrClientNotFound unless the client exists. */
  mustExist(ctx: Context, clientId: string): void {
    this.client(ctx, clientId);
  }

  /** The client state as the Any of ibc-go's ClientState query. */
  clientStateAny(ctx: Context, clientId: string): Any {
    const { module, handle } = this.client(ctx, clientId);
    return module.clientState(handle);
  }

  /** The consensus state at `height` as the Any of ibc-go's ConsensusState query, if stored. */
  consensusStateAny(ctx: Context, clientId: string, height: Height): Any | undefined {
    const { module, handle } = this.client(ctx, clientId);
    return module.consensusState(handle, height);
  }

  latestHeight(ctx: Context, clientId: string): Height {
    const { module, handle } = this.client(ctx, clientId);
    return module.latestHeight(handle);
  }

  /** The chain id of the chain the client follows. */
  chainId(ctx: Context, clientId: string): string {
    const { module, handle } = this.client(ctx, clientId);
    return module.chainId(handle);
  }

  status(ctx: Context, clientId: string): ClientStatus {
    const { module, handle } = this.client(ctx, clientId);
    return module.status(ctx, handle);
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

  /** MsgCreateClient: a client of `clientType` trusting what the payload names. */
  createClient(ctx: Context, clientType: string, msg: CreateClientPayload & { signer: string }): string {
    const module = this.lightClients.forType(clientType);
    const store = this.store(ctx);
    const raw = store.get(nextClientSequenceKey());
    const n = raw === undefined ? 0n : readBe64(raw);
    const clientId = clientIdFor(module.clientType, n);
    // The light client throws before writing anything when the payload does not verify, and a
    // failed Msg's writes are discarded anyway, so the sequence is only spent on success.
    const created = module.initialize(ctx, this.handle(ctx, clientId), msg);
    store.set(nextClientSequenceKey(), be64(n + 1n));
    store.set(creatorKey(clientId), utf8(msg.signer));
    ctx.events.emit('create_client', {
      client_id: clientId,
      client_type: module.clientType,
      consensus_heights: heightString(created.latestHeight),
      chain_id: created.chainId,
    });
    return clientId;
  }

  /** MsgUpdateClient: a verified header adds a consensus state; a conflicting one (or evidence) freezes the client. */
  updateClient(ctx: Context, clientId: string, clientMessage: Any): 'updated' | 'duplicate' | 'frozen' {
    const { module, handle } = this.client(ctx, clientId);
    const result = module.updateState(ctx, handle, clientMessage);
    if (result.kind === 'frozen') {
      ctx.events.emit('client_misbehaviour', {
        client_id: clientId,
        client_type: module.clientType,
        ...(result.height === undefined ? {} : { consensus_height: heightString(result.height) }),
      });
    } else {
      ctx.events.emit('update_client', {
        client_id: clientId,
        client_type: module.clientType,
        consensus_heights: heightString(result.height),
      });
    }
    return result.kind;
  }

  /** MsgSubmitMisbehaviour: valid evidence freezes the client; anything else fails. */
  submitMisbehaviour(ctx: Context, clientId: string, misbehaviour: Any): void {
    const { module, handle } = this.client(ctx, clientId);
    module.submitMisbehaviour(ctx, handle, misbehaviour);
    ctx.events.emit('client_misbehaviour', { client_id: clientId, client_type: module.clientType });
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
    const { module, handle } = this.client(ctx, msg.clientId);
    const levels = module.merklePathLength(handle);
    const creator = this.getCreator(ctx, msg.clientId);
    if (creator !== msg.signer && msg.signer !== this.authority)
      throw ErrUnauthorized.wrap(`only the creator of ${msg.clientId} (${creator ?? 'unknown'}) may register its counterparty`);
    if (this.getCounterparty(ctx, msg.clientId) !== undefined)
      throw ErrCounterpartyExists.wrap(`client ${msg.clientId} already has a counterparty`);
    if (!isClientId(msg.counterpartyClientId))
      throw ErrInvalidRequest.wrap(`counterparty client id "${msg.counterpartyClientId}" is not a client id like 07-tendermint-0`);
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

  /** The client's module, provided the client is Active (only Active clients verify packets). */
  private activeClient(ctx: Context, clientId: string): { module: LightClientModule; handle: ClientHandle } {
    const client = this.client(ctx, clientId);
    const status = client.module.status(ctx, client.handle);
    if (status !== 'Active') throw ErrClientNotActive.wrap(`client ${clientId} is ${status}`);
    return client;
  }

  /** The consensus state's time in unix seconds (IBC v2 timeouts are seconds). */
  timestampSecondsAt(ctx: Context, clientId: string, height: Height): bigint {
    const { module, handle } = this.client(ctx, clientId);
    return module.timestampAtHeight(handle, height) / 1_000_000_000n;
  }

  latestTimestampSeconds(ctx: Context, clientId: string): bigint {
    return this.timestampSecondsAt(ctx, clientId, this.latestHeight(ctx, clientId));
  }

  /** Throws ErrInvalidProof unless `proof` (an encoded MerkleProof) proves key → value at proofHeight. */
  verifyMembership(ctx: Context, clientId: string, proofHeight: Height, proof: Uint8Array, key: Uint8Array, value: Uint8Array): void {
    const { module, handle } = this.activeClient(ctx, clientId);
    module.verifyMembership(handle, proofHeight, proof, this.merklePath(ctx, clientId, key), value);
  }

  /** Throws ErrInvalidProof unless `proof` proves that key has no value at proofHeight. */
  verifyNonMembership(ctx: Context, clientId: string, proofHeight: Height, proof: Uint8Array, key: Uint8Array): void {
    const { module, handle } = this.activeClient(ctx, clientId);
    module.verifyNonMembership(handle, proofHeight, proof, this.merklePath(ctx, clientId, key));
  }

  /** The key's path on the counterparty: under the merkle prefix it registered (IBC v2). */
  private merklePath(ctx: Context, clientId: string, key: Uint8Array): Uint8Array[] {
    return buildMerklePath(this.mustCounterparty(ctx, clientId).merklePrefix, key);
  }
}
