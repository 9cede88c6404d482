import { fromJson, type DescMessage, type JsonValue, type MessageShape, type Registry } from '@bufbuild/protobuf';

/**
 * CometBFT's RPC JSON (amino JSON: hashes and addresses as hex, other bytes as base64, a few
 * renamed fields) read into the proto message of the same data, by walking the message's schema.
 */
export function fromCometJson<Desc extends DescMessage>(schema: Desc, value: unknown, registry: Registry): MessageShape<Desc> {
  return fromJson(schema, toProtoJson(schema, value) as JsonValue, { registry, ignoreUnknownFields: true });
}

/** Where CometBFT's JSON names a field differently from the proto. */
const RENAMED: Record<string, string> = { part_set_header: 'parts', default_node_id: 'id' };
/** Bytes CometBFT writes as hex (its HexBytes type). */
const HEX_BYTES = /(^|_)(hash|address)$|^channels$/;

function toProtoJson(schema: DescMessage, value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (schema.typeName === 'google.protobuf.Timestamp') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of schema.fields) {
    const raw = source[field.name] ?? source[RENAMED[field.name] ?? ''];
    if (raw === undefined || raw === null) continue;
    const one = (v: unknown): unknown => {
      if (field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message')) {
        return toProtoJson(field.message!, v);
      }
      if (typeof v === 'string' && isBytes(field) && HEX_BYTES.test(field.name)) return Buffer.from(v, 'hex').toString('base64');
      return v;
    };
    out[field.name] = Array.isArray(raw) ? raw.map(one) : one(raw);
  }
  return out;
}

function isBytes(field: DescMessage['fields'][number]): boolean {
  // ScalarType.BYTES is 12.
  return (
    (field.fieldKind === 'scalar' && field.scalar === 12) ||
    (field.fieldKind === 'list' && field.listKind === 'scalar' && field.scalar === 12)
  );
}
