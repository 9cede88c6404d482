/**
 * proto3 JSON with `google.protobuf.Any` written the canonical way: `{"@type": "/pkg.Msg", ...fields}`
 * (nested Anys too), as the Cosmos SDK CLI reads and prints it.
 *
 * The generated codecs (ts-proto, cosmjs-types) have `fromJSON`/`toJSON`, but they write an Any as
 * `{"typeUrl": ..., "value": "<base64 protobuf>"}`: they carry no descriptors, so they cannot know
 * what is inside. This converter sits on top of them and resolves each Any's type URL in a
 * registry of codecs (every module's Msgs and Msg responses, accounts and public keys):
 *   - reading, every `{"@type": url, ...}` object is replaced, innermost first, by the
 *     `{"typeUrl", "value"}` form the generated `fromJSON` accepts;
 *   - printing, every `{"typeUrl", "value"}` object of a generated `toJSON` (the only shape an Any
 *     takes there) is decoded and replaced by its `@type` form.
 */
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { ML_DSA_PUBKEY_TYPE_URL } from '../crypto/pubkey-type-urls.js';
import { msgResponseTypeUrl, type Module } from '../types/module.js';

/** A generated message codec: binary and (base64-Any) JSON. */
export interface JsonCodec<T = any> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

type JsonObject = Record<string, unknown>;

export class ProtoJson {
  private readonly types = new Map<string, JsonCodec>();

  /** Registers `codec` for `typeUrl`; a URL registered twice keeps its first codec. */
  register(typeUrl: string, codec: JsonCodec): this {
    if (!typeUrl.startsWith('/')) throw new Error(`type URL "${typeUrl}" must start with "/"`);
    if (!this.types.has(typeUrl)) this.types.set(typeUrl, codec);
    return this;
  }

  typeUrls(): string[] {
    return [...this.types.keys()].sort();
  }

  /** Parses proto3 JSON (Anys as `@type`) into a message of `codec`. */
  fromJson<T>(codec: JsonCodec<T>, json: unknown): T {
    return codec.fromJSON(this.packAnys(json, '$'));
  }

  /** A message of `codec` as proto3 JSON, every Any inside written with `@type`. */
  toJson<T>(codec: JsonCodec<T>, message: T): unknown {
    return this.unpackAnys(codec.toJSON(message), '$');
  }

  /** An Any (`{typeUrl, value}` bytes) as proto3 JSON `{"@type": ..., ...fields}`. */
  anyToJson(any: { typeUrl: string; value: Uint8Array }): JsonObject {
    return this.unpackAny(any.typeUrl, any.value, '$');
  }

  /** proto3 JSON `{"@type": ..., ...fields}` as an Any with the message's protobuf bytes. */
  anyFromJson(json: unknown): { typeUrl: string; value: Uint8Array } {
    if (!isObject(json) || typeof json['@type'] !== 'string') throw new Error('$: an Any must be a JSON object with an "@type" field');
    const packed = this.packAny(json, '$');
    return { typeUrl: packed.typeUrl, value: Buffer.from(packed.value, 'base64') };
  }

  private codecOf(typeUrl: string, where: string): JsonCodec {
    const codec = this.types.get(typeUrl);
    if (!codec) {
      throw new Error(`${where}: unknown type "${typeUrl}" in an Any; registered types are: ${this.typeUrls().join(', ')}`);
    }
    return codec;
  }

  private packAnys(json: unknown, where: string): unknown {
    if (Array.isArray(json)) return json.map((item, i) => this.packAnys(item, `${where}[${i}]`));
    if (!isObject(json)) return json;
    if ('@type' in json) return this.packAny(json, where);
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, this.packAnys(v, `${where}.${k}`)]));
  }

  private packAny(json: JsonObject, where: string): { typeUrl: string; value: string } {
    const { '@type': typeUrl, ...fields } = json;
    if (typeof typeUrl !== 'string' || typeUrl === '') throw new Error(`${where}: "@type" must be a non-empty type URL string`);
    const codec = this.codecOf(typeUrl, where);
    // Well-known types wrap their JSON value in "value"; none of ours are carried in an Any.
    const message = codec.fromJSON(this.packAnys(fields, where));
    return { typeUrl, value: Buffer.from(codec.encode(message).finish()).toString('base64') };
  }

  private unpackAnys(json: unknown, where: string): unknown {
    if (Array.isArray(json)) return json.map((item, i) => this.unpackAnys(item, `${where}[${i}]`));
    if (!isObject(json)) return json;
    if (isGeneratedAny(json)) return this.unpackAny(json.typeUrl, Buffer.from(json.value ?? '', 'base64'), where);
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, this.unpackAnys(v, `${where}.${k}`)]));
  }

  private unpackAny(typeUrl: string, value: Uint8Array, where: string): JsonObject {
    const codec = this.codecOf(typeUrl, where);
    let message: unknown;
    try {
      message = codec.decode(value);
    } catch (err) {
      throw new Error(`${where}: the bytes of an Any of type "${typeUrl}" do not decode: ${(err as Error).message}`);
    }
    const fields = this.unpackAnys(codec.toJSON(message), where);
    return { '@type': typeUrl, ...(isObject(fields) ? fields : {}) };
  }
}

/** What a generated `toJSON` makes of an Any: `typeUrl` (a "/…" URL) and an optional base64 `value`, nothing else. */
function isGeneratedAny(json: JsonObject): json is { typeUrl: string; value?: string } {
  const keys = Object.keys(json);
  return (
    typeof json.typeUrl === 'string' &&
    json.typeUrl.startsWith('/') &&
    keys.every((k) => k === 'typeUrl' || k === 'value') &&
    (json.value === undefined || typeof json.value === 'string')
  );
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `json` (proto3 JSON) holds an Any written with "@type", at any depth. */
export function holdsTypedAny(json: unknown): boolean {
  if (Array.isArray(json)) return json.some(holdsTypedAny);
  return isObject(json) && ('@type' in json || Object.values(json).some(holdsTypedAny));
}

/** True when `json` (a generated `toJSON`'s output) holds an Any, at any depth. */
export function holdsGeneratedAny(json: unknown): boolean {
  if (Array.isArray(json)) return json.some(holdsGeneratedAny);
  return isObject(json) && (isGeneratedAny(json) || Object.values(json).some(holdsGeneratedAny));
}

/** A Msg with its codec and its response's: what an Any in a tx, a proposal or a result holds. */
export interface MsgCodecs {
  readonly typeUrl: string;
  readonly type: unknown;
  readonly responseTypeUrl: string;
  readonly responseType: unknown;
}

/**
 * The chain's proto3 JSON: the given Msgs and Msg responses, the account types the auth module
 * stores, and the public keys accounts and txs carry.
 */
export function protoJsonOfMsgs(msgs: readonly MsgCodecs[]): ProtoJson {
  const json = new ProtoJson()
    .register(BaseAccount.typeUrl, BaseAccount)
    .register(ModuleAccount.typeUrl, ModuleAccount)
    .register(Secp256k1PubKey.typeUrl, Secp256k1PubKey)
    .register(ML_DSA_PUBKEY_TYPE_URL, MlDsaPubKey)
    .register(Ed25519PubKey.typeUrl, Ed25519PubKey);
  for (const msg of msgs) {
    json.register(msg.typeUrl, msg.type as JsonCodec);
    json.register(msg.responseTypeUrl, msg.responseType as JsonCodec);
  }
  return json;
}

/** The proto3 JSON of a composed chain's modules (see protoJsonOfMsgs). */
export function protoJsonFor(modules: readonly Module[]): ProtoJson {
  return protoJsonOfMsgs(
    modules.flatMap((m) =>
      (m.msgs ?? []).map((msg) => ({
        typeUrl: msg.typeUrl,
        type: msg.type,
        responseTypeUrl: msgResponseTypeUrl(msg),
        responseType: msg.responseType,
      })),
    ),
  );
}
