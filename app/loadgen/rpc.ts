/**
 * CometBFT JSON-RPC over keep-alive HTTP (node:http, a fixed pool of sockets): cheaper per request
 * than fetch, and the pool size is the "connections" the load uses. The envelope, the reading of an
 * answer and the errors are app/rpc's, as for every other client.
 */
import http from 'node:http';
import { RpcTransportError, jsonRpcBody, jsonRpcResult } from '../rpc/json-rpc.js';

export { RpcAnswerError, RpcTransportError } from '../rpc/json-rpc.js';

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
    const body = jsonRpcBody(method, params);
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
            try {
              resolve(jsonRpcResult<T>(method, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
            } catch (err) {
              reject(err);
            }
          });
          res.on('error', (e) => reject(new RpcTransportError(`${method}: ${e.message}`, method, { cause: e })));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', (e) => reject(new RpcTransportError(`${method}: ${e.message}`, method, { cause: e })));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
