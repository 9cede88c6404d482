/**
 * The rejection cases R1–R36, numbered here. Every case runs the Msg through the module's
 * handler on a branch (runBranch) and checks the error code and that the store is byte-identical
 * before and after (dumpStore) — see World.reject in testing.ts.
 */
import { ErrUnauthorized, type ErrorDef } from '../../app/types/errors.js';
import { dumpStore } from '../../test/harness.js';
import * as E from './errors.js';
import {
  D,
  D2,
  GOV,
  GTIN,
  M,
  M2,
  move,
  REG,
  REG2,
  refs,
  registeredWorld,
  sscc,
  STRANGER,
  stockedWorld,
  W,
  W2,
  withCheck,
  type World,
} from './testing.js';

function expectReject(w: World, name: string, msg: Record<string, unknown>, def: ErrorDef) {
  const err = w.reject(name, msg) as Error;
  if (!def.is(err)) throw new Error(`expected ${def.codespace}:${def.code} (${def.description}), got: ${err?.message ?? err}`);
}
function expectQueryReject(w: World, method: string, req: Record<string, unknown>, def: ErrorDef) {
  const before = dumpStore(w.store);
  expect(() => w.query(method, req)).toThrow();
  try {
    w.query(method, req);
  } catch (e) {
    expect(def.is(e)).toBe(true);
  }
  expect(dumpStore(w.store)).toEqual(before);
}
const product = (gtin: string, signer = M) => ({
  signer,
  gtin,
  name: 'X',
  strength: '1 mg',
  dosageForm: 'tablet',
  packSize: '10',
  packagingLevel: 'UNIT',
});
const LOT_EXPIRY = Date.parse('2027-07-01T00:00:00Z');

describe('identifiers', () => {
  test('R1 wrong GTIN check digit in RegisterProduct / Commission / Verify', () => {
    const w = stockedWorld(1);
    expectReject(w, 'MsgRegisterProduct', product('00312345678907'), E.ErrInvalidGtin);
    expectReject(w, 'MsgCommissionBatch', { signer: M, gtin: '00312345678907', lot: 'L', expiry: '2027-01-01' }, E.ErrInvalidGtin);
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: '00312345678907', lot: 'LOT42', serials: ['X'] }, E.ErrInvalidGtin);
    expectQueryReject(w, 'Verify', { gtin: '00312345678907', serial: 'S1' }, E.ErrInvalidGtin);
  });
  test('R2 GTIN of length 11 or with non-digits', () => {
    const w = stockedWorld(1);
    expectReject(w, 'MsgRegisterProduct', product('03123456789'), E.ErrInvalidGtin);
    expectReject(w, 'MsgRegisterProduct', product('0312345678906X'), E.ErrInvalidGtin);
    expectQueryReject(w, 'Verify', { gtin: '0312-345678906', serial: 'S1' }, E.ErrInvalidGtin);
  });
  test('R3 serial too long, empty, space, #, pipe, non-ASCII', () => {
    const w = stockedWorld(0);
    for (const s of ['123456789012345678901', '', 'A B', 'A#B', 'A|B', 'Aé']) {
      expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['OK1', s] }, E.ErrInvalidSerial);
    }
  });
  test('R4 invalid lot', () => {
    const w = stockedWorld(0);
    for (const lot of ['', 'L O T', 'L|1', '123456789012345678901']) {
      expectReject(w, 'MsgCommissionBatch', { signer: M, gtin: GTIN, lot, expiry: '2027-01-01' }, E.ErrInvalidLot);
    }
  });
  test('R5 invalid expiry', () => {
    const w = stockedWorld(0);
    for (const expiry of ['261301', '2026-02-30', 'next year', '']) {
      expectReject(w, 'MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'L5', expiry }, E.ErrInvalidExpiry);
    }
  });
});

describe('master data and commissioning', () => {
  test('R6 commission a batch already expired (and units into an expired batch)', () => {
    const w = stockedWorld(0);
    expectReject(w, 'MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'OLD', expiry: '2025-12-31' }, E.ErrExpired);
    w.advance((LOT_EXPIRY - w.time.getTime()) / 1000);
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['X1'] }, E.ErrExpired);
  });
  test('R7 GTIN outside the manufacturer company prefixes', () => {
    const w = registeredWorld();
    expectReject(w, 'MsgRegisterProduct', product(GTIN, M2), E.ErrPrefixNotOwned);
  });
  test('R8 non-manufacturer or another manufacturer commissions', () => {
    const w = stockedWorld(0);
    expectReject(w, 'MsgCommissionUnits', { signer: W, gtin: GTIN, lot: 'LOT42', serials: ['X1'] }, ErrUnauthorized);
    expectReject(w, 'MsgCommissionUnits', { signer: M2, gtin: GTIN, lot: 'LOT42', serials: ['X1'] }, ErrUnauthorized);
    expectReject(w, 'MsgCommissionBatch', { signer: M2, gtin: GTIN, lot: 'L2', expiry: '2027-01-01' }, ErrUnauthorized);
  });
  test('R9 serial already exists for the GTIN (any lot, any status)', () => {
    const w = stockedWorld(2);
    w.exec('MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'LOT43', expiry: '2027-01-01' });
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT43', serials: ['NEW', 'S1'] }, E.ErrUnitExists);
    w.exec('MsgDecommission', { signer: M, units: refs(['S2']), reason: 'DESTROYED' });
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT43', serials: ['S2'] }, E.ErrUnitExists);
  });
  test('R10 same serial twice in one message', () => {
    const w = stockedWorld(0);
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['A', 'B', 'A'] }, E.ErrDuplicateItem);
  });
  test('R11 commission into a recalled batch or withdrawn product', () => {
    const w = stockedWorld(0);
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['A'] }, E.ErrBatchRecalled);
    w.exec('MsgInitiateRecall', { signer: REG, scope: 'PRODUCT', gtin: GTIN, classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['A'] }, E.ErrProductWithdrawn);
    expectReject(w, 'MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'L9', expiry: '2027-01-01' }, E.ErrProductWithdrawn);
  });
});

describe('custody', () => {
  test('R12 ship a unit not held by the signer', () => {
    const w = stockedWorld(2);
    expectReject(w, 'MsgShip', { signer: W, to: D, purpose: 'SALE', units: refs(['S1']) }, E.ErrNotHolder);
  });
  test('R13 ship an expired unit for SALE / RETURN', () => {
    const w = stockedWorld(2);
    move(w, M, W, { units: ['S1', 'S2'] });
    w.advance((LOT_EXPIRY - w.time.getTime()) / 1000);
    expectReject(w, 'MsgShip', { signer: W, to: D, purpose: 'SALE', units: refs(['S1']) }, E.ErrExpired);
    expectReject(w, 'MsgShip', { signer: W, to: M, purpose: 'RETURN', units: refs(['S1']) }, E.ErrExpired);
    w.exec('MsgShip', { signer: W, to: M, purpose: 'NONSALEABLE_RETURN', units: refs(['S1']) });
  });
  test('R13 boundary: still shippable on the last second of the expiry day', () => {
    const w = stockedWorld(1);
    w.advance((LOT_EXPIRY - w.time.getTime()) / 1000 - 1);
    w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  });
  test('R14 ship a unit of a recalled lot for SALE / RETURN', () => {
    const w = stockedWorld(2);
    move(w, M, W, { units: ['S1'] });
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgShip', { signer: W, to: D, purpose: 'SALE', units: refs(['S1']) }, E.ErrBatchRecalled);
    expectReject(w, 'MsgShip', { signer: W, to: M, purpose: 'RETURN', units: refs(['S1']) }, E.ErrBatchRecalled);
  });
  test('R15 recalled unit as RECALL_RETURN to someone other than its manufacturer', () => {
    const w = stockedWorld(2);
    move(w, M, W, { units: ['S1'] });
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgShip', { signer: W, to: W2, purpose: 'RECALL_RETURN', units: refs(['S1']) }, E.ErrInvalidCounterparty);
    expectReject(w, 'MsgShip', { signer: W, to: M2, purpose: 'RECALL_RETURN', units: refs(['S1']) }, E.ErrInvalidCounterparty);
  });
  test('R16 ship to self, to unregistered / suspended, dispenser → dispenser SALE', () => {
    const w = stockedWorld(2);
    expectReject(w, 'MsgShip', { signer: M, to: M, purpose: 'SALE', units: refs(['S1']) }, E.ErrSelfShipment);
    expectReject(w, 'MsgShip', { signer: M, to: STRANGER, purpose: 'SALE', units: refs(['S1']) }, E.ErrInvalidCounterparty);
    w.exec('MsgSetParticipantStatus', { signer: REG, address: W2, status: 'SUSPENDED' });
    expectReject(w, 'MsgShip', { signer: M, to: W2, purpose: 'SALE', units: refs(['S1']) }, E.ErrInvalidCounterparty);
    move(w, M, D, { units: ['S1'] });
    expectReject(w, 'MsgShip', { signer: D, to: D2, purpose: 'SALE', units: refs(['S1']) }, E.ErrInvalidCounterparty);
  });
  test('R17 saleable RETURN to an address that never held the unit', () => {
    const w = stockedWorld(2);
    move(w, M, W, { units: ['S1'] });
    move(w, W, D, { units: ['S1'] });
    expectReject(w, 'MsgShip', { signer: D, to: W2, purpose: 'RETURN', units: refs(['S1']) }, E.ErrNotPriorHolder);
    move(w, D, W, { units: ['S1'] }, 'RETURN');
  });
  test('R18 ship or dispense a unit inside a container', () => {
    const w = stockedWorld(2);
    w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2']) });
    expectReject(w, 'MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) }, E.ErrAggregated);
    move(w, M, D, { containers: [sscc(1)] });
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrAggregated);
  });
  test('R19 ship a container holding a quarantined or inactive unit', () => {
    const w = stockedWorld(4);
    w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2']) });
    w.exec('MsgPack', { signer: M, sscc: sscc(2), units: refs(['S3', 'S4']) });
    w.exec('MsgReportSuspect', { signer: M, units: refs(['S1']), category: 'UNFIT' });
    expectReject(w, 'MsgShip', { signer: M, to: W, purpose: 'SALE', containers: [sscc(1)] }, E.ErrQuarantined);
    w.exec('MsgDecommission', { signer: M, units: refs(['S3']), reason: 'LOCKED' });
    expectReject(w, 'MsgShip', { signer: M, to: W, purpose: 'SALE', containers: [sscc(2)] }, E.ErrUnitInactive);
  });
  test('R20 ship / dispense a unit in transit', () => {
    const w = stockedWorld(2);
    move(w, M, D, { units: ['S1', 'S2'] });
    w.exec('MsgShip', { signer: D, to: M, purpose: 'RETURN', units: refs(['S1']) });
    expectReject(w, 'MsgShip', { signer: D, to: M, purpose: 'RETURN', units: refs(['S1']) }, E.ErrInTransit);
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrInTransit);
  });
  test('R21 receive by a non-addressee; receive twice; cancel after receipt', () => {
    const w = stockedWorld(2);
    const { shipmentId } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
    expectReject(w, 'MsgReceive', { signer: W2, shipmentId }, E.ErrNotRecipient);
    expectReject(w, 'MsgRejectShipment', { signer: D, shipmentId, reasonCode: 'DAMAGED' }, E.ErrNotRecipient);
    expectReject(w, 'MsgCancelShipment', { signer: W, shipmentId }, ErrUnauthorized);
    w.exec('MsgReceive', { signer: W, shipmentId });
    expectReject(w, 'MsgReceive', { signer: W, shipmentId }, E.ErrShipmentClosed);
    expectReject(w, 'MsgCancelShipment', { signer: M, shipmentId }, E.ErrShipmentClosed);
    expectReject(w, 'MsgReceive', { signer: W, shipmentId: `${M}-99` }, E.ErrShipmentNotFound);
  });
});

describe('dispensing and undo', () => {
  const dispensable = () => {
    const w = stockedWorld(3);
    move(w, M, D, { units: ['S1', 'S2', 'S3'] });
    return w;
  };
  test('R22 double dispense', () => {
    const w = dispensable();
    w.exec('MsgDispense', { signer: D, units: refs(['S1']), rxRefHash: 'b'.repeat(64) });
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrAlreadyDispensed);
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S2', 'S1']) }, E.ErrAlreadyDispensed);
  });
  test('R23 dispense by a wholesaler, or by a dispenser that is not the holder', () => {
    const w = dispensable();
    w.exec('MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['W1'] });
    move(w, M, W, { units: ['W1'] });
    expectReject(w, 'MsgDispense', { signer: W, units: refs(['W1']) }, E.ErrRoleRequired);
    expectReject(w, 'MsgDispense', { signer: D2, units: refs(['S1']) }, E.ErrNotHolder);
  });
  test('R24 dispense a recalled, withdrawn or expired unit', () => {
    let w = dispensable();
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrBatchRecalled);
    w = dispensable();
    w.exec('MsgInitiateRecall', { signer: REG, scope: 'PRODUCT', gtin: GTIN, classification: 'I', reasonCode: 'X' });
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrProductWithdrawn);
    w = dispensable();
    w.advance((LOT_EXPIRY - w.time.getTime()) / 1000);
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['S1']) }, E.ErrExpired);
  });
  test('R25 dispense an unknown serial', () => {
    const w = dispensable();
    expectReject(w, 'MsgDispense', { signer: D, units: refs(['NOPE']) }, E.ErrUnitNotFound);
  });
  test('R26 undo after the window, by another actor, or of DESTROYED / STOLEN / ILLEGITIMATE', () => {
    const w = dispensable();
    w.exec('MsgDispense', { signer: D, units: refs(['S1']) });
    expectReject(w, 'MsgUndoDecommission', { signer: D2, units: refs(['S1']) }, ErrUnauthorized);
    w.advance(864000);
    w.exec('MsgUndoDecommission', { signer: D, units: refs(['S1']) }); // exactly at the window edge: allowed
    w.exec('MsgDispense', { signer: D, units: refs(['S1']) });
    w.advance(864001);
    expectReject(w, 'MsgUndoDecommission', { signer: D, units: refs(['S1']) }, E.ErrUndoWindowElapsed);
    w.exec('MsgDecommission', { signer: D, units: refs(['S2']), reason: 'DESTROYED' });
    expectReject(w, 'MsgUndoDecommission', { signer: D, units: refs(['S2']) }, E.ErrUndoNotAllowed);
    w.exec('MsgDecommission', { signer: D, units: refs(['S3']), reason: 'STOLEN' });
    expectReject(w, 'MsgUndoDecommission', { signer: D, units: refs(['S3']) }, E.ErrUndoNotAllowed);
    w.exec('MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['F1'] });
    const { investigationId } = w.exec('MsgReportSuspect', { signer: M, units: refs(['F1']), category: 'COUNTERFEIT' });
    w.exec('MsgResolveInvestigation', { signer: M, investigationId, outcome: 'ILLEGITIMATE' });
    expectReject(w, 'MsgUndoDecommission', { signer: M, units: refs(['F1']) }, E.ErrUndoNotAllowed);
  });
  test('R27 undo a dispense after the batch was recalled', () => {
    const w = dispensable();
    w.exec('MsgDispense', { signer: D, units: refs(['S1']) });
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'II', reasonCode: 'X' });
    expectReject(w, 'MsgUndoDecommission', { signer: D, units: refs(['S1']) }, E.ErrBatchRecalled);
  });
});

describe('aggregation', () => {
  test('R28 pack a container into itself or its descendant; exceed depth', () => {
    const w = stockedWorld(4);
    const [CASE, PALLET, BIG] = [sscc(1), sscc(2), sscc(3)];
    w.exec('MsgPack', { signer: M, sscc: CASE, units: refs(['S1']) });
    expectReject(w, 'MsgPack', { signer: M, sscc: CASE, containers: [CASE] }, E.ErrAggregationCycle);
    w.exec('MsgPack', { signer: M, sscc: PALLET, containers: [CASE] });
    expectReject(w, 'MsgPack', { signer: M, sscc: CASE, containers: [PALLET] }, E.ErrAggregationCycle);
    expectReject(w, 'MsgPack', { signer: M, sscc: BIG, containers: [PALLET] }, E.ErrAggregationTooDeep);
  });
  test('R29 pack a unit already in a container, or held by someone else', () => {
    const w = stockedWorld(4);
    w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1']) });
    expectReject(w, 'MsgPack', { signer: M, sscc: sscc(2), units: refs(['S1']) }, E.ErrAggregated);
    move(w, M, W, { units: ['S2'] });
    expectReject(w, 'MsgPack', { signer: M, sscc: sscc(2), units: refs(['S3', 'S2']) }, E.ErrNotHolder);
  });
  test('R30 reuse a dissolved SSCC', () => {
    const w = stockedWorld(2);
    w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1']) });
    expect(w.exec('MsgUnpack', { signer: M, sscc: sscc(1) }).dissolved).toBe(true);
    expectReject(w, 'MsgPack', { signer: M, sscc: sscc(1), units: refs(['S2']) }, E.ErrContainerExists);
  });
});

describe('recalls, suspects, authority', () => {
  test('R31 recall an already recalled batch; recall by an unrelated manufacturer', () => {
    const w = stockedWorld(1);
    expectReject(
      w,
      'MsgInitiateRecall',
      { signer: M2, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' },
      ErrUnauthorized,
    );
    w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
    expectReject(
      w,
      'MsgInitiateRecall',
      { signer: REG, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' },
      E.ErrAlreadyRecalled,
    );
  });
  test('R32 destroy a quarantined unit before resolution', () => {
    const w = stockedWorld(1);
    w.exec('MsgReportSuspect', { signer: M, units: refs(['S1']), category: 'ADULTERATED' });
    expectReject(w, 'MsgDecommission', { signer: M, units: refs(['S1']), reason: 'DESTROYED' }, E.ErrInvestigationOpen);
  });
  test('R33 regulator grant / revoke and params update by anyone but governance', () => {
    const w = registeredWorld();
    expectReject(w, 'MsgGrantRegulator', { authority: REG, address: W, name: 'x' }, ErrUnauthorized);
    expectReject(w, 'MsgRevokeRegulator', { authority: M, address: REG2 }, ErrUnauthorized);
    expectReject(
      w,
      'MsgUpdateParams',
      {
        authority: REG,
        params: { maxUnitsPerMsg: 5, maxChildrenPerContainer: 5, maxAggregationDepth: 3, undoWindowSeconds: 1n, maxStringLength: 10 },
      },
      ErrUnauthorized,
    );
  });
  test('R34 a regulator suspends another regulator', () => {
    const w = registeredWorld();
    expectReject(w, 'MsgSetParticipantStatus', { signer: REG, address: REG2, status: 'SUSPENDED' }, ErrUnauthorized);
    w.exec('MsgSetParticipantStatus', { signer: GOV, address: REG2, status: 'SUSPENDED' });
  });
  test('R35 more items than maxUnitsPerMsg after expanding containers', () => {
    const w = stockedWorld(8);
    w.exec('MsgUpdateParams', {
      authority: GOV,
      params: {
        maxUnitsPerMsg: 5,
        maxChildrenPerContainer: 100,
        maxAggregationDepth: 3,
        undoWindowSeconds: 864000n,
        requireCompanyPrefix: true,
        allowManufacturerToDispenser: true,
        maxStringLength: 256,
      },
    });
    w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2', 'S3', 'S4']) });
    expectReject(w, 'MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S5', 'S6']), containers: [sscc(1)] }, E.ErrTooManyItems);
    expectReject(
      w,
      'MsgCommissionUnits',
      { signer: M, gtin: GTIN, lot: 'LOT42', serials: ['A', 'B', 'C', 'D', 'E', 'F'] },
      E.ErrTooManyItems,
    );
    w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S5']), containers: [sscc(1)] });
  });
  test('R36 FREE_SAMPLE decommission by a non-manufacturer', () => {
    const w = stockedWorld(2);
    move(w, M, W, { units: ['S1'] });
    expectReject(w, 'MsgDecommission', { signer: W, units: refs(['S1']), reason: 'FREE_SAMPLE' }, ErrUnauthorized);
    w.exec('MsgDecommission', { signer: M, units: refs(['S2']), reason: 'FREE_SAMPLE' });
  });
});

void withCheck;
