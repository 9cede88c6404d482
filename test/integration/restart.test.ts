/**
 * SIGKILL the app in the middle of a run: the restarted app reports its last committed height and
 * hash, CometBFT replays what it missed, and the chain resumes with the same state.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';
import { fetchStatus } from '../../app/node/cometbft.js';
import { AddressCodec } from '../../app/types/address.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
let chain: TestChain;

async function connect(mnemonic: string) {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: 'para' });
  const address = (await wallet.getAccounts())[0]!.address;
  const client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  return { client, address };
}

beforeAll(async () => {
  chain = await startTestChain({ accounts: { alice: `1000000000${TEST_DENOM}` } }, cleanup);
});

it('resumes at the right height with the same state after the app is SIGKILLed', async () => {
  const recipient = new AddressCodec('para').encode(new Uint8Array(20).fill(9));
  const { client, address } = await connect(chain.keys.alice!.mnemonic);
  for (let i = 0; i < 3; i++) {
    expect((await client.sendTokens(address, recipient, [{ denom: TEST_DENOM, amount: '100' }], 'auto')).code).toBe(0);
  }
  // One more in flight when the app dies: it is either committed or not, never half-applied.
  void client.sendTokens(address, recipient, [{ denom: TEST_DENOM, amount: '100' }], 'auto').catch(() => undefined);
  await new Promise((r) => setTimeout(r, 150));
  const statusBefore = await fetchStatus(chain.rpc);
  client.disconnect();

  await chain.killApp();
  // The restart's own waits are bounded (app port 60 s, next height 60 s) and fail with CometBFT's
  // log tail; the app's log is added here, so a failure says which side stopped and why.
  await chain.restart().catch(async (err: Error) => {
    throw new Error(
      `${err.message}\n--- app log (tail) ---\n${chain.appLog()}\n--- cometbft log (tail) ---\n${await chain.comet.logTail(60)}`,
    );
  });

  const after = await connect(chain.keys.alice!.mnemonic);
  const statusAfter = await fetchStatus(chain.rpc);
  expect(Number(statusAfter.sync_info.latest_block_height)).toBeGreaterThan(Number(statusBefore.sync_info.latest_block_height));
  const received = BigInt((await after.client.getBalance(recipient, TEST_DENOM)).amount);
  expect([300n, 400n]).toContain(received);
  const sequence = (await after.client.getAccount(address))!.sequence;
  expect(sequence).toBe(Number(received / 100n)); // every committed send bumped the sequence once

  // The chain takes new txs after the restart.
  expect((await after.client.sendTokens(address, recipient, [{ denom: TEST_DENOM, amount: '1' }], 'auto')).code).toBe(0);
  expect((await after.client.getBalance(recipient, TEST_DENOM)).amount).toBe((received + 1n).toString());
  after.client.disconnect();
}, 180_000); // above the restart's own bounded waits (2 × 60 s), so they report first
