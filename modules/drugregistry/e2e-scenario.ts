/**
 * The supply-chain scenario as data, for a real node driven by stock cosmjs: each step
 * is a Msg (typeUrl + value for a Registry built from generated/parazone/drugregistry/v1/tx.ts)
 * signed by one of five actors, or a Verify query, with the expected outcome. Shipment ids are
 * predictable ("<sender>-<per-sender nonce>"), so the script needs no response parsing.
 * e2e-scenario.spec.ts runs the same steps in process.
 */
import { defaultParams } from './params.js';

export interface Actors {
  /** governance module account (only for reference; the scenario seeds the regulator in genesis) */
  gov: string;
  regulator: string;
  manufacturer: string;
  wholesaler: string;
  dispenser: string;
}
export type ActorName = Exclude<keyof Actors, 'gov'>;

export type Step =
  | { kind: 'tx'; signer: ActorName; typeUrl: string; value: Record<string, unknown>; expectCode?: number; note: string }
  | { kind: 'verify'; request: Record<string, unknown>; expect: Record<string, unknown>; note: string };

export const SCENARIO_GTIN = '00312345678906';
export const SCENARIO_CASE = '003123456000000013'; // the case the scenario packs
const T = '/parazone.drugregistry.v1.';
const u = (serial: string) => ({ gtin: SCENARIO_GTIN, serial });

/** drugregistry app_state for genesis: default params plus one bootstrap regulator. */
export function scenarioGenesis(a: Actors, registeredAt = '2026-01-01T00:00:00.000Z') {
  const p = defaultParams();
  return {
    params: { ...p, undoWindowSeconds: String(p.undoWindowSeconds) },
    participants: [
      {
        address: a.regulator,
        roles: ['REGULATOR'],
        name: 'Bootstrap Regulator',
        jurisdictions: ['US'],
        status: 'ACTIVE',
        registeredBy: a.gov,
        registeredAt,
      },
    ],
    nextRecallId: '1',
    nextInvestigationId: '1',
  };
}

export function scenarioSteps(a: Actors): Step[] {
  const M = a.manufacturer;
  const W = a.wholesaler;
  const S = ['A', 'B', 'C', 'D', 'E', 'F'].map((x) => `SN${x}1`);
  return [
    {
      kind: 'tx',
      signer: 'regulator',
      typeUrl: T + 'MsgRegisterParticipant',
      note: 'register manufacturer',
      value: {
        signer: a.regulator,
        address: M,
        role: 'MANUFACTURER',
        name: 'Acme Pharma',
        gln: '0614141123452',
        companyPrefixes: ['0312345'],
      },
    },
    {
      kind: 'tx',
      signer: 'regulator',
      typeUrl: T + 'MsgRegisterParticipant',
      note: 'register wholesaler',
      value: { signer: a.regulator, address: W, role: 'WHOLESALER', name: 'Big Wholesale' },
    },
    {
      kind: 'tx',
      signer: 'regulator',
      typeUrl: T + 'MsgRegisterParticipant',
      note: 'register dispenser',
      value: { signer: a.regulator, address: a.dispenser, role: 'DISPENSER', name: 'Corner Pharmacy' },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgRegisterProduct',
      note: 'register product',
      value: {
        signer: M,
        gtin: SCENARIO_GTIN,
        ndc: '12345-678-90',
        name: 'Examplamab',
        strength: '10 mg',
        dosageForm: 'tablet',
        packSize: '30',
        packagingLevel: 'UNIT',
      },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgCommissionBatch',
      note: 'commission lot',
      value: { signer: M, gtin: SCENARIO_GTIN, lot: 'LOT42', expiry: '301231' },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgCommissionUnits',
      note: 'commission 6 units',
      value: { signer: M, gtin: SCENARIO_GTIN, lot: 'LOT42', serials: S },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgPack',
      note: 'pack into a case',
      value: { signer: M, sscc: SCENARIO_CASE, units: S.map(u) },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgShip',
      note: 'ship the case M→W (shipment id `${M}-1`)',
      value: { signer: M, to: W, purpose: 'SALE', containers: [SCENARIO_CASE], tiHash: 'a'.repeat(64) },
    },
    {
      kind: 'verify',
      note: 'in transit',
      request: { gtin: SCENARIO_GTIN, serial: S[0] },
      expect: { verdict: 'VERIFIED', saleable: false },
    },
    { kind: 'tx', signer: 'wholesaler', typeUrl: T + 'MsgReceive', note: 'W receives', value: { signer: W, shipmentId: `${M}-1` } },
    {
      kind: 'tx',
      signer: 'wholesaler',
      typeUrl: T + 'MsgUnpack',
      note: 'W unpacks 3 units',
      value: { signer: W, sscc: SCENARIO_CASE, units: S.slice(0, 3).map(u) },
    },
    {
      kind: 'tx',
      signer: 'wholesaler',
      typeUrl: T + 'MsgShip',
      note: 'ship 3 units W→D (id `${W}-1`)',
      value: { signer: W, to: a.dispenser, purpose: 'SALE', units: S.slice(0, 3).map(u) },
    },
    {
      kind: 'tx',
      signer: 'dispenser',
      typeUrl: T + 'MsgReceive',
      note: 'D receives',
      value: { signer: a.dispenser, shipmentId: `${W}-1` },
    },
    {
      kind: 'verify',
      note: 'pharmacist scan before dispensing',
      request: { elementString: `(01)${SCENARIO_GTIN}(21)${S[0]}(17)301231(10)LOT42` },
      expect: { verdict: 'VERIFIED', saleable: true },
    },
    {
      kind: 'tx',
      signer: 'dispenser',
      typeUrl: T + 'MsgDispense',
      note: 'dispense A',
      value: { signer: a.dispenser, units: [u(S[0]!)], rxRefHash: 'b'.repeat(64) },
    },
    {
      kind: 'verify',
      note: 'A is inactive',
      request: { gtin: SCENARIO_GTIN, serial: S[0] },
      expect: { verdict: 'INACTIVE', status: 'DISPENSED', saleable: false },
    },
    {
      kind: 'tx',
      signer: 'dispenser',
      typeUrl: T + 'MsgDispense',
      note: 'double dispense fails (ErrAlreadyDispensed)',
      value: { signer: a.dispenser, units: [u(S[0]!)] },
      expectCode: 25,
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgInitiateRecall',
      note: 'recall LOT42 (recall id 1)',
      value: { signer: M, scope: 'BATCH', gtin: SCENARIO_GTIN, lot: 'LOT42', classification: 'II', reasonCode: 'CONTAMINATION' },
    },
    {
      kind: 'verify',
      note: 'B is recalled: verified but not saleable',
      request: { gtin: SCENARIO_GTIN, serial: S[1] },
      expect: { verdict: 'VERIFIED', saleable: false, recallIds: ['1'] },
    },
    {
      kind: 'tx',
      signer: 'dispenser',
      typeUrl: T + 'MsgDispense',
      note: 'dispensing a recalled unit fails (ErrBatchRecalled)',
      value: { signer: a.dispenser, units: [u(S[1]!)] },
      expectCode: 13,
    },
    {
      kind: 'tx',
      signer: 'wholesaler',
      typeUrl: T + 'MsgShip',
      note: 'SALE of the recalled case fails (ErrBatchRecalled)',
      value: { signer: W, to: a.dispenser, purpose: 'SALE', containers: [SCENARIO_CASE] },
      expectCode: 13,
    },
    {
      kind: 'tx',
      signer: 'dispenser',
      typeUrl: T + 'MsgShip',
      note: 'D returns B, C to M (id `${D}-1`)',
      value: { signer: a.dispenser, to: M, purpose: 'RECALL_RETURN', units: S.slice(1, 3).map(u) },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgReceive',
      note: 'M receives the return',
      value: { signer: M, shipmentId: `${a.dispenser}-1` },
    },
    {
      kind: 'tx',
      signer: 'manufacturer',
      typeUrl: T + 'MsgDecommission',
      note: 'M destroys B, C',
      value: { signer: M, units: S.slice(1, 3).map(u), reason: 'DESTROYED' },
    },
    {
      kind: 'verify',
      note: 'C destroyed',
      request: { gtin: SCENARIO_GTIN, serial: S[2] },
      expect: { verdict: 'INACTIVE', status: 'DESTROYED' },
    },
  ];
}
