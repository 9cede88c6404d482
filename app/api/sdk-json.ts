import { create, toJson, type DescField, type DescMessage, type JsonObject, type JsonValue, type Registry } from '@bufbuild/protobuf';
import { WireType } from '@bufbuild/protobuf/wire';

/**
 * Where the SDK's gateway JSON (gogoproto jsonpb with EmitDefaults, of a message decoded from the
 * wire) differs from proto3 JSON with implicit fields emitted, applied to `json` of `schema`:
 * - an unset message field is `null` (a nil pointer), or, when its proto says
 *   `(gogoproto.nullable) = false`, the message at its defaults (a Go struct value);
 * - an empty bytes field is `null` (a nil slice), e.g. `pagination.next_key` on the last page.
 * Unset oneofs stay absent in both. Messages inside `Any` (`@type`) follow the same rules.
 */
export function withSdkDefaults(schema: DescMessage, json: JsonValue, registry: Registry): JsonValue {
  if (!isObject(json) || HAS_OWN_JSON.has(schema.typeName)) return json;
  if (schema.typeName === 'google.protobuf.Any') {
    const typeUrl = json['@type'];
    const packed = typeof typeUrl === 'string' ? registry.getMessage(typeUrl.slice(typeUrl.lastIndexOf('/') + 1)) : undefined;
    return packed ? withSdkDefaults(packed, json, registry) : json;
  }
  const out: JsonObject = { ...json };
  for (const field of schema.fields) {
    if (field.oneof) continue;
    const value = out[field.name];
    if (field.fieldKind === 'message') {
      out[field.name] =
        value === undefined ? unsetMessage(field, field.message, registry) : withSdkDefaults(field.message, value, registry);
    } else if (field.fieldKind === 'scalar' && field.scalar === BYTES && value === '') {
      out[field.name] = null;
    } else if (field.fieldKind === 'list' && field.listKind === 'message' && Array.isArray(value)) {
      out[field.name] = value.map((v) => withSdkDefaults(field.message, v, registry));
    } else if (field.fieldKind === 'map' && field.mapKind === 'message' && isObject(value)) {
      out[field.name] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSdkDefaults(field.message, v, registry)]));
    }
  }
  return out;
}

function unsetMessage(field: DescField, message: DescMessage, registry: Registry): JsonValue {
  if (!isNonNullable(field)) return null;
  const defaults = toJson(message, create(message), { registry, useProtoFieldName: true, alwaysEmitImplicit: true });
  return withSdkDefaults(message, defaults, registry);
}

// ScalarType.BYTES.
const BYTES = 12;
/** `(gogoproto.nullable)`, extension 65001 of FieldOptions: a bool kept as an unknown field. */
const GOGOPROTO_NULLABLE = 65001;

function isNonNullable(field: DescField): boolean {
  const option = field.proto.options?.$unknown?.find((u) => u.no === GOGOPROTO_NULLABLE && u.wireType === WireType.Varint);
  // A bool's varint is one byte on the wire: 0 for false.
  return option !== undefined && option.data[0] === 0;
}

/** Well-known types whose JSON is not an object of their fields. */
const HAS_OWN_JSON = new Set([
  'google.protobuf.Timestamp',
  'google.protobuf.Duration',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.ListValue',
  'google.protobuf.FieldMask',
  'google.protobuf.Empty',
]);

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
