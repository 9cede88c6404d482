import { ErrInvalidElementString, ErrUnitNotFound } from './errors.js';
import { D, GTIN, M, move, REG, refs, sscc, stockedWorld, W, W2 } from './testing.js';

test('Verify verdicts: NOT_FOUND, LOT_MISMATCH, EXPIRY_MISMATCH, INACTIVE, VERIFIED; element strings', () => {
  const w = stockedWorld(3);
  expect(w.query('Verify', { gtin: GTIN, serial: 'NOPE' })).toMatchObject({ verdict: 'NOT_FOUND', found: false, saleable: false });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S1', lot: 'LOT99' }).verdict).toBe('LOT_MISMATCH');
  expect(w.query('Verify', { gtin: GTIN, serial: 'S1', lot: 'LOT42', expiry: '270629' }).verdict).toBe('EXPIRY_MISMATCH');
  // day 00 means the last day of the month: 270600 → 2027-06-30 matches
  w.exec('MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'L00', expiry: '270600' });
  w.exec('MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'L00', serials: ['Z1'] });
  expect(w.query('Verify', { gtin: GTIN, serial: 'Z1', expiry: '270630' }).verdict).toBe('VERIFIED');
  expect(w.query('Verify', { elementString: `(01)${GTIN}(21)S1(17)270630(10)LOT42` })).toMatchObject({
    verdict: 'VERIFIED',
    saleable: true,
    lot: 'LOT42',
    expiry: '2027-06-30',
  });
  expect(w.query('Verify', { elementString: `]d201${GTIN}21S2\u001d10LOT42` }).verdict).toBe('VERIFIED');
  expect(() => w.query('Verify', { elementString: `(01)${GTIN}` })).toThrow(ErrInvalidElementString.description);
  // the public answer never names the holder
  move(w, M, W, { units: ['S2'] });
  expect(JSON.stringify(w.query('Verify', { gtin: GTIN, serial: 'S2' }), (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(
    W,
  );
  w.exec('MsgDecommission', { signer: M, units: refs(['S3']), reason: 'LOCKED' });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S3' })).toMatchObject({ verdict: 'INACTIVE', status: 'LOCKED', saleable: false });
  // VERIFIED but not saleable when recalled; expired derived from block time
  w.exec('MsgInitiateRecall', { signer: REG, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S1' })).toMatchObject({
    verdict: 'VERIFIED',
    saleable: false,
    recallIds: [1n],
    flags: { recalled: true },
  });
  w.advance((Date.parse('2027-07-01T00:00:00Z') - w.time.getTime()) / 1000);
  expect(w.query('Verify', { gtin: GTIN, serial: 'Z1' }).flags.expired).toBe(true);
  expect(w.query('Batch', { gtin: GTIN, lot: 'L00' }).batch.expired).toBe(true);
});

test('Inventory, RecalledInventory and pagination with nextKey round trip', () => {
  const w = stockedWorld(25);
  move(w, M, W, { units: Array.from({ length: 10 }, (_, i) => `S${i + 1}`) });
  const all: string[] = [];
  let key: Buffer | undefined;
  do {
    const page = w.query('Inventory', { holder: M, pagination: { limit: 4n, key } });
    all.push(...page.units.map((u: any) => u.serial));
    key = page.pagination.nextKey.length ? page.pagination.nextKey : undefined;
  } while (key);
  expect(all.sort()).toEqual(Array.from({ length: 15 }, (_, i) => `S${i + 11}`).sort());
  expect(w.query('Inventory', { holder: M }).pagination.total).toBe(15n); // limit 0 → default and total
  expect(w.query('Inventory', { holder: W, pagination: { offset: 8n, limit: 5n } }).units).toHaveLength(2);
  w.exec('MsgReportSuspect', { signer: W, units: refs(['S1']), category: 'DIVERTED' });
  expect(w.query('Inventory', { holder: W, saleableOnly: true }).units).toHaveLength(9);
  expect(w.query('RecalledInventory', { holder: W }).units).toHaveLength(0);
  w.exec('MsgInitiateRecall', { signer: M, scope: 'PRODUCT', gtin: GTIN, classification: 'I', reasonCode: 'WITHDRAWN' });
  expect(w.query('RecalledInventory', { holder: W }).units).toHaveLength(10);
  expect(w.query('Product', { gtin: GTIN }).product.status).toBe('WITHDRAWN');
});

test('Shipments, Recalls, Investigations, Container contents, Participants, Products', () => {
  const w = stockedWorld(6);
  w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2']) });
  w.exec('MsgPack', { signer: M, sscc: sscc(2), units: refs(['S3']), containers: [sscc(1)] });
  expect(w.query('ContainerContents', { sscc: sscc(2) })).toMatchObject({ units: [{ gtin: GTIN, serial: 'S3' }], containers: [sscc(1)] });
  expect(w.query('ContainerContents', { sscc: sscc(2), recursive: true }).units).toHaveLength(3);
  const s1 = move(w, M, W, { containers: [sscc(2)] });
  const { shipmentId: s2 } = w.exec('MsgShip', { signer: M, to: D, purpose: 'SALE', units: refs(['S4']) });
  expect(
    w
      .query('Shipments', { participant: M, direction: 'OUT' })
      .shipments.map((s: any) => s.id)
      .sort(),
  ).toEqual([s1, s2].sort());
  expect(w.query('Shipments', { participant: M, status: 'IN_TRANSIT' }).shipments.map((s: any) => s.id)).toEqual([s2]);
  expect(w.query('Shipments', { participant: W, direction: 'IN' }).shipments[0]).toMatchObject({
    id: s1,
    status: 'RECEIVED',
    totalUnits: 3n,
    tsAttested: true,
  });
  expect(w.query('Shipment', { id: s2 }).shipment.to).toBe(D);
  w.exec('MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'LOT43', expiry: '2027-12-31' });
  w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT42', classification: 'I', reasonCode: 'X' });
  w.exec('MsgInitiateRecall', { signer: M, scope: 'BATCH', gtin: GTIN, lot: 'LOT43', classification: 'III', reasonCode: 'Y' });
  w.exec('MsgCompleteRecall', { signer: REG, recallId: 1n });
  expect(w.query('Recalls', {}).recalls.map((r: any) => r.id)).toEqual([2n, 1n]); // newest first
  expect(w.query('Recalls', { status: 'OPEN' }).recalls.map((r: any) => r.id)).toEqual([2n]);
  expect(w.query('Recalls', { manufacturer: M, pagination: { reverse: true } }).recalls.map((r: any) => r.id)).toEqual([1n, 2n]);
  w.exec('MsgReportSuspect', {
    signer: M,
    units: refs(['S5']),
    unknownIdentifiers: [{ gtin: GTIN, serial: 'FAKE1', lot: 'LOT42' }],
    category: 'COUNTERFEIT',
  });
  const inv = w.query('Investigations', { status: 'OPEN' }).investigations;
  expect(inv).toHaveLength(1);
  expect(inv[0]).toMatchObject({ reporter: M, units: [{ gtin: GTIN, serial: 'S5' }], unknownIdentifiers: [{ serial: 'FAKE1' }] });
  expect(w.query('Verify', { gtin: GTIN, serial: 'S5' })).toMatchObject({ openInvestigationId: 1n, flags: { quarantined: true } });
  expect(
    w
      .query('Participants', { role: 'WHOLESALER' })
      .participants.map((p: any) => p.address)
      .sort(),
  ).toEqual([W, W2].sort());
  expect(w.query('Products', { manufacturer: M }).products.map((p: any) => p.gtin)).toEqual([GTIN]);
  expect(w.query('Batches', { gtin: GTIN }).batches.map((b: any) => b.batch.lot)).toEqual(['LOT42', 'LOT43']);
  expect(w.query('Params', {}).params.maxUnitsPerMsg).toBe(1000);
  expect(() => w.query('Unit', { gtin: GTIN, serial: 'NOPE' })).toThrow(ErrUnitNotFound.description);
});
