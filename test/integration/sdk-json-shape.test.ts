/**
 * Our REST and gRPC answers in the Cosmos SDK's JSON shape: one of our nodes and one simd (the
 * SDK v0.53 simapp) each get a funded account that sends a bank transfer; then the same routes on
 * both must answer with the same field names, nesting and JSON types (values differ: other
 * chains). Where the SDK legitimately answers otherwise, the difference is listed with its reason.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';
import { shapeDifferences, shapeOf } from '../helpers/json-shape.js';
import { SIMD_DENOM, startTestSimd, type TestSimd } from '../ibcgo/simd-chain.js';

const run = promisify(execFile);
const GRPCURL = path.join(repoRoot(), '.tools/bin/grpcurl');
const cleanup = cleanupAfterAll();

/** What each chain made: a sender, a receiver and the hash of the transfer between them. */
interface Side {
  readonly rest: string;
  readonly grpc: string;
  readonly sender: string;
  readonly receiver: string;
  readonly denom: string;
  readonly txHash: string;
}
let ours: Side;
let sdk: Side;

beforeAll(async () => {
  if (!fs.existsSync(GRPCURL)) throw new Error(`${GRPCURL} is missing: run scripts/install-grpcurl.sh (npm run setup does)`);
  const [chain, simd] = await Promise.all([
    startTestChain({ accounts: { alice: `1000000000${TEST_DENOM}`, bob: `5000${TEST_DENOM}` }, api: true }, cleanup),
    startTestSimd('shape-simd', ['alice', 'bob'], cleanup, { api: true }),
  ]);
  [ours, sdk] = await Promise.all([sendOnOurs(chain), sendOnSimd(simd)]);
  for (const side of [ours, sdk]) {
    await pollUntil(
      `tx indexed behind ${side.rest}`,
      async () => ((await fetch(`${side.rest}/cosmos/tx/v1beta1/txs/${side.txHash}`).catch(() => undefined))?.ok ? true : undefined),
      30_000,
      200,
    );
  }
}, 180_000);

async function sendOnOurs(chain: TestChain): Promise<Side> {
  const [alice, bob] = [chain.keys.alice!, chain.keys.bob!];
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: 'para' });
  const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 100,
  });
  cleanup.add('disconnect our signer', () => client.disconnect());
  const res = await client.sendTokens(alice.address, bob.address, [{ denom: TEST_DENOM, amount: '1234' }], 1.5);
  expect(res.code).toBe(0);
  return {
    rest: chain.rest!,
    grpc: chain.grpc!,
    sender: alice.address,
    receiver: bob.address,
    denom: TEST_DENOM,
    txHash: res.transactionHash,
  };
}

async function sendOnSimd(simd: TestSimd): Promise<Side> {
  const [alice, bob] = [simd.keys.alice!.address, simd.keys.bob!.address];
  const res = await simd.send('alice', [
    {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: { fromAddress: alice, toAddress: bob, amount: [{ denom: SIMD_DENOM, amount: '1234' }] },
    },
  ]);
  expect(res.code).toBe(0);
  return { rest: simd.rest!, grpc: simd.grpc!, sender: alice, receiver: bob, denom: SIMD_DENOM, txHash: res.transactionHash };
}

async function restJson(side: Side, route: string): Promise<unknown> {
  const res = await fetch(`${side.rest}${route}`);
  const body = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${side.rest}${route}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** The routes compared, by name: each chain's own addresses, denom and tx hash filled in. */
const ROUTES: Record<string, (side: Side) => string> = {
  balances: (s) => `/cosmos/bank/v1beta1/balances/${s.sender}`,
  supply: () => '/cosmos/bank/v1beta1/supply',
  supplyOf: (s) => `/cosmos/bank/v1beta1/supply/by_denom?denom=${s.denom}`,
  denomOwners: (s) => `/cosmos/bank/v1beta1/denom_owners/${s.denom}`,
  bankParams: () => '/cosmos/bank/v1beta1/params',
  account: (s) => `/cosmos/auth/v1beta1/accounts/${s.sender}`,
  // Never signed, so no public key: the SDK writes `pub_key: null`.
  accountWithoutKey: (s) => `/cosmos/auth/v1beta1/accounts/${s.receiver}`,
  authParams: () => '/cosmos/auth/v1beta1/params',
  tx: (s) => `/cosmos/tx/v1beta1/txs/${s.txHash}`,
  txsBySender: (s) => `/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`message.sender='${s.sender}'`)}`,
  latestBlock: () => '/cosmos/base/tendermint/v1beta1/blocks/latest',
  validatorSet: () => '/cosmos/base/tendermint/v1beta1/validatorsets/latest',
  nodeInfo: () => '/cosmos/base/tendermint/v1beta1/node_info',
  syncing: () => '/cosmos/base/tendermint/v1beta1/syncing',
};

/** Routes the SDK answers and we do not, each with the reason. */
const NOT_SERVED: Record<string, { route: (side: Side) => string; reason: string }> = {
  spendableBalances: {
    route: (s) => `/cosmos/bank/v1beta1/spendable_balances/${s.sender}`,
    reason: 'no vesting accounts or locked coins here, so nothing to tell spendable from total balances; the method answers UNIMPLEMENTED',
  },
};

describe('REST answers', () => {
  it.each(Object.keys(ROUTES))("%s has the SDK's shape", async (name) => {
    const route = ROUTES[name]!;
    const [a, b] = await Promise.all([restJson(ours, route(ours)), restJson(sdk, route(sdk))]);
    expect(shapeDifferences(shapeOf(a), shapeOf(b))).toEqual([]);
  });

  it.each(Object.keys(NOT_SERVED))("%s is the SDK's only, and ours says UNIMPLEMENTED", async (name) => {
    const { route, reason } = NOT_SERVED[name]!;
    expect(reason).not.toBe('');
    await restJson(sdk, route(sdk));
    const res = await fetch(`${ours.rest}${route(ours)}`);
    expect({ status: res.status, code: ((await res.json()) as { code: number }).code }).toEqual({ status: 501, code: 12 });
  });
});

describe('gRPC answers, as proto3 JSON (grpcurl)', () => {
  const grpcurlJson = async (side: Side, method: string, request: Record<string, unknown>) =>
    JSON.parse(
      (await run(GRPCURL, ['-plaintext', '-emit-defaults', '-d', JSON.stringify(request), side.grpc, method], { timeout: 30_000 })).stdout,
    ) as unknown;

  it.each([
    ['bank Balance', 'cosmos.bank.v1beta1.Query/Balance', (s: Side) => ({ address: s.receiver, denom: s.denom })],
    ['bank AllBalances', 'cosmos.bank.v1beta1.Query/AllBalances', (s: Side) => ({ address: s.receiver })],
  ])("%s has the SDK's shape", async (_name, method, request) => {
    const [a, b] = await Promise.all([grpcurlJson(ours, method, request(ours)), grpcurlJson(sdk, method, request(sdk))]);
    expect(shapeDifferences(shapeOf(a), shapeOf(b))).toEqual([]);
  });
});
