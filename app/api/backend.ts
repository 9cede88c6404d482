import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { ChainError } from '../types/errors.js';
import type { ApiMethod, ApiSurface } from './descriptors.js';
import type { MethodAnswer, MethodHandler } from './node-services.js';
import { ApiError, apiErrorOf, GrpcCode } from './status.js';

export interface ApiBackendOptions {
  readonly surface: ApiSurface;
  /** The app's query paths (its router's): each is answered through `query`. */
  readonly queryPaths: readonly string[];
  /** The app's ABCI Query, taken in turn with CometBFT's calls. */
  readonly query: (req: RequestQuery) => Promise<ResponseQuery>;
  /** Methods the node answers itself. */
  readonly nodeHandlers: ReadonlyMap<string, MethodHandler>;
}

/**
 * One implementation behind both doors: the gRPC server and the REST gateway call a method by its
 * path with its encoded request and an optional height; a module query is the app's ABCI query on
 * that same path, anything else a node handler. Failures are ApiErrors with their gRPC code.
 */
export class ApiBackend {
  readonly surface: ApiSurface;
  private readonly handlers = new Map<string, MethodHandler>();

  constructor(options: ApiBackendOptions) {
    this.surface = options.surface;
    const queryPaths = new Set(options.queryPaths);
    for (const method of options.surface.methods) {
      const node = options.nodeHandlers.get(method.path);
      if (node) this.handlers.set(method.path, node);
      else if (queryPaths.has(method.path))
        this.handlers.set(method.path, (data, height) => this.abciQuery(options.query, method.path, data, height));
    }
  }

  /** Whether this node answers the method (every method of the surface is listed; some are not served). */
  serves(method: ApiMethod): boolean {
    return this.handlers.has(method.path);
  }

  async call(method: ApiMethod, request: Uint8Array, height: bigint | undefined): Promise<MethodAnswer> {
    const handler = this.handlers.get(method.path);
    if (!handler) throw new ApiError(GrpcCode.UNIMPLEMENTED, `method ${method.path} is not served by this chain`);
    try {
      return await handler(request, height);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      if (err instanceof ChainError) throw apiErrorOf(err);
      throw new ApiError(GrpcCode.INTERNAL, (err as Error).message ?? String(err));
    }
  }

  private async abciQuery(
    query: ApiBackendOptions['query'],
    path: string,
    data: Uint8Array,
    height: bigint | undefined,
  ): Promise<MethodAnswer> {
    const res = await query({ path, data, height: height ?? 0n, prove: false });
    if (res.code !== 0) throw apiErrorOf(new ChainError(res.codespace, res.code, res.log));
    return { response: res.value, height: res.height };
  }
}

/** Parses the `x-cosmos-block-height` a client sends; absent or 0 means the latest height. */
export function parseHeight(value: string | undefined): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()))
    throw new ApiError(GrpcCode.INVALID_ARGUMENT, `x-cosmos-block-height must be a whole number ≥ 0, got "${value}"`);
  const height = BigInt(value.trim());
  return height === 0n ? undefined : height;
}

/** The metadata / header name the SDK uses for the height of a query. */
export const HEIGHT_HEADER = 'x-cosmos-block-height';
