/**
 * A key connected in the browser: a mnemonic turned into a cosmjs direct signer, and a signing
 * client that broadcasts through the node's `/rpc` proxy. The mnemonic stays in this tab's
 * memory; nothing is stored.
 */
import { DirectSecp256k1HdWallet, type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, type DeliverTxResponse } from '@cosmjs/stargate';
import { clientConfig } from './config.js';
import { registry } from './registry.js';
import { rpcUrl } from './rpc.js';

export interface ConnectedKey {
  readonly name: string;
  readonly address: string;
  send(messages: readonly EncodeObject[], memo?: string): Promise<DeliverTxResponse>;
  disconnect(): void;
}

/** A tx that reached a block but failed there, with the chain's own log. */
export class TxFailed extends Error {
  constructor(readonly result: DeliverTxResponse) {
    super(`tx ${result.transactionHash} failed with code ${result.code}: ${result.rawLog ?? ''}`);
    this.name = 'TxFailed';
  }
}

export async function connectMnemonic(name: string, mnemonic: string): Promise<ConnectedKey> {
  const config = await clientConfig();
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic.trim(), { prefix: config.bech32Prefix });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(rpcUrl(), wallet, {
    registry,
    gasPrice: GasPrice.fromString(config.gasPrice),
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 30_000,
  });
  const address = account!.address;
  return {
    name,
    address,
    async send(messages, memo) {
      const result = await client.signAndBroadcast(address, [...messages], 'auto', memo);
      if (result.code !== 0) throw new TxFailed(result);
      return result;
    },
    disconnect: () => client.disconnect(),
  };
}

/** A refusal worded for a person: cosmjs's "Query failed with (N): …" is the simulated tx's log. */
export function txErrorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const simulated = /Query failed with \((\d+)\): (.*)/s.exec(message);
  if (simulated) return `refused (code ${simulated[1]}): ${simulated[2]!.replace(/: unknown request$/, '').trim()}`;
  return message;
}
