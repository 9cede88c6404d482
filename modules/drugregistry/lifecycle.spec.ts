/** Behaviour beyond the rejection catalogue: transitions that must succeed, and their effects. */
import { ErrInTransit, ErrInvalidCounterparty, ErrInvalidParams, ErrNotHolder, ErrParticipantInactive } from './errors.js';
import { D, GOV, GTIN, M, M2, move, REG, refs, sscc, stockedWorld, W, W2 } from './testing.js';

test('reject and cancel return custody to the sender; suspended addressee may still receive', () => {
  const w = stockedWorld(3);
  const { shipmentId: a } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  w.exec('MsgRejectShipment', { signer: W, shipmentId: a, reasonCode: 'DAMAGED' });
  expect(w.query('Unit', { gtin: GTIN, serial: 'S1' }).unit).toMatchObject({ holder: M, status: 'ACTIVE', shipmentId: '' });
  const { shipmentId: b } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  w.exec('MsgCancelShipment', { signer: M, shipmentId: b });
  expect(w.query('Shipment', { id: b }).shipment.status).toBe('CANCELLED');
  const { shipmentId: c } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  w.exec('MsgSetParticipantStatus', { signer: REG, address: W, status: 'SUSPENDED' });
  expect(ErrParticipantInactive.is(w.reject('MsgShip', { signer: W, to: D, purpose: 'SALE', units: refs(['S2']) }))).toBe(true);
  w.exec('MsgReceive', { signer: W, shipmentId: c });
  expect(w.query('Unit', { gtin: GTIN, serial: 'S1' }).unit.holder).toBe(W);
  const types = w.query('UnitHistory', { gtin: GTIN, serial: 'S1' }).events.map((e: any) => e.type);
  expect(types).toEqual(['COMMISSIONED', 'SHIPPED', 'REJECTED', 'SHIPPED', 'CANCELLED', 'SHIPPED', 'RECEIVED']);
  expect(w.invariants()).toEqual([]);
});

test('stolen in transit (by the sender) and stolen pallets; receiver gets the rest', () => {
  const w = stockedWorld(4);
  w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2']) });
  const { shipmentId } = w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S3']), containers: [sscc(1)] });
  expect(ErrNotHolder.is(w.reject('MsgDecommission', { signer: W, units: refs(['S3']), reason: 'STOLEN' }))).toBe(true);
  w.exec('MsgDecommission', { signer: M, containers: [sscc(1)], reason: 'STOLEN' });
  expect(w.query('Container', { sscc: sscc(1) }).container.status).toBe('DISSOLVED');
  expect(w.invariants()).toEqual([]);
  w.exec('MsgReceive', { signer: W, shipmentId });
  expect(w.query('Unit', { gtin: GTIN, serial: 'S3' }).unit.holder).toBe(W);
  expect(w.query('Unit', { gtin: GTIN, serial: 'S1' }).unit).toMatchObject({ status: 'STOLEN', holder: M, parent: '' });
  expect(w.invariants()).toEqual([]);
});

test('LOCKED can be undone without time limit; regulator samples; free samples by the manufacturer', () => {
  const w = stockedWorld(4);
  w.exec('MsgDecommission', { signer: M, units: refs(['S1']), reason: 'LOCKED' });
  w.advance(86400 * 100);
  w.exec('MsgUndoDecommission', { signer: M, units: refs(['S1']) });
  move(w, M, W, { units: ['S2'] });
  w.exec('MsgDecommission', { signer: REG, units: refs(['S2']), reason: 'SAMPLE' });
  expect(w.query('Unit', { gtin: GTIN, serial: 'S2' }).unit).toMatchObject({ status: 'SAMPLE', holder: W, decommission: { by: REG } });
  w.exec('MsgDecommission', { signer: M, units: refs(['S3']), reason: 'FREE_SAMPLE' });
  w.exec('MsgDecommission', { signer: M, units: refs(['S4']), reason: 'EXPORTED', detailsHash: 'd'.repeat(64) });
  expect(w.query('Inventory', { holder: M }).units.map((u: any) => u.serial)).toEqual(['S1']);
  expect(w.invariants()).toEqual([]);
});

test('suspect: manufacturer clears its own units; other manufacturers cannot; regulators see any unit', () => {
  const w = stockedWorld(3);
  move(w, M, W, { units: ['S1', 'S2'] });
  const { investigationId } = w.exec('MsgReportSuspect', {
    signer: W,
    units: refs(['S1']),
    category: 'VERIFICATION_FAILURE',
    evidenceHash: 'e'.repeat(64),
  });
  expect(w.reject('MsgResolveInvestigation', { signer: M2, investigationId, outcome: 'CLEARED' })).toBeTruthy();
  w.exec('MsgResolveInvestigation', { signer: M, investigationId, outcome: 'CLEARED' });
  expect(w.query('Unit', { gtin: GTIN, serial: 'S1' }).unit).toMatchObject({ status: 'ACTIVE', investigationId: 0n });
  w.exec('MsgReportSuspect', { signer: REG, units: refs(['S2', 'S3']), category: 'STOLEN' });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S3' }).flags.quarantined).toBe(true);
  expect(w.invariants()).toEqual([]);
});

test('unpacking the last child dissolves the container and, if emptied, its parent', () => {
  const w = stockedWorld(2);
  w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1']) });
  w.exec('MsgPack', { signer: M, sscc: sscc(2), containers: [sscc(1)] });
  expect(w.exec('MsgUnpack', { signer: M, sscc: sscc(1), units: refs(['S1']) }).dissolved).toBe(true);
  expect(w.query('Container', { sscc: sscc(2) }).container.status).toBe('DISSOLVED');
  expect(w.invariants()).toEqual([]);
});

test('direction table: manufacturer→dispenser follows the param; returns to manufacturers; governance appoints regulators', () => {
  const w = stockedWorld(2);
  w.exec('MsgUpdateParams', {
    authority: GOV,
    params: {
      maxUnitsPerMsg: 1000,
      maxChildrenPerContainer: 1000,
      maxAggregationDepth: 3,
      undoWindowSeconds: 864000n,
      requireCompanyPrefix: true,
      allowManufacturerToDispenser: false,
      maxStringLength: 256,
    },
  });
  expect(ErrInvalidCounterparty.is(w.reject('MsgShip', { signer: M, to: D, purpose: 'SALE', units: refs(['S1']) }))).toBe(true);
  expect(
    ErrInvalidParams.is(
      w.reject('MsgUpdateParams', {
        authority: GOV,
        params: {
          maxUnitsPerMsg: 1000,
          maxChildrenPerContainer: 1000,
          maxAggregationDepth: 2,
          undoWindowSeconds: 864000n,
          maxStringLength: 256,
        },
      }),
    ),
  ).toBe(true);
  move(w, M, W, { units: ['S1'] });
  move(w, W, W2, { units: ['S1'] });
  move(w, W2, M, { units: ['S1'] }, 'RETURN'); // the manufacturer is always a prior holder
  w.exec('MsgRevokeRegulator', { authority: GOV, address: REG });
  expect(w.reject('MsgRegisterParticipant', { signer: REG, address: M2, role: 'WHOLESALER', name: 'x' })).toBeTruthy();
  w.exec('MsgRegisterParticipant', { signer: GOV, address: M2, role: 'WHOLESALER', name: 'x' });
  expect(w.query('Participant', { address: M2 }).participant.roles).toEqual(['MANUFACTURER', 'WHOLESALER']);
  void ErrInTransit;
});

test('events are <module>_<verb> with indexed ids', () => {
  const w = stockedWorld(1);
  w.exec('MsgShip', { signer: M, to: W, purpose: 'SALE', units: refs(['S1']) });
  const ev = w.ctx.events.events.find((e) => e.type === 'drugregistry_shipment_created')!;
  expect(ev.attributes.map((a) => a.key)).toEqual(['id', 'from', 'to', 'purpose', 'total_units']);
  expect(ev.attributes.every((a) => a.index)).toBe(true);
  expect(w.ctx.events.events.every((e) => e.type.startsWith('drugregistry_'))).toBe(true);
});
