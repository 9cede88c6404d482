import { FieldDescriptorProto_Type as Kind } from '@bufbuild/protobuf/wkt';
import type { AminoMsg } from '@cosmjs/amino';
import type { AminoConverters } from '@cosmjs/stargate';
import type { ProtoType } from '../types/module.js';
import type { FieldRule, MessageSchema, MessageSchemas } from './message-schemas.js';

/**
 * Legacy amino JSON (SIGN_MODE_LEGACY_AMINO_JSON) for every Msg that has an amino name, derived
 * from the message schemas instead of written by hand per Msg, with the SDK's x/tx aminojson
 * rules:
 *
 *  - a Msg (and a Msg inside an `Any`) is `{type: <amino name>, value: {...}}`;
 *  - fields are named as in the .proto file; a zero scalar, an empty list and an unset message
 *    are left out, except the fields the SDK marks `dont_omitempty` (below);
 *  - 64-bit integers are decimal strings, 32-bit ones and enums numbers, bytes base64;
 *  - a list of `cosmos.base.v1beta1.Coin` is never left out (`[]` when empty), as the SDK
 *    annotates every Coins field (`legacy_coins`, `dont_omitempty`), and a Coin's amount is
 *    always written.
 *
 * Key order does not matter here: the sign doc is serialized with sorted keys
 * (@cosmjs/amino `serializeSignDoc`, the SDK's sorted JSON). Values are ts-proto objects
 * (camelCase keys, bigint 64-bit integers), what the codecs of cosmjs-types and generated/ give.
 */

/** A Msg type as amino JSON needs it: its codec and, when it can be amino-signed, its name. */
export interface AminoMsgType {
  readonly typeUrl: string;
  readonly type: ProtoType<unknown>;
  readonly aminoName?: string;
}

/** The SDK's RegisterAminoMsg limit (longer names break Ledger signing). */
export const MAX_AMINO_NAME_LENGTH = 39;

const COIN = 'cosmos.base.v1beta1.Coin';

/** Fields the SDK's protos mark `(amino.dont_omitempty) = true` beyond the Coins rule above. */
const DONT_OMIT_EMPTY: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  [COIN, new Set(['amount'])],
  ['cosmos.bank.v1beta1.MsgMultiSend', new Set(['inputs', 'outputs'])],
]);

/** A Msg that cannot be put into (or read from) amino JSON; says which and why. */
export class AminoJsonError extends Error {}

export class AminoJsonCodec {
  private readonly byTypeUrl = new Map<string, AminoMsgType & { readonly schema: MessageSchema }>();
  private readonly byAminoName = new Map<string, AminoMsgType & { readonly schema: MessageSchema }>();

  constructor(schemas: MessageSchemas, msgTypes: readonly AminoMsgType[]) {
    for (const msgType of msgTypes) {
      const { typeUrl, aminoName } = msgType;
      const schema = schemas.resolveTypeUrl(typeUrl);
      if (!schema) throw new Error(`amino json: no message schema for ${typeUrl}`);
      const entry = { ...msgType, schema };
      this.byTypeUrl.set(typeUrl, entry);
      if (aminoName === undefined) continue;
      if (aminoName.length === 0 || aminoName.length > MAX_AMINO_NAME_LENGTH) {
        throw new Error(`amino json: ${typeUrl} has amino name "${aminoName}"; it must be 1-${MAX_AMINO_NAME_LENGTH} characters`);
      }
      const other = this.byAminoName.get(aminoName);
      if (other && other.typeUrl !== typeUrl)
        throw new Error(`amino json: ${typeUrl} and ${other.typeUrl} both claim amino name "${aminoName}"`);
      this.byAminoName.set(aminoName, entry);
    }
  }

  /** The amino JSON of a decoded Msg. Throws AminoJsonError for a Msg without an amino name. */
  toAmino(typeUrl: string, value: unknown): AminoMsg {
    const entry = this.byTypeUrl.get(typeUrl);
    if (!entry?.aminoName) throw new AminoJsonError(`${typeUrl} has no amino name; sign it with SIGN_MODE_DIRECT`);
    return { type: entry.aminoName, value: this.encodeMessage(entry.schema, value as Record<string, unknown>) };
  }

  /** The Msg an amino JSON `{type, value}` stands for, as a ts-proto object ready for its codec. */
  fromAmino(msg: AminoMsg): { typeUrl: string; value: unknown } {
    const entry = this.byAminoName.get(msg.type);
    if (!entry) throw new AminoJsonError(`unknown amino type "${msg.type}"`);
    return { typeUrl: entry.typeUrl, value: entry.type.fromPartial(this.decodeMessage(entry.schema, msg.value)) };
  }

  /**
   * cosmjs AminoConverters for the Msgs whose type URL starts with `typeUrlPrefix` (all by
   * default). A value is first put through its codec, so the JSON is that of the bytes the chain
   * will decode, whatever loose form (numbers for bigints, missing defaults) the caller gave.
   */
  converters(typeUrlPrefix = ''): AminoConverters {
    const out: AminoConverters = {};
    for (const entry of this.byTypeUrl.values()) {
      if (!entry.aminoName || !entry.typeUrl.startsWith(typeUrlPrefix)) continue;
      const { typeUrl, type, aminoName } = entry;
      out[typeUrl] = {
        aminoType: aminoName,
        toAmino: (value: unknown): unknown => this.toAmino(typeUrl, type.decode(type.encode(type.fromPartial(value)).finish())).value,
        fromAmino: (value: Record<string, unknown>): unknown => this.fromAmino({ type: aminoName, value }).value,
      };
    }
    return out;
  }

  private encodeMessage(schema: MessageSchema, value: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const rule of schema.fields.values()) {
      const v = value[tsProtoKey(rule.name)];
      const keep = rule.repeated
        ? rule.message?.name === COIN || DONT_OMIT_EMPTY.get(schema.name)?.has(rule.name)
        : DONT_OMIT_EMPTY.get(schema.name)?.has(rule.name);
      if (isEmpty(rule, v)) {
        if (!keep) continue;
        if (!rule.repeated && rule.type === Kind.MESSAGE) throw new AminoJsonError(`${schema.name}.${rule.name} must be set`);
      }
      out[rule.name] = rule.repeated
        ? ((v as unknown[] | undefined) ?? []).map((item) => this.encodeValue(schema, rule, item))
        : this.encodeValue(schema, rule, v ?? zeroOf(rule));
    }
    return out;
  }

  private encodeValue(schema: MessageSchema, rule: FieldRule, v: unknown): unknown {
    switch (rule.type) {
      case Kind.STRING:
      case Kind.BOOL:
      case Kind.INT32:
      case Kind.UINT32:
      case Kind.SINT32:
      case Kind.FIXED32:
      case Kind.SFIXED32:
      case Kind.ENUM:
        return v;
      case Kind.INT64:
      case Kind.UINT64:
      case Kind.SINT64:
      case Kind.FIXED64:
      case Kind.SFIXED64:
        return BigInt(v as bigint).toString();
      case Kind.BYTES:
        return Buffer.from(v as Uint8Array).toString('base64');
      case Kind.MESSAGE:
        if (rule.any) return this.encodeAny(v as { typeUrl: string; value: Uint8Array });
        if (rule.message!.name.startsWith('google.protobuf.'))
          throw new AminoJsonError(`${schema.name}.${rule.name}: ${rule.message!.name} is not supported in amino JSON`);
        return this.encodeMessage(rule.message!, v as Record<string, unknown>);
      default:
        throw new AminoJsonError(`${schema.name}.${rule.name}: field type ${Kind[rule.type]} is not supported in amino JSON`);
    }
  }

  private encodeAny(any: { typeUrl: string; value: Uint8Array }): AminoMsg {
    const entry = this.byTypeUrl.get(any.typeUrl);
    if (!entry) throw new AminoJsonError(`no codec for ${any.typeUrl} inside an Any`);
    return this.toAmino(any.typeUrl, entry.type.decode(any.value));
  }

  private decodeMessage(schema: MessageSchema, json: unknown): Record<string, unknown> {
    if (typeof json !== 'object' || json === null || Array.isArray(json))
      throw new AminoJsonError(`${schema.name}: expected a JSON object`);
    const byName = new Map([...schema.fields.values()].map((rule) => [rule.name, rule]));
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(json)) {
      const rule = byName.get(name);
      if (!rule) throw new AminoJsonError(`${schema.name} has no field "${name}"`);
      if (v === null) continue;
      if (rule.repeated && !Array.isArray(v)) throw new AminoJsonError(`${schema.name}.${name}: expected a list`);
      out[tsProtoKey(name)] = rule.repeated
        ? (v as unknown[]).map((item) => this.decodeValue(schema, rule, item))
        : this.decodeValue(schema, rule, v);
    }
    return out;
  }

  private decodeValue(schema: MessageSchema, rule: FieldRule, v: unknown): unknown {
    switch (rule.type) {
      case Kind.INT64:
      case Kind.UINT64:
      case Kind.SINT64:
      case Kind.FIXED64:
      case Kind.SFIXED64:
        return BigInt(v as string);
      case Kind.BYTES:
        // A Buffer is what generated/ codecs hold (env=node) and a Uint8Array for cosmjs-types.
        return Buffer.from(v as string, 'base64');
      case Kind.MESSAGE: {
        if (!rule.any) return this.decodeMessage(rule.message!, v);
        const inner = this.fromAmino(v as AminoMsg);
        const entry = this.byTypeUrl.get(inner.typeUrl)!;
        return { typeUrl: inner.typeUrl, value: Buffer.from(entry.type.encode(inner.value).finish()) };
      }
      default:
        return v;
    }
  }
}

/** ts-proto's key for a proto field name (its `snakeToCamel`): "from_address" → "fromAddress". */
function tsProtoKey(protoName: string): string {
  return protoName
    .split('_')
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

function isEmpty(rule: FieldRule, v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (rule.repeated) return (v as unknown[]).length === 0;
  if (rule.type === Kind.MESSAGE) return false; // set, even if all its fields are zero: written as {}
  if (v instanceof Uint8Array) return v.length === 0;
  return v === '' || v === false || v === 0 || v === 0n;
}

function zeroOf(rule: FieldRule): unknown {
  switch (rule.type) {
    case Kind.STRING:
      return '';
    case Kind.BOOL:
      return false;
    case Kind.BYTES:
      return new Uint8Array();
    case Kind.INT64:
    case Kind.UINT64:
    case Kind.SINT64:
    case Kind.FIXED64:
    case Kind.SFIXED64:
      return 0n;
    default:
      return 0;
  }
}
