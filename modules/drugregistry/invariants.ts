/**
 * Invariants I1–I9, as full-state checks. They run after every block in tests
 * (and in genesis validation); each returns a message naming the first violation.
 */
import type { Invariant } from '../../app/types/module.js';
import type { Context } from '../../app/types/context.js';
import type { StoreKey } from '../../app/store/types.js';
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
import { expiryBoundaryMs, isExpired } from './identifiers.js';
import { keys, parseHex16, unitId } from './keys.js';
import { expandShipment } from './msg-custody.js';
import { RegistryState, splitOnce } from './state.js';
import { effectiveStatus, FLAG_OF, inCustody, type EffectiveFlags } from './status.js';

const uid = (u: { gtin: string; serial: string }) => unitId(u.gtin, u.serial);

/**
 * The module state in memory, each collection loaded on first use (invariants are test/genesis-time
 * checks, not hot paths; the trace is the big part and only I7–I9 read it).
 */
export function loadAll(st: RegistryState) {
  const all = <T>(codec: { decode(b: Uint8Array): T }, prefix: Uint8Array) => [...st.scan(codec, prefix)];
  const lazy = <T>(load: () => T) => {
    let v: T | undefined;
    return () => (v ??= load());
  };
  const events = lazy(() => {
    const out = new Map<string, UnitEvent[]>();
    for (const { key, value } of st.kv.iterator(keys.unitEventPrefix(), prefixEndOf(keys.unitEventPrefix()))) {
      const text = Buffer.from(key).toString('latin1').slice(3);
      const id = text.slice(0, text.lastIndexOf('|'));
      let list = out.get(id);
      if (!list) out.set(id, (list = []));
      list.push(UnitEvent.decode(value));
    }
    return out;
  });
  const participants = lazy(() => new Map(all(Participant, keys.participantPrefix()).map((p) => [p.address, p])));
  const products = lazy(() => new Map(all(Product, keys.productPrefix()).map((p) => [p.gtin, p])));
  const batches = lazy(() => new Map(all(Batch, keys.batchPrefix()).map((b) => [unitId(b.gtin, b.lot), b])));
  const units = lazy(() => new Map(all(Unit, keys.unitPrefix()).map((u) => [uid(u), u])));
  const containers = lazy(() => new Map(all(Container, keys.containerPrefix()).map((c) => [c.sscc, c])));
  const shipments = lazy(() => new Map(all(Shipment, keys.shipmentPrefix()).map((x) => [x.id, x])));
  const recalls = lazy(() => new Map(all(Recall, keys.recallPrefix()).map((r) => [r.id, r])));
  const investigations = lazy(() => new Map(all(Investigation, keys.investigationPrefix()).map((i) => [i.id, i])));
  const holderIndex = lazy(() => new Set(st.tails(keys.holderIndexPrefix())));
  const batchIndex = lazy(() => new Set(st.tails(keys.batchIndexPrefix())));
  const childIndex = lazy(() => new Set(st.tails(keys.childPrefix())));
  return {
    get params() {
      return st.params();
    },
    get participants() {
      return participants();
    },
    get products() {
      return products();
    },
    get batches() {
      return batches();
    },
    get units() {
      return units();
    },
    get containers() {
      return containers();
    },
    get shipments() {
      return shipments();
    },
    get recalls() {
      return recalls();
    },
    get investigations() {
      return investigations();
    },
    get events() {
      return events();
    },
    get holderIndex() {
      return holderIndex();
    },
    get batchIndex() {
      return batchIndex();
    },
    get childIndex() {
      return childIndex();
    },
  };
}

function prefixEndOf(p: Uint8Array) {
  const e = Uint8Array.from(p);
  e[e.length - 1]! += 1;
  return e;
}

type State = ReturnType<typeof loadAll>;
type Check = (s: State, st: RegistryState) => string | undefined;

const I1: Check = (s) => {
  const counts = new Map<string, bigint>();
  for (const u of s.units.values()) {
    const b = unitId(u.gtin, u.lot);
    if (!s.batches.has(b)) return `unit ${uid(u)} has no batch ${u.lot}`;
    if (!s.products.has(u.gtin)) return `unit ${uid(u)} has no product`;
    counts.set(b, (counts.get(b) ?? 0n) + 1n);
  }
  for (const [id, b] of s.batches) {
    if (!s.products.has(b.gtin)) return `batch ${id} has no product`;
    if (b.unitCount !== (counts.get(id) ?? 0n)) return `batch ${id} unitCount ${b.unitCount} but ${counts.get(id) ?? 0n} units`;
  }
  return undefined;
};

const I2: Check = (s) => {
  // Key uniqueness makes (gtin, serial) unique; the batch index must match the units exactly.
  if (s.batchIndex.size !== s.units.size) return `idx/batch has ${s.batchIndex.size} rows for ${s.units.size} units`;
  for (const u of s.units.values()) {
    if (!s.batchIndex.has(`${u.gtin}|${u.lot}|${u.serial}`)) return `unit ${uid(u)} missing from idx/batch`;
  }
  for (const c of s.containers.values()) {
    if (c.status === 'DISSOLVED' && (c.parent || c.childUnits > 0n || c.childContainers > 0n)) {
      return `dissolved container ${c.sscc} still aggregates`;
    }
  }
  return undefined;
};

const I3: Check = (s) => {
  let custody = 0;
  for (const u of s.units.values()) {
    if (!s.participants.has(u.holder)) return `unit ${uid(u)} holder ${u.holder} is not a participant`;
    const indexed = s.holderIndex.has(`${u.holder}|${uid(u)}`);
    if (inCustody(u.status) !== indexed) return `unit ${uid(u)} (${u.status}) idx/holder presence is ${indexed}`;
    if (indexed) custody++;
  }
  if (custody !== s.holderIndex.size) return `idx/holder has ${s.holderIndex.size} rows, ${custody} units in custody`;
  return undefined;
};

const I4: Check = (s, st) => {
  const covered = new Map<string, string>();
  for (const sh of s.shipments.values()) {
    if (sh.status !== 'IN_TRANSIT') continue;
    const items = expandShipment(st, sh);
    for (const u of items.units) if (u.shipmentId === sh.id) covered.set(uid(u), sh.id);
    for (const c of items.containers) if (c.shipmentId === sh.id) covered.set('c:' + c.sscc, sh.id);
  }
  for (const u of s.units.values()) {
    const transit = u.status === 'IN_TRANSIT';
    if (transit !== (u.shipmentId !== '')) return `unit ${uid(u)} is ${u.status} with shipmentId "${u.shipmentId}"`;
    if (transit && covered.get(uid(u)) !== u.shipmentId)
      return `unit ${uid(u)} in transit but shipment ${u.shipmentId} is not open or does not cover it`;
  }
  for (const c of s.containers.values()) {
    const transit = c.status === 'IN_TRANSIT';
    if (transit !== (c.shipmentId !== '')) return `container ${c.sscc} is ${c.status} with shipmentId "${c.shipmentId}"`;
    if (transit && covered.get('c:' + c.sscc) !== c.shipmentId) return `container ${c.sscc} in transit outside an open shipment`;
  }
  return undefined;
};

const I5: Check = (s) => {
  let links = 0;
  const childCounts = new Map<string, [bigint, bigint]>();
  const bump = (p: string, i: 0 | 1) => {
    const c = childCounts.get(p) ?? [0n, 0n];
    c[i]++;
    childCounts.set(p, c);
  };
  for (const u of s.units.values()) {
    if (!u.parent) continue;
    links++;
    bump(u.parent, 0);
    const p = s.containers.get(u.parent);
    if (!p || p.status === 'DISSOLVED') return `unit ${uid(u)} is in missing/dissolved container ${u.parent}`;
    if (!s.childIndex.has(`${u.parent}|u|${uid(u)}`)) return `unit ${uid(u)} parent ${u.parent} without idx/child row`;
    if (p.holder !== u.holder) return `unit ${uid(u)} holder ${u.holder} differs from container ${p.sscc} holder ${p.holder}`;
    if ((p.status === 'IN_TRANSIT') !== (u.status === 'IN_TRANSIT') || p.shipmentId !== u.shipmentId) {
      return `unit ${uid(u)} and container ${p.sscc} differ in transit state`;
    }
    if (!inCustody(u.status)) return `aggregated unit ${uid(u)} is ${u.status}`;
  }
  for (const c of s.containers.values()) {
    let depth = 1;
    const seen = new Set([c.sscc]);
    let cur = c;
    while (cur.parent) {
      if (seen.has(cur.parent)) return `aggregation cycle through ${cur.parent}`;
      seen.add(cur.parent);
      const p = s.containers.get(cur.parent);
      if (!p || p.status === 'DISSOLVED') return `container ${cur.sscc} is in missing/dissolved ${cur.parent}`;
      if (p.holder !== cur.holder || p.shipmentId !== cur.shipmentId) return `container ${cur.sscc} differs from parent ${p.sscc}`;
      cur = p;
      depth++;
    }
    const hasUnits = c.childUnits > 0n ? 1 : 0;
    if (depth + hasUnits > s.params.maxAggregationDepth) return `container ${c.sscc} is ${depth + hasUnits} levels deep`;
    if (c.parent) {
      links++;
      bump(c.parent, 1);
      if (!s.childIndex.has(`${c.parent}|c|${c.sscc}`)) return `container ${c.sscc} parent without idx/child row`;
    }
  }
  if (links !== s.childIndex.size) return `idx/child has ${s.childIndex.size} rows for ${links} parent links`;
  for (const c of s.containers.values()) {
    const [nu, nc] = childCounts.get(c.sscc) ?? [0n, 0n];
    if (c.childUnits !== nu || c.childContainers !== nc)
      return `container ${c.sscc} counts ${c.childUnits}/${c.childContainers}, actual ${nu}/${nc}`;
  }
  return undefined;
};

const I6: Check = (s) => {
  const openListing = new Map<string, bigint>();
  for (const inv of s.investigations.values()) {
    if (inv.status !== 'OPEN') continue;
    for (const r of inv.units) {
      const u = s.units.get(uid(r));
      // units listed by an open investigation that were meanwhile reported stolen left quarantine
      if (u && u.status === 'QUARANTINED' && u.investigationId === inv.id) {
        if (openListing.has(uid(r))) return `unit ${uid(r)} is in two open investigations`;
        openListing.set(uid(r), inv.id);
      }
    }
  }
  for (const u of s.units.values()) {
    const q = u.status === 'QUARANTINED';
    if (q !== (openListing.get(uid(u)) === u.investigationId && u.investigationId !== 0n)) {
      return `unit ${uid(u)} is ${u.status} with investigation ${u.investigationId}`;
    }
    if (!q && u.investigationId !== 0n) return `unit ${uid(u)} keeps investigation ${u.investigationId} while ${u.status}`;
  }
  return undefined;
};

const I7: Check = (s, st) => {
  for (const [id, b] of s.batches) {
    const rows = [...st.tails(keys.batchRecallsOf(b.gtin, b.lot))].map(parseHex16);
    if (rows.length > 0 && b.status !== 'RECALLED') return `batch ${id} has recalls ${rows} but is ${b.status}`;
    if (b.status === 'RECALLED' && s.recalls.get(b.recallId)?.scope !== 'BATCH') return `batch ${id} RECALLED without its recall`;
  }
  for (const p of s.products.values()) {
    const rows = [...st.tails(keys.productRecallsOf(p.gtin))];
    if (rows.length > 0 && p.status !== 'WITHDRAWN') return `product ${p.gtin} has withdrawals but is ${p.status}`;
    if (p.status === 'WITHDRAWN' && s.recalls.get(p.withdrawnByRecallId)?.scope !== 'PRODUCT')
      return `product ${p.gtin} WITHDRAWN without its recall`;
  }
  for (const [id, evs] of s.events) {
    for (let i = 1; i < evs.length; i++) {
      const prev = evs[i - 1]!.status;
      const next = evs[i]!.status;
      if (prev === 'DESTROYED' || prev === 'STOLEN') return `unit ${id} changed after ${prev}`;
      if (prev === 'ILLEGITIMATE' && next !== 'ILLEGITIMATE' && next !== 'DESTROYED' && next !== 'STOLEN')
        return `unit ${id} left ILLEGITIMATE for ${next}`;
    }
  }
  return undefined;
};

/**
 * Whether a unit's last event can have been written in its present state: the event's status is
 * the stored status, or (for stock still circulating) RECALLED / WITHDRAWN / EXPIRED, which it may
 * only say if that was so at the event's time: the recall or withdrawal was created by then (they
 * never lift), or the lot had expired by then.
 */
function endsAt(last: UnitEvent, u: Unit, s: State): boolean {
  const flag = FLAG_OF[last.status];
  if (!flag) return last.status === u.status;
  const batch = s.batches.get(unitId(u.gtin, u.lot));
  const product = s.products.get(u.gtin);
  if (!batch || !product) return false;
  const t = Date.parse(last.time);
  const createdBy = (recallId: bigint) => {
    const r = s.recalls.get(recallId);
    return !!r && Date.parse(r.createdAt) <= t;
  };
  const then: EffectiveFlags = {
    recalled: batch.status === 'RECALLED' && createdBy(batch.recallId),
    withdrawn: product.status === 'WITHDRAWN' && createdBy(product.withdrawnByRecallId),
    expired: isExpired(batch.expiry, new Date(t)),
  };
  return then[flag] && effectiveStatus(u.status, then) !== u.status;
}

const I8: Check = (s) => {
  for (const u of s.units.values()) {
    const evs = s.events.get(uid(u)) ?? [];
    if (BigInt(evs.length) !== u.nextEventSeq - 1n) return `unit ${uid(u)} has ${evs.length} events, nextEventSeq ${u.nextEventSeq}`;
    for (let i = 0; i < evs.length; i++) {
      if (evs[i]!.seq !== BigInt(i + 1)) return `unit ${uid(u)} event ${i} has seq ${evs[i]!.seq}`;
      if (i > 0 && evs[i]!.height < evs[i - 1]!.height) return `unit ${uid(u)} events go back in height`;
    }
    const last = evs[evs.length - 1];
    if (!last || !endsAt(last, u, s) || last.holder !== u.holder) return `unit ${uid(u)} last event does not match its state`;
    if (evs[0]!.type !== 'COMMISSIONED') return `unit ${uid(u)} history does not start with COMMISSIONED`;
  }
  if (s.events.size !== s.units.size) return `history exists for ${s.events.size} units, ${s.units.size} units exist`;
  return undefined;
};

/**
 * I9 from the history: no SALE/RETURN shipment left with a unit whose lot was recalled or product
 * withdrawn before the shipment, or that was expired at shipment time; unsaleable returns go to
 * the manufacturer. (A recall in the same block as a ship shares its timestamp; ship-then-recall
 * within one block is legitimate, so equal times pass.)
 */
const I9: Check = (s) => {
  for (const [id, evs] of s.events) {
    const [gtin] = splitOnce(id);
    const product = s.products.get(gtin)!;
    for (const e of evs) {
      if (e.type !== 'SHIPPED') continue;
      if (e.purpose === 'RECALL_RETURN' || e.purpose === 'NONSALEABLE_RETURN') {
        if (e.to !== product.manufacturer) return `unit ${id} ${e.purpose} to ${e.to}, not the manufacturer`;
        continue;
      }
      const u = s.units.get(id)!;
      const b = s.batches.get(unitId(u.gtin, u.lot))!;
      const t = Date.parse(e.time);
      if (t >= expiryBoundaryMs(b.expiry)) return `unit ${id} shipped for ${e.purpose} after expiry`;
      for (const r of s.recalls.values()) {
        if (r.gtin !== gtin || (r.scope === 'BATCH' && r.lot !== u.lot)) continue;
        if (Date.parse(r.createdAt) < t) return `unit ${id} shipped for ${e.purpose} after recall ${r.id}`;
      }
    }
  }
  return undefined;
};

const CHECKS: [string, Check][] = [
  ['I1-batches-and-counts', I1],
  ['I2-unique-identifiers', I2],
  ['I3-single-holder', I3],
  ['I4-transit', I4],
  ['I5-aggregation-tree', I5],
  ['I6-quarantine', I6],
  ['I7-irreversibility', I7],
  ['I8-append-only-history', I8],
  ['I9-no-saleable-movement-of-unsaleable-stock', I9],
];

/** All violations, one line each (empty when the state is sound). */
export function checkAll(st: RegistryState): string[] {
  const s = loadAll(st);
  const out: string[] = [];
  for (const [name, check] of CHECKS) {
    const msg = check(s, st);
    if (msg) out.push(`${name}: ${msg}`);
  }
  return out;
}

export function makeInvariants(storeKey: StoreKey): Invariant[] {
  return CHECKS.map(([name, check]) => ({
    name: `drugregistry/${name}`,
    check: (ctx: Context) => {
      const st = new RegistryState(ctx, storeKey);
      return check(loadAll(st), st);
    },
  }));
}
