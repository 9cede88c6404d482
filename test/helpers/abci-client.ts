/**
 * A minimal ABCI socket client for testing the server without CometBFT: it writes framed
 * Requests (optionally in arbitrary byte slices) and reads framed Responses in order.
 */
import net from 'node:net';
import { Request, Response } from 'cosmjs-types/tendermint/abci/types';
import { encodeFrame, FrameDecoder } from '../../app/abci/framing.js';
import { parseAbciAddress } from '../../app/abci/server.js';

export class AbciTestClient {
  private readonly decoder = new FrameDecoder();
  private readonly received: Response[] = [];
  private waiters: (() => void)[] = [];
  private closedError: Error | undefined;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      for (const frame of this.decoder.push(chunk)) this.received.push(Response.decode(frame));
      this.wake();
    });
    socket.on('close', () => {
      this.closedError = new Error('connection closed by the server');
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static async connect(address: string): Promise<AbciTestClient> {
    const parsed = parseAbciAddress(address);
    const socket = parsed.kind === 'unix' ? net.connect(parsed.path) : net.connect(parsed.port, parsed.host);
    await new Promise<void>((ok, fail) => {
      socket.once('connect', ok);
      socket.once('error', fail);
    });
    return new AbciTestClient(socket);
  }

  /** Frames of `requests`, concatenated. */
  static encode(requests: Request[]): Buffer {
    return Buffer.concat(requests.map((r) => encodeFrame(Request.encode(r).finish())));
  }

  /** Sends requests as one write. */
  send(...requests: Request[]): void {
    this.socket.write(AbciTestClient.encode(requests));
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Number of responses received and not yet taken. */
  get pending(): number {
    return this.received.length;
  }

  /** Waits (bounded) for `n` responses and returns them in arrival order. */
  async take(n: number, timeoutMs = 5000): Promise<Response[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (this.closedError) throw new Error(`${this.closedError.message} after ${this.received.length}/${n} responses`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n} responses (got ${this.received.length})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received.splice(0, n);
  }

  /** Sends one request plus a Flush and returns the request's response (checks the Flush came after it). */
  async call(request: Request, timeoutMs = 5000): Promise<Response> {
    this.send(request, Request.fromPartial({ flush: {} }));
    const [response, flush] = (await this.take(2, timeoutMs)) as [Response, Response];
    if (flush.flush === undefined) throw new Error('second response is not ResponseFlush');
    return response;
  }

  /** Resolves when the server has closed the connection (bounded). */
  async closedByServer(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedError) {
      if (Date.now() > deadline) throw new Error('server did not close the connection');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
