/**
 * `parazone localnet --demo`: a supply chain ready at genesis, so the drug registry can be tried
 * at once. Five keys (regulator, manufacturer, wholesaler1, wholesaler2, pharmacy) are put in the
 * keyring, funded for fees, and registered in the drug registry's genesis with one product and
 * one batch (built by the load generator's drug genesis, the module's own genesis records).
 *
 * DEVNET ONLY: the mnemonics are derived from the key names, so anyone can recompute them.
 */
import { governanceAuthority } from '../../types/authority.js';
import { createHash } from 'node:crypto';
import { Bip39 } from '@cosmjs/crypto';
import { drugGenesisJson, DRUG_GTIN, DRUG_LOT } from '../../loadgen/drug-genesis.js';
import { addGenesisAccount } from '../../node/genesis.js';
import type { ChainConfig } from '../../types/chain-config.js';
import type { Keyring, StoredKey } from '../keyring.js';

export const DEMO_KEYS = ['regulator', 'manufacturer', 'wholesaler1', 'wholesaler2', 'pharmacy'] as const;
export type DemoKeyName = (typeof DEMO_KEYS)[number];
export type DemoKeys = Record<DemoKeyName, StoredKey>;
/** Fee money for each demo key; the faucet keeps the bulk (and so the governance vote). */
export const DEMO_FUNDS = '1000000000000';
export const DEMO_PRODUCT = { gtin: DRUG_GTIN, lot: DRUG_LOT } as const;

/** A 12-word mnemonic fixed by the key name: reproducible devnet keys, worthless anywhere else. */
export function demoMnemonic(name: string): string {
  const entropy = createHash('sha256').update(`parazone-devnet-only/${name}`).digest().subarray(0, 16);
  return Bip39.encode(entropy).toString();
}

export async function addDemoKeys(keyring: Keyring): Promise<DemoKeys> {
  const keys = {} as DemoKeys;
  for (const name of DEMO_KEYS) keys[name] = await keyring.add(name, demoMnemonic(name));
  return keys;
}

/**
 * The demo's app_state: the keys funded, and the drug registry's participants (the regulator
 * appointed by governance), the product and its batch. `now` dates the registrations a day back,
 * safely before the chain's genesis time.
 */
export function withDemoState(appState: Record<string, unknown>, keys: DemoKeys, config: ChainConfig, now: Date): Record<string, unknown> {
  let state = appState;
  for (const name of DEMO_KEYS) state = addGenesisAccount(state, keys[name].address, [{ denom: config.bondDenom, amount: DEMO_FUNDS }]);
  const drugregistry = drugGenesisJson({
    authority: governanceAuthority(config),
    regulator: keys.regulator.address,
    manufacturer: keys.manufacturer.address,
    wholesalers: [keys.wholesaler1.address, keys.wholesaler2.address],
    unitsPerWholesaler: [0, 0],
    dispensers: [keys.pharmacy.address],
    time: new Date(Math.floor(now.getTime() / 1000) * 1000 - 86_400_000),
  });
  return { ...state, drugregistry };
}

/** What endpoints.json records of the demo keys in `keyring` (marked: devnet only); undefined without them. */
export function demoKeysIn(keyring: Keyring) {
  const names = new Set(keyring.list().map((k) => k.name));
  if (!DEMO_KEYS.every((name) => names.has(name))) return undefined;
  return {
    warning: 'DEVNET ONLY: these mnemonics are derived from the key names and are public',
    product: DEMO_PRODUCT,
    keys: Object.fromEntries(DEMO_KEYS.map((name) => [name, { address: keyring.get(name).address, mnemonic: keyring.get(name).mnemonic }])),
  };
}
