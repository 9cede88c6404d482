import { StoreKey } from '../store/types.js';
import { makeChainConfig } from '../types/chain-config.js';
import { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import { validateGenesis } from '../../modules/drugregistry/genesis.js';
import { isCset82 } from '../../modules/drugregistry/identifiers.js';
import { World } from '../../modules/drugregistry/testing.js';
import { testContext } from '../../test/harness.js';
import {
  buildDrugGenesis,
  drugActors,
  drugGenesisJson,
  drugGln,
  drugSerial,
  drugTiHash,
  drugUnitsPerSender,
  DRUG_COMPANY_PREFIX,
  DRUG_GTIN,
  DRUG_LOT,
  type DrugGenesisInput,
} from './drug-genesis.js';
import { planTxs } from './plan.js';
import { loadAccounts } from './txs.js';

const config = makeChainConfig();
const actors = drugActors(config.addresses);
const T = new Date('2026-01-01T00:00:00Z');

function input(senders: number, units: number[] | Int32Array, height = 0): DrugGenesisInput {
  return {
    ...actors,
    wholesalers: loadAccounts('dg', senders, config.addresses).map((a) => a.address),
    unitsPerWholesaler: units,
    time: T,
    height,
  };
}

/** What the module's own genesis import + export makes of a genesis (records in key order). */
function roundTrip(g: GenesisState): unknown {
  const w = new World();
  const ctx = testContext({ time: T, mode: 'genesis', height: 0 });
  w.keeper.initGenesis(ctx, g);
  return GenesisState.toJSON(w.keeper.exportGenesis(ctx));
}

describe('drug genesis', () => {
  it('serials, GLNs and TI hashes are valid GS1 / hex values and unique', () => {
    const serials = new Set<string>();
    for (const s of [0, 1, 35, 36, 99_999]) for (const r of [0, 1, 40, 1000]) serials.add(drugSerial(s, r));
    expect(serials.size).toBe(20);
    for (const s of serials) expect(isCset82(s)).toBe(true);
    expect(drugGln(0)).toMatch(/^\d{13}$/);
    expect(drugGln(12)).not.toBe(drugGln(13));
    expect(() => drugGln(100_000)).toThrow(/at most/);
    expect(drugTiHash('a')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every sender one unit per tx it sends in the plan', () => {
    const plan = planTxs('drug', 23, 10, 4);
    const n = drugUnitsPerSender(plan);
    expect(n.reduce((a, b) => a + b, 0)).toBe(23);
    // 23 txs over 10 senders: 3 senders send 3 times, the others twice.
    expect([...n].sort()).toEqual([2, 2, 2, 2, 2, 2, 2, 3, 3, 3]);
    plan.from.forEach((s, i) => expect(plan.round[i]).toBeLessThan(n[s]!));
  });

  it('passes the module genesis validation (field checks and invariants I1–I9)', () => {
    const g = drugGenesisJson(input(6, [3, 0, 2, 1, 1, 4]));
    const parsed = validateGenesis(JSON.parse(JSON.stringify(g)), new StoreKey('drugregistry'), config.addresses);
    expect(parsed.units).toHaveLength(11);
    expect(parsed.unitEvents).toHaveLength(33);
    expect(parsed.participants).toHaveLength(8);
    // Wholesaler 1 holds nothing: no shipment to it, but it is a participant (a recipient).
    expect(parsed.shipments).toHaveLength(5);
    expect(parsed.shipNonces).toEqual([{ address: actors.manufacturer, nonce: 5n }]);
  });

  it('is exactly the state the module handlers leave after the same history', () => {
    const inp = input(4, [2, 1, 0, 3], 1);
    const w = new World();
    w.exec('MsgGrantRegulator', {
      authority: actors.authority,
      address: actors.regulator,
      name: 'Loadgen Regulator',
      jurisdictions: ['US'],
    });
    w.exec('MsgRegisterParticipant', {
      signer: actors.regulator,
      address: actors.manufacturer,
      role: 'MANUFACTURER',
      name: 'Loadgen Pharma',
      gln: drugGln(0),
      companyPrefixes: [DRUG_COMPANY_PREFIX],
    });
    inp.wholesalers.forEach((address, i) =>
      w.exec('MsgRegisterParticipant', {
        signer: actors.regulator,
        address,
        role: 'WHOLESALER',
        name: `Loadgen Wholesaler ${i}`,
        gln: drugGln(i + 1),
      }),
    );
    w.exec('MsgRegisterProduct', {
      signer: actors.manufacturer,
      gtin: DRUG_GTIN,
      ndc: '12345-678-90',
      name: 'Loadgenamab',
      strength: '10 mg',
      dosageForm: 'tablet',
      packSize: '30',
      packagingLevel: 'UNIT',
    });
    w.exec('MsgCommissionBatch', {
      signer: actors.manufacturer,
      gtin: DRUG_GTIN,
      lot: DRUG_LOT,
      expiry: '2029-12-31',
      manufacturedOn: '2026-01-01',
    });
    const serials = inp.wholesalers.flatMap((_, i) => Array.from({ length: inp.unitsPerWholesaler[i]! }, (_, r) => drugSerial(i, r)));
    w.exec('MsgCommissionUnits', { signer: actors.manufacturer, gtin: DRUG_GTIN, lot: DRUG_LOT, serials });
    inp.wholesalers.forEach((to, i) => {
      const n = inp.unitsPerWholesaler[i]!;
      if (n === 0) return;
      const units = Array.from({ length: n }, (_, r) => ({ gtin: DRUG_GTIN, serial: drugSerial(i, r) }));
      const { shipmentId } = w.exec('MsgShip', {
        signer: actors.manufacturer,
        to,
        purpose: 'SALE',
        units,
        tiHash: drugTiHash(`genesis/${i}`),
      });
      w.exec('MsgReceive', { signer: to, shipmentId });
    });
    expect(w.invariants()).toEqual([]);
    const viaHandlers = GenesisState.toJSON(w.keeper.exportGenesis(w.ctx));
    expect(roundTrip(buildDrugGenesis(inp))).toEqual(viaHandlers);
  });

  it('builds a benchmark-sized genesis (3000 wholesalers, 9000 units)', () => {
    const plan = planTxs('drug', 9000, 3000, 1);
    const g = buildDrugGenesis({ ...input(3000, drugUnitsPerSender(plan)) });
    const json = JSON.stringify(GenesisState.toJSON(g));
    expect(g.units).toHaveLength(9000);
    expect(json.length).toBeGreaterThan(9000 * 100);
  });
});
