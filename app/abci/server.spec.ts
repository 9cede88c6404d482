import { existsSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  Request,
  RequestCheckTx,
  ResponseProcessProposal_ProposalStatus,
  type RequestCheckTx as RequestCheckTxT,
  type RequestInfo,
  type ResponseCheckTx,
} from 'cosmjs-types/tendermint/abci/types';
import { AbciTestClient } from '../../test/helpers/abci-client.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { APPLICATION_METHODS, BaseApplication, EMPTY_APP_HASH } from './application.js';
import { encodeFrame } from './framing.js';
import { AbciServer, parseAbciAddress, startAbciServer } from './server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function checkTxResponse(code: number, log = ''): ResponseCheckTx {
  return { code, data: new Uint8Array(), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: '' };
}

/** A test app whose handlers can be slowed down, made to throw, and that records call order. */
class ProbeApp extends BaseApplication {
  readonly trace: string[] = [];
  infoDelayMs = 0;
  checkTxDelay: (tx: Uint8Array) => number = () => 0;
  throwInInfo = false;

  async info(_req: RequestInfo) {
    this.trace.push('info:start');
    if (this.throwInInfo) throw new Error('boom in info');
    await sleep(this.infoDelayMs);
    this.trace.push('info:end');
    return { data: 'probe', version: '1', appVersion: 1n, lastBlockHeight: 7n, lastBlockAppHash: EMPTY_APP_HASH };
  }
  initChain() {
    return { validators: [], appHash: EMPTY_APP_HASH };
  }
  query() {
    return { code: 0, log: '', info: '', index: 0n, key: new Uint8Array(), value: Uint8Array.of(42), height: 7n, codespace: '' };
  }
  async checkTx(req: RequestCheckTxT) {
    this.trace.push(`check:${req.tx[0]}:start`);
    const delay = this.checkTxDelay(req.tx);
    if (delay > 0) await sleep(delay);
    this.trace.push(`check:${req.tx[0]}:end`);
    return checkTxResponse(req.tx[0]! % 2, `tx ${req.tx[0]}`);
  }
  finalizeBlock() {
    return { events: [], txResults: [], validatorUpdates: [], appHash: EMPTY_APP_HASH };
  }
  commit() {
    return { retainHeight: 0n };
  }
}

function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

const flush = () => Request.fromPartial({ flush: {} });
const checkTx = (b: number) => Request.fromPartial({ checkTx: RequestCheckTx.fromPartial({ tx: Uint8Array.of(b) }) });

/** A ProbeApp that also answers back-to-back CheckTx in batches, recording each batch. */
class BatchingProbeApp extends ProbeApp {
  readonly batches: number[][] = [];
  wrongCount = false;
  async checkTxBatch(reqs: readonly RequestCheckTxT[]) {
    this.batches.push(reqs.map((r) => r.tx[0]!));
    await sleep(5); // an await inside the batch: later requests keep arriving meanwhile
    const out = reqs.map((r) => checkTxResponse(r.tx[0]! % 2, `tx ${r.tx[0]}`));
    return this.wrongCount ? out.slice(1) : out;
  }
}

describe('AbciServer with checkTxBatch', () => {
  it('hands runs of back-to-back CheckTx to the app in one call, split at other requests, answering in order', async () => {
    const app = new BatchingProbeApp();
    const server = await startAbciServer('tcp://127.0.0.1:0', { app, logger: pino({ level: 'silent' }) });
    const c = await AbciTestClient.connect(server.address!);
    try {
      c.send(checkTx(1), checkTx(2), checkTx(3), Request.fromPartial({ echo: { message: 'mid' } }), checkTx(4), checkTx(5), flush());
      const res = await c.take(7);
      expect(res.map((r) => r.checkTx?.log ?? r.echo?.message ?? (r.flush ? 'flush' : '?'))).toEqual([
        'tx 1',
        'tx 2',
        'tx 3',
        'mid',
        'tx 4',
        'tx 5',
        'flush',
      ]);
      expect(res.slice(0, 3).map((r) => r.checkTx!.code)).toEqual([1, 0, 1]);
      expect(app.batches).toEqual([
        [1, 2, 3],
        [4, 5],
      ]);
      expect(app.trace.filter((t) => t.startsWith('check:'))).toEqual([]); // checkTx itself was never called
    } finally {
      c.close();
      await server.close();
    }
  });

  it('answers every request of a batch with an exception when the app answers the wrong number of them', async () => {
    const app = new BatchingProbeApp();
    app.wrongCount = true;
    const server = await startAbciServer('tcp://127.0.0.1:0', { app, logger: pino({ level: 'silent' }) });
    const c = await AbciTestClient.connect(server.address!);
    try {
      c.send(checkTx(1), checkTx(2), flush());
      const res = await c.take(3);
      expect(res.slice(0, 2).map((r) => r.exception?.error)).toEqual([
        expect.stringMatching(/checkTxBatch answered 1 responses to 2 requests/),
        expect.stringMatching(/checkTxBatch answered 1/),
      ]);
      expect(res[2]!.flush).toBeDefined();
    } finally {
      c.close();
      await server.close();
    }
  });
});

describe('parseAbciAddress', () => {
  it('parses tcp and unix forms', () => {
    expect(parseAbciAddress('tcp://127.0.0.1:26658')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 26658 });
    expect(parseAbciAddress('unix:///tmp/app.sock')).toEqual({ kind: 'unix', path: '/tmp/app.sock' });
    expect(() => parseAbciAddress('127.0.0.1:26658')).toThrow(/tcp:\/\/host:port/);
    expect(() => parseAbciAddress('unix://relative.sock')).toThrow(/absolute/);
    expect(() => parseAbciAddress('tcp://127.0.0.1:70000')).toThrow(/range/);
  });
});

describe('AbciServer over TCP', () => {
  let app: ProbeApp;
  let server: AbciServer;
  let log: ReturnType<typeof captureLogger>;
  const clients: AbciTestClient[] = [];

  async function client(): Promise<AbciTestClient> {
    const c = await AbciTestClient.connect(server.address!);
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    app = new ProbeApp();
    log = captureLogger();
    server = await startAbciServer('tcp://127.0.0.1:0', { app, logger: log.logger });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it('binds a real port and reports it in proxy_app syntax', () => {
    expect(server.address).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe('tcp://127.0.0.1:0');
  });

  it('echoes Echo and answers Flush with Flush', async () => {
    const c = await client();
    const res = await c.call(Request.fromPartial({ echo: { message: 'hello abci' } }));
    expect(res.echo).toEqual({ message: 'hello abci' });
  });

  it('answers every method with the same oneof case as the request', async () => {
    const c = await client();
    const requests = APPLICATION_METHODS.map((m) => Request.fromPartial({ [m]: {} } as Partial<Request>));
    c.send(...requests, flush());
    const responses = await c.take(requests.length + 1);
    expect(responses.map((r) => Object.keys(r).filter((k) => r[k as keyof typeof r] !== undefined))).toEqual([
      ...APPLICATION_METHODS.map((m) => [m]),
      ['flush'],
    ]);
    expect(responses[APPLICATION_METHODS.indexOf('processProposal')]!.processProposal!.status).toBe(
      ResponseProcessProposal_ProposalStatus.ACCEPT,
    );
    expect(responses[0]!.info!.lastBlockHeight).toBe(7n);
  });

  it('answers Flush only after the slower earlier response', async () => {
    app.infoDelayMs = 80;
    const c = await client();
    c.send(Request.fromPartial({ info: {} }), flush());
    await sleep(30);
    expect(c.pending).toBe(0); // nothing written while info is still running, Flush included
    const [info, fl] = await c.take(2);
    expect(info!.info?.data).toBe('probe');
    expect(fl!.flush).toBeDefined();
  });

  it('keeps pipelined CheckTx answers in request order even when handlers finish at different speeds', async () => {
    // Later txs finish faster: a naive Promise.all server would reorder them.
    app.checkTxDelay = (tx) => (tx[0]! % 5) * 3;
    const c = await client();
    const n = 60;
    c.send(...Array.from({ length: n }, (_, i) => checkTx(i)), flush());
    const responses = await c.take(n + 1);
    expect(responses.slice(0, n).map((r) => r.checkTx?.log)).toEqual(Array.from({ length: n }, (_, i) => `tx ${i}`));
    expect(responses.slice(0, n).map((r) => r.checkTx?.code)).toEqual(Array.from({ length: n }, (_, i) => i % 2));
    expect(responses[n]!.flush).toBeDefined();
  });

  it('answers a long pipeline (5000 CheckTx with periodic Flush) completely and in order', async () => {
    const c = await client();
    const n = 5000;
    const requests: Request[] = [];
    for (let i = 0; i < n; i++) {
      requests.push(Request.fromPartial({ checkTx: { tx: Buffer.from([i % 256, i >> 8]) } }));
      if (i % 700 === 699) requests.push(flush());
    }
    requests.push(flush());
    c.send(...requests);
    const responses = await c.take(requests.length, 20_000);
    expect(responses.map((r) => (r.flush ? 'flush' : r.checkTx?.log))).toEqual(
      requests.map((r) => (r.flush ? 'flush' : `tx ${r.checkTx!.tx[0]}`)),
    );
  });

  it('decodes requests split across writes at every byte', async () => {
    const c = await client();
    const bytes = AbciTestClient.encode([Request.fromPartial({ echo: { message: 'split' } }), checkTx(3), flush()]);
    for (let i = 0; i < bytes.length; i++) {
      c.writeRaw(bytes.subarray(i, i + 1));
      await sleep(1);
    }
    const [echo, check, fl] = await c.take(3);
    expect(echo!.echo?.message).toBe('split');
    expect(check!.checkTx?.code).toBe(1);
    expect(fl!.flush).toBeDefined();
  });

  it('serialises handlers across connections with one global mutex', async () => {
    app.infoDelayMs = 20;
    app.checkTxDelay = () => 20;
    const [query, mempool] = await Promise.all([client(), client()]);
    query.send(Request.fromPartial({ info: {} }), flush());
    mempool.send(checkTx(1), flush());
    query.send(Request.fromPartial({ info: {} }), flush());
    mempool.send(checkTx(2), flush());
    await Promise.all([query.take(4), mempool.take(4)]);
    // Every start is immediately followed by its own end: no two handlers ever overlapped.
    expect(app.trace).toHaveLength(8);
    for (let i = 0; i < app.trace.length; i += 2) {
      expect(app.trace[i]!.replace(':start', '')).toBe(app.trace[i + 1]!.replace(':end', ''));
    }
  });

  it('turns a throwing handler into ResponseException, logs it, and keeps answering in order', async () => {
    app.throwInInfo = true;
    const c = await client();
    c.send(Request.fromPartial({ info: {} }), checkTx(4), flush());
    const [exc, check, fl] = await c.take(3);
    expect(exc!.exception?.error).toBe('info: boom in info');
    expect(exc!.info).toBeUndefined();
    expect(check!.checkTx?.code).toBe(0);
    expect(fl!.flush).toBeDefined();
    const errorLine = log.lines.find((l) => l.level === 50);
    expect(errorLine).toMatchObject({ request: 'info', err: { message: 'boom in info' } });
  });

  it('answers ResponseException when a handler returns nothing', async () => {
    (app as unknown as { query: () => unknown }).query = () => undefined;
    const c = await client();
    const res = await c.call(Request.fromPartial({ query: {} }));
    expect(res.exception?.error).toMatch(/query returned undefined/);
  });

  it('answers ResponseException for a request with no known method', async () => {
    const c = await client();
    c.writeRaw(encodeFrame(new Uint8Array(0)));
    c.send(flush());
    const [exc, fl] = await c.take(2);
    expect(exc!.exception?.error).toMatch(/no ABCI method/);
    expect(fl!.flush).toBeDefined();
  });

  it('drops a connection that sends undecodable bytes', async () => {
    const c = await client();
    c.writeRaw(Uint8Array.of(0x03, 0xff, 0xff, 0xff)); // a frame whose body is not protobuf
    await c.closedByServer();
    expect(log.lines.some((l) => l.msg === 'undecodable ABCI request; closing the connection')).toBe(true);
  });

  it('close() ends open connections and waits for a running handler', async () => {
    app.infoDelayMs = 100;
    const c = await client();
    c.send(Request.fromPartial({ info: {} }), flush());
    await sleep(20); // info is running now
    await server.close();
    expect(app.trace).toEqual(['info:start', 'info:end']);
    await c.closedByServer(3000);
    expect(server.connectionCount).toBe(0);
  });
});

describe('AbciServer over a unix socket', () => {
  it('listens, answers, replaces a stale socket file and removes its own on close', async () => {
    const dir = makeTempDir('abci-unix');
    try {
      const path = join(dir.path, 'app.sock');
      // A stale socket file, as left by a server that was SIGKILLed.
      const crashed = spawn(process.execPath, [
        '-e',
        `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
      ]);
      await new Promise<void>((r) => crashed.stdout.once('data', () => r()));
      crashed.kill('SIGKILL');
      await new Promise((r) => crashed.once('exit', r));
      expect(existsSync(path)).toBe(true);

      const server = await startAbciServer(`unix://${path}`, { app: new ProbeApp(), logger: pino({ level: 'silent' }) });
      expect(server.address).toBe(`unix://${path}`);
      const c = await AbciTestClient.connect(server.address!);
      const res = await c.call(Request.fromPartial({ echo: { message: 'over unix' } }));
      expect(res.echo?.message).toBe('over unix');

      // A second server must not steal a live socket.
      await expect(startAbciServer(`unix://${path}`, { app: new ProbeApp(), logger: pino({ level: 'silent' }) })).rejects.toThrow(
        /another process is serving it/,
      );

      c.close();
      await server.close();
      expect(existsSync(path)).toBe(false);
    } finally {
      dir.remove();
    }
  });

  it('refuses to replace a regular file', async () => {
    const dir = makeTempDir('abci-unix');
    try {
      const path = join(dir.path, 'not-a-socket');
      writeFileSync(path, 'x');
      await expect(startAbciServer(`unix://${path}`, { app: new ProbeApp(), logger: pino({ level: 'silent' }) })).rejects.toThrow(
        /not a socket/,
      );
    } finally {
      dir.remove();
    }
  });
});
