/**
 * Cross-zone custody (used by the ibc module's "drugcustody" application through the keeper).
 *
 * A unit leaving this zone is LOCKED with `decommission.by = locker` (the ibc module account:
 * nobody can sign for it, so no Msg can undo the lock; the holder may still report it DESTROYED or
 * STOLEN, and then the transfer's outcome leaves it alone). Its trace gets a SHIPPED event naming
 * the transfer. On acknowledgement it becomes EXPORTED (again by the locker: not undoable here);
 * on an error acknowledgement or a timeout it is ACTIVE again with its sender.
 *
 * A unit arriving is written with the history it carries, then a RECEIVED event. Carried events
 * keep every field but `height`, which becomes this zone's height (heights of two chains are not
 * comparable, and I8 wants a non-decreasing trace); the source zone's own trace keeps its heights.
 * A unit coming back to a zone it left (EXPORTED or still LOCKED by the locker) keeps its local
 * history up to its lock and gets the carried events after that point appended.
 */
import type { Batch, Product, Unit, UnitEvent, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import { UnitEvent as UnitEventCodec } from '../../generated/parazone/drugregistry/v1/types.js';
import {
  ErrBatchRecalled,
  ErrEmptyItems,
  ErrExpired,
  ErrInvalidCounterparty,
  ErrInvalidField,
  ErrNotHolder,
  ErrProductExists,
  ErrProductWithdrawn,
  ErrUnitExists,
  ErrAggregated,
} from './errors.js';
import { activeWithRole, isActive, hasRole, limitItems, loadUnit, Lookup, normalizeRefs, requireStoredActive } from './guards.js';
import { isExpired, normalizeGtin, validateLot, validateSerial } from './identifiers.js';
import { keys, unitId } from './keys.js';
import type { RegistryState } from './state.js';
import { TRADING_ROLES } from './status.js';

export interface ExportedUnitData {
  unit: Unit;
  product: Product;
  batch: Batch;
  history: UnitEvent[];
}

const uid = (u: { gtin: string; serial: string }) => `${u.gtin}/${u.serial}`;

function history(st: RegistryState, gtin: string, serial: string): UnitEvent[] {
  return [...st.scan(UnitEventCodec, keys.unitEvents(gtin, serial))];
}

function lastEvent(st: RegistryState, u: Unit): UnitEvent | undefined {
  const raw = st.kv.get(keys.unitEvent(u.gtin, u.serial, u.nextEventSeq - 1n));
  return raw === undefined ? undefined : UnitEventCodec.decode(raw);
}

/** The units of the request: the listed ones plus, for a batch, every ACTIVE loose unit the sender holds. */
function selectUnits(st: RegistryState, sender: string, refs: UnitRef[], batch?: { gtin: string; lot: string }): UnitRef[] {
  const out = normalizeRefs(refs);
  if (batch && (batch.gtin || batch.lot)) {
    const gtin = normalizeGtin(batch.gtin);
    const lot = validateLot(batch.lot);
    const seen = new Set(out.map(uid));
    for (const serial of st.tails(keys.batchIndexOf(gtin, lot))) {
      const u = st.unit(gtin, serial);
      if (!u || u.holder !== sender || u.status !== 'ACTIVE' || u.parent || seen.has(uid(u))) continue;
      out.push({ gtin, serial });
    }
  }
  return out;
}

export function lockUnitsForExport(
  st: RegistryState,
  req: { sender: string; units: UnitRef[]; batch?: { gtin: string; lot: string }; destination: string; transferId: string; locker: string },
): ExportedUnitData[] {
  activeWithRole(st, req.sender, TRADING_ROLES);
  const refs = selectUnits(st, req.sender, req.units, req.batch);
  if (refs.length === 0) throw ErrEmptyItems.wrap('nothing to transfer');
  limitItems(st, refs.length);
  const look = new Lookup(st);
  const units = refs.map((ref) => {
    const u = loadUnit(st, ref);
    if (u.holder !== req.sender) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}, not ${req.sender}`);
    requireStoredActive(u);
    if (u.parent) throw ErrAggregated.wrap(`unit ${uid(u)} is inside ${u.parent}; unpack it first (containers do not travel across zones)`);
    look.requireSaleable(u);
    return u;
  });
  const at = st.nowIso;
  return units.map((u) => {
    st.transitionUnit(
      u,
      { status: 'LOCKED', decommission: { reason: 'LOCKED', by: req.locker, at } },
      {
        type: 'SHIPPED',
        actor: req.sender,
        from: req.sender,
        to: req.destination,
        shipmentId: req.transferId,
        purpose: 'SALE',
      },
    );
    return { unit: u, product: look.product(u.gtin), batch: look.batch(u.gtin, u.lot), history: history(st, u.gtin, u.serial) };
  });
}

/** A unit still locked by `locker` for exactly this transfer (its last event is that lock). */
function lockedFor(st: RegistryState, ref: UnitRef, transferId: string, locker: string): Unit | undefined {
  const u = st.unit(ref.gtin, ref.serial);
  if (!u || u.status !== 'LOCKED' || u.decommission?.by !== locker) return undefined;
  const last = lastEvent(st, u);
  return last?.type === 'SHIPPED' && last.shipmentId === transferId ? u : undefined;
}

export function completeExport(st: RegistryState, req: { units: UnitRef[]; transferId: string; locker: string }): number {
  let count = 0;
  for (const ref of req.units) {
    const u = lockedFor(st, ref, req.transferId, req.locker);
    if (!u) continue;
    st.transitionUnit(
      u,
      { status: 'EXPORTED', decommission: { reason: 'EXPORTED', by: req.locker, at: st.nowIso } },
      {
        type: 'DECOMMISSIONED',
        actor: req.locker,
        reason: 'EXPORTED',
        shipmentId: req.transferId,
      },
    );
    count++;
  }
  st.ctx.events.emit('drugregistry_units_exported', { transfer: req.transferId, count: String(count) });
  return count;
}

export function cancelExport(st: RegistryState, req: { units: UnitRef[]; transferId: string; locker: string; reason: string }): number {
  let count = 0;
  for (const ref of req.units) {
    const u = lockedFor(st, ref, req.transferId, req.locker);
    if (!u) continue;
    st.transitionUnit(
      u,
      { status: 'ACTIVE', decommission: undefined },
      {
        type: 'CANCELLED',
        actor: req.locker,
        from: u.holder,
        shipmentId: req.transferId,
        reason: req.reason,
        purpose: 'SALE',
      },
    );
    count++;
  }
  st.ctx.events.emit('drugregistry_export_cancelled', { transfer: req.transferId, count: String(count), reason: req.reason });
  return count;
}

/** The carried history is a well-formed trace that ends with the sender's export lock. */
function checkCarried(d: ExportedUnitData, sender: string): void {
  const id = uid(d.unit);
  const h = d.history;
  if (h.length === 0 || h[0]!.type !== 'COMMISSIONED')
    throw ErrInvalidField.wrap(`unit ${id}: carried history must start with COMMISSIONED`);
  h.forEach((e, i) => {
    if (e.seq !== BigInt(i + 1)) throw ErrInvalidField.wrap(`unit ${id}: carried event ${i} has seq ${e.seq}`);
  });
  const last = h[h.length - 1]!;
  if (
    last.type !== 'SHIPPED' ||
    last.status !== 'LOCKED' ||
    last.holder !== sender ||
    d.unit.status !== 'LOCKED' ||
    d.unit.holder !== sender
  ) {
    throw ErrInvalidField.wrap(`unit ${id}: it must arrive locked for export by ${sender}`);
  }
  if (d.unit.nextEventSeq !== BigInt(h.length + 1)) throw ErrInvalidField.wrap(`unit ${id}: history length does not match the unit record`);
}

/** This zone's product and batch for an arriving unit, created from the carried master data if new. */
function ensureMasterData(st: RegistryState, d: ExportedUnitData, gtin: string, lot: string): void {
  const product = st.product(gtin);
  if (product) {
    if (product.manufacturer !== d.product.manufacturer)
      throw ErrProductExists.wrap(`GTIN ${gtin} belongs to ${product.manufacturer} here, not ${d.product.manufacturer}`);
    if (product.status === 'WITHDRAWN') throw ErrProductWithdrawn.wrap(`product ${gtin} is withdrawn here`);
  } else {
    st.setProduct({ ...d.product, gtin, status: 'ACTIVE', withdrawnByRecallId: 0n, createdAt: st.nowIso });
    st.setIndex(keys.manufacturerProduct(d.product.manufacturer, gtin));
  }
  const batch = st.batch(gtin, lot);
  if (batch) {
    if (batch.expiry !== d.batch.expiry)
      throw ErrInvalidField.wrap(`lot ${lot} of ${gtin} expires ${batch.expiry} here, the unit says ${d.batch.expiry}`);
    if (batch.status === 'RECALLED') throw ErrBatchRecalled.wrap(`lot ${lot} of ${gtin} is recalled here`);
  } else {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.batch.expiry)) throw ErrInvalidField.wrap(`expiry "${d.batch.expiry}" is not YYYY-MM-DD`);
    st.setBatch({
      gtin,
      lot,
      expiry: d.batch.expiry,
      manufacturedOn: d.batch.manufacturedOn,
      status: 'ACTIVE',
      recallId: 0n,
      unitCount: 0n,
      createdAt: st.nowIso,
    });
  }
  if (isExpired(d.batch.expiry, st.now)) throw ErrExpired.wrap(`lot ${lot} of ${gtin} expired on ${d.batch.expiry}`);
}

export function importUnits(
  st: RegistryState,
  req: { receiver: string; sender: string; units: ExportedUnitData[]; transferId: string; importer: string; origin: string },
): number {
  const receiver = st.participant(req.receiver);
  if (!isActive(receiver) || !TRADING_ROLES.some((r) => hasRole(receiver, r))) {
    throw ErrInvalidCounterparty.wrap(`${req.receiver} is not an active trading participant of this zone`);
  }
  if (req.units.length === 0) throw ErrEmptyItems.wrap('no units in the transfer');
  limitItems(st, req.units.length);
  const seen = new Set<string>();
  const height = BigInt(st.ctx.height);
  for (const d of req.units) {
    const gtin = normalizeGtin(d.unit.gtin);
    const serial = validateSerial(d.unit.serial);
    const lot = validateLot(d.unit.lot);
    if (seen.has(unitId(gtin, serial))) throw ErrInvalidField.wrap(`unit ${gtin}/${serial} is listed twice`);
    seen.add(unitId(gtin, serial));
    if (d.product.gtin !== gtin || d.batch.gtin !== gtin || d.batch.lot !== lot)
      throw ErrInvalidField.wrap(`unit ${gtin}/${serial}: master data is for another product or lot`);
    checkCarried(d, req.sender);
    ensureMasterData(st, d, gtin, lot);

    let u = st.unit(gtin, serial);
    let appendFrom: number;
    if (u) {
      // Coming back: it must have left this zone through the same locker.
      if ((u.status !== 'EXPORTED' && u.status !== 'LOCKED') || u.decommission?.by !== req.importer) {
        throw ErrUnitExists.wrap(`unit ${gtin}/${serial} exists here as ${u.status}; only a unit that left through IBC can come back`);
      }
      const local = history(st, gtin, serial);
      const lockIndex = u.status === 'EXPORTED' ? local.length - 2 : local.length - 1;
      const lock = local[lockIndex];
      const carriedLock = d.history[lockIndex];
      if (
        !lock ||
        lock.type !== 'SHIPPED' ||
        !carriedLock ||
        carriedLock.type !== 'SHIPPED' ||
        carriedLock.time !== lock.time ||
        carriedLock.shipmentId !== lock.shipmentId
      ) {
        throw ErrInvalidField.wrap(`unit ${gtin}/${serial}: the carried history does not continue from this zone's export of it`);
      }
      appendFrom = lockIndex + 1;
      if (appendFrom >= d.history.length)
        throw ErrInvalidField.wrap(`unit ${gtin}/${serial}: the carried history has nothing after this zone's export`);
    } else {
      u = {
        gtin,
        serial,
        lot,
        status: '',
        holder: req.receiver,
        parent: '',
        shipmentId: '',
        investigationId: 0n,
        decommission: undefined,
        commissionedAt: d.unit.commissionedAt,
        nextEventSeq: 1n,
      };
      const batch = st.batch(gtin, lot)!;
      batch.unitCount += 1n;
      st.setBatch(batch);
      st.setIndex(keys.batchIndex(gtin, lot, serial));
      appendFrom = 0;
    }
    for (const e of d.history.slice(appendFrom)) {
      const seq = u.nextEventSeq;
      st.kv.set(keys.unitEvent(gtin, serial, seq), UnitEventCodec.encode({ ...e, seq, height }).finish());
      u.nextEventSeq = seq + 1n;
    }
    st.transitionUnit(
      u,
      { status: 'ACTIVE', holder: req.receiver, decommission: undefined, parent: '', shipmentId: '', investigationId: 0n },
      {
        type: 'RECEIVED',
        actor: req.importer,
        from: req.sender,
        to: req.receiver,
        shipmentId: req.transferId,
        purpose: 'SALE',
        reason: req.origin,
      },
    );
    st.setIndex(keys.priorHolder(gtin, serial, req.receiver));
  }
  st.ctx.events.emit('drugregistry_units_imported', {
    transfer: req.transferId,
    receiver: req.receiver,
    from: req.sender,
    count: String(req.units.length),
  });
  return req.units.length;
}
