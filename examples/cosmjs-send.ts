/**
 * The README's cosmjs example, runnable against a running localnet:
 *   npm run localnet            # in one terminal
 *   node --import tsx examples/cosmjs-send.ts
 */
import { readFileSync } from 'node:fs';
import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient } from '@cosmjs/stargate';

const home = process.argv[2] ?? '.localnet';
const ep = JSON.parse(readFileSync(`${home}/endpoints.json`, 'utf8'));
const wallet = await DirectSecp256k1HdWallet.fromMnemonic(ep.faucet.mnemonic, { prefix: ep.bech32Prefix });
const client = await SigningStargateClient.connectWithSigner(ep.rpc, wallet, { gasPrice: GasPrice.fromString(ep.gasPrice) });
const [{ address }] = await wallet.getAccounts();

const recipient = await DirectSecp256k1HdWallet.generate(12, { prefix: ep.bech32Prefix });
const [{ address: to }] = await recipient.getAccounts();
const result = await client.sendTokens(address, to, [{ denom: ep.denom, amount: '1000' }], 'auto');
console.log(`tx ${result.transactionHash} in block ${result.height}: code ${result.code}, gas ${result.gasUsed}/${result.gasWanted}`);
console.log('recipient balances:', await client.getAllBalances(to));
client.disconnect();
