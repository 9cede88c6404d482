import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeChain } from '../../app.js';
import { defaultAppState, setGovernancePeriods, validateAppState } from '../../node/genesis.js';
import { makeChainConfig } from '../../types/chain-config.js';
import { Keyring } from '../keyring.js';
import { readLocalnetConfig } from './localnet-config.js';
import { addDemoKeys, DEMO_KEYS, demoKeysIn, demoMnemonic, withDemoState } from './localnet-demo.js';

const config = makeChainConfig();
const chain = composeChain({ config });

describe('localnet genesis', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-demo-'));
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('--demo: five keys with name-derived mnemonics, registered with a product and a batch in a genesis InitChain accepts', async () => {
    const keyring = new Keyring(home, config.bech32Prefix);
    const keys = await addDemoKeys(keyring);
    expect(keys.manufacturer.mnemonic).toBe(demoMnemonic('manufacturer'));
    expect(demoMnemonic('manufacturer')).not.toBe(demoMnemonic('pharmacy'));
    const state = withDemoState(defaultAppState(chain), keys, config, new Date('2026-06-01T00:00:00Z'));
    expect(() => validateAppState(chain, state)).not.toThrow();
    const drug = state.drugregistry as {
      participants: { address: string; roles: string[] }[];
      products: unknown[];
      batches: { lot: string }[];
    };
    expect(drug.participants.map((p) => [p.address, p.roles])).toEqual([
      [keys.regulator.address, ['REGULATOR']],
      [keys.manufacturer.address, ['MANUFACTURER']],
      [keys.wholesaler1.address, ['WHOLESALER']],
      [keys.wholesaler2.address, ['WHOLESALER']],
      [keys.pharmacy.address, ['DISPENSER']],
    ]);
    expect(drug.products).toHaveLength(1);
    expect(drug.batches.map((b) => b.lot)).toEqual(['LOADGEN1']);
    const balances = (state.tokens as { balances: { address: string }[] }).balances.map((b) => b.address);
    for (const name of DEMO_KEYS) expect(balances).toContain(keys[name].address);
    expect(demoKeysIn(keyring)?.keys.pharmacy).toEqual({ address: keys.pharmacy.address, mnemonic: keys.pharmacy.mnemonic });
  });

  it('sets the governance periods and keeps the other params', () => {
    const state = setGovernancePeriods(chain, defaultAppState(chain), { depositSeconds: 15, votingSeconds: 20 });
    expect(() => validateAppState(chain, state)).not.toThrow();
    const params = (state.governance as { params: Record<string, unknown> }).params;
    expect(params).toMatchObject({ maxDepositPeriodSeconds: '15', votingPeriodSeconds: '20', quorum: '0.334' });
  });

  it('takes settings from flags, then the --config file, then 60 s periods', () => {
    expect(readLocalnetConfig({})).toEqual({ chainId: 'parazone-local', validators: 1, votingPeriod: 60, depositPeriod: 60, demo: false });
    const file = path.join(home, 'localnet.toml');
    fs.writeFileSync(file, 'voting_period = 30\ndemo = true\nchain_id = "dev-1"\n');
    expect(readLocalnetConfig({ config: file, votingPeriod: '12' })).toEqual({
      chainId: 'dev-1',
      validators: 1,
      votingPeriod: 12,
      depositPeriod: 60,
      demo: true,
    });
    fs.writeFileSync(file, 'voting_periods = 30\n');
    expect(() => readLocalnetConfig({ config: file })).toThrow(/unknown setting\(s\) voting_periods/);
    expect(() => readLocalnetConfig({ votingPeriod: '0' })).toThrow(/voting period must be an integer from 1/);
  });
});
