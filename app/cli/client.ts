import { GasPrice, SigningStargateClient, StargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import type { ProtoType } from '../types/module.js';
import type { Keyring } from './keyring.js';

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
}

export async function signingClient(keyring: Keyring, from: string, options: ClientOptions) {
  const wallet = await keyring.wallet(from);
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(options.node, wallet, {
    registry: registryFor(options.msgTypes),
    gasPrice: GasPrice.fromString(options.gasPrice),
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 60_000,
  });
  return { client, address: account!.address };
}

export async function queryClient(node: string): Promise<StargateClient> {
  return StargateClient.connect(node);
}
