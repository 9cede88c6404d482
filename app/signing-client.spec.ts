import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { BroadcastTxError, SigningStargateClient } from '@cosmjs/stargate';
import type { CometClient } from '@cosmjs/tendermint-rpc';
import { SigningClient } from './signing-client.js';

/** A node whose CheckTx refuses every tx (code 5, insufficient funds). */
const refusingComet = () =>
  ({
    broadcastTxSync: async () => ({
      code: 5,
      codespace: 'sdk',
      log: 'insufficient funds',
      hash: new Uint8Array(32),
      data: new Uint8Array(),
    }),
  }) as unknown as CometClient;
const pendingTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('SigningClient.broadcastTx', () => {
  it('leaves no timer pending when CheckTx refuses the tx', async () => {
    const wallet = await DirectSecp256k1HdWallet.generate(12);
    const client = SigningClient.createWithSigner(refusingComet(), wallet);
    const before = pendingTimers();
    await expect(client.broadcastTx(new Uint8Array([1]))).rejects.toBeInstanceOf(BroadcastTxError);
    expect(pendingTimers()).toBe(before);
  });

  it("is needed: cosmjs's own broadcastTx leaves its poll timeout pending after a CheckTx refusal", async () => {
    const wallet = await DirectSecp256k1HdWallet.generate(12);
    const client = SigningStargateClient.createWithSigner(refusingComet(), wallet);
    const before = pendingTimers();
    await expect(client.broadcastTx(new Uint8Array([1]), 100)).rejects.toBeInstanceOf(BroadcastTxError);
    expect(pendingTimers()).toBe(before + 1);
  });
});
