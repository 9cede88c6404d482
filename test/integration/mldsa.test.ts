/**
 * Post-quantum accounts on a real node: ML-DSA-65 and ML-DSA-44 keys receive, send and vote through
 * the stock cosmjs SigningStargateClient (with MlDsaDirectSigner and its two tx helpers), and
 * malformed ML-DSA txs are refused with their codes while nothing changes and blocks keep coming.
 */
import {
  DirectSecp256k1HdWallet,
  Registry,
  makeAuthInfoBytes,
  makeSignDoc,
  type EncodeObject,
  type GeneratedType,
} from '@cosmjs/proto-signing';
import {
  BroadcastTxError,
  GasPrice,
  QueryClient,
  SigningStargateClient,
  createProtobufRpcClient,
  defaultRegistryTypes,
  type StdFee,
} from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ML_DSA_SIZES } from '../../app/crypto/mldsa.js';
import { MlDsaDirectSigner, mlDsaAccountParser, signMlDsaTx, simulateMlDsaTx } from '../../app/crypto/mldsa-signer.js';
import { ML_DSA_PUBKEY_TYPE_URL } from '../../app/crypto/account-keys.js';
import { ParameterSet, PubKey as MlDsaPubKey } from '../../generated/parazone/crypto/mldsa/v1/keys.js';
import { QueryClientImpl, QueryProposalsRequest } from '../../generated/parazone/governance/v1/query.js';
import { VoteOption } from '../../generated/parazone/governance/v1/gov.js';
import { MsgSubmitProposal, MsgVote } from '../../generated/parazone/governance/v1/tx.js';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
const run = promisify(execFile);
/** The compiled CLI, as users run it (bin/parazone.js; built in beforeAll when stale). */
const parazone = (...args: string[]) =>
  run(process.execPath, [path.join(repoRoot(), 'bin/parazone.js'), ...args, '--home', chain.home], { cwd: repoRoot(), timeout: 90_000 });
const registry = new Registry(defaultRegistryTypes);
registry.register('/parazone.governance.v1.MsgSubmitProposal', MsgSubmitProposal as unknown as GeneratedType);
registry.register('/parazone.governance.v1.MsgVote', MsgVote as unknown as GeneratedType);

let chain: TestChain;
let comet: CometClient;
let queries: QueryClient;
let faucet: { address: string; client: SigningStargateClient };
const pq65 = MlDsaDirectSigner.generate('ml-dsa-65').signer;
const pq44 = MlDsaDirectSigner.generate('ml-dsa-44').signer;
let pqClient: SigningStargateClient;

beforeAll(async () => {
  await run(process.execPath, [path.join(repoRoot(), 'scripts/build.js'), '--if-stale'], { cwd: repoRoot(), timeout: 120_000 });
  chain = await startTestChain(
    {
      accounts: { faucet: `1000000000000${TEST_DENOM}` },
      editAppState: (state) => {
        const governance = state.governance as { params: Record<string, unknown> };
        governance.params = { ...governance.params, votingPeriodSeconds: '30', maxDepositPeriodSeconds: '60' };
        return state;
      },
    },
    cleanup,
  );
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.faucet!.mnemonic, { prefix: 'para' });
  const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    registry,
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect faucet', () => client.disconnect());
  faucet = { address: (await wallet.getAccounts())[0]!.address, client };
  // The stock client, holding the ML-DSA signer; accountParser reads ML-DSA pubkeys back.
  pqClient = await SigningStargateClient.connectWithSigner(chain.rpc, pq65, {
    registry,
    accountParser: mlDsaAccountParser,
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect pq client', () => pqClient.disconnect());
  comet = await connectComet(chain.rpc);
  cleanup.add('disconnect comet', () => comet.disconnect());
  queries = new QueryClient(comet);
}, 240_000);

async function feeFor(signer: MlDsaDirectSigner, messages: EncodeObject[]): Promise<StdFee> {
  const gas = Math.ceil((await simulateMlDsaTx(queries, pqClient, signer, messages, { registry })) * 1.3);
  return { amount: [{ denom: TEST_DENOM, amount: String(Math.ceil(gas * 0.025)) }], gas: String(gas) };
}

async function pqBroadcast(signer: MlDsaDirectSigner, messages: EncodeObject[]) {
  const bytes = await signMlDsaTx(pqClient, signer, messages, await feeFor(signer, messages), { registry });
  return { bytes, result: await pqClient.broadcastTx(bytes) };
}

const send = (from: string, to: string, amount: string): EncodeObject => ({
  typeUrl: '/cosmos.bank.v1beta1.MsgSend',
  value: { fromAddress: from, toAddress: to, amount: [{ denom: TEST_DENOM, amount }] },
});

async function balance(address: string): Promise<bigint> {
  return BigInt((await pqClient.getBalance(address, TEST_DENOM)).amount);
}

describe('ML-DSA accounts on a real node through cosmjs', () => {
  it('an ML-DSA-65 account receives, sends (its pubkey stored on the first tx) and votes', async () => {
    expect((await faucet.client.sendTokens(faucet.address, pq65.address, [{ denom: TEST_DENOM, amount: '50000000' }], 'auto')).code).toBe(
      0,
    );
    expect(await balance(pq65.address)).toBe(50_000_000n);

    const stranger = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' })).getAccounts())[0]!.address;
    const { bytes, result } = await pqBroadcast(pq65, [send(pq65.address, stranger, '1234')]);
    expect(result.code).toBe(0);
    expect(bytes.length).toBeGreaterThan(ML_DSA_SIZES['ml-dsa-65'].publicKey + ML_DSA_SIZES['ml-dsa-65'].signature);
    expect(await balance(stranger)).toBe(1234n);
    const account = await pqClient.getAccount(pq65.address);
    expect(account).toMatchObject({
      address: pq65.address,
      sequence: 1,
      pubkey: { type: 'parazone/ML-DSA-65', value: Buffer.from(pq65.publicKey).toString('base64') },
    });

    // A text proposal from the faucet; the ML-DSA account votes on it (its second tx: the stored pubkey is used).
    const proposal = MsgSubmitProposal.fromPartial({
      messages: [],
      initialDeposit: [{ denom: TEST_DENOM, amount: '10000000' }],
      proposer: faucet.address,
      title: 'Post-quantum vote',
      summary: 'An ML-DSA account votes',
      metadata: '',
    });
    const submitted = await faucet.client.signAndBroadcast(
      faucet.address,
      [{ typeUrl: '/parazone.governance.v1.MsgSubmitProposal', value: proposal }],
      'auto',
    );
    expect(submitted.code).toBe(0);
    const gov = new QueryClientImpl(createProtobufRpcClient(queries));
    const proposalId = (await gov.Proposals(QueryProposalsRequest.fromPartial({}))).proposals.at(-1)!.id;
    const vote = {
      typeUrl: '/parazone.governance.v1.MsgVote',
      value: MsgVote.fromPartial({ proposalId, voter: pq65.address, option: VoteOption.VOTE_OPTION_YES, metadata: '' }),
    };
    expect((await pqBroadcast(pq65, [vote])).result.code).toBe(0);
    const recorded = await gov.Vote({ proposalId, voter: pq65.address });
    expect(recorded.vote?.options.map((o) => o.option)).toEqual([VoteOption.VOTE_OPTION_YES]);
    expect((await pqClient.getAccount(pq65.address))!.sequence).toBe(2);
  }, 120_000);

  it('an ML-DSA-44 account sends, and pays the ML-DSA-44 verification gas', async () => {
    expect((await faucet.client.sendTokens(faucet.address, pq44.address, [{ denom: TEST_DENOM, amount: '50000000' }], 'auto')).code).toBe(
      0,
    );
    const { bytes, result } = await pqBroadcast(pq44, [send(pq44.address, faucet.address, '77')]);
    expect(result.code).toBe(0);
    // 10 gas per byte plus the ML-DSA-44 check (sig_verify_cost_ml_dsa_44, default 34000).
    expect(Number(result.gasUsed)).toBeGreaterThan(10 * bytes.length + 34_000);
    expect((await pqClient.getAccount(pq44.address))!.pubkey?.type).toBe('parazone/ML-DSA-44');
  }, 60_000);

  it('refuses forged, truncated and oversized signatures (4) and a wrong-length pubkey (8); nothing changes, blocks go on', async () => {
    const messages = [send(pq65.address, faucet.address, '5')];
    const fee = await feeFor(pq65, messages);
    const good = TxRaw.decode(await signMlDsaTx(pqClient, pq65, messages, fee, { registry }));
    const sig = good.signatures[0]!;
    const withSignature = (signature: Uint8Array) => TxRaw.encode({ ...good, signatures: [signature] }).finish();
    const forged = Uint8Array.from(sig);
    forged[100]! ^= 0x01;

    // A tx whose SignerInfo carries a 1951-byte "ML-DSA-65" key, properly signed otherwise.
    const { accountNumber, sequence } = (await pqClient.getAccount(pq65.address))!;
    const shortKey = {
      typeUrl: ML_DSA_PUBKEY_TYPE_URL,
      value: MlDsaPubKey.encode({
        parameterSet: ParameterSet.PARAMETER_SET_ML_DSA_65,
        key: Buffer.from(pq65.publicKey.subarray(1)),
      }).finish(),
    };
    const authInfoBytes = makeAuthInfoBytes([{ pubkey: shortKey, sequence }], fee.amount, Number(fee.gas), undefined, undefined);
    const signed = await pq65.signDirect(pq65.address, makeSignDoc(good.bodyBytes, authInfoBytes, chain.chainId, accountNumber));
    const wrongKey = TxRaw.encode({
      bodyBytes: good.bodyBytes,
      authInfoBytes,
      signatures: [Buffer.from(signed.signature.signature, 'base64')],
    }).finish();

    const cases: [string, Uint8Array, number, RegExp][] = [
      ['forged', withSignature(forged), 4, /signature verification failed/],
      ['truncated', withSignature(sig.subarray(0, sig.length - 1)), 4, /ML-DSA-65 signature is 3308 bytes, expected 3309/],
      ['oversized', withSignature(Buffer.concat([sig, new Uint8Array(64)])), 4, /ML-DSA-65 signature is 3373 bytes, expected 3309/],
      ['wrong-length pubkey', wrongKey, 8, /ML-DSA-65 pubkey is 1951 bytes, expected 1952/],
    ];
    const before = { balance: await balance(pq65.address), sequence, height: await chain.height() };
    for (const [what, bytes, code, log] of cases) {
      const error = await pqClient.broadcastTx(bytes).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect({ what, error: error instanceof BroadcastTxError }).toEqual({ what, error: true });
      expect({ what, code: (error as BroadcastTxError).code, codespace: (error as BroadcastTxError).codespace }).toEqual({
        what,
        code,
        codespace: 'sdk',
      });
      expect((error as BroadcastTxError).log).toMatch(log);
    }
    expect(await balance(pq65.address)).toBe(before.balance);
    expect((await pqClient.getAccount(pq65.address))!.sequence).toBe(before.sequence);
    // The original, valid tx still goes through afterwards, in a later block.
    expect((await pqClient.broadcastTx(TxRaw.encode(good).finish())).code).toBe(0);
    expect(await chain.height()).toBeGreaterThan(before.height);
  }, 60_000);

  it('the CLI: keys add --algo ml-dsa-65, export / import with --algo, tx bank send signed by the ML-DSA key', async () => {
    const added = JSON.parse((await parazone('keys', 'add', 'pq', '--algo', 'ml-dsa-65')).stdout) as {
      algo: string;
      address: string;
      pubkey: string;
      mnemonic: string;
    };
    expect(added.algo).toBe('ml-dsa-65');
    expect(Buffer.from(added.pubkey, 'base64')).toHaveLength(ML_DSA_SIZES['ml-dsa-65'].publicKey);
    expect(added.address).toBe((await MlDsaDirectSigner.fromMnemonic('ml-dsa-65', added.mnemonic)).address);
    const exported = (await parazone('keys', 'export', 'pq')).stdout.trim();
    expect(exported).toBe(added.mnemonic);
    const file = path.join(chain.home, 'pq.mnemonic');
    fs.writeFileSync(file, exported);
    const imported = JSON.parse((await parazone('keys', 'import', 'pq-again', file, '--algo', 'ml-dsa-65')).stdout) as {
      address: string;
      algo: string;
    };
    expect(imported).toMatchObject({ address: added.address, algo: 'ml-dsa-65' });
    await expect(parazone('keys', 'add', 'bad', '--algo', 'ml-dsa-99')).rejects.toThrow(/not one of secp256k1, ml-dsa-44, ml-dsa-65/);

    expect((await faucet.client.sendTokens(faucet.address, added.address, [{ denom: TEST_DENOM, amount: '5000000' }], 'auto')).code).toBe(
      0,
    );
    const sent = JSON.parse(
      (await parazone('tx', 'bank', 'send', faucet.address, '4321upara', '--from', 'pq', '--node', chain.rpc, '--output', 'json')).stdout,
    ) as { code: number; txhash: string };
    expect(sent.code).toBe(0);
    const account = await pqClient.getAccount(added.address);
    expect(account).toMatchObject({ sequence: 1, pubkey: { type: 'parazone/ML-DSA-65', value: added.pubkey } });

    // The CLI prints the ML-DSA pubkey Any as proto3 JSON, on the account and in the tx.
    const mlDsaKey = { '@type': '/parazone.crypto.mldsa.v1.PubKey', parameterSet: 'PARAMETER_SET_ML_DSA_65', key: added.pubkey };
    const shown = JSON.parse((await parazone('query', 'auth', 'account-of', added.address, '--node', chain.rpc)).stdout) as {
      account: Record<string, unknown>;
    };
    expect(shown.account).toMatchObject({ '@type': '/cosmos.auth.v1beta1.BaseAccount', address: added.address, pubKey: mlDsaKey });
    const found = JSON.parse((await parazone('query', 'tx', sent.txhash, '--node', chain.rpc)).stdout) as {
      tx: { authInfo: { signerInfos: { publicKey: unknown }[] } };
    };
    expect(found.tx.authInfo.signerInfos[0]!.publicKey).toEqual(mlDsaKey);
  }, 180_000);
});
