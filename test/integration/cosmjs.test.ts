/**
 * Stock cosmjs against a real CometBFT node running Parazone plus the third-party notes module
 * (examples/notes), wired in through its own entry file without editing the core.
 */
import path from 'node:path';
import { DirectSecp256k1HdWallet, Registry } from '@cosmjs/proto-signing';
import { GasPrice, QueryClient, SigningStargateClient, StargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet } from '@cosmjs/tendermint-rpc';
import { repoRoot } from '../../app/node/cometbft.js';
import { createNotesModule } from '../../examples/notes/module.js';
import {
  MsgCreateNote,
  MsgCreateNoteResponse,
  QueryNotesByAuthorRequest,
  QueryNotesByAuthorResponse,
} from '../../examples/notes/generated/acme/notes/v1/notes.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
let chain: TestChain;
let client: SigningStargateClient;
let faucet: string;

const registry = new Registry(defaultRegistryTypes);
registry.register('/acme.notes.v1.MsgCreateNote', MsgCreateNote);

beforeAll(async () => {
  chain = await startTestChain(
    {
      accounts: { faucet: `1000000000000${TEST_DENOM}` },
      entry: path.join(repoRoot(), 'examples/notes/chain.ts'),
      spec: { extraModules: [({ config }) => createNotesModule(config)] },
    },
    cleanup,
  );
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.faucet!.mnemonic, { prefix: 'para' });
  faucet = (await wallet.getAccounts())[0]!.address;
  client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    registry,
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect client', () => client.disconnect());
});

describe('stock cosmjs against a real node', () => {
  it('reads the chain id and height from /status', async () => {
    expect(await client.getChainId()).toBe(chain.chainId);
    expect(await client.getHeight()).toBeGreaterThan(1);
  });

  it('returns null for an account the chain has never seen', async () => {
    const stranger = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' })).getAccounts())[0]!.address;
    expect(await client.getAccount(stranger)).toBeNull();
    expect(await client.getBalance(stranger, TEST_DENOM)).toEqual({ denom: TEST_DENOM, amount: '0' });
  });

  it('sends tokens with an automatic fee and reads balances and accounts back', async () => {
    const recipient = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' })).getAccounts())[0]!.address;
    const before = BigInt((await client.getBalance(faucet, TEST_DENOM)).amount);
    const result = await client.sendTokens(faucet, recipient, [{ denom: TEST_DENOM, amount: '12345' }], 'auto', 'hello');
    expect(result.code).toBe(0);
    expect(result.gasUsed).toBeGreaterThan(0n);
    expect(result.gasUsed).toBeLessThanOrEqual(result.gasWanted);
    expect(result.msgResponses.map((r) => r.typeUrl)).toEqual(['/cosmos.bank.v1beta1.MsgSendResponse']);

    expect(await client.getBalance(recipient, TEST_DENOM)).toEqual({ denom: TEST_DENOM, amount: '12345' });
    expect(await client.getAllBalances(recipient)).toEqual([{ denom: TEST_DENOM, amount: '12345' }]);
    const after = BigInt((await client.getBalance(faucet, TEST_DENOM)).amount);
    const fee = before - after - 12345n;
    expect(fee).toBeGreaterThan(0n); // the fee was paid too

    const account = await client.getAccount(recipient);
    expect(account).not.toBeNull();
    expect(account!.address).toBe(recipient);
    expect(account!.sequence).toBe(0);
    const sender = await client.getAccount(faucet);
    expect(sender!.pubkey).not.toBeNull();
    expect(sender!.sequence).toBeGreaterThan(0);

    // The SDK event set for a transfer, searchable by the indexer.
    const types = result.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['coin_spent', 'coin_received', 'transfer', 'message', 'tx']));
    const found = await client.searchTx(`transfer.recipient='${recipient}'`);
    expect(found.map((t) => t.hash)).toContain(result.transactionHash);
    const indexed = await client.getTx(result.transactionHash);
    expect(indexed?.height).toBe(result.height);
  });

  it('signs and broadcasts a third-party module Msg through a Registry, and queries it back', async () => {
    const result = await client.signAndBroadcast(
      faucet,
      [{ typeUrl: '/acme.notes.v1.MsgCreateNote', value: MsgCreateNote.fromPartial({ author: faucet, text: 'first note' }) }],
      'auto',
    );
    expect(result.code).toBe(0);
    const [response] = result.msgResponses;
    expect(response!.typeUrl).toBe('/acme.notes.v1.MsgCreateNoteResponse');
    const id = MsgCreateNoteResponse.decode(response!.value).id;
    expect(id).toBe(`${result.height}-${result.txIndex}`);

    const comet = await connectComet(chain.rpc);
    const query = new QueryClient(comet);
    const raw = await query.queryAbci('/acme.notes.v1.Query/NotesByAuthor', QueryNotesByAuthorRequest.encode({ author: faucet }).finish());
    comet.disconnect();
    expect(QueryNotesByAuthorResponse.decode(raw.value).notes).toEqual([{ author: faucet, id, text: 'first note' }]);
  });

  it('rejects an invalid third-party Msg with its own module error, and the node keeps going', async () => {
    const empty = MsgCreateNote.fromPartial({ author: faucet, text: 'x'.repeat(281) });
    await expect(client.signAndBroadcast(faucet, [{ typeUrl: '/acme.notes.v1.MsgCreateNote', value: empty }], 'auto')).rejects.toThrow(
      /note too long/,
    );
    const reader = await StargateClient.connect(chain.rpc);
    expect(await reader.getHeight()).toBeGreaterThan(0);
    reader.disconnect();
  });
});
