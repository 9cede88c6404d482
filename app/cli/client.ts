import {
  AminoTypes,
  BroadcastTxError,
  GasPrice,
  QueryClient,
  type SigningStargateClient,
  calculateFee,
  createDefaultAminoConverters,
  StargateClient,
  defaultRegistryTypes,
  type DeliverTxResponse,
} from '@cosmjs/stargate';
import { Registry, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { connectComet, type CometClient } from '@cosmjs/tendermint-rpc';
import { SigningClient } from '../signing-client.js';
import type { AminoJsonCodec } from '../codec/amino-json.js';
import type { MlDsaDirectSigner } from '../crypto/mldsa-signer.js';
import type { ProtoType } from '../types/module.js';
import type { Keyring } from './keyring.js';
import { TxFailure } from './tx-failure.js';

/** A Msg type the signing client must encode. */
export interface MsgType {
  readonly typeUrl: string;
  readonly type: ProtoType<unknown>;
}

/**
 * A cosmjs Registry that knows the given Msgs on top of cosmjs's defaults: exactly what a dapp
 * would build with `registry.register(typeUrl, Type)`.
 */
export function registryFor(msgTypes: readonly MsgType[]): Registry {
  const registry = new Registry(defaultRegistryTypes);
  for (const msg of msgTypes) {
    if (!registry.lookupType(msg.typeUrl)) registry.register(msg.typeUrl, msg.type as unknown as GeneratedType);
  }
  return registry;
}

export interface ClientOptions {
  readonly node: string;
  readonly gasPrice: string;
  /** The Msgs this client will send beyond cosmjs's defaults. */
  readonly msgTypes: readonly MsgType[];
  /** Sign with SIGN_MODE_LEGACY_AMINO_JSON, the Msgs converted by this codec (the chain's own); else SIGN_MODE_DIRECT. */
  readonly aminoJson?: AminoJsonCodec;
}

const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';

export async function signingClient(keyring: Keyring, from: string, options: ClientOptions) {
  // An amino-only signer makes SigningStargateClient sign with SIGN_MODE_LEGACY_AMINO_JSON.
  const wallet = options.aminoJson ? await keyring.aminoWallet(from) : await keyring.wallet(from);
  const [account] = await wallet.getAccounts();
  const comet = await connectComet(options.node);
  reportFailedSimulationAsTx(comet);
  const client = SigningClient.createWithSigner(comet, wallet, {
    registry: registryFor(options.msgTypes),
    ...(options.aminoJson ? { aminoTypes: new AminoTypes({ ...createDefaultAminoConverters(), ...options.aminoJson.converters() }) } : {}),
    gasPrice: GasPrice.fromString(options.gasPrice),
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 60_000,
  });
  return { client, comet, address: account!.address };
}

/**
 * cosmjs turns a failed Simulate into "Query failed with (N): log", dropping the codespace and
 * calling a refused tx a query. Simulate's ABCI answer carries the tx's own code, codespace and
 * log, so raise them as what they are before cosmjs sees the answer.
 */
function reportFailedSimulationAsTx(comet: CometClient): void {
  const target = comet as unknown as { abciQuery: CometClient['abciQuery'] };
  const query = target.abciQuery.bind(comet);
  target.abciQuery = async (params) => {
    const response = await query(params);
    if (params.path === SIMULATE_PATH && response.code)
      throw new TxFailure('simulation', response.code, response.codespace, response.log ?? '');
    return response;
  };
}

/**
 * Signs and broadcasts `messages` and waits for the block. A refusal at any stage is a TxFailure;
 * one in the block also comes with the result (it is on chain: fee paid, sequence used).
 */
export async function broadcastMsgs(
  keyring: Keyring,
  from: string,
  messages: readonly EncodeObject[],
  options: ClientOptions & { readonly fee: 'auto' | number; readonly memo?: string },
): Promise<{ result: DeliverTxResponse; codespace: string }> {
  const pq = await keyring.mlDsaSigner(from);
  if (pq && options.aminoJson)
    throw new Error(`key "${from}" is an ML-DSA key; amino JSON signing needs a secp256k1 key (use the default sign mode)`);
  const { client, comet, address } = pq ? await mlDsaClient(pq, options) : await signingClient(keyring, from, options);
  try {
    let result: DeliverTxResponse;
    try {
      result = pq
        ? await mlDsaSignAndBroadcast(client, comet, pq, messages, options)
        : await client.signAndBroadcast(address, [...messages], options.fee, options.memo);
    } catch (err) {
      if (err instanceof BroadcastTxError) throw new TxFailure('check', err.code, err.codespace, err.log ?? '');
      throw err;
    }
    // DeliverTxResponse has no codespace; the indexed result has.
    const codespace =
      result.code === 0 ? '' : ((await comet.tx({ hash: Buffer.from(result.transactionHash, 'hex') })).result.codespace ?? '');
    return { result, codespace };
  } finally {
    client.disconnect();
  }
}

/** The stock client for an ML-DSA key: its signer, and the parser that reads ML-DSA pubkeys back. */
async function mlDsaClient(signer: MlDsaDirectSigner, options: ClientOptions) {
  const { mlDsaAccountParser } = await import('../crypto/mldsa-signer.js');
  const comet = await connectComet(options.node);
  reportFailedSimulationAsTx(comet);
  const client = SigningClient.createWithSigner(comet, signer, {
    registry: registryFor(options.msgTypes),
    accountParser: mlDsaAccountParser,
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 60_000,
  });
  return { client, comet, address: signer.address };
}

/**
 * signAndBroadcast for an ML-DSA key: cosmjs's own builds a secp256k1 SignerInfo pubkey, so the
 * tx is simulated and signed with the ML-DSA pubkey Any, then broadcast by the stock client.
 */
async function mlDsaSignAndBroadcast(
  client: SigningStargateClient,
  comet: CometClient,
  signer: MlDsaDirectSigner,
  messages: readonly EncodeObject[],
  options: ClientOptions & { readonly fee: 'auto' | number; readonly memo?: string },
): Promise<DeliverTxResponse> {
  const { signMlDsaTx, simulateMlDsaTx } = await import('../crypto/mldsa-signer.js');
  const registry = client.registry;
  const memo = options.memo ?? '';
  const gas =
    options.fee === 'auto'
      ? Math.ceil((await simulateMlDsaTx(new QueryClient(comet), client, signer, messages, { registry, memo })) * 1.4)
      : options.fee;
  const fee = calculateFee(gas, GasPrice.fromString(options.gasPrice));
  return client.broadcastTx(await signMlDsaTx(client, signer, messages, fee, { registry, memo }));
}

export async function queryClient(node: string): Promise<StargateClient> {
  return StargateClient.connect(node);
}
