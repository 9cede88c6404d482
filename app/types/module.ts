import type { StoreKey } from '../store/types.js';
import type { Context } from './context.js';

/**
 * The module contract. A chain is a list of these (see app/app.ts); a third-party module is any
 * object of this shape, wherever it lives on disk.
 *
 * Keepers are not part of the contract: a module's factory receives the keepers it needs as
 * interfaces (its `expected-keepers.ts`) and returns its own keeper for others to use.
 */

/** A protobuf message codec: what ts-proto and cosmjs-types generate, and what cosmjs's Registry takes. */
export interface ProtoType<T> {
  encode(message: T, writer?: any): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromPartial(object: any): T;
}

/** One Msg type the module handles. */
export interface MsgHandler<M = any, R = any> {
  /** Full type URL, e.g. "/cosmos.bank.v1beta1.MsgSend". */
  readonly typeUrl: string;
  readonly type: ProtoType<M>;
  /** The response type; its URL defaults to `${typeUrl}Response`. */
  readonly responseType: ProtoType<R>;
  readonly responseTypeUrl?: string;
  /**
   * The Msg's name in SIGN_MODE_LEGACY_AMINO_JSON sign docs (`{type, value}`): the SDK's registered
   * name for its Msgs ("cosmos-sdk/MsgSend"), "parazone/<module>/<Msg>" for ours; at most 39
   * characters, as the SDK's RegisterAminoMsg allows. A Msg without one can only be signed with
   * SIGN_MODE_DIRECT.
   */
  readonly aminoName?: string;
  /** Bech32 addresses that must sign the tx (the SDK's `cosmos.msg.v1.signer`). */
  signers(msg: M): string[];
  /** Stateless checks (addresses, amounts, lengths); throw a ChainError. Runs in CheckTx too. */
  validateBasic?(msg: M): void;
  /** Executes the message against state. Throw a ChainError to fail the tx; nothing it wrote lands. */
  handle(ctx: Context, msg: M): R;
  /**
   * True when every instance of this Msg writes one module-wide key (a counter, a queue head), so
   * the parallel executor should not bother running it optimistically. Documented per Msg.
   */
  readonly serializes?: boolean;
}

/** The type URL of a Msg's response: its own, or `${typeUrl}Response`. */
export function msgResponseTypeUrl(handler: Pick<MsgHandler, 'typeUrl' | 'responseTypeUrl'>): string {
  return handler.responseTypeUrl ?? `${handler.typeUrl}Response`;
}

/** One query method, served on ABCI Query at `path` (e.g. "/cosmos.bank.v1beta1.Query/Balance"). */
export interface QueryHandler<Q = any, R = any> {
  readonly path: string;
  readonly requestType: ProtoType<Q>;
  readonly responseType: ProtoType<R>;
  handle(ctx: Context, request: Q): R;
}

/**
 * A module's slice of genesis `app_state`. `defaultGenesis` and `export` return plain JSON (what
 * genesis.json holds, e.g. a generated type's `toJSON`); `validate` parses that JSON into `G`.
 */
export interface GenesisHandler<G = unknown> {
  /** The JSON a new chain starts with when `app_state` has no entry for this module. */
  defaultGenesis(): unknown;
  /** Parses and checks the JSON; throw an Error that says what is wrong. */
  validate(json: unknown): G;
  init(ctx: Context, genesis: G): void;
  /** The module's state as genesis JSON; `validate(export(ctx))` must accept it. */
  export(ctx: Context): unknown;
}

/** A property of the module's state that must hold after every block; returns a message when broken. */
export interface Invariant {
  readonly name: string;
  check(ctx: Context): string | undefined;
}

export interface Module {
  /** Unique module name: the genesis key, the codespace, the `message.module` event value. */
  readonly name: string;
  /** The module's store; absent for modules without state. */
  readonly storeKey?: StoreKey;
  readonly msgs?: readonly MsgHandler[];
  /**
   * The schemas of a module's own protobuf messages, a serialized FileDescriptorSet (`buf build
   * -o`; `npm run proto:gen` writes one per workspace as generated/descriptors.binpb). The tx
   * decoder refuses unknown fields with them; the core modules' messages are already known.
   */
  readonly descriptors?: Uint8Array;
  readonly queries?: readonly QueryHandler[];
  readonly genesis?: GenesisHandler<any>;
  beginBlock?(ctx: Context): void;
  endBlock?(ctx: Context): void;
  readonly invariants?: readonly Invariant[];
}

/** Helper so module files get type inference for a handler's message and response. */
export function defineMsg<M, R>(handler: MsgHandler<M, R>): MsgHandler<M, R> {
  return handler;
}

export function defineQuery<Q, R>(handler: QueryHandler<Q, R>): QueryHandler<Q, R> {
  return handler;
}
