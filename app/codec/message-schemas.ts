import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import {
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FileDescriptorSetSchema,
  type DescriptorProto,
} from '@bufbuild/protobuf/wkt';

/** Protobuf wire types. */
export const WireType = { VARINT: 0, FIXED64: 1, LEN: 2, START_GROUP: 3, END_GROUP: 4, FIXED32: 5 } as const;

/** What one field of a message accepts on the wire, and where the walk goes inside it. */
export interface FieldRule {
  /** The field's name, for error messages. */
  readonly name: string;
  /** The wire type of one element. */
  readonly wireType: number;
  /** A repeated numeric field may also come packed (one LEN record). */
  readonly packable: boolean;
  /** The message type of a message field, linked after loading; undefined for scalars. */
  message?: MessageSchema;
  /** A google.protobuf.Any field, whose value is resolved by type URL. */
  readonly any: boolean;
  /** The descriptor's field type (scalar kind, enum or message), for encoders that need more than the wire type. */
  readonly type: FieldDescriptorProto_Type;
  readonly repeated: boolean;
}

/** The known fields of one message type, by field number. */
export interface MessageSchema {
  /** Fully qualified name, e.g. "cosmos.bank.v1beta1.MsgSend". */
  readonly name: string;
  readonly fields: ReadonlyMap<number, FieldRule>;
}

const ANY = 'google.protobuf.Any';

/**
 * Message schemas by full name, compiled once from FileDescriptorSets into per-type tables of
 * field numbers, wire types and nested message types: what the tx decoder's unknown-field check
 * needs on its hot path, with no descriptor lookups left to do per tx.
 */
export class MessageSchemas {
  private readonly byName = new Map<string, MessageSchema>();
  private readonly pendingLinks: { rule: FieldRule; typeName: string; owner: string }[] = [];

  /** `sets` are serialized google.protobuf.FileDescriptorSets (what `buf build -o` writes). */
  constructor(sets: readonly Uint8Array[]) {
    for (const bytes of sets) {
      for (const file of fromBinary(FileDescriptorSetSchema, bytes).file) {
        for (const message of file.messageType) this.add(file.package, message);
      }
    }
    for (const { rule, typeName, owner } of this.pendingLinks) {
      const target = this.byName.get(typeName);
      if (!target) throw new Error(`message schemas: ${owner}.${rule.name} refers to ${typeName}, which no descriptor defines`);
      rule.message = target;
    }
    this.pendingLinks.length = 0;
  }

  /** The schema of a message by full name, or undefined when no descriptor defines it. */
  get(name: string): MessageSchema | undefined {
    return this.byName.get(name);
  }

  /** The schema an Any's type URL names ("/cosmos.bank.v1beta1.MsgSend"), as the SDK's interface registry resolves it. */
  resolveTypeUrl(typeUrl: string): MessageSchema | undefined {
    return typeUrl.startsWith('/') ? this.byName.get(typeUrl.slice(1)) : undefined;
  }

  private add(scope: string, message: DescriptorProto): void {
    const name = scope ? `${scope}.${message.name}` : message.name;
    const fields = new Map<number, FieldRule>();
    for (const field of message.field) {
      const typeName = field.typeName.replace(/^\./, '');
      const isMessage = field.type === FieldDescriptorProto_Type.MESSAGE;
      const wireType = wireTypeOf(field.type);
      const rule: FieldRule = {
        name: field.name,
        wireType,
        packable: field.label === FieldDescriptorProto_Label.REPEATED && wireType !== WireType.LEN && wireType !== WireType.START_GROUP,
        any: isMessage && typeName === ANY,
        type: field.type,
        repeated: field.label === FieldDescriptorProto_Label.REPEATED,
      };
      if (isMessage) this.pendingLinks.push({ rule, typeName, owner: name });
      fields.set(field.number, rule);
    }
    const existing = this.byName.get(name);
    if (existing && !sameFields(existing.fields, fields)) throw new Error(`message schemas: ${name} is defined twice, differently`);
    if (!existing) this.byName.set(name, { name, fields });
    for (const nested of message.nestedType) this.add(name, nested);
  }
}

function wireTypeOf(type: FieldDescriptorProto_Type): number {
  switch (type) {
    case FieldDescriptorProto_Type.DOUBLE:
    case FieldDescriptorProto_Type.FIXED64:
    case FieldDescriptorProto_Type.SFIXED64:
      return WireType.FIXED64;
    case FieldDescriptorProto_Type.FLOAT:
    case FieldDescriptorProto_Type.FIXED32:
    case FieldDescriptorProto_Type.SFIXED32:
      return WireType.FIXED32;
    case FieldDescriptorProto_Type.STRING:
    case FieldDescriptorProto_Type.BYTES:
    case FieldDescriptorProto_Type.MESSAGE:
      return WireType.LEN;
    case FieldDescriptorProto_Type.GROUP:
      return WireType.START_GROUP;
    default:
      return WireType.VARINT; // int32/64, uint32/64, sint32/64, bool, enum
  }
}

function sameFields(a: ReadonlyMap<number, FieldRule>, b: ReadonlyMap<number, FieldRule>): boolean {
  if (a.size !== b.size) return false;
  for (const [number, rule] of a) {
    const other = b.get(number);
    if (!other || other.wireType !== rule.wireType || other.any !== rule.any) return false;
  }
  return true;
}

/** generated/descriptors.binpb: our messages and every upstream message a tx can carry (`npm run proto:gen`). */
export const CORE_DESCRIPTORS: Uint8Array = readFileSync(new URL('../../generated/descriptors.binpb', import.meta.url));

/** The schemas of the core modules' messages and the tx envelope; a chain adds its extra modules' own. */
export const coreSchemas = new MessageSchemas([CORE_DESCRIPTORS]);
