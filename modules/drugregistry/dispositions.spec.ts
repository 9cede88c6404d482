/**
 * Trace events say what the unit is at the moment they are written: each event's `status` is the
 * unit's effective status then (stored status, or RECALLED / WITHDRAWN / EXPIRED for stock still
 * circulating), and its CBV disposition agrees with that status. Earlier events keep what was true
 * when they were written; a later recall shows in Verify and in the events after it.
 */
import { UnitEvent } from '../../generated/parazone/drugregistry/v1/types.js';
import { keys } from './keys.js';
import { D, DISPOSITIONS_OF, GTIN, M, move, REG, refs, sscc, stockedWorld, W, type World } from './testing.js';

const history = (w: World, serial: string) => w.query('UnitHistory', { gtin: GTIN, serial }).events as any[];
const last = (w: World, serial: string) => history(w, serial).at(-1);

/** Every event of the unit carries a status and a disposition that agree (the table in testing.ts). */
function expectAgreement(w: World, serial: string) {
  for (const e of history(w, serial)) {
    expect({
      type: e.type,
      status: e.status,
      disposition: e.disposition,
      agrees: DISPOSITIONS_OF[e.status]?.includes(e.disposition),
    }).toEqual({ type: e.type, status: e.status, disposition: e.disposition, agrees: true });
  }
}

const recallLot42 = (w: World) =>
  w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'II', reasonCode: 'CONTAMINATION' });

test('a recall return received by the manufacturer is recorded as recalled, not sellable', () => {
  const w = stockedWorld(2);
  move(w, M, W, { units: ['S1'] });
  move(w, W, D, { units: ['S1'] });
  w.advance();
  recallLot42(w);
  w.advance();
  const { shipmentId } = w.exec('MsgShip', { signer: D, to: M, purpose: 'RECALL_RETURN', units: refs(['S1']) });
  expect(last(w, 'S1')).toMatchObject({
    type: 'SHIPPED',
    bizStep: 'shipping',
    disposition: 'recalled',
    purpose: 'RECALL_RETURN',
    status: 'RECALLED',
  });
  w.exec('MsgReceive', { signer: M, shipmentId });
  expect(last(w, 'S1')).toMatchObject({
    type: 'RECEIVED',
    bizStep: 'receiving',
    disposition: 'recalled',
    purpose: 'RECALL_RETURN',
    status: 'RECALLED',
    holder: M,
  });
  // What was written before the recall stays as it was then; the recall itself shows in Verify.
  expect(history(w, 'S1')[4]).toMatchObject({ type: 'RECEIVED', disposition: 'sellable_accessible', status: 'ACTIVE', holder: D });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S1' })).toMatchObject({ status: 'ACTIVE', saleable: false, flags: { recalled: true } });
  w.exec('MsgDecommission', { signer: M, units: refs(['S1']), reason: 'DESTROYED' });
  expect(last(w, 'S1')).toMatchObject({ bizStep: 'destroying', disposition: 'destroyed', status: 'DESTROYED' });
  expectAgreement(w, 'S1');
  expect(w.invariants()).toEqual([]);
});

test('recalled stock that is rejected, cancelled or packed stays recalled in every event', () => {
  const w = stockedWorld(3);
  move(w, M, W, { units: ['S1', 'S2', 'S3'] });
  recallLot42(w);
  const { shipmentId: rejected } = w.exec('MsgShip', { signer: W, to: M, purpose: 'RECALL_RETURN', units: refs(['S1']) });
  w.exec('MsgRejectShipment', { signer: M, shipmentId: rejected, reasonCode: 'PAPERWORK' });
  expect(last(w, 'S1')).toMatchObject({ type: 'REJECTED', disposition: 'recalled', status: 'RECALLED', holder: W });
  const { shipmentId: cancelled } = w.exec('MsgShip', { signer: W, to: M, purpose: 'NONSALEABLE_RETURN', units: refs(['S2']) });
  w.exec('MsgCancelShipment', { signer: W, shipmentId: cancelled });
  expect(last(w, 'S2')).toMatchObject({ type: 'CANCELLED', bizStep: 'void_shipping', disposition: 'recalled', status: 'RECALLED' });
  w.exec('MsgPack', { signer: W, sscc: sscc(1), units: refs(['S3']) });
  expect(last(w, 'S3')).toMatchObject({ type: 'PACKED', disposition: 'recalled', status: 'RECALLED' });
  for (const s of ['S1', 'S2', 'S3']) expectAgreement(w, s);
});

test('saleable return: back with a prior holder, sellable', () => {
  const w = stockedWorld(1);
  move(w, M, W, { units: ['S1'] });
  move(w, W, D, { units: ['S1'] });
  const { shipmentId } = w.exec('MsgShip', { signer: D, to: W, purpose: 'RETURN', units: refs(['S1']) });
  expect(last(w, 'S1')).toMatchObject({ type: 'SHIPPED', disposition: 'in_transit', status: 'IN_TRANSIT', purpose: 'RETURN' });
  w.exec('MsgReceive', { signer: W, shipmentId });
  expect(last(w, 'S1')).toMatchObject({ type: 'RECEIVED', disposition: 'sellable_accessible', status: 'ACTIVE', purpose: 'RETURN' });
  expectAgreement(w, 'S1');
});

test('unsaleable and recall returns of stock that is neither recalled nor expired are received as returned', () => {
  const w = stockedWorld(2);
  move(w, M, W, { units: ['S1', 'S2'] });
  move(w, W, M, { units: ['S1'] }, 'NONSALEABLE_RETURN');
  expect(last(w, 'S1')).toMatchObject({ type: 'RECEIVED', disposition: 'returned', status: 'ACTIVE', purpose: 'NONSALEABLE_RETURN' });
  move(w, W, M, { units: ['S2'] }, 'RECALL_RETURN');
  expect(last(w, 'S2')).toMatchObject({ type: 'RECEIVED', disposition: 'returned', status: 'ACTIVE', purpose: 'RECALL_RETURN' });
  for (const s of ['S1', 'S2']) expectAgreement(w, s);
});

test('suspect quarantine and both resolutions; a unit cleared after its recall is recalled', () => {
  const w = stockedWorld(3);
  move(w, M, W, { units: ['S1', 'S2', 'S3'] });
  const { investigationId: a } = w.exec('MsgReportSuspect', { signer: W, units: refs(['S1', 'S2']), category: 'COUNTERFEIT' });
  expect(last(w, 'S1')).toMatchObject({
    type: 'QUARANTINED',
    bizStep: 'holding',
    disposition: 'non_sellable_other',
    status: 'QUARANTINED',
  });
  w.exec('MsgResolveInvestigation', { signer: REG, investigationId: a, outcome: 'CLEARED' });
  expect(last(w, 'S1')).toMatchObject({ type: 'CLEARED', disposition: 'active', status: 'ACTIVE' });
  const { investigationId: b } = w.exec('MsgReportSuspect', { signer: W, units: refs(['S1']), category: 'DIVERTED' });
  const { investigationId: c } = w.exec('MsgReportSuspect', { signer: W, units: refs(['S3']), category: 'DIVERTED' });
  w.exec('MsgResolveInvestigation', { signer: REG, investigationId: c, outcome: 'ILLEGITIMATE' });
  expect(last(w, 'S3')).toMatchObject({ type: 'ILLEGITIMATE', disposition: 'non_sellable_other', status: 'ILLEGITIMATE' });
  recallLot42(w);
  w.exec('MsgResolveInvestigation', { signer: REG, investigationId: b, outcome: 'CLEARED' });
  expect(last(w, 'S1')).toMatchObject({ type: 'CLEARED', disposition: 'recalled', status: 'RECALLED' });
  for (const s of ['S1', 'S2', 'S3']) expectAgreement(w, s);
  expect(w.invariants()).toEqual([]);
});

test('withdrawal: stock of a withdrawn product is recalled in the events after the withdrawal', () => {
  const w = stockedWorld(1);
  const { shipmentId } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  w.exec('MsgInitiateRecall', { signer: M, scope: 'PRODUCT', gtin: GTIN, classification: 'I', reasonCode: 'WITHDRAWN' });
  w.exec('MsgReceive', { signer: W, shipmentId });
  expect(last(w, 'S1')).toMatchObject({ type: 'RECEIVED', disposition: 'recalled', status: 'WITHDRAWN', purpose: 'SALE' });
  move(w, W, M, { units: ['S1'] }, 'RECALL_RETURN');
  expect(last(w, 'S1')).toMatchObject({ type: 'RECEIVED', disposition: 'recalled', status: 'WITHDRAWN', purpose: 'RECALL_RETURN' });
  expectAgreement(w, 'S1');
  expect(w.invariants()).toEqual([]);
});

test('expired: stock that expires in transit is received as expired and sent back as expired', () => {
  const w = stockedWorld(1);
  const { shipmentId } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  w.advance(86400 * 600); // past LOT42's 2027-06-30
  w.exec('MsgReceive', { signer: W, shipmentId });
  expect(last(w, 'S1')).toMatchObject({ type: 'RECEIVED', disposition: 'expired', status: 'EXPIRED' });
  const { shipmentId: back } = w.exec('MsgShip', { signer: W, to: M, purpose: 'NONSALEABLE_RETURN', units: refs(['S1']) });
  expect(last(w, 'S1')).toMatchObject({ type: 'SHIPPED', disposition: 'expired', status: 'EXPIRED' });
  w.exec('MsgReceive', { signer: M, shipmentId: back });
  w.exec('MsgDecommission', { signer: M, units: refs(['S1']), reason: 'DESTROYED' });
  expect(last(w, 'S1')).toMatchObject({ disposition: 'destroyed', status: 'DESTROYED' });
  expectAgreement(w, 'S1');
  expect(w.invariants()).toEqual([]);
});

test('decommission reasons, undo, dispense and destroy each carry their own disposition', () => {
  const w = stockedWorld(6);
  w.exec('MsgDecommission', { signer: M, units: refs(['S1']), reason: 'LOCKED' });
  expect(last(w, 'S1')).toMatchObject({ bizStep: 'holding', disposition: 'non_sellable_other', status: 'LOCKED' });
  w.exec('MsgUndoDecommission', { signer: M, units: refs(['S1']) });
  expect(last(w, 'S1')).toMatchObject({ type: 'UNDONE', disposition: 'active', status: 'ACTIVE' });
  w.exec('MsgDecommission', { signer: M, units: refs(['S2']), reason: 'EXPORTED' });
  expect(last(w, 'S2')).toMatchObject({ bizStep: 'decommissioning', disposition: 'inactive', status: 'EXPORTED' });
  w.exec('MsgDecommission', { signer: M, units: refs(['S3']), reason: 'SAMPLE' });
  expect(last(w, 'S3')).toMatchObject({ disposition: 'inactive', status: 'SAMPLE' });
  w.exec('MsgDecommission', { signer: M, units: refs(['S4']), reason: 'STOLEN' });
  expect(last(w, 'S4')).toMatchObject({ disposition: 'stolen', status: 'STOLEN' });
  move(w, M, D, { units: ['S5'] });
  w.exec('MsgDispense', { signer: D, units: refs(['S5']) });
  expect(last(w, 'S5')).toMatchObject({ bizStep: 'dispensing', disposition: 'dispensed', status: 'DISPENSED' });
  recallLot42(w);
  // A recalled pack locked on a hold is LOCKED (a hold, non-sellable); destroyed, it is destroyed.
  w.exec('MsgDecommission', { signer: M, units: refs(['S6']), reason: 'LOCKED' });
  expect(last(w, 'S6')).toMatchObject({ disposition: 'non_sellable_other', status: 'LOCKED' });
  w.exec('MsgDecommission', { signer: M, units: refs(['S6']), reason: 'DESTROYED' });
  expect(last(w, 'S6')).toMatchObject({ bizStep: 'destroying', disposition: 'destroyed', status: 'DESTROYED' });
  for (const s of ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']) expectAgreement(w, s);
  expect(w.invariants()).toEqual([]);
});

test('cross-zone export: locked in transit, exported, or back after a recall as recalled', () => {
  const w = stockedWorld(2);
  const locker = 'ibc-locker';
  const lock = (serial: string, transferId: string) =>
    w.keeper.lockUnitsForExport(w.ctx, { sender: M, units: refs([serial]), destination: 'zone-2', transferId, locker });
  lock('S1', 't1');
  expect(last(w, 'S1')).toMatchObject({ type: 'SHIPPED', bizStep: 'shipping', disposition: 'in_transit', status: 'LOCKED' });
  w.keeper.completeExport(w.ctx, { units: refs(['S1']), transferId: 't1', locker });
  expect(last(w, 'S1')).toMatchObject({ type: 'DECOMMISSIONED', disposition: 'inactive', status: 'EXPORTED' });
  lock('S2', 't2');
  recallLot42(w);
  w.keeper.cancelExport(w.ctx, { units: refs(['S2']), transferId: 't2', locker, reason: 'timeout' });
  expect(last(w, 'S2')).toMatchObject({ type: 'CANCELLED', disposition: 'recalled', status: 'RECALLED' });
  for (const s of ['S1', 'S2']) expectAgreement(w, s);
});

test('I8: a last event may say RECALLED only if the recall existed when it was written', () => {
  const w = stockedWorld(1);
  const st = w.keeper.state(w.ctx);
  const key = keys.unitEvent(GTIN, 'S1', 1n);
  const e = UnitEvent.decode(st.kv.get(key)!);
  st.kv.set(key, UnitEvent.encode({ ...e, status: 'RECALLED' }).finish());
  expect(w.invariants().join('\n')).toMatch(/I8.*last event does not match/);
  w.advance();
  recallLot42(w); // a recall after the event does not make it true then
  expect(w.invariants().join('\n')).toMatch(/I8.*last event does not match/);
  st.kv.set(key, UnitEvent.encode({ ...e, status: 'RECALLED', time: w.time.toISOString() }).finish());
  expect(w.invariants()).toEqual([]);
});
