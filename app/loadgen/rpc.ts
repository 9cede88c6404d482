/**
 * A lean JSON-RPC client for CometBFT over keep-alive HTTP (node:http, a fixed pool of sockets):
 * cheaper per request than fetch, and the pool size is the "connections" the load uses.
 */
import { BaseError } from '../types/base-error.js';
import http from 'node:http';

/** CometBFT's RPC could not be reached or answered with something other than JSON-RPC. */
export class RpcTransportError extends BaseError {}

/** A JSON-RPC error answered by CometBFT (e.g. "mempool is full"). */
export class RpcAnswerError extends BaseError {
  constructor(
    message: string,
    readonly data: string,
  ) {
    super(message);
  }
}

export class RpcPool {
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly basePath: string;

  constructor(
    readonly url: string,
    connections: number,
  ) {
    const u = new URL(url);
    if (u.protocol !== 'http:') throw new Error(`loadgen speaks plain http to CometBFT RPC; got ${url}`);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.basePath = u.pathname.replace(/\/$/, '');
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** POSTs one JSON-RPC call; resolves with `result`, rejects with RpcAnswerError or RpcTransportError. */
  call<T>(method: string, params: Record<string, unknown>, timeoutMs = 30_000): Promise<T> {
    const body = `{"jsonrpc":"2.0","id":1,"method":"${method}","params":${JSON.stringify(params)}}`;
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          path: this.basePath || '/',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            let parsed: { result?: T; error?: { message: string; data?: string } };
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof parsed;
            } catch {
              reject(new RpcTransportError(`${method}: HTTP ${res.statusCode} with a body that is not JSON`));
              return;
            }
            if (parsed.error)
              reject(new RpcAnswerError(`${parsed.error.message}: ${parsed.error.data ?? ''}`, String(parsed.error.data ?? '')));
            else if (parsed.result === undefined) reject(new RpcTransportError(`${method}: HTTP ${res.statusCode} without a result`));
            else resolve(parsed.result);
          });
          res.on('error', (e) => reject(new RpcTransportError(`${method}: ${e.message}`)));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new RpcTransportError(`${method}: ${e.message}`)));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
