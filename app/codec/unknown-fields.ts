import { ErrTxDecode } from '../types/errors.js';
import { WireType, type MessageSchema, type MessageSchemas } from './message-schemas.js';

/** ADR-020: field numbers with bit 11 set are non-critical, which a reader may ignore. */
const NON_CRITICAL_BIT = 0x400;
/** Deeper nesting than any real tx has; it keeps a hostile one from exhausting the stack. */
const MAX_DEPTH = 100;

const WIRE_NAMES = ['varint', 'fixed64', 'bytes', 'start_group', 'end_group', 'fixed32'];
const utf8 = new TextDecoder();

/**
 * Refuses protobuf bytes holding a field that `schema` does not define, or a known field with
 * the wrong wire type, at every depth: inside nested messages and inside Anys, whose type URL
 * must name a message `schemas` knows (as the SDK's RejectUnknownFields resolves them through
 * the interface registry). With `allowNonCritical`, unknown fields numbered with bit 11 set are
 * skipped, at every depth, as the SDK allows in TxBody. Throws ErrTxDecode (2) naming the type
 * and the field; reads the bytes without decoding any value.
 */
export function rejectUnknownFields(bytes: Uint8Array, schema: MessageSchema, schemas: MessageSchemas, allowNonCritical: boolean): void {
  new Walk(bytes, schemas, allowNonCritical).message(0, bytes.length, schema, 0);
}

class Walk {
  private pos = 0;
  /** Where the last Any walked keeps its type_url (1) and value (2); the last occurrence wins. */
  private typeUrlStart = 0;
  private typeUrlEnd = 0;
  private valueStart = 0;
  private valueEnd = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly schemas: MessageSchemas,
    private readonly allowNonCritical: boolean,
  ) {}

  message(start: number, end: number, schema: MessageSchema, depth: number, isAny = false): void {
    if (depth > MAX_DEPTH) throw ErrTxDecode.wrap(`${schema.name}: messages nested deeper than ${MAX_DEPTH}`);
    this.pos = start;
    while (this.pos < end) {
      const tag = this.varint(end, schema);
      const number = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (number === 0 || number > 0x1fffffff) throw this.fail(schema, `invalid field number ${number}`);
      const rule = schema.fields.get(number);
      if (rule === undefined) {
        if (!this.allowNonCritical || (number & NON_CRITICAL_BIT) === 0) {
          throw this.fail(schema, `unknown field ${number} (wire type ${wireName(wireType)})`);
        }
        this.skip(wireType, end, schema, number);
        continue;
      }
      if (wireType !== rule.wireType && !(rule.packable && wireType === WireType.LEN)) {
        throw this.fail(schema, `field ${number} (${rule.name}) has wire type ${wireName(wireType)}, expected ${wireName(rule.wireType)}`);
      }
      if (wireType !== WireType.LEN) {
        this.skip(wireType, end, schema, number);
        continue;
      }
      const length = this.varint(end, schema);
      if (length > end - this.pos)
        throw this.fail(schema, `field ${number} (${rule.name}) claims ${length} bytes, only ${end - this.pos} left`);
      const fieldEnd = this.pos + length;
      if (rule.message === undefined) {
        if (isAny && number === 1) {
          this.typeUrlStart = this.pos;
          this.typeUrlEnd = fieldEnd;
        } else if (isAny && number === 2) {
          this.valueStart = this.pos;
          this.valueEnd = fieldEnd;
        }
      } else if (rule.any) this.any(this.pos, fieldEnd, rule.message, depth + 1);
      else this.message(this.pos, fieldEnd, rule.message, depth + 1);
      this.pos = fieldEnd;
    }
  }

  /** Checks the Any itself, then its value against the message its type URL names. */
  private any(start: number, end: number, anySchema: MessageSchema, depth: number): void {
    this.typeUrlStart = this.typeUrlEnd = this.valueStart = this.valueEnd = start;
    this.message(start, end, anySchema, depth, true);
    const typeUrl = text(this.bytes, this.typeUrlStart, this.typeUrlEnd);
    const target = this.schemas.resolveTypeUrl(typeUrl);
    if (!target) throw ErrTxDecode.wrap(`unable to resolve type URL "${typeUrl}" in ${anySchema.name}`);
    this.message(this.valueStart, this.valueEnd, target, depth);
  }

  private skip(wireType: number, end: number, schema: MessageSchema, number: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.varint(end, schema);
        return;
      case WireType.FIXED64:
        if (end - this.pos < 8) throw this.fail(schema, `field ${number}: truncated fixed64`);
        this.pos += 8;
        return;
      case WireType.LEN: {
        const length = this.varint(end, schema);
        if (length > end - this.pos) throw this.fail(schema, `field ${number} claims ${length} bytes, only ${end - this.pos} left`);
        this.pos += length;
        return;
      }
      case WireType.FIXED32:
        if (end - this.pos < 4) throw this.fail(schema, `field ${number}: truncated fixed32`);
        this.pos += 4;
        return;
      default:
        // Groups are proto2-only; no message a tx carries has one.
        throw this.fail(schema, `field ${number} has unsupported wire type ${wireName(wireType)}`);
    }
  }

  /** Reads a varint; values above 2^53 only occur as payloads, which are skipped, not used. */
  private varint(end: number, schema: MessageSchema): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) throw this.fail(schema, 'truncated varint');
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 128;
    }
    throw this.fail(schema, 'varint longer than 10 bytes');
  }

  private fail(schema: MessageSchema, what: string) {
    return ErrTxDecode.wrap(`${schema.name}: ${what} at byte ${this.pos}`);
  }
}

/** A type URL as a string; type URLs are ASCII, so the common case skips the TextDecoder. */
function text(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return utf8.decode(bytes.subarray(start, end));
    out += String.fromCharCode(byte);
  }
  return out;
}

function wireName(wireType: number): string {
  return WIRE_NAMES[wireType] ?? `unknown (${wireType})`;
}
