/**
 * Accounts created at every height from the first blocks past 300 — through 128…255, where
 * height-derived numbers fell in [2^31, 2^32) and cosmjs-types mis-encoded them — are numbered
 * 0, 1, 2, … and work with stock cosmjs: queried with getAccount and sending funds onward with
 * SigningStargateClient.
 */
import { createHash } from 'node:crypto';
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { calculateFee, GasPrice, SigningStargateClient, type StdFee } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { MsgMultiSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const LAST_HEIGHT = 300;
/** One tx that creates more accounts than fit in a byte: creation order k ≥ 128 inside one tx. */
const MULTI_SEND_OUTPUTS = 130;
const FEE: StdFee = calculateFee(200_000, GasPrice.fromString(`0.025${TEST_DENOM}`));
const MULTI_FEE: StdFee = calculateFee(4_000_000, GasPrice.fromString(`0.025${TEST_DENOM}`));

const cleanup = cleanupAfterAll();
let chain: TestChain;
let comet: CometClient;
let faucetClient: SigningStargateClient;
let faucet: string;

/** A key of our own per new account (HD derivation would take seconds for hundreds of them). */
async function newWallet(i: number): Promise<DirectSecp256k1Wallet> {
  return DirectSecp256k1Wallet.fromKey(createHash('sha256').update(`account-numbers ${i}`).digest(), 'para');
}

beforeAll(async () => {
  chain = await startTestChain({ accounts: { faucet: `1000000000000${TEST_DENOM}` } }, cleanup);
  comet = await connectComet(chain.rpc);
  cleanup.add('disconnect cosmjs', () => comet.disconnect());
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.faucet!.mnemonic, { prefix: 'para' });
  faucet = (await wallet.getAccounts())[0]!.address;
  faucetClient = await SigningStargateClient.createWithSigner(comet, wallet, { broadcastPollIntervalMs: 100 });
});

describe('account numbers at every height, with stock cosmjs', () => {
  it(`numbers accounts created at heights up to ${LAST_HEIGHT} 0, 1, 2 … and lets each of them send`, async () => {
    const chainId = chain.chainId;
    const faucetAccount = (await faucetClient.getAccount(faucet))!;
    expect(faucetAccount.accountNumber).toBe(0); // the genesis account comes first
    let sequence = faucetAccount.sequence;
    const sign = (msgs: Parameters<SigningStargateClient['sign']>[1], fee: StdFee) =>
      faucetClient.sign(faucet, msgs, fee, '', { accountNumber: 0, sequence: sequence++, chainId });

    // One new account per block: a MsgSend to a fresh address, broadcast without waiting, as soon
    // as the height moves. Plus, early on, one MsgMultiSend creating 130 accounts in one tx.
    const recipients: { wallet: DirectSecp256k1Wallet; address: string; hash: string }[] = [];
    const addRecipient = async (hash: string, wallet: DirectSecp256k1Wallet) => {
      recipients.push({ wallet, address: (await wallet.getAccounts())[0]!.address, hash });
    };
    const multiWallets = await Promise.all(Array.from({ length: MULTI_SEND_OUTPUTS }, (_, i) => newWallet(100_000 + i)));
    const multiAddresses = await Promise.all(multiWallets.map(async (w) => (await w.getAccounts())[0]!.address));
    let height = await faucetClient.getHeight();
    let i = 0;
    const deadline = Date.now() + 90_000;
    while (height < LAST_HEIGHT) {
      if (Date.now() > deadline) throw new Error(`the chain reached only height ${height} in 90 s`);
      const wallet = await newWallet(i++);
      const to = (await wallet.getAccounts())[0]!.address;
      const tx = await sign(
        [
          {
            typeUrl: '/cosmos.bank.v1beta1.MsgSend',
            value: { fromAddress: faucet, toAddress: to, amount: [{ denom: TEST_DENOM, amount: '1000000' }] },
          },
        ],
        FEE,
      );
      const hash = await faucetClient.broadcastTxSync(TxRaw.encode(tx).finish());
      await addRecipient(hash, wallet);
      if (i === 20) {
        const multi = MsgMultiSend.fromPartial({
          inputs: [{ address: faucet, coins: [{ denom: TEST_DENOM, amount: String(1_000_000 * MULTI_SEND_OUTPUTS) }] }],
          outputs: multiAddresses.map((address) => ({ address, coins: [{ denom: TEST_DENOM, amount: '1000000' }] })),
        });
        const multiTx = await sign([{ typeUrl: '/cosmos.bank.v1beta1.MsgMultiSend', value: multi }], MULTI_FEE);
        const multiHash = await faucetClient.broadcastTxSync(TxRaw.encode(multiTx).finish());
        for (const w of multiWallets) await addRecipient(multiHash, w);
      }
      const from = height;
      height = await pollUntil(
        `height above ${from}`,
        async () => {
          const h = await faucetClient.getHeight();
          return h > from ? h : undefined;
        },
        10_000,
        30,
      );
    }

    // Where each account was created, and that every creating tx succeeded.
    const txHeights = new Map<string, number>();
    for (const { hash } of recipients) {
      if (txHeights.has(hash)) continue;
      const tx = await pollUntil(`tx ${hash}`, () => faucetClient.getTx(hash).then((t) => t ?? undefined), 10_000);
      expect({ hash, code: tx.code, log: tx.rawLog }).toEqual({ hash, code: 0, log: tx.rawLog });
      txHeights.set(hash, tx.height);
    }
    const heights = new Set(recipients.map((r) => txHeights.get(r.hash)!));
    expect(Math.min(...heights)).toBeLessThan(20);
    expect(Math.max(...heights)).toBeGreaterThanOrEqual(LAST_HEIGHT - 5);
    expect([...heights].filter((h) => h >= 128 && h <= 255).length).toBeGreaterThanOrEqual(64);

    // getAccount: every new account is there, and the numbers are dense — each one once, in the
    // order the chain created them (the faucet's txs run in sequence order; a MultiSend's outputs
    // in order), right after the genesis accounts.
    const accounts = await Promise.all(recipients.map((r) => faucetClient.getAccount(r.address)));
    accounts.forEach((account, n) => expect({ n, address: account?.address }).toEqual({ n, address: recipients[n]!.address }));
    const numbers = accounts.map((a) => a!.accountNumber);
    const first = numbers[0]!;
    expect(first).toBeLessThan(16); // genesis: the faucet and the module accounts
    expect(numbers).toEqual(recipients.map((_, j) => first + j));

    // Each account sends funds onward (back to the faucet) with SigningStargateClient, which reads
    // its account number from the chain to sign; broadcast in batches (one RPC node serves them
    // all), then each result read back.
    const hashes: string[] = [];
    for (let start = 0; start < recipients.length; start += 25) {
      const batch = recipients.slice(start, start + 25).map(async ({ wallet, address }) => {
        const client = await SigningStargateClient.createWithSigner(comet, wallet);
        const tx = await client.sign(
          address,
          [
            {
              typeUrl: '/cosmos.bank.v1beta1.MsgSend',
              value: { fromAddress: address, toAddress: faucet, amount: [{ denom: TEST_DENOM, amount: '1000' }] },
            },
          ],
          FEE,
          '',
        );
        return client.broadcastTxSync(TxRaw.encode(tx).finish());
      });
      hashes.push(...(await Promise.all(batch)));
    }
    for (const [n, hash] of hashes.entries()) {
      const tx = await pollUntil(`onward send ${n}`, () => faucetClient.getTx(hash).then((t) => t ?? undefined), 20_000);
      expect({ n, code: tx.code, log: tx.rawLog }).toEqual({ n, code: 0, log: tx.rawLog });
    }
    const after = await Promise.all(recipients.map((r) => faucetClient.getAccount(r.address)));
    expect(after.map((a) => a!.sequence)).toEqual(recipients.map(() => 1));
    expect(after.map((a) => a!.accountNumber)).toEqual(numbers);
    const balances = await Promise.all(recipients.map((r) => faucetClient.getBalance(r.address, TEST_DENOM)));
    expect(balances.map((b) => b.amount)).toEqual(recipients.map(() => String(1_000_000 - 1000 - Number(FEE.amount[0]!.amount))));
  }, 170_000);
});
