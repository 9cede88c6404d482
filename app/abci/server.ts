/**
 * ABCI 2.0 socket server for CometBFT v0.38 (the "CometBFT Socket Protocol").
 *
 * CometBFT opens four connections (query, snapshot, mempool, consensus). On each one it matches
 * every response to its oldest outstanding request and stops the whole node on any mismatch,
 * undecodable byte or ResponseException. So, per connection:
 *  - requests are answered strictly in arrival order, one response each, with the same oneof case;
 *  - `Flush` is answered after every earlier response, in the same socket write;
 *  - `Echo` echoes;
 *  - pipelined requests (the mempool's async CheckTx) are processed back to back — a run of
 *    CheckTx goes to the app's `checkTxBatch` at once when it has one — and all answers produced
 *    in one event-loop turn leave in a single write (Nagle off, no per-response syscall), encoded
 *    straight into one buffer (FrameWriter).
 * Across connections one global async mutex serialises application calls, like the Go server's
 * appMtx, so handlers never interleave at their `await`s.
 */
import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { pino, type Logger } from 'pino';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import '../codec/cosmjs-types-writer.js'; // exact-size protobuf buffers for every response, see that file
import { APPLICATION_METHODS, type AbciApplication, type ApplicationMethod } from './application.js';
import { FrameDecoder, FrameWriter } from './framing.js';
import { AsyncMutex } from './mutex.js';

export type AbciAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** Parses `tcp://host:port` or `unix:///abs/path.sock` (the forms CometBFT's `proxy_app` accepts). */
export function parseAbciAddress(address: string): AbciAddress {
  if (address.startsWith('unix://')) {
    const path = address.slice('unix://'.length);
    if (!path.startsWith('/')) throw new Error(`ABCI address ${address}: unix socket path must be absolute (unix:///path)`);
    return { kind: 'unix', path };
  }
  const match = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(address);
  if (!match) {
    throw new Error(`ABCI address ${JSON.stringify(address)} is not tcp://host:port or unix:///path`);
  }
  const port = Number(match[2]);
  if (port > 65535) throw new Error(`ABCI address ${address}: port out of range`);
  return { kind: 'tcp', host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export function formatAbciAddress(address: AbciAddress): string {
  if (address.kind === 'unix') return `unix://${address.path}`;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `tcp://${host}:${address.port}`;
}

export interface AbciServerOptions {
  app: AbciApplication;
  /** Defaults to pino at level `info` on stderr. */
  logger?: Logger;
  /** Largest accepted request frame; defaults to DEFAULT_MAX_FRAME_BYTES (128 MiB). */
  maxFrameBytes?: number;
  /** How long `close()` lets connections drain after ending them before destroying them. */
  closeGraceMs?: number;
}

/** Responses are written at least this often while a long pipeline is being answered. */
const WRITE_BATCH_BYTES = 256 * 1024;

/** Most back-to-back CheckTx requests handed to the app's checkTxBatch at once (bounds a burst's latency). */
const MAX_CHECK_TX_BATCH = 256;

type RequestKind = ApplicationMethod | 'echo' | 'flush';

/** The oneof case a decoded Request carries; requests and responses share their case names. */
function requestKind(req: Request): RequestKind | undefined {
  if (req.flush !== undefined) return 'flush';
  if (req.echo !== undefined) return 'echo';
  for (const method of APPLICATION_METHODS) {
    if (req[method] !== undefined) return method;
  }
  return undefined;
}

export class AbciServer {
  private readonly app: AbciApplication;
  private readonly logger: Logger;
  private readonly maxFrameBytes: number | undefined;
  private readonly closeGraceMs: number;
  private readonly mutex = new AsyncMutex();
  private readonly connections = new Set<AbciConnection>();
  private server: net.Server | undefined;
  private boundAddress: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: AbciServerOptions) {
    this.app = options.app;
    this.logger = options.logger ?? pino({ name: 'abci', level: 'info' }, pino.destination(2));
    this.maxFrameBytes = options.maxFrameBytes;
    this.closeGraceMs = options.closeGraceMs ?? 1000;
  }

  /** Runs `fn` in turn with CometBFT's calls (e.g. a query that does not come over ABCI). */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.mutex.run(fn);
  }

  /** The address actually bound (with the real port when listening on port 0), once listening. */
  get address(): string | undefined {
    return this.boundAddress;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Starts listening on `tcp://host:port` (port 0 picks a free one) or `unix:///path`.
   * Resolves with the bound address in the same syntax, ready for CometBFT's `proxy_app`.
   */
  async listen(address: string): Promise<string> {
    if (this.server) throw new Error('AbciServer is already listening');
    const parsed = parseAbciAddress(address);
    if (parsed.kind === 'unix') await removeStaleSocket(parsed.path);

    const server = net.createServer({ noDelay: true }, (socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      server.once('error', onError);
      const done = () => {
        server.off('error', onError);
        resolve();
      };
      if (parsed.kind === 'unix') server.listen(parsed.path, done);
      else server.listen(parsed.port, parsed.host, done);
    }).catch((err: unknown) => {
      this.server = undefined;
      throw err;
    });
    server.on('error', (err) => this.logger.error({ err }, 'ABCI listener error'));

    if (parsed.kind === 'unix') {
      this.boundAddress = formatAbciAddress(parsed);
    } else {
      const bound = server.address() as net.AddressInfo;
      this.boundAddress = formatAbciAddress({ kind: 'tcp', host: parsed.host, port: bound.port });
    }
    this.logger.info({ address: this.boundAddress }, 'ABCI server listening');
    return this.boundAddress;
  }

  /**
   * Stops accepting, ends every connection (destroying those still open after the grace period)
   * and resolves once no application call is running. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    const server = this.server;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const conn of this.connections) conn.end(this.closeGraceMs);
    await closed;
    // Whatever handler was running when we closed has finished once the mutex is free again.
    await this.mutex.run(() => undefined);
    this.logger.debug('ABCI server closed');
  }

  private accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const conn = new AbciConnection(socket, this.app, this.mutex, this.logger, this.maxFrameBytes, () => this.connections.delete(conn));
    this.connections.add(conn);
  }
}

/** Convenience: construct and listen in one call. */
export async function startAbciServer(address: string, options: AbciServerOptions): Promise<AbciServer> {
  const server = new AbciServer(options);
  await server.listen(address);
  return server;
}

/** One CometBFT connection: decodes frames, answers them in order, batches writes. */
class AbciConnection {
  private readonly decoder: FrameDecoder;
  private readonly queue: Request[] = [];
  private queueHead = 0;
  private draining = false;
  private ended = false;
  private readonly out = new FrameWriter();
  private readonly log: Logger;

  constructor(
    private readonly socket: net.Socket,
    private readonly app: AbciApplication,
    private readonly mutex: AsyncMutex,
    logger: Logger,
    maxFrameBytes: number | undefined,
    onClose: () => void,
  ) {
    this.decoder = new FrameDecoder({ maxFrameBytes });
    this.log = logger.child({ remote: socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unix' });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.warn({ err }, 'ABCI connection error'));
    socket.on('close', () => {
      this.ended = true;
      onClose();
    });
    this.log.debug('ABCI connection opened');
  }

  /** Half-closes now and destroys after `graceMs` if the peer has not closed by then. */
  end(graceMs: number): void {
    this.ended = true;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  private onData(chunk: Buffer): void {
    if (this.ended) return;
    let requests: Request[];
    try {
      requests = this.decoder.push(chunk).map((frame) => Request.decode(frame));
    } catch (err) {
      // The stream position is lost; CometBFT treats a broken connection as fatal anyway.
      this.log.error({ err }, 'undecodable ABCI request; closing the connection');
      this.ended = true;
      this.socket.destroy();
      return;
    }
    for (const req of requests) this.queue.push(req);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queueHead < this.queue.length && !this.ended) {
        const req = this.next();
        if (req.checkTx !== undefined && this.app.checkTxBatch) {
          const run = [req];
          while (
            run.length < MAX_CHECK_TX_BATCH &&
            this.queueHead < this.queue.length &&
            this.queue[this.queueHead]!.checkTx !== undefined
          ) {
            run.push(this.next());
          }
          await this.respondCheckTxs(run);
        } else {
          await this.respond(req);
        }
        // CometBFT waits for ResponseFlush before sending more synchronous requests, so a Flush
        // must go out now even if more pipelined requests are queued behind it.
        if (req.flush !== undefined || this.out.byteLength >= WRITE_BATCH_BYTES) this.writeOut();
      }
    } finally {
      this.queue.length = 0;
      this.queueHead = 0;
      this.draining = false;
    }
    // Everything answered so far, Flush responses included, leaves in one write.
    this.writeOut();
  }

  /** The oldest unanswered request, taken off the queue. */
  private next(): Request {
    const req = this.queue[this.queueHead]!;
    this.queue[this.queueHead++] = undefined as unknown as Request; // let it be collected
    if (this.queueHead >= 1024) {
      // A long pipeline: drop the answered prefix so the queue does not grow without bound.
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    return req;
  }

  private writeOut(): void {
    if (this.out.frames === 0) return;
    const data = this.out.take();
    if (this.socket.destroyed || this.socket.writableEnded) return;
    this.socket.write(data);
  }

  /** Appends the framed response to one request; never throws. */
  private async respond(req: Request): Promise<void> {
    const kind = requestKind(req);
    try {
      const response = await this.answer(req, kind);
      this.out.append((w) => Response.encode(response, w));
    } catch (err) {
      this.appendException(kind, err);
    }
  }

  /** Appends the responses to consecutive CheckTx requests, one each and in order; never throws. */
  private async respondCheckTxs(run: readonly Request[]): Promise<void> {
    let answered = 0;
    try {
      const results = await this.mutex.run(() => this.app.checkTxBatch!(run.map((r) => r.checkTx!)));
      if (!Array.isArray(results) || results.length !== run.length) {
        throw new Error(
          `application checkTxBatch answered ${Array.isArray(results) ? results.length : typeof results} responses to ${run.length} requests`,
        );
      }
      for (const checkTx of results) {
        this.out.append((w) => Response.encode({ checkTx }, w));
        answered++;
      }
    } catch (err) {
      for (; answered < run.length; answered++) this.appendException('checkTx', err);
    }
  }

  private appendException(kind: RequestKind | undefined, err: unknown): void {
    this.log.error({ err, request: kind ?? 'unknown' }, 'ABCI handler failed; answering ResponseException (CometBFT will stop)');
    const message = err instanceof Error ? err.message : String(err);
    const exception = Response.fromPartial({ exception: { error: `${kind ?? 'unknown request'}: ${message}` } });
    this.out.append((w) => Response.encode(exception, w));
  }

  private async answer(req: Request, kind: RequestKind | undefined): Promise<Response> {
    switch (kind) {
      case 'flush':
        return { flush: {} };
      case 'echo':
        return { echo: { message: req.echo!.message } };
      case undefined:
        throw new Error('request carries no ABCI method known to CometBFT v0.38 (newer CometBFT, or mempool.type = "app"?)');
      default: {
        const method = kind;
        const result: unknown = await this.mutex.run(() => (this.app[method] as (r: unknown) => unknown).call(this.app, req[method]));
        if (result === null || typeof result !== 'object') {
          throw new Error(`application ${method} returned ${result === null ? 'null' : typeof result}, not a Response object`);
        }
        return { [method]: result } as Response;
      }
    }
  }
}

/**
 * A unix socket file left by a crashed run makes listen() fail with EADDRINUSE. Remove it, but only
 * when nothing answers on it, so we never steal the socket of a live server.
 */
async function removeStaleSocket(path: string): Promise<void> {
  if (!existsSync(path)) return;
  if (!lstatSync(path).isSocket()) {
    throw new Error(`cannot listen on unix://${path}: a file that is not a socket is in the way`);
  }
  const live = await new Promise<boolean>((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (live) throw new Error(`cannot listen on unix://${path}: another process is serving it`);
  unlinkSync(path);
}
