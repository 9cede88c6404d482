/**
 * Funding load accounts on a running chain from a faucet key (the localnet's, or any funded
 * mnemonic), with stock cosmjs: many MsgSend per tx, then each account's number and sequence
 * read back from the chain, since they are no longer known in advance as at genesis.
 */
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, StargateClient } from '@cosmjs/stargate';

export interface FaucetFunding {
  readonly rpc: string;
  readonly mnemonic: string;
  readonly prefix: string;
  readonly denom: string;
  readonly gasPrice: string;
  /** Addresses to fund, each with `amount` of `denom`. */
  readonly addresses: readonly string[];
  readonly amount: string;
  readonly perTx?: number;
}

export async function fundFromFaucet(f: FaucetFunding): Promise<void> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(f.mnemonic, { prefix: f.prefix });
  const [faucet] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(f.rpc, wallet, { gasPrice: GasPrice.fromString(f.gasPrice) });
  try {
    const perTx = f.perTx ?? 100;
    for (let i = 0; i < f.addresses.length; i += perTx) {
      const msgs = f.addresses.slice(i, i + perTx).map((to) => ({
        typeUrl: '/cosmos.bank.v1beta1.MsgSend',
        value: { fromAddress: faucet!.address, toAddress: to, amount: [{ denom: f.denom, amount: f.amount }] },
      }));
      const result = await client.signAndBroadcast(faucet!.address, msgs, 1.5);
      if (result.code !== 0) throw new Error(`funding tx failed (code ${result.code}): ${result.rawLog ?? ''}`);
    }
  } finally {
    client.disconnect();
  }
}

/** Account number and next sequence of each address, as the chain reports them now. */
export async function readAccounts(rpc: string, addresses: readonly string[]): Promise<{ accountNumber: bigint; sequence: bigint }[]> {
  const client = await StargateClient.connect(rpc);
  try {
    const out: { accountNumber: bigint; sequence: bigint }[] = [];
    for (const address of addresses) {
      const account = await client.getAccount(address);
      if (!account) throw new Error(`account ${address} does not exist on the chain; fund it first`);
      out.push({ accountNumber: BigInt(account.accountNumber), sequence: BigInt(account.sequence) });
    }
    return out;
  } finally {
    client.disconnect();
  }
}

export async function chainIdOf(rpc: string): Promise<string> {
  const client = await StargateClient.connect(rpc);
  try {
    return await client.getChainId();
  } finally {
    client.disconnect();
  }
}
