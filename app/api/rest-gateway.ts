import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  fromBinary,
  fromJson,
  toBinary,
  toJson,
  type DescField,
  type DescMessage,
  type JsonValue,
  type Registry,
} from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import { HEIGHT_HEADER, parseHeight, type ApiBackend } from './backend.js';
import type { ApiMethod, HttpBinding } from './descriptors.js';
import type { ApiServer } from './grpc-server.js';
import { openApiDocument } from './openapi.js';
import { withSdkDefaults } from './sdk-json.js';
import { ApiError, GrpcCode, httpStatusOf } from './status.js';

/** Where the gateway serves its OpenAPI document. */
export const OPENAPI_PATH = '/swagger/openapi.json';

/**
 * Proto3 JSON as the SDK's gateway writes it (gogoproto jsonpb with OrigName and EmitDefaults):
 * proto field names, fields at their default value included, 64-bit integers as strings, enums by
 * name, `Any` with `@type`, and unset messages and empty bytes as the SDK writes them (sdk-json.ts).
 */
export function renderJson(schema: DescMessage, bytes: Uint8Array, registry: Registry): JsonValue {
  const json = toJson(schema, fromBinary(schema, bytes), { registry, useProtoFieldName: true, alwaysEmitImplicit: true });
  return withSdkDefaults(schema, json, registry);
}

interface Route {
  readonly method: ApiMethod;
  readonly binding: HttpBinding;
  readonly pattern: RegExp;
  /** Field paths of the template's variables, in order. */
  readonly variables: readonly string[];
  readonly literals: number;
}

/** A path template ("/cosmos/bank/v1beta1/balances/{address}", "{denom=**}") as a matcher. */
function compileRoute(method: ApiMethod, binding: HttpBinding): Route {
  const variables: string[] = [];
  let literals = 0;
  const source = binding.template
    .replace(/:[A-Za-z_]+$/, '')
    .split('/')
    .map((segment) => {
      const variable = /^\{([^}=]+)(?:=([^}]*))?\}$/.exec(segment);
      if (!variable) {
        if (segment) literals++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      variables.push(variable[1]!);
      return variable[2]?.includes('**') ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { method, binding, pattern: new RegExp(`^${source}$`), variables, literals };
}

export interface RestGatewayOptions {
  readonly backend: ApiBackend;
  /** host:port */
  readonly address: string;
  /** Origins allowed by CORS ("*" for any); empty: no CORS headers. */
  readonly corsAllowedOrigins: readonly string[];
  readonly logger: Logger;
}

/** The REST gateway: the `google.api.http` routes of the API surface, answered by the backend. */
export async function startRestGateway(options: RestGatewayOptions): Promise<ApiServer> {
  const { backend } = options;
  const { registry } = backend.surface;
  // The route with more literal segments wins ("/blocks/latest" over "/blocks/{height}").
  const routes = backend.surface.methods.flatMap((m) => m.http.map((b) => compileRoute(m, b))).sort((a, b) => b.literals - a.literals);
  const openApi = JSON.stringify(openApiDocument(backend.surface));

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      options.logger.error({ url: req.url, err: (err as Error).message }, 'REST request failed');
      if (!res.headersSent) sendError(res, new ApiError(GrpcCode.INTERNAL, (err as Error).message));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    cors(req, res, options.corsAllowedOrigins);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === OPENAPI_PATH) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(openApi);
      return;
    }
    let pathMatched = false;
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.binding.verb !== req.method) continue;
      try {
        const body = route.binding.body ? await readBody(req) : undefined;
        const request = buildRequest(route, match, url.searchParams, body, registry);
        const height = parseHeight(headerValue(req.headers[HEIGHT_HEADER]));
        const answer = await backend.call(route.method, request, height);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.height !== undefined) {
          headers[HEIGHT_HEADER] = String(answer.height);
          headers[`grpc-metadata-${HEIGHT_HEADER}`] = String(answer.height);
        }
        res.writeHead(200, headers).end(JSON.stringify(renderJson(route.method.output, answer.response, registry)));
      } catch (err) {
        sendError(res, err instanceof ApiError ? err : new ApiError(GrpcCode.INTERNAL, (err as Error).message));
      }
      return;
    }
    if (pathMatched) sendError(res, new ApiError(GrpcCode.UNIMPLEMENTED, `method ${req.method} is not allowed on ${url.pathname}`), 405);
    else sendError(res, new ApiError(GrpcCode.NOT_FOUND, 'Not Found'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const at = options.address.lastIndexOf(':');
    server.listen(Number(options.address.slice(at + 1)), options.address.slice(0, at), () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    address: `${options.address.slice(0, options.address.lastIndexOf(':'))}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** grpc-gateway's error body. */
function sendError(res: http.ServerResponse, err: ApiError, status = httpStatusOf(err.grpcCode)): void {
  res
    .writeHead(status, { 'content-type': 'application/json' })
    .end(JSON.stringify({ code: err.grpcCode, message: err.message, details: [] }));
}

function cors(req: http.IncomingMessage, res: http.ServerResponse, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (!origin || allowed.length === 0) return;
  if (!allowed.includes('*') && !allowed.includes(origin)) return;
  res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS');
  res.setHeader('access-control-allow-headers', `content-type, ${HEIGHT_HEADER}`);
  res.setHeader('access-control-expose-headers', `${HEIGHT_HEADER}, grpc-metadata-${HEIGHT_HEADER}`);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const MAX_BODY = 4 * 1024 * 1024;

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(GrpcCode.RESOURCE_EXHAUSTED, `request body exceeds ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `request body is not JSON: ${(err as Error).message}`);
  }
}

/** The request message from the body, the path's variables and the query string, encoded. */
function buildRequest(route: Route, match: RegExpExecArray, query: URLSearchParams, body: unknown, registry: Registry): Uint8Array {
  const input = route.method.input;
  let json: Record<string, unknown> = {};
  if (route.binding.body === '*') json = (body ?? {}) as Record<string, unknown>;
  else if (route.binding.body) json = { [route.binding.body]: body };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, 'request body must be a JSON object');
  route.variables.forEach((name, i) => assign(input, json, name, decodeURIComponent(match[i + 1]!), true));
  if (!route.binding.body || route.binding.body !== '*') {
    for (const [name, value] of query) assign(input, json, name, value, false);
  }
  try {
    return toBinary(input, fromJson(input, json as JsonValue, { registry }));
  } catch (err) {
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, (err as Error).message);
  }
}

/** Sets `path` ("pagination.limit") in the JSON request, typed as the field it names. */
function assign(schema: DescMessage, json: Record<string, unknown>, path: string, value: string, fromPath: boolean): void {
  const names = path.split('.');
  let message = schema;
  let target = json;
  for (let i = 0; i < names.length; i++) {
    const field = message.fields.find((f) => f.name === names[i] || f.jsonName === names[i]);
    if (!field)
      throw new ApiError(
        GrpcCode.INVALID_ARGUMENT,
        `${fromPath ? 'path variable' : 'query parameter'} "${path}" names no field of ${schema.typeName}`,
      );
    if (i < names.length - 1) {
      if (field.fieldKind !== 'message') throw new ApiError(GrpcCode.INVALID_ARGUMENT, `"${path}": ${field.name} is not a message`);
      target = (target[field.name] ??= {}) as Record<string, unknown>;
      message = field.message;
      continue;
    }
    const typed = scalarJson(field, value);
    if (field.fieldKind === 'list') {
      const list = (target[field.name] ??= []) as unknown[];
      // A path variable or repeated parameter may also carry a comma-separated list.
      list.push(...(fromPath ? value.split(',').map((v) => scalarJson(field, v)) : [typed]));
    } else target[field.name] = typed;
  }
}

function scalarJson(field: DescField, value: string): unknown {
  const kind = field.fieldKind === 'list' ? field.listKind : field.fieldKind;
  if (kind === 'enum' && /^\d+$/.test(value)) return Number(value);
  // ScalarType.BOOL is 8.
  if (kind === 'scalar' && (field as { scalar?: number }).scalar === 8) return value === 'true' || value === '1';
  return value;
}
