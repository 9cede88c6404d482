/**
 * The Cosmos API surface of a real node: grpcurl (a gRPC client from outside the project) over
 * server reflection, a REST client over the gateway, and the two agreeing with each other, at the
 * latest and at a past height, and in their errors.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { SigningStargateClient } from '@cosmjs/stargate';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { HEIGHT_HEADER } from '../../app/api/backend.js';
import { loadApiSurface } from '../../app/api/descriptors.js';
import { OPENAPI_PATH, renderJson } from '../../app/api/rest-gateway.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const run = promisify(execFile);
const GRPCURL = path.join(repoRoot(), '.tools/bin/grpcurl');
const surface = loadApiSurface();
const cleanup = cleanupAfterAll();
let chain: TestChain;
let alice: string;
let bob: string;
let grpcClient: grpc.Client;
let sendHash: string;
let heightBeforeSend: number;

beforeAll(async () => {
  if (!fs.existsSync(GRPCURL)) throw new Error(`${GRPCURL} is missing: run scripts/install-grpcurl.sh (npm run setup does)`);
  chain = await startTestChain({ accounts: { alice: `1000000000${TEST_DENOM}`, bob: `5000${TEST_DENOM}` }, api: true }, cleanup);
  alice = chain.keys.alice!.address;
  bob = chain.keys.bob!.address;
  await pollUntil(
    'REST gateway',
    async () => (await fetch(`${chain.rest}/cosmos/base/tendermint/v1beta1/syncing`).catch(() => undefined))?.ok || undefined,
    30_000,
    100,
  );
  grpcClient = new grpc.Client(chain.grpc!, grpc.credentials.createInsecure());
  cleanup.add('close gRPC client', () => grpcClient.close());
}, 120_000);

/** A raw gRPC call: encoded request in, encoded answer and the height header out. */
function grpcCall(methodPath: string, request: Uint8Array, height?: number): Promise<{ bytes: Uint8Array; height?: string }> {
  const metadata = new grpc.Metadata();
  if (height !== undefined) metadata.set(HEIGHT_HEADER, String(height));
  return new Promise((resolve, reject) => {
    let headerHeight: string | undefined;
    const call = grpcClient.makeUnaryRequest(
      methodPath,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.from(request),
      metadata,
      (err, value) => (err ? reject(err) : resolve({ bytes: value!, height: headerHeight })),
    );
    call.on('metadata', (md) => (headerHeight = md.get(HEIGHT_HEADER)[0]?.toString()));
  });
}

function method(methodPath: string) {
  const found = surface.methods.find((m) => m.path === methodPath);
  if (!found) throw new Error(`no method ${methodPath}`);
  return found;
}

/** The gRPC answer to a request given as proto3 JSON, rendered as the gateway renders JSON. */
async function grpcJson(methodPath: string, requestJson: Record<string, unknown>, height?: number) {
  const { fromJson, toBinary } = await import('@bufbuild/protobuf');
  const m = method(methodPath);
  const answer = await grpcCall(
    methodPath,
    toBinary(m.input, fromJson(m.input, requestJson as never, { registry: surface.registry })),
    height,
  );
  return { json: renderJson(m.output, answer.bytes, surface.registry), height: answer.height };
}

async function rest(pathAndQuery: string, init: RequestInit = {}) {
  const res = await fetch(`${chain.rest}${pathAndQuery}`, init);
  return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers };
}

async function grpcurl(...args: string[]): Promise<string> {
  const { stdout } = await run(GRPCURL, ['-plaintext', ...args], { timeout: 30_000 });
  return stdout;
}

async function signedSend(amount: string, sequenceOffset = 0): Promise<Uint8Array> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.alice!.mnemonic, { prefix: 'para' });
  const signer = await SigningStargateClient.offline(wallet);
  const account = (await rest(`/cosmos/auth/v1beta1/accounts/${alice}`)).body.account;
  const raw = await signer.sign(
    alice,
    [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: alice, toAddress: bob, amount: [{ denom: TEST_DENOM, amount }] } }],
    { amount: [{ denom: TEST_DENOM, amount: '5000' }], gas: '200000' },
    '',
    { accountNumber: Number(account.account_number), sequence: Number(account.sequence) + sequenceOffset, chainId: chain.chainId },
  );
  return TxRaw.encode(raw).finish();
}

describe('gRPC through grpcurl', () => {
  it('lists the services by server reflection', async () => {
    const services = (await grpcurl(chain.grpc!, 'list')).split('\n');
    for (const s of [
      'cosmos.bank.v1beta1.Query',
      'cosmos.auth.v1beta1.Query',
      'cosmos.tx.v1beta1.Service',
      'cosmos.base.tendermint.v1beta1.Service',
      'parazone.governance.v1.Query',
    ]) {
      expect(services).toContain(s);
    }
    expect(await grpcurl(chain.grpc!, 'describe', 'cosmos.bank.v1beta1.Query.Balance')).toContain('rpc Balance');
  });

  it('reads a bank balance', async () => {
    const out = JSON.parse(
      await grpcurl('-d', JSON.stringify({ address: bob, denom: TEST_DENOM }), chain.grpc!, 'cosmos.bank.v1beta1.Query/Balance'),
    );
    expect(out.balance.denom).toBe(TEST_DENOM);
    expect(BigInt(out.balance.amount)).toBeGreaterThanOrEqual(5000n);
  });

  it('simulates a tx', async () => {
    const txBytes = Buffer.from(await signedSend('1')).toString('base64');
    const out = JSON.parse(await grpcurl('-d', JSON.stringify({ txBytes }), chain.grpc!, 'cosmos.tx.v1beta1.Service/Simulate'));
    expect(Number(out.gasInfo.gasUsed)).toBeGreaterThan(0);
    expect(out.result.events.length).toBeGreaterThan(0);
  });
});

describe('REST gateway', () => {
  it('broadcasts a signed tx and finds it by hash, committed', async () => {
    heightBeforeSend = await chain.height();
    const res = await rest('/cosmos/tx/v1beta1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tx_bytes: Buffer.from(await signedSend('1234')).toString('base64'), mode: 'BROADCAST_MODE_SYNC' }),
    });
    expect({ status: res.status, code: res.body.tx_response?.code }).toEqual({ status: 200, code: 0 });
    sendHash = res.body.tx_response.txhash;
    expect(sendHash).toMatch(/^[0-9A-F]{64}$/);
    await pollUntil(
      'tx committed',
      async () => (await rest(`/cosmos/tx/v1beta1/txs/${sendHash}`)).status === 200 || undefined,
      30_000,
      200,
    );
    const tx = (await rest(`/cosmos/tx/v1beta1/txs/${sendHash}`)).body;
    expect(tx.tx_response).toMatchObject({ txhash: sendHash, code: 0 });
    expect(Number(tx.tx_response.height)).toBeGreaterThan(heightBeforeSend);
    expect(tx.tx_response.tx['@type']).toBe('/cosmos.tx.v1beta1.Tx');
    expect(tx.tx.body.messages[0]).toMatchObject({ '@type': '/cosmos.bank.v1beta1.MsgSend', from_address: alice, to_address: bob });
    expect(tx.tx_response.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reads balances, an account, the supply and blocks in the SDK JSON shape', async () => {
    const balances = (await rest(`/cosmos/bank/v1beta1/balances/${bob}`)).body;
    expect(balances).toEqual({
      balances: [{ denom: TEST_DENOM, amount: String(5000 + 1234) }],
      pagination: { next_key: null, total: '1' },
    });
    const account = (await rest(`/cosmos/auth/v1beta1/accounts/${alice}`)).body.account;
    expect(account).toMatchObject({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address: alice, sequence: '1' });
    expect(typeof account.account_number).toBe('string');
    const supply = (await rest('/cosmos/bank/v1beta1/supply')).body;
    expect(supply.supply).toEqual(expect.arrayContaining([{ denom: TEST_DENOM, amount: expect.stringMatching(/^\d+$/) }]));
    const latest = (await rest('/cosmos/base/tendermint/v1beta1/blocks/latest')).body;
    expect(latest.block.header.chain_id).toBe(chain.chainId);
    expect(latest.sdk_block.header.proposer_address).toMatch(/^paravalcons1/);
    const byHeight = (await rest('/cosmos/base/tendermint/v1beta1/blocks/2')).body;
    expect(byHeight.block.header.height).toBe('2');
    expect(byHeight.block_id.hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect((await rest(`/cosmos/bank/v1beta1/balances/${bob}/by_denom?denom=${TEST_DENOM}`)).body.balance.amount).toBe(String(5000 + 1234));
    expect((await rest('/cosmos/bank/v1beta1/supply?pagination.limit=1')).body.supply).toHaveLength(1);
  });

  it('answers with the same JSON as gRPC rendered as proto3 JSON', async () => {
    const pairs: [string, string, Record<string, unknown>][] = [
      [`/cosmos/bank/v1beta1/balances/${bob}`, '/cosmos.bank.v1beta1.Query/AllBalances', { address: bob }],
      [`/cosmos/auth/v1beta1/accounts/${alice}`, '/cosmos.auth.v1beta1.Query/Account', { address: alice }],
      ['/cosmos/bank/v1beta1/supply', '/cosmos.bank.v1beta1.Query/TotalSupply', {}],
      [`/cosmos/tx/v1beta1/txs/${sendHash}`, '/cosmos.tx.v1beta1.Service/GetTx', { hash: sendHash }],
      ['/cosmos/base/tendermint/v1beta1/blocks/2', '/cosmos.base.tendermint.v1beta1.Service/GetBlockByHeight', { height: '2' }],
      ['/parazone/governance/v1/params', '/parazone.governance.v1.Query/Params', {}],
    ];
    for (const [route, methodPath, request] of pairs) {
      expect({ route, json: (await rest(route)).body }).toEqual({ route, json: (await grpcJson(methodPath, request)).json });
    }
  });

  it('serves an OpenAPI document of the routes', async () => {
    const doc = (await rest(OPENAPI_PATH)).body;
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/cosmos/bank/v1beta1/balances/{address}'].get.operationId).toBe('cosmos.bank.v1beta1.Query.AllBalances');
    expect(doc.paths['/cosmos/tx/v1beta1/txs'].post.requestBody).toBeDefined();
  });
});

describe('a past height, over REST and gRPC', () => {
  it('reads the balance before the send, and says which height it read', async () => {
    const past = await rest(`/cosmos/bank/v1beta1/balances/${bob}`, { headers: { [HEIGHT_HEADER]: String(heightBeforeSend) } });
    expect(past.body.balances).toEqual([{ denom: TEST_DENOM, amount: '5000' }]);
    expect(past.headers.get(HEIGHT_HEADER)).toBe(String(heightBeforeSend));
    expect(past.headers.get(`grpc-metadata-${HEIGHT_HEADER}`)).toBe(String(heightBeforeSend));
    const viaGrpc = await grpcJson('/cosmos.bank.v1beta1.Query/AllBalances', { address: bob }, heightBeforeSend);
    expect(viaGrpc.json).toEqual(past.body);
    expect(viaGrpc.height).toBe(String(heightBeforeSend));
    const now = await grpcJson('/cosmos.bank.v1beta1.Query/AllBalances', { address: bob });
    expect(Number(now.height)).toBeGreaterThan(heightBeforeSend);
  });
});

describe('errors', () => {
  it('answers {code, message, details} with the gRPC code and its HTTP status', async () => {
    const cases: [string, number, number][] = [
      ['/cosmos/auth/v1beta1/accounts/not-an-address', 400, 3],
      [`/cosmos/tx/v1beta1/txs/${'AB'.repeat(32)}`, 404, 5],
      ['/cosmos/bank/v1beta1/no_such_route', 404, 5],
      ['/cosmos/bank/v1beta1/spendable_balances/x', 501, 12],
    ];
    for (const [route, status, code] of cases) {
      const res = await rest(route);
      expect({ route, status: res.status, code: res.body.code, details: res.body.details }).toEqual({ route, status, code, details: [] });
      expect(typeof res.body.message).toBe('string');
    }
    const future = await rest(`/cosmos/bank/v1beta1/balances/${bob}`, { headers: { [HEIGHT_HEADER]: '999999' } });
    expect({ status: future.status, code: future.body.code }).toEqual({ status: 400, code: 3 });
    expect(future.body.message).toContain('invalid height');
  });

  it('fails gRPC calls with the same codes', async () => {
    const { fromJson, toBinary } = await import('@bufbuild/protobuf');
    const m = method('/cosmos.auth.v1beta1.Query/Account');
    const bad = toBinary(m.input, fromJson(m.input, { address: 'not-an-address' }, { registry: surface.registry }));
    await expect(grpcCall(m.path, bad)).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    await expect(grpcCall('/cosmos.bank.v1beta1.Query/SpendableBalances', new Uint8Array())).rejects.toMatchObject({
      code: grpc.status.UNIMPLEMENTED,
    });
    await expect(
      grpcurl('-d', JSON.stringify({ hash: 'AB'.repeat(32) }), chain.grpc!, 'cosmos.tx.v1beta1.Service/GetTx'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('NotFound'),
    });
  });
});
