/**
 * CometBFT's JSON-RPC, one call at a time: the request envelope, the reading of an answer and the
 * errors, shared by every client in the project (node tools, API servers, relayer, load generator,
 * web page). Nothing here needs Node: the page imports it too. The load generator sends the same
 * envelope over its own pool of keep-alive sockets (app/loadgen/rpc.ts).
 */
import { BaseError } from '../types/base-error.js';

/** A JSON-RPC call that did not give a result. */
export class RpcError extends BaseError {
  constructor(
    shortMessage: string,
    readonly method: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(shortMessage, options);
  }
}

/** CometBFT answered with a JSON-RPC error (e.g. "tx already exists in cache", "height 9 is not available"). */
export class RpcAnswerError extends RpcError {
  constructor(
    method: string,
    readonly rpcMessage: string,
    /** The error's `data`: CometBFT puts the reason here. */
    readonly data: string,
  ) {
    super(`${method}: ${rpcMessage}${data ? ` (${data})` : ''}`, method);
  }
}

/** CometBFT could not be reached, did not answer in time, or answered with something that is not JSON-RPC. */
export class RpcTransportError extends RpcError {}

/** The body of one JSON-RPC call. */
export function jsonRpcBody(method: string, params: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

/** The `result` of an answer, or the RpcError it stands for (`status`: the HTTP status it came with). */
export function jsonRpcResult<T>(method: string, status: number, body: string): T {
  let parsed: { result?: T; error?: { message?: string; data?: unknown } };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new RpcTransportError(`${method}: HTTP ${status} with a body that is not JSON`, method, { details: body.slice(0, 200) });
  }
  if (parsed.error) throw new RpcAnswerError(method, String(parsed.error.message ?? 'error'), String(parsed.error.data ?? ''));
  if (parsed.result === undefined) throw new RpcTransportError(`${method}: HTTP ${status} without a result`, method);
  return parsed.result;
}

/** One call (POST) to the CometBFT RPC at `url`, bounded by `timeoutMs`; resolves with its `result`. */
export async function rpcCall<T = unknown>(
  url: string,
  method: string,
  params: Record<string, unknown> = {},
  timeoutMs = 5000,
): Promise<T> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonRpcBody(method, params),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.text();
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
    throw new RpcTransportError(
      timedOut ? `${method}: ${url} did not answer within ${timeoutMs} ms` : `${method}: cannot reach ${url}`,
      method,
      { cause: err, details: timedOut ? undefined : (err as Error).message },
    );
  }
  return jsonRpcResult<T>(method, response.status, body);
}
