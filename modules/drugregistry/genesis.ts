/**
 * Genesis: the whole module state as records; indexes are rebuilt on init, so an exported state
 * re-imports byte-identically. Validation imports into a scratch store and runs every invariant.
 */
import type { StoreKey } from '../../app/store/types.js';
import { Context } from '../../app/types/context.js';
import type { AddressCodec } from '../../app/types/address.js';
import type { GenesisHandler } from '../../app/types/module.js';
import { GenesisState } from '../../generated/parazone/drugregistry/v1/genesis.js';
import {
  Batch,
  Container,
  Investigation,
  Participant,
  Product,
  Recall,
  Shipment,
  Unit,
  UnitEvent,
} from '../../generated/parazone/drugregistry/v1/types.js';
import { normalizeGtin, validateLot, validateSerial, validateSscc } from './identifiers.js';
import { checkAll } from './invariants.js';
import { keys, keyTail, parseHex16 } from './keys.js';
import { defaultParams, validateParams } from './params.js';
import type { DrugRegistryKeeper } from './keeper.js';
import { RegistryState, splitOnce } from './state.js';
import { inCustody, ROLES } from './status.js';

export function defaultGenesis(): GenesisState {
  return GenesisState.fromPartial({ params: defaultParams(), nextRecallId: 1n, nextInvestigationId: 1n });
}

export function initGenesis(st: RegistryState, g: GenesisState): void {
  st.setParams(validateParams(g.params ?? defaultParams()));
  for (const p of g.participants) st.setParticipant(p);
  for (const p of g.products) {
    st.setProduct(p);
    st.setIndex(keys.manufacturerProduct(p.manufacturer, p.gtin));
  }
  for (const b of g.batches) st.setBatch(b);
  for (const u of g.units) {
    st.putUnit(u);
    st.setIndex(keys.batchIndex(u.gtin, u.lot, u.serial));
    if (inCustody(u.status)) st.setIndex(keys.holderIndex(u.holder, u.gtin, u.serial));
    if (u.parent) st.setIndex(keys.childUnit(u.parent, u.gtin, u.serial));
  }
  for (const c of g.containers) {
    st.setContainer(c);
    if (c.parent) st.setIndex(keys.childContainer(c.parent, c.sscc));
  }
  for (const s of g.shipments) {
    st.setShipment(s);
    st.setIndex(keys.shipIndex(s.from, 'out', s.id));
    st.setIndex(keys.shipIndex(s.to, 'in', s.id));
  }
  for (const r of g.recalls) {
    st.setRecall(r);
    st.setIndex(r.scope === 'BATCH' ? keys.batchRecallIndex(r.gtin, r.lot, r.id) : keys.productRecallIndex(r.gtin, r.id));
  }
  for (const i of g.investigations) st.setInvestigation(i);
  if (g.unitEvents.length !== g.unitEventUnits.length) throw new Error('unitEvents and unitEventUnits must have the same length');
  g.unitEvents.forEach((e, i) => {
    const ref = g.unitEventUnits[i]!;
    st.kv.set(keys.unitEvent(ref.gtin, ref.serial, e.seq), UnitEvent.encode(e).finish());
  });
  for (const ph of g.priorHolders) st.setIndex(keys.priorHolder(ph.gtin, ph.serial, ph.address));
  for (const n of g.shipNonces) st.setCounter(keys.shipNonce(n.address), n.nonce);
  if (g.nextRecallId > 1n) st.setCounter(keys.recallSeq(), g.nextRecallId - 1n);
  if (g.nextInvestigationId > 1n) st.setCounter(keys.investigationSeq(), g.nextInvestigationId - 1n);
}

export function exportGenesis(st: RegistryState): GenesisState {
  const all = <T>(codec: { decode(b: Uint8Array): T }, prefix: Uint8Array) => [...st.scan(codec, prefix)];
  const unitEvents: UnitEvent[] = [];
  const unitEventUnits: { gtin: string; serial: string }[] = [];
  const evPrefix = keys.unitEventPrefix();
  for (const { key, value } of st.kv.iterator(evPrefix, new Uint8Array([...evPrefix.slice(0, -1), evPrefix.at(-1)! + 1]))) {
    const tail = keyTail(key, evPrefix.length);
    const [gtin, rest] = splitOnce(tail);
    unitEventUnits.push({ gtin, serial: rest.slice(0, rest.lastIndexOf('|')) });
    unitEvents.push(UnitEvent.decode(value));
  }
  const priorHolders = [...st.tails(keys.priorHolderPrefix())].map((t) => {
    const [gtin, rest] = splitOnce(t);
    const i = rest.lastIndexOf('|');
    return { gtin, serial: rest.slice(0, i), address: rest.slice(i + 1) };
  });
  const shipNonces: { address: string; nonce: bigint }[] = [];
  const np = keys.shipNoncePrefix();
  for (const { key, value } of st.kv.iterator(np, new Uint8Array([...np.slice(0, -1), np.at(-1)! + 1]))) {
    shipNonces.push({ address: keyTail(key, np.length), nonce: Buffer.from(value).readBigUInt64BE() });
  }
  return {
    params: st.params(),
    participants: all(Participant, keys.participantPrefix()),
    products: all(Product, keys.productPrefix()),
    batches: all(Batch, keys.batchPrefix()),
    units: all(Unit, keys.unitPrefix()),
    containers: all(Container, keys.containerPrefix()),
    shipments: all(Shipment, keys.shipmentPrefix()),
    recalls: all(Recall, keys.recallPrefix()),
    investigations: all(Investigation, keys.investigationPrefix()),
    unitEvents,
    unitEventUnits,
    priorHolders,
    shipNonces,
    nextRecallId: st.counter(keys.recallSeq()) + 1n,
    nextInvestigationId: st.counter(keys.investigationSeq()) + 1n,
  };
}

/** Field-level checks of the records, then a scratch import and every invariant (I1–I9). */
export function validateGenesis(json: unknown, storeKey: StoreKey, codec: AddressCodec): GenesisState {
  const g = GenesisState.fromJSON(json);
  validateParams(g.params ?? defaultParams());
  const fail = (what: string) => {
    throw new Error(`drugregistry genesis: ${what}`);
  };
  const check = (what: string, fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      fail(`${what}: ${(err as Error).message}`);
    }
  };
  for (const p of g.participants) {
    check(`participant ${p.address}`, () => codec.decode(p.address));
    if (p.roles.some((r) => !(ROLES as readonly string[]).includes(r))) fail(`participant ${p.address} has an unknown role`);
  }
  for (const p of g.products) check(`product ${p.gtin}`, () => normalizeGtin(p.gtin) === p.gtin || fail('GTIN must be 14 digits'));
  for (const b of g.batches) check(`batch ${b.gtin}/${b.lot}`, () => validateLot(b.lot));
  for (const u of g.units) check(`unit ${u.gtin}/${u.serial}`, () => validateSerial(u.serial));
  for (const c of g.containers) check(`container ${c.sscc}`, () => validateSscc(c.sscc));
  const maxRecall = g.recalls.reduce((m, r) => (r.id > m ? r.id : m), 0n);
  if (g.recalls.length && g.nextRecallId <= maxRecall) fail(`nextRecallId ${g.nextRecallId} must exceed recall ids`);
  const maxInv = g.investigations.reduce((m, i) => (i.id > m ? i.id : m), 0n);
  if (g.investigations.length && g.nextInvestigationId <= maxInv) fail(`nextInvestigationId must exceed investigation ids`);

  const ctx = Context.scratch({ chainId: 'genesis-validation', height: 0, time: new Date(0) }, 'genesis');
  const st = new RegistryState(ctx, storeKey);
  initGenesis(st, g);
  const broken = checkAll(st);
  if (broken.length > 0) fail(`invariant broken: ${broken.join('; ')}`);
  return g;
}

export { parseHex16 };

/** The module's genesis: records in, records out; validation imports into scratch state. */
export function drugRegistryGenesis(keeper: DrugRegistryKeeper): GenesisHandler<GenesisState> {
  return {
    defaultGenesis: () => GenesisState.toJSON(defaultGenesis()),
    validate: (json: unknown) => validateGenesis(json, keeper.storeKey, keeper.addresses),
    init: (ctx, g) => keeper.initGenesis(ctx, g),
    export: (ctx) => GenesisState.toJSON(keeper.exportGenesis(ctx)),
  };
}
