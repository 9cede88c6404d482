import { GasPrice, SigningStargateClient, StargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { Registry, type GeneratedType } from '@cosmjs/proto-signing';
import type { Module } from '../types/module.js';
import type { Keyring } from './keyring.js';

/**
 * A cosmjs Registry that knows every Msg of the chain's modules on top of cosmjs's defaults:
 * exactly what a dapp would build with `registry.register(typeUrl, Type)`.
 */
export function registryFor(modules: readonly Module[]): Registry {
  const registry = new Registry(defaultRegistryTypes);
  for (const module of modules) {
    for (const msg of module.msgs ?? []) {
      if (!registry.lookupType(msg.typeUrl)) registry.register(msg.typeUrl, msg.type as unknown as GeneratedType);
    }
  }
  return registry;
}

export interface ClientOptions {
  readonly node: string;
  readonly gasPrice: string;
  readonly modules: readonly Module[];
}

export async function signingClient(keyring: Keyring, from: string, options: ClientOptions) {
  const wallet = await keyring.wallet(from);
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.connectWithSigner(options.node, wallet, {
    registry: registryFor(options.modules),
    gasPrice: GasPrice.fromString(options.gasPrice),
    broadcastPollIntervalMs: 300,
    broadcastTimeoutMs: 60_000,
  });
  return { client, address: account!.address };
}

export async function queryClient(node: string): Promise<StargateClient> {
  return StargateClient.connect(node);
}
