/** Read-side logic of the Query service. Public: no signer, no holder in Verify. */
import type { Context } from '../../app/types/context.js';
import { ErrInvalidRequest } from '../../app/types/errors.js';
import { defineQuery, type ProtoType, type QueryHandler } from '../../app/types/module.js';
import { filteredPaginate, paginateArray as paginateList, type FilteredPage } from '../../app/types/pagination.js';
import type { KVReader } from '../../app/store/types.js';
import * as qt from '../../generated/parazone/drugregistry/v1/query.js';
import type {
  QueryContainerContentsRequest,
  QueryInventoryRequest,
  QueryInvestigationsRequest,
  QueryParticipantsRequest,
  QueryRecallsRequest,
  QueryShipmentsRequest,
  QueryUnitHistoryRequest,
  QueryVerifyRequest,
  QueryVerifyResponse,
} from '../../generated/parazone/drugregistry/v1/query.js';
import { Batch, Investigation, Participant, Product, Recall, Unit, UnitEvent } from '../../generated/parazone/drugregistry/v1/types.js';
import type { PageRequest } from '../../generated/cosmos/base/query/v1beta1/pagination.js';
import {
  ErrBatchNotFound,
  ErrContainerNotFound,
  ErrInvestigationNotFound,
  ErrParticipantNotFound,
  ErrProductNotFound,
  ErrRecallNotFound,
  ErrShipmentNotFound,
  ErrUnitNotFound,
} from './errors.js';
import { isExpired, normalizeGtin, parseExpiry, parseGs1, validateLot, validateSerial, validateSscc } from './identifiers.js';
import { keys, parseHex16 } from './keys.js';
import type { DrugRegistryKeeper } from './keeper.js';
import { splitOnce, type RegistryState } from './state.js';
import { effectiveFlags, isInactive, isSaleable } from './status.js';

/** Pages above this many items are refused: a registry page may fan out into reads per item. */
const MAX_PAGE_LIMIT = 1000n;

/**
 * The registry's pages: the SDK's FilteredPaginate (`map` returns undefined to skip), capped at
 * MAX_PAGE_LIMIT; `newestFirst` walks descending ids unless the request asks for `reverse`.
 */
function paginate<T>(
  kv: KVReader,
  prefix: Uint8Array,
  page: PageRequest | undefined,
  map: (key: Uint8Array, value: Uint8Array) => T | undefined,
  newestFirst = false,
): FilteredPage<T> {
  return filteredPaginate(kv, prefix, page, map, { maxLimit: MAX_PAGE_LIMIT, reverseByDefault: newestFirst });
}

function paginateArray<T>(list: readonly T[], page: PageRequest | undefined): FilteredPage<T> {
  return paginateList(list, page, { maxLimit: MAX_PAGE_LIMIT });
}

export function verify(st: RegistryState, req: QueryVerifyRequest): QueryVerifyResponse {
  let { gtin, serial, lot, expiry } = req;
  if (req.elementString) {
    const parsed = parseGs1(req.elementString);
    gtin = parsed.gtin;
    serial = parsed.serial;
    lot = parsed.lot ?? '';
    expiry = parsed.expiry ?? '';
  }
  gtin = normalizeGtin(gtin);
  validateSerial(serial);
  if (lot) validateLot(lot);
  const scannedExpiry = expiry ? parseExpiry(expiry, st.now) : '';
  const out: QueryVerifyResponse = {
    verdict: 'NOT_FOUND',
    found: false,
    gtin,
    serial,
    lot: '',
    expiry: '',
    status: '',
    flags: undefined,
    saleable: false,
    recallIds: [],
    openInvestigationId: 0n,
    manufacturer: '',
  };
  const u = st.unit(gtin, serial);
  if (!u) return out;
  const batch = st.batch(u.gtin, u.lot)!;
  const product = st.product(u.gtin)!;
  const f = effectiveFlags(batch, product, st.now);
  out.found = true;
  out.lot = u.lot;
  out.expiry = batch.expiry;
  out.status = u.status;
  out.manufacturer = product.manufacturer;
  out.flags = {
    ...f,
    quarantined: u.status === 'QUARANTINED',
    inTransit: u.status === 'IN_TRANSIT',
    aggregated: u.parent !== '',
  };
  out.saleable = isSaleable(u, f);
  out.recallIds = recallIdsFor(st, u.gtin, u.lot);
  if (u.status === 'QUARANTINED') out.openInvestigationId = u.investigationId;
  if (lot && lot !== u.lot) out.verdict = 'LOT_MISMATCH';
  else if (scannedExpiry && scannedExpiry !== batch.expiry) out.verdict = 'EXPIRY_MISMATCH';
  else if (isInactive(u.status)) out.verdict = 'INACTIVE';
  else out.verdict = 'VERIFIED';
  return out;
}

export function recallIdsFor(st: RegistryState, gtin: string, lot: string): bigint[] {
  const ids = [...st.tails(keys.batchRecallsOf(gtin, lot)), ...st.tails(keys.productRecallsOf(gtin))].map(parseHex16);
  return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function getUnit(st: RegistryState, rawGtin: string, serial: string): Unit {
  const gtin = normalizeGtin(rawGtin);
  validateSerial(serial);
  const u = st.unit(gtin, serial);
  if (!u) throw ErrUnitNotFound.wrap(`no unit ${gtin}/${serial}`);
  return u;
}

export function unitHistory(st: RegistryState, req: QueryUnitHistoryRequest) {
  const u = getUnit(st, req.gtin, req.serial);
  const page = paginate(st.kv, keys.unitEvents(u.gtin, u.serial), req.pagination, (_k, v) => UnitEvent.decode(v));
  const recalls = recallIdsFor(st, u.gtin, u.lot).map((id) => st.recall(id)!);
  return { events: page.items, recalls, pagination: page.pagination };
}

function inventoryPage(st: RegistryState, holder: string, page: PageRequest | undefined, keep: (u: Unit) => boolean) {
  return paginate(st.kv, keys.holderIndexOf(holder), page, (k) => {
    const [gtin, serial] = splitOnce(Buffer.from(k).toString('latin1'));
    const u = st.unit(gtin, serial)!;
    return keep(u) ? u : undefined;
  });
}

function flagsOf(st: RegistryState, u: Unit) {
  return effectiveFlags(st.batch(u.gtin, u.lot)!, st.product(u.gtin)!, st.now);
}

export function inventory(st: RegistryState, req: QueryInventoryRequest) {
  if (!req.holder) throw ErrInvalidRequest.wrap('holder is required');
  const gtin = req.gtin ? normalizeGtin(req.gtin) : '';
  const page = inventoryPage(st, req.holder, req.pagination, (u) => {
    if (gtin && u.gtin !== gtin) return false;
    if (req.lot && u.lot !== req.lot) return false;
    if (req.saleableOnly && !isSaleable(u, flagsOf(st, u))) return false;
    return true;
  });
  return { units: page.items, pagination: page.pagination };
}

/** The "what must I pull from the shelves" list: held units whose batch or product is recalled. */
export function recalledInventory(st: RegistryState, holder: string, pagination?: PageRequest) {
  if (!holder) throw ErrInvalidRequest.wrap('holder is required');
  const page = inventoryPage(st, holder, pagination, (u) => {
    const f = flagsOf(st, u);
    return f.recalled || f.withdrawn;
  });
  return { units: page.items, pagination: page.pagination };
}

export function getRecall(st: RegistryState, id: bigint) {
  const r = st.recall(id);
  if (!r) throw ErrRecallNotFound.wrap(`no recall ${id}`);
  return r;
}

export function recalls(st: RegistryState, req: QueryRecallsRequest) {
  const gtin = req.gtin ? normalizeGtin(req.gtin) : '';
  const page = paginate(
    st.kv,
    keys.recallPrefix(),
    req.pagination,
    (_k, v) => {
      const r = Recall.decode(v);
      if (gtin && r.gtin !== gtin) return undefined;
      if (req.status && r.status !== req.status) return undefined;
      if (req.manufacturer && st.product(r.gtin)?.manufacturer !== req.manufacturer) return undefined;
      return r;
    },
    true,
  );
  return { recalls: page.items, pagination: page.pagination };
}

export function getContainer(st: RegistryState, sscc: string) {
  const c = st.container(validateSscc(sscc));
  if (!c) throw ErrContainerNotFound.wrap(`no container ${sscc}`);
  return c;
}

export function containerContents(st: RegistryState, req: QueryContainerContentsRequest) {
  const c = getContainer(st, req.sscc);
  if (req.recursive) {
    const d = st.descendants(c.sscc);
    const all = [...d.containers.map((s) => ({ kind: 'c' as const, s })), ...d.units.map((u) => ({ kind: 'u' as const, u }))];
    const page = paginateArray(all, req.pagination);
    return {
      units: page.items.flatMap((x) => (x.kind === 'u' ? [x.u] : [])),
      containers: page.items.flatMap((x) => (x.kind === 'c' ? [x.s] : [])),
      pagination: page.pagination,
    };
  }
  const page = paginate(st.kv, keys.childrenOf(c.sscc), req.pagination, (k) => Buffer.from(k).toString('latin1'));
  const units = page.items
    .filter((t) => t.startsWith('u|'))
    .map((t) => {
      const [gtin, serial] = splitOnce(t.slice(2));
      return { gtin, serial };
    });
  const containers = page.items.filter((t) => t.startsWith('c|')).map((t) => t.slice(2));
  return { units, containers, pagination: page.pagination };
}

export function getShipment(st: RegistryState, id: string) {
  const s = st.shipment(id);
  if (!s) throw ErrShipmentNotFound.wrap(`no shipment ${id}`);
  return s;
}

export function shipments(st: RegistryState, req: QueryShipmentsRequest) {
  if (!req.participant) throw ErrInvalidRequest.wrap('participant is required');
  const dir = req.direction ? req.direction.toLowerCase() : undefined;
  if (dir !== undefined && dir !== 'in' && dir !== 'out') throw ErrInvalidRequest.wrap('direction must be IN, OUT or empty');
  const page = paginate(st.kv, keys.shipIndexOf(req.participant, dir), req.pagination, (k) => {
    const tail = Buffer.from(k).toString('latin1');
    const id = dir ? tail : tail.slice(tail.indexOf('|') + 1);
    const s = st.shipment(id)!;
    return req.status && s.status !== req.status ? undefined : s;
  });
  return { shipments: page.items, pagination: page.pagination };
}

export function getProduct(st: RegistryState, gtin: string) {
  const p = st.product(normalizeGtin(gtin));
  if (!p) throw ErrProductNotFound.wrap(`no product ${gtin}`);
  return p;
}

export function products(st: RegistryState, manufacturer: string, pagination?: PageRequest) {
  const page = manufacturer
    ? paginate(st.kv, keys.manufacturerProductsOf(manufacturer), pagination, (k) => st.product(Buffer.from(k).toString('latin1'))!)
    : paginate(st.kv, keys.productPrefix(), pagination, (_k, v) => Product.decode(v));
  return { products: page.items, pagination: page.pagination };
}

const batchView = (st: RegistryState, b: Batch) => ({ batch: b, expired: isExpired(b.expiry, st.now) });

export function getBatch(st: RegistryState, gtin: string, lot: string) {
  const b = st.batch(normalizeGtin(gtin), validateLot(lot));
  if (!b) throw ErrBatchNotFound.wrap(`no batch ${gtin} lot ${lot}`);
  return batchView(st, b);
}

export function batches(st: RegistryState, gtin: string, pagination?: PageRequest) {
  const page = paginate(st.kv, keys.batchesOfProduct(normalizeGtin(gtin)), pagination, (_k, v) => batchView(st, Batch.decode(v)));
  return { batches: page.items, pagination: page.pagination };
}

export function getParticipant(st: RegistryState, address: string) {
  const p = st.participant(address);
  if (!p) throw ErrParticipantNotFound.wrap(`no participant ${address}`);
  return p;
}

export function participants(st: RegistryState, req: QueryParticipantsRequest) {
  const page = paginate(st.kv, keys.participantPrefix(), req.pagination, (_k, v) => {
    const p = Participant.decode(v);
    if (req.role && !p.roles.includes(req.role)) return undefined;
    if (req.status && p.status !== req.status) return undefined;
    return p;
  });
  return { participants: page.items, pagination: page.pagination };
}

export function getInvestigation(st: RegistryState, id: bigint) {
  const i = st.investigation(id);
  if (!i) throw ErrInvestigationNotFound.wrap(`no investigation ${id}`);
  return i;
}

export function investigations(st: RegistryState, req: QueryInvestigationsRequest) {
  const page = paginate(
    st.kv,
    keys.investigationPrefix(),
    req.pagination,
    (_k, v) => {
      const i = Investigation.decode(v);
      if (req.status && i.status !== req.status) return undefined;
      if (req.reporter && i.reporter !== req.reporter) return undefined;
      return i;
    },
    true,
  );
  return { investigations: page.items, pagination: page.pagination };
}

const QUERY_PREFIX = `/${qt.protobufPackage}.Query/`;

/** The Query service's methods: each reads the registry state at the query's height. */
export function drugRegistryQueries(keeper: DrugRegistryKeeper): QueryHandler[] {
  const st = (ctx: Context) => keeper.state(ctx);
  const query = <Q, R>(
    name: string,
    requestType: ProtoType<Q>,
    responseType: ProtoType<R>,
    handle: (st: RegistryState, req: Q) => qt.DeepPartial<R>,
  ): QueryHandler<Q, R> =>
    defineQuery<Q, R>({
      path: QUERY_PREFIX + name,
      requestType,
      responseType,
      handle: (ctx, req) => responseType.fromPartial(handle(st(ctx), req)),
    });
  return [
    query('Verify', qt.QueryVerifyRequest, qt.QueryVerifyResponse, verify),
    query('Unit', qt.QueryUnitRequest, qt.QueryUnitResponse, (s, r) => ({ unit: getUnit(s, r.gtin, r.serial) })),
    query('UnitHistory', qt.QueryUnitHistoryRequest, qt.QueryUnitHistoryResponse, unitHistory),
    query('Inventory', qt.QueryInventoryRequest, qt.QueryInventoryResponse, inventory),
    query('RecalledInventory', qt.QueryRecalledInventoryRequest, qt.QueryInventoryResponse, (s, r) =>
      recalledInventory(s, r.holder, r.pagination),
    ),
    query('Recall', qt.QueryRecallRequest, qt.QueryRecallResponse, (s, r) => ({ recall: getRecall(s, r.id) })),
    query('Recalls', qt.QueryRecallsRequest, qt.QueryRecallsResponse, recalls),
    query('Container', qt.QueryContainerRequest, qt.QueryContainerResponse, (s, r) => ({ container: getContainer(s, r.sscc) })),
    query('ContainerContents', qt.QueryContainerContentsRequest, qt.QueryContainerContentsResponse, containerContents),
    query('Shipment', qt.QueryShipmentRequest, qt.QueryShipmentResponse, (s, r) => ({ shipment: getShipment(s, r.id) })),
    query('Shipments', qt.QueryShipmentsRequest, qt.QueryShipmentsResponse, shipments),
    query('Product', qt.QueryProductRequest, qt.QueryProductResponse, (s, r) => ({ product: getProduct(s, r.gtin) })),
    query('Products', qt.QueryProductsRequest, qt.QueryProductsResponse, (s, r) => products(s, r.manufacturer, r.pagination)),
    query('Batch', qt.QueryBatchRequest, qt.QueryBatchResponse, (s, r) => ({ batch: getBatch(s, r.gtin, r.lot) })),
    query('Batches', qt.QueryBatchesRequest, qt.QueryBatchesResponse, (s, r) => batches(s, r.gtin, r.pagination)),
    query('Participant', qt.QueryParticipantRequest, qt.QueryParticipantResponse, (s, r) => ({
      participant: getParticipant(s, r.address),
    })),
    query('Participants', qt.QueryParticipantsRequest, qt.QueryParticipantsResponse, participants),
    query('Investigation', qt.QueryInvestigationRequest, qt.QueryInvestigationResponse, (s, r) => ({
      investigation: getInvestigation(s, r.id),
    })),
    query('Investigations', qt.QueryInvestigationsRequest, qt.QueryInvestigationsResponse, investigations),
    query('Params', qt.QueryParamsRequest, qt.QueryParamsResponse, (s) => ({ params: s.params() })),
  ];
}
