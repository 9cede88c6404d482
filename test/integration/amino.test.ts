/**
 * SIGN_MODE_LEGACY_AMINO_JSON on a real node: stock cosmjs with an amino-only signer
 * (`Secp256k1HdWallet`, what a Ledger is to cosmjs) and the chain's exported AminoConverters, and
 * the CLI's `--sign-mode amino-json`.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Secp256k1HdWallet } from '@cosmjs/amino';
import { Registry } from '@cosmjs/proto-signing';
import { AminoTypes, GasPrice, SigningStargateClient, createDefaultAminoConverters, defaultRegistryTypes } from '@cosmjs/stargate';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { parazoneAminoConverters } from '../../app/amino-converters.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import { governanceAuthority } from '../../app/types/authority.js';
import { MsgSubmitProposal } from '../../generated/parazone/governance/v1/tx.js';
import { MsgMint } from '../../generated/parazone/tokens/v1/tx.js';
import { cleanupAfterAll } from '../helpers/cleanup.js';
import { startTestChain, TEST_DENOM, type TestChain } from '../helpers/chain.js';

const run = promisify(execFile);
const cleanup = cleanupAfterAll();
let chain: TestChain;
let comet: CometClient;
let client: SigningStargateClient;
let alice: string;

const SUBMIT = '/parazone.governance.v1.MsgSubmitProposal';
const MINT = '/parazone.tokens.v1.MsgMint';

beforeAll(async () => {
  chain = await startTestChain({ accounts: { alice: `1000000000000${TEST_DENOM}`, carol: `1000000000${TEST_DENOM}` } }, cleanup);
  const wallet = await Secp256k1HdWallet.fromMnemonic(chain.keys.alice!.mnemonic, { prefix: 'para' });
  alice = (await wallet.getAccounts())[0]!.address;
  const registry = new Registry(defaultRegistryTypes);
  registry.register(SUBMIT, MsgSubmitProposal);
  registry.register(MINT, MsgMint);
  client = await SigningStargateClient.connectWithSigner(chain.rpc, wallet, {
    registry,
    aminoTypes: new AminoTypes({ ...createDefaultAminoConverters(), ...parazoneAminoConverters() }),
    gasPrice: GasPrice.fromString(`0.025${TEST_DENOM}`),
    broadcastPollIntervalMs: 200,
  });
  comet = await connectComet(chain.rpc);
  cleanup.add('disconnect clients', () => {
    client.disconnect();
    comet.disconnect();
  });
});

/** The sign mode of a committed tx's only signer. */
async function signModeOf(hash: string): Promise<SignMode | undefined> {
  const { tx } = await comet.tx({ hash: Buffer.from(hash, 'hex') });
  return AuthInfo.decode(TxRaw.decode(tx).authInfoBytes).signerInfos[0]?.modeInfo?.single?.mode;
}

describe('amino JSON signing on a real node', () => {
  it('commits a bank send signed by cosmjs\'s amino signer, fee "auto" through Simulate', async () => {
    const bob = (await chain.keyring.add('bob')).address;
    const result = await client.sendTokens(alice, bob, [{ denom: TEST_DENOM, amount: '4321' }], 'auto', 'amino <send> & memo');
    expect(result.code).toBe(0);
    expect(await signModeOf(result.transactionHash)).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    expect(await client.getBalance(bob, TEST_DENOM)).toEqual({ denom: TEST_DENOM, amount: '4321' });
  });

  it('commits a governance proposal whose message (an Any) is one of our Msgs', async () => {
    const mint = MsgMint.fromPartial({
      authority: governanceAuthority(makeChainConfig()),
      recipient: alice,
      amount: [{ denom: TEST_DENOM, amount: '5' }],
    });
    const submit = {
      typeUrl: SUBMIT,
      value: MsgSubmitProposal.fromPartial({
        messages: [{ typeUrl: MINT, value: Buffer.from(MsgMint.encode(mint).finish()) }],
        initialDeposit: [{ denom: TEST_DENOM, amount: '1000000' }],
        proposer: alice,
        title: 'Mint five',
        summary: 'signed with amino JSON',
      }),
    };
    const result = await client.signAndBroadcast(alice, [submit], 'auto');
    expect(result.rawLog ?? '').toBe('');
    expect(result.code).toBe(0);
    expect(await signModeOf(result.transactionHash)).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    expect(result.events.some((e) => e.type === 'submit_proposal')).toBe(true);
  });

  it("signs with the CLI's --sign-mode amino-json, a bank send and a Msg given as proto3 JSON", async () => {
    const cli = (...args: string[]) =>
      run(
        process.execPath,
        ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), ...args, '--home', chain.home, '--node', chain.rpc],
        { cwd: repoRoot(), timeout: 90_000 },
      );
    const amino = (...args: string[]) => cli(...args, '--sign-mode', 'amino-json');
    const dave = (await chain.keyring.add('dave')).address;
    const sent = JSON.parse((await amino('tx', 'bank', 'send', dave, '77upara', '--from', 'carol')).stdout) as {
      code: number;
      txhash: string;
    };
    expect(sent.code).toBe(0);
    expect(await signModeOf(sent.txhash)).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);
    expect(await client.getBalance(dave, TEST_DENOM)).toEqual({ denom: TEST_DENOM, amount: '77' });

    // A deposit on the proposal the test above submitted.
    const carol = chain.keys.carol!.address;
    const deposit = JSON.stringify({ proposalId: '1', depositor: carol, amount: [{ denom: TEST_DENOM, amount: '10' }] });
    const deposited = JSON.parse((await amino('tx', 'governance', 'deposit', deposit, '--from', 'carol')).stdout) as {
      code: number;
      txhash: string;
    };
    expect(deposited.code).toBe(0);
    expect(await signModeOf(deposited.txhash)).toBe(SignMode.SIGN_MODE_LEGACY_AMINO_JSON);

    const refused = await cli('tx', 'bank', 'send', dave, '1upara', '--from', 'carol', '--sign-mode', 'textual').catch(
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused).toMatchObject({ stderr: expect.stringContaining('--sign-mode must be direct or amino-json, got "textual"') });
  });
});
