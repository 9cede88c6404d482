import type { ChainConfig } from './chain-config.js';

/**
 * The module account whose address is the authority of every privileged Msg (params updates,
 * regulator grants, minting): governance proposals execute their messages signed by it.
 */
export const GOVERNANCE_ACCOUNT = 'governance';

/** The authority address on a chain: the governance module account's address. */
export function governanceAuthority(config: Pick<ChainConfig, 'addresses'>): string {
  return config.addresses.moduleAddress(GOVERNANCE_ACCOUNT);
}
