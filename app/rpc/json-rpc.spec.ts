import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { RpcAnswerError, RpcTransportError, jsonRpcBody, jsonRpcResult, rpcCall } from './json-rpc.js';

describe('jsonRpcResult', () => {
  it('gives the result, and names the method in every failure', () => {
    expect(jsonRpcResult('status', 200, '{"jsonrpc":"2.0","id":1,"result":{"ok":true}}')).toEqual({ ok: true });
    const answer = (() => {
      try {
        jsonRpcResult('broadcast_tx_sync', 200, '{"error":{"code":-32603,"message":"Internal error","data":"mempool is full"}}');
      } catch (err) {
        return err;
      }
    })();
    expect(answer).toBeInstanceOf(RpcAnswerError);
    expect((answer as RpcAnswerError).data).toBe('mempool is full');
    expect((answer as Error).message).toBe('broadcast_tx_sync: Internal error (mempool is full)');
    expect(() => jsonRpcResult('status', 502, '<html>bad gateway</html>')).toThrow(RpcTransportError);
    expect(() => jsonRpcResult('status', 502, '<html>bad gateway</html>')).toThrow(/status: HTTP 502 with a body that is not JSON/);
    expect(() => jsonRpcResult('status', 200, '{"jsonrpc":"2.0","id":1}')).toThrow(/without a result/);
  });

  it('writes the envelope CometBFT expects', () => {
    expect(JSON.parse(jsonRpcBody('block', { height: '3' }))).toEqual({ jsonrpc: '2.0', id: 1, method: 'block', params: { height: '3' } });
  });
});

describe('rpcCall', () => {
  let server: http.Server;
  let url: string;
  const seen: unknown[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const call = JSON.parse(body) as { method: string; params: unknown };
        seen.push(call);
        if (call.method === 'slow') return void setTimeout(() => res.end('{"result":1}'), 2000);
        if (call.method === 'missing') return void res.end('{"error":{"code":-32601,"message":"Method not found"}}');
        res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { echoed: call.params } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('posts the call and resolves with its result', async () => {
    await expect(rpcCall(url, 'status', { a: 1 })).resolves.toEqual({ echoed: { a: 1 } });
    expect(seen.at(-1)).toMatchObject({ method: 'status', params: { a: 1 } });
  });

  it('rejects with the answer, a timeout or an unreachable node, each its own error', async () => {
    await expect(rpcCall(url, 'missing')).rejects.toBeInstanceOf(RpcAnswerError);
    await expect(rpcCall(url, 'slow', {}, 200)).rejects.toThrow(/slow: .* did not answer within 200 ms/);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = rpcCall(`http://127.0.0.1:${port}`, 'status', {}, 2000);
    await expect(unreachable).rejects.toBeInstanceOf(RpcTransportError);
    await expect(unreachable).rejects.toThrow(/status: cannot reach/);
  });
});
