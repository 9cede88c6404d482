/** The supply-chain scenario (steps 2–9) of e2e-scenario.ts, through the module's Msg handlers. */
import {
  ErrAlreadyDispensed,
  ErrInvalidCounterparty,
  ErrBatchRecalled,
  ErrUndoNotAllowed,
  ErrUndoWindowElapsed,
  ErrQuarantined,
} from './errors.js';
import { D, GTIN, M, move, REG, refs, sscc, stockedWorld, W, withCheck } from './testing.js';

const TI = 'a'.repeat(64);

test('register → commission → pack → ship → receive → dispense → verify → recall → destroy, with invariants', () => {
  const w = stockedWorld(12);
  const CASE = sscc(1);
  w.exec('MsgPack', { signer: M, sscc: CASE, units: refs(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8', 'S9', 'S10', 'S11', 'S12']) });
  w.advance();
  const s1 = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', containers: [CASE], tiHash: TI });
  expect(s1.totalUnits).toBe(12n);
  expect(w.query('Verify', { gtin: GTIN, serial: 'S1' }).flags.inTransit).toBe(true);
  w.exec('MsgReceive', { signer: W, shipmentId: s1.shipmentId });
  w.advance();
  w.exec('MsgUnpack', { signer: W, sscc: CASE, units: refs(['S1', 'S2', 'S3']) });
  move(w, W, D, { units: ['S1', 'S2', 'S3'] });
  expect(w.query('Container', { sscc: CASE }).container.childUnits).toBe(9n);

  // 5. verify and dispense A = S1
  let v = w.query('Verify', { gtin: GTIN, serial: 'S1', lot: 'LOT42', expiry: '270630' });
  expect(v).toMatchObject({ verdict: 'VERIFIED', saleable: true, manufacturer: M });
  w.exec('MsgDispense', { signer: D, units: refs(['S1']) });
  v = w.query('Verify', { gtin: GTIN, serial: 'S1' });
  expect(v).toMatchObject({ verdict: 'INACTIVE', status: 'DISPENSED', saleable: false });
  expect(ErrAlreadyDispensed.is(w.reject('MsgDispense', { signer: D, units: refs(['S1']) }))).toBe(true);

  // 6. undo within the window; dispense B, undo after the window fails
  w.exec('MsgUndoDecommission', { signer: D, units: refs(['S1']) });
  w.exec('MsgDispense', { signer: D, units: refs(['S2']) });
  w.advance(864000 + 1);
  expect(ErrUndoWindowElapsed.is(w.reject('MsgUndoDecommission', { signer: D, units: refs(['S2']) }))).toBe(true);

  // 7. recall LOT42: O(1) writes
  const before = w.store.size;
  const { recallId } = w.exec('MsgInitiateRecall', {
    signer: M,
    scope: 'BATCH',
    gtin: GTIN,
    lot: 'LOT42',
    classification: 'II',
    reasonCode: 'CONTAMINATION',
  });
  expect(recallId).toBe(1n);
  expect(w.store.size - before).toBeLessThanOrEqual(4);
  const recalled = w.query('RecalledInventory', { holder: D });
  expect(recalled.units.map((u: any) => u.serial)).toEqual(['S1', 'S3']);
  expect(ErrBatchRecalled.is(w.reject('MsgDispense', { signer: D, units: refs(['S3']) }))).toBe(true);
  expect(ErrBatchRecalled.is(w.reject('MsgShip', { signer: W, to: D, purpose: 'SALE', containers: [CASE] }))).toBe(true);
  expect(ErrInvalidCounterparty.is(w.reject('MsgShip', { signer: D, to: W, purpose: 'RECALL_RETURN', units: refs(['S1', 'S3']) }))).toBe(
    true,
  );
  move(w, D, M, { units: ['S1', 'S3'] }, 'RECALL_RETURN');
  move(w, W, M, { containers: [CASE] }, 'RECALL_RETURN');
  w.exec('MsgDecommission', { signer: M, units: refs(['S1', 'S3']), containers: [CASE], reason: 'DESTROYED' });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S5' })).toMatchObject({ verdict: 'INACTIVE', status: 'DESTROYED', recallIds: [1n] });
  expect(w.query('Container', { sscc: CASE }).container.status).toBe('DISSOLVED');

  // 8. second lot, suspect → illegitimate → destroyed
  w.exec('MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'LOT43', expiry: '2027-12-31' });
  w.exec('MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT43', serials: ['E1', 'E2'] });
  move(w, M, W, { units: ['E1', 'E2'] });
  move(w, W, D, { units: ['E1', 'E2'] });
  const { investigationId } = w.exec('MsgReportSuspect', { signer: D, units: refs(['E1']), category: 'COUNTERFEIT' });
  expect(ErrQuarantined.is(w.reject('MsgDispense', { signer: D, units: refs(['E1']) }))).toBe(true);
  expect(ErrQuarantined.is(w.reject('MsgShip', { signer: D, to: M, purpose: 'NONSALEABLE_RETURN', units: refs(['E1']) }))).toBe(true);
  w.exec('MsgResolveInvestigation', { signer: REG, investigationId, outcome: 'ILLEGITIMATE' });
  w.exec('MsgDecommission', { signer: D, units: refs(['E1']), reason: 'DESTROYED' });
  expect(ErrUndoNotAllowed.is(w.reject('MsgUndoDecommission', { signer: D, units: refs(['E1']) }))).toBe(true);

  // 9. history of A
  const h = w.query('UnitHistory', { gtin: GTIN, serial: 'S1' });
  expect(h.events.map((e: any) => e.type)).toEqual([
    'COMMISSIONED',
    'PACKED',
    'SHIPPED',
    'RECEIVED',
    'UNPACKED',
    'SHIPPED',
    'RECEIVED',
    'DISPENSED',
    'UNDONE',
    'SHIPPED',
    'RECEIVED',
    'DECOMMISSIONED',
  ]);
  expect(h.events[2]).toMatchObject({ from: M, to: W, tiHash: TI, bizStep: 'shipping', disposition: 'in_transit', purpose: 'SALE' });
  expect(h.events[9]).toMatchObject({ from: D, to: M, purpose: 'RECALL_RETURN', disposition: 'recalled', status: 'RECALLED' });
  expect(h.events[10]).toMatchObject({
    type: 'RECEIVED',
    purpose: 'RECALL_RETURN',
    bizStep: 'receiving',
    disposition: 'recalled',
    status: 'RECALLED',
  });
  expect(h.events[11]).toMatchObject({ reason: 'DESTROYED', bizStep: 'destroying', disposition: 'destroyed' });
  expect(h.recalls.map((r: any) => r.id)).toEqual([1n]);
  expect(w.invariants()).toEqual([]);
  void withCheck;
});
