import { readFileSync } from 'node:fs';
import { createFileRegistry, fromBinary, toBinary, type DescMessage, type FileRegistry } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type MethodOptions } from '@bufbuild/protobuf/wkt';

/** The file `npm run proto:gen` writes into generated/: every service the node serves, whole. */
export const API_DESCRIPTORS_FILE = 'api-descriptors.binpb';

/** Services the node answers itself (over CometBFT's RPC), not through a module's query path. */
export const NODE_SERVICES = ['cosmos.tx.v1beta1.Service', 'cosmos.base.tendermint.v1beta1.Service'];

/** One `google.api.http` binding of a method: verb, path template and where the body goes. */
export interface HttpBinding {
  readonly verb: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  readonly template: string;
  /** "" (no body), "*" (the whole request) or a top-level field name. */
  readonly body: string;
}

export interface ApiMethod {
  /** "cosmos.bank.v1beta1.Query" */
  readonly service: string;
  readonly name: string;
  /** The gRPC path, which is also the ABCI query path: "/cosmos.bank.v1beta1.Query/Balance". */
  readonly path: string;
  readonly input: DescMessage;
  readonly output: DescMessage;
  readonly http: readonly HttpBinding[];
}

/** The API surface: a registry of every type it uses (for JSON and `Any`), its methods, its files. */
export interface ApiSurface {
  readonly registry: FileRegistry;
  readonly methods: readonly ApiMethod[];
  readonly services: readonly string[];
  /** Each file's encoded FileDescriptorProto, for server reflection. */
  readonly fileDescriptorProtos: readonly Buffer[];
}

let cached: ApiSurface | undefined;

export function loadApiSurface(): ApiSurface {
  cached ??= apiSurfaceFrom(readFileSync(new URL(`../../generated/${API_DESCRIPTORS_FILE}`, import.meta.url)));
  return cached;
}

export function apiSurfaceFrom(bytes: Uint8Array): ApiSurface {
  const set = fromBinary(FileDescriptorSetSchema, bytes);
  const registry = createFileRegistry(set);
  const methods: ApiMethod[] = [];
  const services: string[] = [];
  for (const file of registry.files) {
    for (const service of file.services) {
      services.push(service.typeName);
      for (const method of service.methods) {
        methods.push({
          service: service.typeName,
          name: method.name,
          path: `/${service.typeName}/${method.name}`,
          input: method.input,
          output: method.output,
          http: httpBindings(method.proto.options, file.proto.package, method.name),
        });
      }
    }
  }
  return {
    registry,
    methods,
    services: services.sort(),
    fileDescriptorProtos: set.file.map((f) => Buffer.from(toBinary(FileDescriptorProtoSchema, f))),
  };
}

/** google.api.http, extension 72295728 of MethodOptions, kept as an unknown field of the options. */
const HTTP_EXTENSION = 72295728;
const VERB_FIELDS: Record<number, HttpBinding['verb']> = { 2: 'GET', 3: 'PUT', 4: 'POST', 5: 'DELETE', 6: 'PATCH' };

/**
 * A method's REST bindings: its `google.api.http` rules, or, for a method that has none (our own
 * modules' queries), `GET /<package path>/<method in snake case>` with the request's fields as
 * query parameters, e.g. GET /parazone/drugregistry/v1/unit_history?unit_id=….
 */
function httpBindings(options: MethodOptions | undefined, pkg: string, method: string): HttpBinding[] {
  const bindings: HttpBinding[] = [];
  for (const field of options?.$unknown ?? []) {
    if (field.no === HTTP_EXTENSION && field.wireType === WireType.LengthDelimited) {
      // An unknown field's data is its value as on the wire: here, length-prefixed.
      bindings.push(...httpRule(new BinaryReader(field.data).bytes()));
    }
  }
  if (bindings.length === 0) {
    const snake = method.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    bindings.push({ verb: 'GET', template: `/${pkg.split('.').join('/')}/${snake}`, body: '' });
  }
  return bindings;
}

/** A google.api.HttpRule: one binding plus its additional_bindings (field 11). */
function httpRule(bytes: Uint8Array): HttpBinding[] {
  const reader = new BinaryReader(bytes);
  let verb: HttpBinding['verb'] | undefined;
  let template = '';
  let body = '';
  const more: HttpBinding[] = [];
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (VERB_FIELDS[no] && wireType === WireType.LengthDelimited) {
      verb = VERB_FIELDS[no];
      template = reader.string();
    } else if (no === 7 && wireType === WireType.LengthDelimited) body = reader.string();
    else if (no === 11 && wireType === WireType.LengthDelimited) more.push(...httpRule(reader.bytes()));
    else reader.skip(wireType);
  }
  return [...(verb ? [{ verb, template, body }] : []), ...more];
}
