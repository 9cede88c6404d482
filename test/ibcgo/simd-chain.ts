/**
 * A REAL ibc-go v10 chain for IBC tests: `.tools/bin/simd` (ibc-go's testing simapp) as a socket
 * app under our CometBFT (app/loadgen/simd-network.ts), loopback, free ports, a temporary home,
 * with funded test wallets. Fails loudly (SimdNotFoundError) when simd is not built.
 */
import { DirectSecp256k1HdWallet, type EncodeObject } from '@cosmjs/proto-signing';
import { GasPrice, type SigningStargateClient, StargateClient, type DeliverTxResponse, type StdFee } from '@cosmjs/stargate';
import { SigningClient } from '../../app/signing-client.js';
import { DEFAULT_COMET_SETTINGS } from '../../app/loadgen/defaults.js';
import { SIMD_CHAIN, SIMD_MIN_GAS_PRICE, startSimdNet } from '../../app/loadgen/simd-network.js';
import { ibcRegistry } from '../../app/relayer/index.js';
import type { Cleanup } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const SIMD_DENOM = SIMD_CHAIN.bondDenom;

export interface SimdKey {
  readonly mnemonic: string;
  readonly address: string;
  readonly wallet: DirectSecp256k1HdWallet;
}

export interface TestSimd {
  readonly chainId: string;
  readonly rpc: string;
  /** gRPC (host:port) and REST URL of simd's own API servers, with `{ api: true }`. */
  readonly grpc?: string;
  readonly rest?: string;
  readonly keys: Record<string, SimdKey>;
  balance(address: string, denom: string): Promise<bigint>;
  /** Signs `msgs` with a key and waits for the block (gas simulated unless a fee is given). */
  send(key: string, msgs: EncodeObject[], fee?: StdFee): Promise<DeliverTxResponse>;
}

export async function startTestSimd(
  chainId: string,
  keyNames: string[],
  cleanup: Cleanup,
  options: { api?: boolean } = {},
): Promise<TestSimd> {
  const dir = makeTempDir('simd');
  cleanup.add('remove simd home', () => dir.remove());
  const keys: Record<string, SimdKey> = {};
  for (const name of keyNames) {
    const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: SIMD_CHAIN.bech32Prefix });
    keys[name] = { mnemonic: wallet.mnemonic, address: (await wallet.getAccounts())[0]!.address, wallet };
  }
  const net = await startSimdNet({
    home: dir.path,
    chainId,
    comet: { ...DEFAULT_COMET_SETTINGS, timeoutCommit: '250ms' },
    accounts: Object.values(keys).map((k) => ({ address: k.address, coins: [{ denom: SIMD_DENOM, amount: '1000000000000' }] })),
    grpc: true,
    rest: options.api,
  });
  cleanup.add(`stop simd ${chainId}`, () => net.stop());
  const query = await StargateClient.connect(net.rpc);
  cleanup.add(`disconnect ${chainId} query client`, () => query.disconnect());
  const signers = new Map<string, SigningStargateClient>();
  return {
    chainId,
    rpc: net.rpc,
    ...(net.grpc ? { grpc: net.grpc } : {}),
    ...(net.rest ? { rest: net.rest } : {}),
    keys,
    balance: async (address, denom) => BigInt((await query.getBalance(address, denom)).amount),
    async send(key, msgs, fee) {
      let client = signers.get(key);
      if (client === undefined) {
        client = await SigningClient.connectWithSigner(net.rpc, keys[key]!.wallet, {
          registry: ibcRegistry(),
          gasPrice: GasPrice.fromString(SIMD_MIN_GAS_PRICE),
          broadcastPollIntervalMs: 100,
        });
        cleanup.add(`disconnect ${chainId} signer ${key}`, () => client!.disconnect());
        signers.set(key, client);
      }
      return client.signAndBroadcast(keys[key]!.address, msgs, fee ?? 1.5);
    },
  };
}
