import { Registry } from '@cosmjs/proto-signing';
import { TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { memoryStore } from '../../app/store/cache-kv.js';
import { dumpStore, testContext } from '../../test/harness.js';
import * as tx from '../../generated/parazone/drugregistry/v1/tx.js';
import { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import { D, GOV, M, move, REG, refs, sscc, stockedWorld, W, World } from './testing.js';

const EXPECTED_MSGS = [
  'MsgGrantRegulator',
  'MsgRevokeRegulator',
  'MsgRegisterParticipant',
  'MsgSetParticipantStatus',
  'MsgRegisterProduct',
  'MsgCommissionBatch',
  'MsgCommissionUnits',
  'MsgPack',
  'MsgUnpack',
  'MsgShip',
  'MsgReceive',
  'MsgRejectShipment',
  'MsgCancelShipment',
  'MsgDispense',
  'MsgDecommission',
  'MsgUndoDecommission',
  'MsgInitiateRecall',
  'MsgCompleteRecall',
  'MsgReportSuspect',
  'MsgResolveInvestigation',
  'MsgUpdateParams',
];

test('Msg type URLs, signers from the first field, serializes only where a shared key is written', () => {
  const w = new World();
  const urls = w.module.msgs!.map((m) => m.typeUrl);
  expect(urls).toEqual(EXPECTED_MSGS.map((n) => `/parazone.drugregistry.v1.${n}`));
  for (const h of w.module.msgs!) {
    const first = Object.keys(h.type.fromPartial({}))[0];
    expect(['signer', 'authority']).toContain(first);
    expect(h.signers(h.type.fromPartial({ [first!]: M }))).toEqual([M]);
  }
  expect(w.module.msgs!.filter((m) => m.serializes).map((m) => m.typeUrl.split('.').pop())).toEqual([
    'MsgInitiateRecall',
    'MsgReportSuspect',
    'MsgUpdateParams',
  ]);
  expect(w.module.queries!.every((q) => q.path.startsWith('/parazone.drugregistry.v1.Query/'))).toBe(true);
  expect(() => w.module.msgs![9]!.validateBasic!(tx.MsgShip.fromPartial({ signer: 'cosmos1bad' }))).toThrow(/invalid address/);
});

test('generated types register with a stock cosmjs Registry and round-trip through a TxBody', () => {
  const registry = new Registry(EXPECTED_MSGS.map((n) => [`/parazone.drugregistry.v1.${n}`, (tx as any)[n]]));
  const ship = {
    signer: M,
    to: W,
    purpose: 'SALE',
    units: [{ gtin: '00312345678906', serial: 'S1' }],
    containers: [],
    tiHash: '',
    shipDate: '',
  };
  const body = registry.encodeTxBody({ messages: [{ typeUrl: '/parazone.drugregistry.v1.MsgShip', value: ship }], memo: '' });
  const decoded = TxBody.decode(body);
  expect(registry.decode(decoded.messages[0]!)).toEqual(tx.MsgShip.fromPartial(ship));
});

test('genesis: export → validate → init reproduces the store byte for byte; bad genesis is refused', () => {
  const w = stockedWorld(6);
  w.exec('MsgPack', { signer: M, sscc: sscc(1), units: refs(['S1', 'S2']) });
  move(w, M, W, { containers: [sscc(1)], units: ['S3'] });
  w.exec('MsgShip', { signer: W, to: D, purpose: 'SALE', units: refs(['S3']) });
  w.exec('MsgReportSuspect', { signer: M, units: refs(['S4']), category: 'UNFIT' });
  w.exec('MsgInitiateRecall', { signer: REG, scope: 'BATCH', gtin: '00312345678906', lot: 'LOT42', classification: 'I', reasonCode: 'X' });
  const json = w.module.genesis!.export(w.ctx);
  const g = w.module.genesis!.validate(JSON.parse(JSON.stringify(json)));
  const store = memoryStore();
  w.module.genesis!.init(testContext({ store }), g);
  expect(dumpStore(store)).toEqual(dumpStore(w.store));

  const broken = GenesisState.fromJSON(JSON.parse(JSON.stringify(json)));
  broken.units[0]!.holder = GOV; // not a participant, not indexed: I3 must catch it
  expect(() => w.module.genesis!.validate(GenesisState.toJSON(broken))).toThrow(/invariant broken/);
  const badGtin = GenesisState.fromJSON(JSON.parse(JSON.stringify(json)));
  badGtin.products[0]!.gtin = '00312345678907';
  expect(() => w.module.genesis!.validate(GenesisState.toJSON(badGtin))).toThrow(/GTIN/);
  // the default genesis validates and is empty
  const d = w.module.genesis!.validate(w.module.genesis!.defaultGenesis());
  expect(d.units).toEqual([]);
});
