import { ScalarType, type DescField, type DescMessage } from '@bufbuild/protobuf';
import type { ApiSurface } from './descriptors.js';

type Schema = Record<string, unknown>;

/**
 * An OpenAPI 3 document of the REST gateway, from the same descriptors as its routes: one
 * operation per HTTP binding, the request's fields as path / query parameters or body, and a
 * schema per message in its proto3 JSON shape.
 */
export function openApiDocument(surface: ApiSurface): Schema {
  const schemas: Record<string, Schema> = {};
  const paths: Record<string, Record<string, Schema>> = {};
  const ref = (message: DescMessage): Schema => {
    addSchema(message, schemas);
    return { $ref: `#/components/schemas/${message.typeName}` };
  };
  for (const method of surface.methods) {
    method.http.forEach((binding, i) => {
      const variables = [...binding.template.matchAll(/\{([^}=]+)(?:=[^}]*)?\}/g)].map((m) => m[1]!);
      const path = binding.template.replace(/\{([^}=]+)(?:=[^}]*)?\}/g, '{$1}');
      const parameters: Schema[] = variables.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      if (!binding.body) {
        for (const field of method.input.fields) {
          if (variables.includes(field.name)) continue;
          if (field.fieldKind === 'message' && !isJsonScalarMessage(field.message)) {
            for (const sub of field.message.fields) {
              if (sub.fieldKind !== 'message')
                parameters.push({ name: `${field.name}.${sub.name}`, in: 'query', required: false, schema: fieldSchema(sub, ref) });
            }
          } else parameters.push({ name: field.name, in: 'query', required: false, schema: fieldSchema(field, ref) });
        }
      }
      const operation: Schema = {
        operationId: `${method.service}.${method.name}${i > 0 ? `_${i}` : ''}`,
        tags: [method.service],
        parameters: [...parameters, { name: 'x-cosmos-block-height', in: 'header', required: false, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'A successful response.', content: { 'application/json': { schema: ref(method.output) } } },
          default: {
            description: 'An error response.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Status' } } },
          },
        },
      };
      if (binding.body) operation.requestBody = { required: true, content: { 'application/json': { schema: ref(method.input) } } };
      (paths[path] ??= {})[binding.verb.toLowerCase()] = operation;
    });
  }
  schemas.Status = {
    type: 'object',
    properties: { code: { type: 'integer' }, message: { type: 'string' }, details: { type: 'array', items: { type: 'object' } } },
  };
  return { openapi: '3.0.3', info: { title: 'Parazone REST API', version: 'v1' }, paths, components: { schemas } };
}

const JSON_STRINGS = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration']);

function isJsonScalarMessage(message: DescMessage): boolean {
  return JSON_STRINGS.has(message.typeName);
}

function addSchema(message: DescMessage, schemas: Record<string, Schema>): void {
  if (schemas[message.typeName]) return;
  if (message.typeName === 'google.protobuf.Any') {
    schemas[message.typeName] = { type: 'object', properties: { '@type': { type: 'string' } }, additionalProperties: true };
    return;
  }
  if (isJsonScalarMessage(message)) {
    schemas[message.typeName] = { type: 'string', ...(message.typeName.endsWith('Timestamp') ? { format: 'date-time' } : {}) };
    return;
  }
  const properties: Record<string, Schema> = {};
  schemas[message.typeName] = { type: 'object', properties };
  const ref = (m: DescMessage): Schema => {
    addSchema(m, schemas);
    return { $ref: `#/components/schemas/${m.typeName}` };
  };
  for (const field of message.fields) properties[field.name] = fieldSchema(field, ref);
}

function fieldSchema(field: DescField, ref: (m: DescMessage) => Schema): Schema {
  switch (field.fieldKind) {
    case 'list':
      return {
        type: 'array',
        items:
          field.listKind === 'message'
            ? ref(field.message)
            : field.listKind === 'enum'
              ? enumSchema(field.enum.values.map((v) => v.name))
              : scalarSchema(field.scalar),
      };
    case 'map':
      return {
        type: 'object',
        additionalProperties:
          field.mapKind === 'message'
            ? ref(field.message)
            : field.mapKind === 'enum'
              ? enumSchema(field.enum.values.map((v) => v.name))
              : scalarSchema(field.scalar),
      };
    case 'message':
      return ref(field.message);
    case 'enum':
      return enumSchema(field.enum.values.map((v) => v.name));
    case 'scalar':
      return scalarSchema(field.scalar);
  }
}

function enumSchema(values: string[]): Schema {
  return { type: 'string', enum: values };
}

function scalarSchema(scalar: ScalarType): Schema {
  switch (scalar) {
    case ScalarType.BOOL:
      return { type: 'boolean' };
    case ScalarType.STRING:
      return { type: 'string' };
    case ScalarType.BYTES:
      return { type: 'string', format: 'byte' };
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return { type: 'number' };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: 'integer', format: 'int32' };
    default:
      // 64-bit integers are strings in proto3 JSON.
      return { type: 'string', format: 'int64' };
  }
}
