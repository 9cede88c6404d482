/**
 * app.toml `index-events` on a real node: CometBFT's tx_search finds a tx by an attribute the list
 * flags and not by one it leaves out (which getTx still shows), and stock cosmjs `searchTx` by
 * sender and recipient works with the default list.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { DEFAULT_INDEX_EVENTS } from '../../app/baseapp/index-events.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
let chain: TestChain;
let client: SigningStargateClient;
let faucet: string;

beforeAll(async () => {
  // The default list, written out as a node operator would find it in app.toml.
  chain = await startTestChain(
    { accounts: { faucet: `1000000000000${TEST_DENOM}` }, appConfig: { indexEvents: [...DEFAULT_INDEX_EVENTS] } },
    cleanup,
  );
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.faucet!.mnemonic, { prefix: 'para' });
  faucet = (await wallet.getAccounts())[0]!.address;
  client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  cleanup.add('disconnect client', () => client.disconnect());
});

/** CometBFT's own tx_search, straight over RPC: the hashes it finds for `query`. */
async function txSearch(query: string): Promise<string[]> {
  const url = `${chain.rpc}/tx_search?query=${encodeURIComponent(JSON.stringify(query))}&per_page=100`;
  const body = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    result?: { txs: { hash: string }[] };
    error?: unknown;
  };
  if (!body.result) throw new Error(`tx_search ${query}: ${JSON.stringify(body.error)}`);
  return body.result.txs.map((t) => t.hash);
}

describe('index-events on a real node', () => {
  it('indexes the listed attributes only; cosmjs searchTx by sender and recipient works with the default', async () => {
    const recipient = (await (await DirectSecp256k1HdWallet.generate(12, { prefix: 'para' })).getAccounts())[0]!.address;
    const amount = '424242';
    const result = await client.sendTokens(faucet, recipient, [{ denom: TEST_DENOM, amount }], 'auto');
    expect(result.code).toBe(0);
    const hash = result.transactionHash;

    // Flagged by the default: searchable, through cosmjs and through CometBFT directly.
    expect((await client.searchTx(`message.sender='${faucet}'`)).map((t) => t.hash)).toContain(hash);
    expect((await client.searchTx(`transfer.recipient='${recipient}'`)).map((t) => t.hash)).toContain(hash);
    expect(await txSearch(`transfer.sender='${faucet}' AND tx.height=${result.height}`)).toContain(hash);
    expect(await txSearch(`tx.acc_seq='${faucet}/0'`)).toContain(hash);

    // Not in the list: CometBFT did not index it, though the tx's events still carry it.
    expect(DEFAULT_INDEX_EVENTS).not.toContain('transfer.amount');
    expect(await txSearch(`transfer.amount='${amount}${TEST_DENOM}'`)).toEqual([]);
    expect(await txSearch(`coin_received.receiver='${recipient}'`)).toEqual([]);
    expect(await txSearch(`message.action='/cosmos.bank.v1beta1.MsgSend' AND tx.height=${result.height}`)).toContain(hash); // listed, as a control
    const tx = await client.getTx(hash);
    const transfers = tx!.events.filter((e) => e.type === 'transfer').flatMap((e) => e.attributes); // the fee's, then ours
    expect(transfers).toEqual(expect.arrayContaining([{ key: 'amount', value: `${amount}${TEST_DENOM}` }]));
  });
});
