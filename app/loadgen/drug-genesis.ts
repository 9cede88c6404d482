/**
 * Drug registry genesis for the `drug` workload: every sending account is a registered
 * wholesaler that already holds, at genesis, one serialized unit per tx it will send.
 *
 * The state is written as the module's own genesis records (generated GenesisState), built the
 * way the module's handlers would leave it after this history, all in one genesis block:
 *   governance grants a regulator → the regulator registers one manufacturer and the wholesalers
 *   → the manufacturer registers a product, commissions a lot and its units → ships each
 *   wholesaler its units (one SALE shipment per wholesaler) → each wholesaler receives them.
 * So every unit carries its full trace (COMMISSIONED, SHIPPED, RECEIVED) and the invariants
 * hold; drug-genesis.spec.ts checks the records against the same history run through the handlers.
 * Building records directly (rather than running thousands of Msgs) keeps this at well under a
 * second for tens of thousands of units.
 */
import { governanceAuthority } from '../types/authority.js';
import { createHash } from 'node:crypto';
import { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import type { Batch, Participant, Product, Shipment, Unit, UnitEvent, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import { gs1CheckDigit } from '../../modules/drugregistry/identifiers.js';
import { defaultParams } from '../../modules/drugregistry/params.js';
import { epcisFor, type UnitEventType } from '../../modules/drugregistry/status.js';
import type { AddressCodec } from '../types/address.js';
import type { TxPlan } from './plan.js';

/** The manufacturer's GS1 company prefix and the one product every load unit is a pack of. */
export const DRUG_COMPANY_PREFIX = '0312345';
export const DRUG_GTIN = '00312345678906';
export const DRUG_LOT = 'LOADGEN1';

/** Serial of the unit that `sender` ships in its `round`-th tx (CSET 82, at most 20 chars). */
export function drugSerial(sender: number, round: number): string {
  return `L${sender.toString(36).toUpperCase()}-${round.toString(36).toUpperCase()}`;
}

/** sha-256 (hex) standing for the off-chain Transaction Information document of a shipment. */
export function drugTiHash(label: string): string {
  return createHash('sha256').update(`parazone-loadgen-ti/${label}`).digest('hex');
}

/** A GLN (13 digits, GS1 check digit) for wholesaler `i`, under the manufacturer's prefix family. */
export function drugGln(i: number): string {
  if (i >= 100_000) throw new Error(`at most 100000 drug participants, got index ${i}`);
  const body = '061414' + String(i).padStart(6, '0');
  return body + gs1CheckDigit(body);
}

/** Non-signing actors of the drug genesis (addresses only: they never send a tx). */
export function drugActors(addresses: AddressCodec): { authority: string; regulator: string; manufacturer: string } {
  return {
    authority: governanceAuthority({ addresses }),
    regulator: addresses.moduleAddress('loadgen-regulator'),
    manufacturer: addresses.moduleAddress('loadgen-manufacturer'),
  };
}

/** How many units each sender needs: one per tx it sends in the plan (its rounds 0..n-1). */
export function drugUnitsPerSender(plan: TxPlan): Int32Array {
  const n = new Int32Array(plan.senders);
  for (let i = 0; i < plan.from.length; i++) n[plan.from[i]!]! += 1;
  return n;
}

export interface DrugGenesisInput {
  /** Wholesaler addresses, by account index (the plan's senders and recipients). */
  readonly wholesalers: readonly string[];
  /** Units held by wholesaler i at genesis (serials drugSerial(i, 0..n-1)). */
  readonly unitsPerWholesaler: ArrayLike<number>;
  readonly authority: string;
  readonly regulator: string;
  readonly manufacturer: string;
  /** Pharmacies registered as DISPENSER (they hold nothing at genesis). */
  readonly dispensers?: readonly string[];
  /** Time of the history (at or before the chain's genesis time). */
  readonly time: Date;
  /** Height recorded in the unit trace (0 = genesis). */
  readonly height?: number;
}

/** The drugregistry GenesisState for a drug run; see the file comment for the history it encodes. */
export function buildDrugGenesis(input: DrugGenesisInput): GenesisState {
  const { authority, regulator, manufacturer: mfr, wholesalers } = input;
  if (input.unitsPerWholesaler.length !== wholesalers.length) throw new Error('unitsPerWholesaler must have one entry per wholesaler');
  const at = input.time.toISOString();
  const height = BigInt(input.height ?? 0);
  const expiry = isoDate(new Date(Date.UTC(input.time.getUTCFullYear() + 3, 11, 31)));

  const participant = (address: string, over: Partial<Participant>): Participant => ({
    address,
    roles: [],
    name: '',
    gln: '',
    companyPrefixes: [],
    jurisdictions: [],
    licenseRef: '',
    status: 'ACTIVE',
    registeredBy: regulator,
    registeredAt: at,
    ...over,
  });
  const participants: Participant[] = [
    participant(regulator, { roles: ['REGULATOR'], name: 'Loadgen Regulator', jurisdictions: ['US'], registeredBy: authority }),
    participant(mfr, { roles: ['MANUFACTURER'], name: 'Loadgen Pharma', gln: drugGln(0), companyPrefixes: [DRUG_COMPANY_PREFIX] }),
    ...wholesalers.map((address, i) =>
      participant(address, { roles: ['WHOLESALER'], name: `Loadgen Wholesaler ${i}`, gln: drugGln(i + 1) }),
    ),
    ...(input.dispensers ?? []).map((address, i) =>
      participant(address, { roles: ['DISPENSER'], name: `Loadgen Pharmacy ${i}`, gln: drugGln(wholesalers.length + 1 + i) }),
    ),
  ];
  const product: Product = {
    gtin: DRUG_GTIN,
    manufacturer: mfr,
    ndc: '12345-678-90',
    name: 'Loadgenamab',
    strength: '10 mg',
    dosageForm: 'tablet',
    packSize: '30',
    packagingLevel: 'UNIT',
    status: 'ACTIVE',
    withdrawnByRecallId: 0n,
    createdAt: at,
  };

  const event = (seq: bigint, type: UnitEventType, fields: Partial<UnitEvent> & { status: string }): UnitEvent => ({
    seq,
    height,
    time: at,
    type,
    actor: '',
    from: '',
    to: '',
    shipmentId: '',
    container: '',
    reason: '',
    investigationId: 0n,
    ...epcisFor({ type, purpose: fields.purpose }, fields.status),
    holder: '',
    tiHash: '',
    purpose: '',
    ...fields,
  });
  const units: Unit[] = [];
  const unitEvents: UnitEvent[] = [];
  const unitEventUnits: UnitRef[] = [];
  const shipments: Shipment[] = [];
  const priorHolders: { gtin: string; serial: string; address: string }[] = [];
  let shipNonce = 0n;
  wholesalers.forEach((w, i) => {
    const count = input.unitsPerWholesaler[i]!;
    if (count <= 0) return;
    const id = `${mfr}-${++shipNonce}`;
    const tiHash = drugTiHash(`genesis/${i}`);
    const refs: UnitRef[] = [];
    for (let r = 0; r < count; r++) {
      const ref = { gtin: DRUG_GTIN, serial: drugSerial(i, r) };
      refs.push(ref);
      units.push({
        ...ref,
        lot: DRUG_LOT,
        status: 'ACTIVE',
        holder: w,
        parent: '',
        shipmentId: '',
        investigationId: 0n,
        decommission: undefined,
        commissionedAt: at,
        nextEventSeq: 4n,
      });
      unitEvents.push(
        event(1n, 'COMMISSIONED', { actor: mfr, status: 'ACTIVE', holder: mfr }),
        event(2n, 'SHIPPED', { actor: mfr, from: mfr, to: w, shipmentId: id, tiHash, purpose: 'SALE', status: 'IN_TRANSIT', holder: mfr }),
        event(3n, 'RECEIVED', { actor: w, from: mfr, to: w, shipmentId: id, purpose: 'SALE', status: 'ACTIVE', holder: w }),
      );
      unitEventUnits.push(ref, ref, ref);
      priorHolders.push({ ...ref, address: w });
    }
    shipments.push({
      id,
      from: mfr,
      to: w,
      purpose: 'SALE',
      units: refs,
      containers: [],
      totalUnits: BigInt(count),
      tiHash,
      tsAttested: true,
      status: 'RECEIVED',
      createdAt: at,
      closedAt: at,
      rejectReason: '',
      shipDate: '',
    });
  });
  const batch: Batch = {
    gtin: DRUG_GTIN,
    lot: DRUG_LOT,
    expiry,
    manufacturedOn: isoDate(input.time),
    status: 'ACTIVE',
    recallId: 0n,
    unitCount: BigInt(units.length),
    createdAt: at,
  };
  // A plain record (no fromPartial): fromPartial would deep-copy tens of thousands of records.
  return {
    params: defaultParams(),
    participants,
    products: [product],
    batches: [batch],
    units,
    shipments,
    unitEvents,
    unitEventUnits,
    priorHolders,
    shipNonces: shipNonce > 0n ? [{ address: mfr, nonce: shipNonce }] : [],
    nextRecallId: 1n,
    containers: [],
    recalls: [],
    investigations: [],
    nextInvestigationId: 1n,
  };
}

/** The genesis as app_state JSON (what goes under app_state.drugregistry). */
export function drugGenesisJson(input: DrugGenesisInput): unknown {
  return GenesisState.toJSON(buildDrugGenesis(input));
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
