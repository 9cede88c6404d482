import { AddressCodec } from './address.js';

/** Facts fixed for a chain's lifetime that modules need at construction. */
export interface ChainConfig {
  /** Bech32 human-readable part of account addresses, e.g. "para". */
  readonly bech32Prefix: string;
  /** The staking/fee/governance token's base denom, e.g. "upara". */
  readonly bondDenom: string;
  readonly addresses: AddressCodec;
}

export function makeChainConfig(bech32Prefix = 'para', bondDenom = 'upara'): ChainConfig {
  return { bech32Prefix, bondDenom, addresses: new AddressCodec(bech32Prefix) };
}
