/**
 * CometBFT JSON-RPC through the node's own `/rpc` proxy (same origin: no CORS, nothing else to
 * configure), or through its `zones/<n>/rpc` proxies to the other zones it knows. Every call is
 * bounded by a timeout so a stalled node shows as an error, not a hang.
 */
import { rpcCall } from '../../../rpc/json-rpc.js';

export { RpcError } from '../../../rpc/json-rpc.js';

const TIMEOUT_MS = 10_000;

/** This node's own CometBFT RPC proxy; config.json lists the other zones' (`zones/<n>/rpc`). */
export const OWN_RPC = 'rpc';

/** Absolute URL of a proxy on this origin, as cosmjs wants one. */
export function rpcUrl(at: string = OWN_RPC): string {
  return new URL(at, document.baseURI).href.replace(/\/$/, '');
}

/** One JSON-RPC call through the proxy `at`; fails with an RpcError whose message says what went wrong. */
export function rpc<T>(method: string, params: Record<string, unknown> = {}, at: string = OWN_RPC): Promise<T> {
  return rpcCall<T>(rpcUrl(at), method, params, TIMEOUT_MS);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A chain query refused by the app (not found, bad request…), with the app's code and log. */
export class QueryError extends Error {
  constructor(
    readonly path: string,
    readonly code: number,
    readonly codespace: string,
    readonly log: string,
  ) {
    super(log || `query ${path} failed with code ${code}`);
    this.name = 'QueryError';
  }
}

interface AbciQueryResult {
  response: { code: number; log?: string; value?: string | null; codespace?: string };
}

/** One ABCI query (to the RPC proxy `at`): `request` encoded, the answer decoded with the same generated codec pair. */
export async function abciQuery<Req, Res>(
  path: string,
  codec: { request: { encode(message: Req): { finish(): Uint8Array } }; response: { decode(bytes: Uint8Array): Res } },
  request: Req,
  at: string = OWN_RPC,
): Promise<Res> {
  const data = toHex(codec.request.encode(request).finish());
  const { response } = await rpc<AbciQueryResult>('abci_query', { path, data }, at);
  if (response.code) throw new QueryError(path, response.code, response.codespace ?? '', response.log ?? '');
  return codec.response.decode(response.value ? fromBase64(response.value) : new Uint8Array());
}
