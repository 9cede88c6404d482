/**
 * Multisig accounts on a real node: a 2-of-3 secp256k1 multisig signed the way cosmjs's own
 * multisignature spec does it (each member signs amino JSON with an offline client, then
 * `makeMultisignedTx`), and a hybrid 2-of-2 secp256k1 + ML-DSA-65 account that is refused with
 * one signature and commits with both.
 */
import { Secp256k1HdWallet, createMultisigThresholdPubkey, pubkeyToAddress } from '@cosmjs/amino';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient, makeMultisignedTx, type StdFee } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { MlDsaDirectSigner, mlDsaAccountParser } from '../../app/crypto/mldsa-signer.js';
import { mlDsaMember, multisigAddress, multisigKey, signMultisigTx, type MultisigMember } from '../../modules/auth/multisig-testing.js';
import { msgSend } from '../../modules/auth/testing.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const cleanup = cleanupAfterAll();
let chain: TestChain;
let faucet: SigningStargateClient;
let faucetAddress: string;
let reader: StargateClient;
const fee: StdFee = { amount: [{ denom: TEST_DENOM, amount: '10000' }], gas: '300000' };

beforeAll(async () => {
  chain = await startTestChain({ accounts: { faucet: `1000000000000${TEST_DENOM}` } }, cleanup);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(chain.keys.faucet!.mnemonic, { prefix: 'para' });
  faucetAddress = (await wallet.getAccounts())[0]!.address;
  faucet = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  // mlDsaAccountParser reads back an account whose multisig key has an ML-DSA member.
  reader = await StargateClient.connect(chain.rpc, { accountParser: mlDsaAccountParser });
  cleanup.add('disconnect clients', () => {
    faucet.disconnect();
    reader.disconnect();
  });
}, 120_000);

async function fund(address: string): Promise<void> {
  const result = await faucet.sendTokens(faucetAddress, address, [{ denom: TEST_DENOM, amount: '1000000' }], 'auto');
  expect(result.code).toBe(0);
}

const balance = async (address: string) => (await reader.getBalance(address, TEST_DENOM)).amount;

describe('multisig accounts on a real node', () => {
  it('a 2-of-3 secp256k1 multisig sends tokens with cosmjs makeMultisignedTx; its key is stored on the account', async () => {
    const wallets = await Promise.all([0, 1, 2].map(() => Secp256k1HdWallet.generate(12, { prefix: 'para' })));
    const members = await Promise.all(wallets.map(async (w) => (await w.getAccounts())[0]!));
    const multisigPubkey = createMultisigThresholdPubkey(
      members.map((m) => ({ type: 'tendermint/PubKeySecp256k1', value: Buffer.from(m.pubkey).toString('base64') })),
      2,
    );
    const multisig = pubkeyToAddress(multisigPubkey, 'para');
    await fund(multisig);
    const recipient = (await (await Secp256k1HdWallet.generate(12, { prefix: 'para' })).getAccounts())[0]!.address;
    const account = (await reader.getAccount(multisig))!;
    const signerData = { accountNumber: account.accountNumber, sequence: account.sequence, chainId: await reader.getChainId() };
    const send = {
      typeUrl: '/cosmos.bank.v1beta1.MsgSend',
      value: MsgSend.fromPartial({ fromAddress: multisig, toAddress: recipient, amount: [{ denom: TEST_DENOM, amount: '1234' }] }),
    };

    // Members 0 and 2 sign, each on its own offline client (amino JSON), as cosmjs's spec does.
    const signatures = new Map<string, Uint8Array>();
    let bodyBytes: Uint8Array | undefined;
    for (const i of [0, 2]) {
      const offline = await SigningStargateClient.offline(wallets[i]!);
      const signed = await offline.sign(members[i]!.address, [send], fee, 'multisig', signerData);
      signatures.set(members[i]!.address, signed.signatures[0]!);
      bodyBytes = signed.bodyBytes;
    }
    const tx = makeMultisignedTx(multisigPubkey, account.sequence, fee, bodyBytes!, signatures);
    const result = await reader.broadcastTx(TxRaw.encode(tx).finish(), 30_000, 200);
    expect(result.rawLog ?? '').toBe('');
    expect(result.code).toBe(0);
    expect(await balance(recipient)).toBe('1234');
    expect(await reader.getAccount(multisig)).toMatchObject({ sequence: 1, pubkey: multisigPubkey });
  });

  it('a hybrid 2-of-2 (secp256k1 + ML-DSA-65) with one signature is refused (4), nothing changed; with both it commits', async () => {
    const wallet = await Secp256k1HdWallet.generate(12, { prefix: 'para' });
    const direct = await DirectSecp256k1HdWallet.fromMnemonic(wallet.mnemonic, { prefix: 'para' });
    const [secpAccount] = await wallet.getAccounts();
    const secp: MultisigMember = {
      address: secpAccount!.address,
      pubkey: { algo: 'secp256k1', key: secpAccount!.pubkey },
      direct,
      amino: wallet,
    };
    const members = [secp, mlDsaMember(MlDsaDirectSigner.generate('ml-dsa-65').signer)];
    const hybrid = multisigAddress(multisigKey(members, 2));
    await fund(hybrid);
    const recipient = secp.address;
    const { accountNumber } = (await reader.getAccount(hybrid))!;
    const chainId = await reader.getChainId();
    const sign = (signers: { index: number }[]) =>
      signMultisigTx({
        members,
        threshold: 2,
        signers,
        msgs: [msgSend(hybrid, recipient, '4321')],
        accountNumber,
        sequence: 0,
        chainId,
        fee: [...fee.amount],
        gasLimit: Number(fee.gas),
      });

    const before = { hybrid: await balance(hybrid), recipient: await balance(recipient), height: await reader.getHeight() };
    for (const only of [0, 1]) {
      // broadcastTxSync: CheckTx refuses it (broadcastTx would leave its poll timer running).
      const refused = await reader.broadcastTxSync((await sign([{ index: only }])).bytes).catch((err: Error) => err);
      expect(refused).toBeInstanceOf(Error);
      expect(refused).toMatchObject({ code: 4, message: expect.stringMatching(/has 1 of the 2 signatures its threshold needs/) });
    }
    // Blocks keep coming, and neither account moved.
    await waitForHeight(before.height + 2);
    expect({ hybrid: await balance(hybrid), recipient: await balance(recipient) }).toEqual({
      hybrid: before.hybrid,
      recipient: before.recipient,
    });
    expect(await reader.getAccount(hybrid)).toMatchObject({ sequence: 0, pubkey: null });

    const result = await reader.broadcastTx((await sign([{ index: 0 }, { index: 1 }])).bytes, 30_000, 200);
    expect(result.rawLog ?? '').toBe('');
    expect(result.code).toBe(0);
    expect(await balance(recipient)).toBe('4321');
    const stored = await reader.getAccount(hybrid);
    expect(stored).toMatchObject({ sequence: 1, pubkey: { type: 'tendermint/PubKeyMultisigThreshold', value: { threshold: '2' } } });
    expect((stored!.pubkey as { value: { pubkeys: { type: string }[] } }).value.pubkeys.map((p) => p.type)).toEqual([
      'tendermint/PubKeySecp256k1',
      'parazone/ML-DSA-65',
    ]);
  }, 60_000);
});

async function waitForHeight(height: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await reader.getHeight()) < height) {
    if (Date.now() > deadline) throw new Error(`no block ${height} within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
