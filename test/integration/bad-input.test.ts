/**
 * Bad input against a real node: each is rejected with a Cosmos code and log, state does not
 * change, and blocks keep coming.
 */
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { fromBase64 } from '@cosmjs/encoding';
import { encodePubkey, makeAuthInfoBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { StargateClient } from '@cosmjs/stargate';
import { BinaryWriter } from 'cosmjs-types/binary';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { SimulateRequest } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { broadcastTxSync, rpcCall } from '../../app/node/cometbft.js';
import { AddressCodec } from '../../app/types/address.js';
import { msgSend, signTx, testSigners, type TestSigner } from '../../modules/auth/testing.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
let chain: TestChain;
let reader: StargateClient;
let alice: TestSigner;
let bob: TestSigner;
let aliceNumber: number;
let bobNumber: number;
const stranger = new AddressCodec('para').encode(new Uint8Array(20).fill(7));

beforeAll(async () => {
  chain = await startTestChain({ accounts: { alice: `1000000000${TEST_DENOM}`, bob: `100000${TEST_DENOM}` } }, cleanup);
  [alice, bob] = await Promise.all(['alice', 'bob'].map(async (name) => (await testSigners(1, chain.keys[name]!.mnemonic))[0]!));
  reader = await StargateClient.connect(chain.rpc);
  cleanup.add('disconnect', () => reader.disconnect());
  aliceNumber = (await reader.getAccount(alice!.address))!.accountNumber;
  bobNumber = (await reader.getAccount(bob!.address))!.accountNumber;
});

async function aliceState() {
  const account = await reader.getAccount(alice.address);
  return { balance: (await reader.getBalance(alice.address, TEST_DENOM)).amount, sequence: account!.sequence };
}

async function aliceTx(overrides: Partial<Parameters<typeof signTx>[0]> = {}) {
  const { sequence } = await aliceState();
  return signTx({
    msgs: [msgSend(alice.address, stranger, '10')],
    signers: [{ signer: alice, accountNumber: aliceNumber, sequence }],
    chainId: chain.chainId,
    ...overrides,
  });
}

/** Broadcasts, expects CheckTx to reject with (codespace, code), and state to be untouched. */
async function expectRejected(bytes: Uint8Array, code: number, log: RegExp, codespace = 'sdk') {
  const before = await aliceState();
  const result = await broadcastTxSync(chain.rpc, bytes);
  expect({ code: result.code, codespace: result.codespace }).toEqual({ code, codespace });
  expect(result.log).toMatch(log);
  expect(await aliceState()).toEqual(before);
}

/** `abci_query` through CometBFT's RPC, data as hex, as any client sends it. */
async function abciQuery(path: string, data: Uint8Array, height = 0) {
  const { response } = await rpcCall<{ response: { code: number; codespace: string; log: string } }>(chain.rpc, 'abci_query', {
    path,
    data: Buffer.from(data).toString('hex'),
    height: String(height),
    prove: false,
  });
  return response;
}

describe('bad input is rejected without harm', () => {
  it('random bytes: tx parse error (2)', async () => {
    await expectRejected(
      Uint8Array.from({ length: 97 }, (_, i) => (i * 151 + 7) & 0xff),
      2,
      /parse|decode/i,
    );
  });

  it('a truncated TxRaw: tx parse error (2)', async () => {
    const { bytes } = await aliceTx();
    await expectRejected(bytes.subarray(0, bytes.length - 20), 2, /parse|decode/i);
  });

  it('a bad signature: unauthorized (4)', async () => {
    const tx = await aliceTx();
    const sig = Uint8Array.from(tx.signatures[0]!);
    sig[10] ^= 0x01;
    const forged = TxRaw.encode({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: [sig] }).finish();
    await expectRejected(forged, 4, /signature verification failed/);
  });

  it('a signature for another chain id: unauthorized (4)', async () => {
    await expectRejected((await aliceTx({ chainId: 'some-other-chain' })).bytes, 4, /signature verification failed.*chain-id/);
  });

  it('a wrong account number: unauthorized (4)', async () => {
    const { sequence } = await aliceState();
    const tx = await aliceTx({ signers: [{ signer: alice, accountNumber: aliceNumber + 1, sequence }] });
    await expectRejected(tx.bytes, 4, /account number/);
  });

  it('a replayed sequence: incorrect account sequence (32)', async () => {
    const first = await aliceTx({ memo: 'first' });
    const delivered = await reader.broadcastTx(first.bytes, 30_000, 200);
    expect(delivered.code).toBe(0);
    const stale = await aliceTx({
      memo: 'replay',
      signers: [{ signer: alice, accountNumber: aliceNumber, sequence: (await aliceState()).sequence - 1 }],
    });
    await expectRejected(stale.bytes, 32, /account sequence mismatch/);
  });

  it('a fee below the minimum gas price: insufficient fee (13)', async () => {
    await expectRejected((await aliceTx({ fee: [{ denom: TEST_DENOM, amount: '1' }], gasLimit: 200_000 })).bytes, 13, /insufficient fee/);
  });

  it('a gas limit too low for the tx: out of gas (11)', async () => {
    await expectRejected((await aliceTx({ gasLimit: 1_000, fee: [{ denom: TEST_DENOM, amount: '100' }] })).bytes, 11, /out of gas/);
  });

  it('a timeout timestamp before year 1: tx parse error (2), in CheckTx and Simulate', async () => {
    const tx = await aliceTx();
    const body = TxBody.decode(tx.bodyBytes);
    const bodyBytes = TxBody.encode({ ...body, timeoutTimestamp: { seconds: -10_000_000_000_000n, nanos: 0 } }).finish();
    const bad = TxRaw.encode({ bodyBytes, authInfoBytes: tx.authInfoBytes, signatures: tx.signatures }).finish();
    await expectRejected(bad, 2, /timeout_timestamp: seconds -10000000000000 is before 0001-01-01/);
    const simulated = await abciQuery('/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode({ txBytes: bad }).finish());
    expect({ code: simulated.code, codespace: simulated.codespace }).toEqual({ code: 2, codespace: 'sdk' });
  });

  it('query data that does not decode: invalid request (18) naming the path; an over-long store key at a past height: 18', async () => {
    const res = await abciQuery('/cosmos.bank.v1beta1.Query/Balance', Uint8Array.of(0xff));
    expect({ code: res.code, codespace: res.codespace }).toEqual({ code: 18, codespace: 'sdk' });
    expect(res.log).toContain('/cosmos.bank.v1beta1.Query/Balance: the request data does not decode');
    const past = (await chain.height()) - 1;
    for (const height of [0, past]) {
      const raw = await abciQuery('/store/tokens/key', new Uint8Array(2013), height);
      expect({ code: raw.code, codespace: raw.codespace }).toEqual({ code: 18, codespace: 'sdk' });
      expect(raw.log).toMatch(/store key of 2020 bytes is longer than the limit/);
    }
  });

  it('an unknown Msg type: unknown request (6)', async () => {
    const delegate = {
      typeUrl: '/cosmos.staking.v1beta1.MsgDelegate',
      value: { delegatorAddress: alice.address, validatorAddress: 'x', amount: { denom: TEST_DENOM, amount: '1' } },
    };
    await expectRejected((await aliceTx({ msgs: [delegate] })).bytes, 6, /MsgDelegate/);
  });

  it('an oversized tx: tx too large (21)', async () => {
    const tx = await aliceTx();
    const huge = TxRaw.encode({
      bodyBytes: new Uint8Array(300 * 1024),
      authInfoBytes: tx.authInfoBytes,
      signatures: tx.signatures,
    }).finish();
    await expectRejected(huge, 21, /too large/);
  });

  it('a memo over the limit: memo too large (12)', async () => {
    await expectRejected((await aliceTx({ memo: 'm'.repeat(257) })).bytes, 12, /memo/);
  });

  it('insufficient funds for the Msg: delivered as code 5, fee charged, nothing sent', async () => {
    const before = BigInt((await reader.getBalance(bob.address, TEST_DENOM)).amount);
    const fee = 5000n;
    const tx = await signTx({
      msgs: [msgSend(bob.address, stranger, '1000000')],
      signers: [{ signer: bob, accountNumber: bobNumber, sequence: 0 }],
      chainId: chain.chainId,
      fee: [{ denom: TEST_DENOM, amount: fee.toString() }],
    });
    const result = await reader.broadcastTx(tx.bytes, 30_000, 200);
    expect(result.code).toBe(5);
    expect(result.rawLog).toMatch(/insufficient funds/);
    expect(BigInt((await reader.getBalance(bob.address, TEST_DENOM)).amount)).toBe(before - fee);
    expect((await reader.getBalance(stranger, TEST_DENOM)).amount).toBe('10'); // only alice's earlier tx
  });

  it('keeps producing blocks after all of that', async () => {
    const height = await chain.height();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await chain.height()).toBeGreaterThan(height);
  });
});

describe('unknown fields nested inside a signed tx', () => {
  it('an unknown field inside MsgSend (inside the Any), properly signed: tx decode error (2), nothing changes', async () => {
    const { sequence } = await aliceState();
    const send = MsgSend.encode(
      MsgSend.fromPartial({ fromAddress: alice.address, toAddress: stranger, amount: [{ denom: TEST_DENOM, amount: '10' }] }),
    ).finish();
    const unknown = new BinaryWriter()
      .uint32((9 << 3) | 0)
      .uint64(1n)
      .finish();
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: Uint8Array.from([...send, ...unknown]) }] }),
    ).finish();
    const authInfoBytes = makeAuthInfoBytes(
      [{ pubkey: encodePubkey(encodeSecp256k1Pubkey(alice.pubkey)), sequence }],
      [{ denom: TEST_DENOM, amount: '5000' }],
      200_000,
      undefined,
      undefined,
    );
    const signDoc = makeSignDoc(bodyBytes, authInfoBytes, chain.chainId, aliceNumber);
    const { signature } = await alice.wallet.signDirect(alice.address, signDoc);
    const bytes = TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [fromBase64(signature.signature)] }).finish();
    const strangerBefore = (await reader.getBalance(stranger, TEST_DENOM)).amount;
    await expectRejected(bytes, 2, /cosmos\.bank\.v1beta1\.MsgSend: unknown field 9/);
    expect((await reader.getBalance(stranger, TEST_DENOM)).amount).toBe(strangerBefore);
  });
});
