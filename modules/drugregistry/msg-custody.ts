/** Aggregation and two-phase custody transfer. */
import { ErrUnauthorized } from '../../app/types/errors.js';
import type {
  MsgCancelShipment,
  MsgPack,
  MsgReceive,
  MsgRejectShipment,
  MsgShip,
  MsgUnpack,
} from '../../generated/parazone/drugregistry/v1/tx.js';
import type { Container, Shipment, Unit, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import {
  ErrAggregated,
  ErrAggregationCycle,
  ErrAggregationTooDeep,
  ErrContainerDissolved,
  ErrContainerExists,
  ErrContainerNotFound,
  ErrEmptyItems,
  ErrInTransit,
  ErrInvalidCounterparty,
  ErrNotChild,
  ErrNotHolder,
  ErrNotPriorHolder,
  ErrNotRecipient,
  ErrSelfShipment,
  ErrShipmentClosed,
  ErrShipmentNotFound,
  ErrTooManyItems,
} from './errors.js';
import {
  activeWithRole,
  hash,
  hasRole,
  isActive,
  limitItems,
  loadUnit,
  Lookup,
  normalizeRefs,
  normalizeSsccs,
  oneOf,
  registered,
  requireStoredActive,
  text,
} from './guards.js';
import { parseExpiry, validateSscc } from './identifiers.js';
import { keys } from './keys.js';
import type { RegistryState } from './state.js';
import { PURPOSES, TRADING_ROLES, type Purpose, type Role } from './status.js';

function loadContainer(st: RegistryState, sscc: string): Container {
  const c = st.container(sscc);
  if (!c) throw ErrContainerNotFound.wrap(`no container ${sscc}`);
  return c;
}

/** A container the signer holds, SEALED (not in transit, not dissolved). */
function heldSealed(st: RegistryState, sscc: string, signer: string): Container {
  const c = loadContainer(st, sscc);
  if (c.status === 'DISSOLVED') throw ErrContainerDissolved.wrap(`container ${sscc} was dissolved`);
  if (c.holder !== signer) throw ErrNotHolder.wrap(`container ${sscc} is held by ${c.holder}, not ${signer}`);
  if (c.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`container ${sscc} is in shipment ${c.shipmentId}`);
  return c;
}

function ancestors(st: RegistryState, c: Container): string[] {
  const out: string[] = [];
  let parent = c.parent;
  while (parent) {
    out.push(parent);
    parent = st.container(parent)?.parent ?? '';
  }
  return out;
}

/** Levels from this container down to its deepest unit: a case of units is 2, a pallet of cases 3. */
function height(st: RegistryState, c: Container): number {
  let h = c.childUnits > 0n ? 2 : 1;
  for (const child of st.childContainers(c.sscc)) h = Math.max(h, 1 + height(st, st.container(child)!));
  return h;
}

export function pack(st: RegistryState, msg: MsgPack) {
  activeWithRole(st, msg.signer, ['MANUFACTURER', 'WHOLESALER']);
  const sscc = validateSscc(msg.sscc);
  const refs = normalizeRefs(msg.units);
  const childSsccs = normalizeSsccs(msg.containers);
  if (refs.length + childSsccs.length === 0) throw ErrEmptyItems.wrap('nothing to pack');
  limitItems(st, refs.length + childSsccs.length);
  const params = st.params();

  let c = st.container(sscc);
  if (c) {
    if (c.status === 'DISSOLVED') throw ErrContainerExists.wrap(`SSCC ${sscc} was used and dissolved; SSCCs are never reused`);
    if (c.holder !== msg.signer) throw ErrNotHolder.wrap(`container ${sscc} is held by ${c.holder}`);
    if (c.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`container ${sscc} is in shipment ${c.shipmentId}`);
  } else {
    c = {
      sscc,
      holder: msg.signer,
      parent: '',
      status: 'SEALED',
      shipmentId: '',
      childUnits: 0n,
      childContainers: 0n,
      createdBy: msg.signer,
      createdAt: st.nowIso,
    };
  }
  const above = ancestors(st, c);
  const children: Container[] = [];
  let childHeight = refs.length > 0 ? 1 : 0;
  for (const s of childSsccs) {
    if (s === sscc) throw ErrAggregationCycle.wrap(`container ${sscc} cannot contain itself`);
    const child = loadContainer(st, s);
    if (child.holder !== msg.signer) throw ErrNotHolder.wrap(`container ${s} is held by ${child.holder}`);
    if (above.includes(s)) throw ErrAggregationCycle.wrap(`container ${s} encloses ${sscc}; packing it inside would make a cycle`);
    if (child.status === 'DISSOLVED') throw ErrContainerDissolved.wrap(`container ${s} was dissolved`);
    if (child.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`container ${s} is in shipment ${child.shipmentId}`);
    if (child.parent) throw ErrAggregated.wrap(`container ${s} is inside ${child.parent}; unpack it first`);
    childHeight = Math.max(childHeight, height(st, child));
    children.push(child);
  }
  const units: Unit[] = [];
  for (const ref of refs) {
    const u = loadUnit(st, ref);
    if (u.holder !== msg.signer) throw ErrNotHolder.wrap(`unit ${ref.gtin}/${ref.serial} is held by ${u.holder}`);
    if (u.parent) throw ErrAggregated.wrap(`unit ${ref.gtin}/${ref.serial} is inside ${u.parent}; unpack it first`);
    requireStoredActive(u);
    units.push(u);
  }
  const newHeight = Math.max(height(st, c), 1 + childHeight);
  const depth = above.length + newHeight;
  if (depth > params.maxAggregationDepth) {
    throw ErrAggregationTooDeep.wrap(`aggregation would be ${depth} levels deep, at most ${params.maxAggregationDepth}`);
  }
  const total = Number(c.childUnits + c.childContainers) + units.length + children.length;
  if (total > params.maxChildrenPerContainer) {
    throw ErrTooManyItems.wrap(`container ${sscc} would have ${total} children, at most ${params.maxChildrenPerContainer}`);
  }

  for (const child of children) {
    child.parent = sscc;
    st.setContainer(child);
    st.setIndex(keys.childContainer(sscc, child.sscc));
  }
  for (const u of units) {
    st.transitionUnit(u, { parent: sscc }, { type: 'PACKED', actor: msg.signer, container: sscc });
    st.setIndex(keys.childUnit(sscc, u.gtin, u.serial));
  }
  c.childUnits += BigInt(units.length);
  c.childContainers += BigInt(children.length);
  st.setContainer(c);
  st.ctx.events.emit('drugregistry_units_packed', { sscc, count: String(units.length + children.length), holder: msg.signer });
  return {};
}

/** Removes a child link; a container left empty dissolves, and so on upwards. */
function dissolveIfEmpty(st: RegistryState, c: Container): boolean {
  if (c.childUnits > 0n || c.childContainers > 0n) {
    st.setContainer(c);
    return false;
  }
  c.status = 'DISSOLVED';
  const parentSscc = c.parent;
  c.parent = '';
  st.setContainer(c);
  if (parentSscc) {
    const parent = st.container(parentSscc)!;
    st.deleteIndex(keys.childContainer(parentSscc, c.sscc));
    parent.childContainers -= 1n;
    dissolveIfEmpty(st, parent);
  }
  return true;
}

export function unpack(st: RegistryState, msg: MsgUnpack) {
  activeWithRole(st, msg.signer, TRADING_ROLES);
  const sscc = validateSscc(msg.sscc);
  const c = heldSealed(st, sscc, msg.signer);
  let refs = normalizeRefs(msg.units);
  let childSsccs = normalizeSsccs(msg.containers);
  if (refs.length === 0 && childSsccs.length === 0) {
    refs = st.childUnits(sscc);
    childSsccs = st.childContainers(sscc);
  }
  for (const ref of refs) {
    if (!st.hasIndex(keys.childUnit(sscc, ref.gtin, ref.serial))) {
      throw ErrNotChild.wrap(`unit ${ref.gtin}/${ref.serial} is not directly inside ${sscc}`);
    }
  }
  for (const s of childSsccs) {
    if (!st.hasIndex(keys.childContainer(sscc, s))) throw ErrNotChild.wrap(`container ${s} is not directly inside ${sscc}`);
  }
  for (const ref of refs) {
    const u = st.unit(ref.gtin, ref.serial)!;
    st.deleteIndex(keys.childUnit(sscc, ref.gtin, ref.serial));
    st.transitionUnit(u, { parent: '' }, { type: 'UNPACKED', actor: msg.signer, container: sscc });
  }
  for (const s of childSsccs) {
    const child = st.container(s)!;
    child.parent = '';
    st.setContainer(child);
    st.deleteIndex(keys.childContainer(sscc, s));
  }
  c.childUnits -= BigInt(refs.length);
  c.childContainers -= BigInt(childSsccs.length);
  const dissolved = dissolveIfEmpty(st, c);
  st.ctx.events.emit('drugregistry_units_unpacked', { sscc, count: String(refs.length + childSsccs.length), dissolved: String(dissolved) });
  return { dissolved };
}

/** Which roles a SALE from `from` may go to: the direction table, one rule per selling role. */
function saleTargets(st: RegistryState, from: Role[]): Set<Role> {
  const out = new Set<Role>();
  if (from.includes('MANUFACTURER')) {
    out.add('WHOLESALER');
    if (st.params().allowManufacturerToDispenser) out.add('DISPENSER');
  }
  if (from.includes('WHOLESALER')) {
    out.add('WHOLESALER');
    out.add('DISPENSER');
  }
  return out;
}

/** Top-level items of a shipment expanded to every container and unit they carry. */
interface Expanded {
  containers: Container[];
  units: Unit[];
}

function expandShipment(st: RegistryState, s: Pick<Shipment, 'units' | 'containers'>): Expanded {
  const out: Expanded = { containers: [], units: [] };
  for (const ref of s.units) {
    const u = st.unit(ref.gtin, ref.serial);
    if (u) out.units.push(u);
  }
  for (const sscc of s.containers) {
    const c = st.container(sscc);
    if (!c) continue;
    out.containers.push(c);
    const d = st.descendants(sscc);
    for (const child of d.containers) out.containers.push(st.container(child)!);
    for (const ref of d.units) out.units.push(st.unit(ref.gtin, ref.serial)!);
  }
  return out;
}

export function ship(st: RegistryState, msg: MsgShip) {
  // 1. parties
  const sender = activeWithRole(st, msg.signer, TRADING_ROLES);
  const purpose = oneOf<Purpose>('purpose', msg.purpose, PURPOSES);
  if (msg.to === msg.signer) throw ErrSelfShipment.wrap('a shipment needs a different receiver');
  const receiver = st.participant(msg.to);
  if (!isActive(receiver) || !TRADING_ROLES.some((r) => hasRole(receiver, r))) {
    throw ErrInvalidCounterparty.wrap(`${msg.to} is not an active trading partner`);
  }
  if (purpose === 'SALE') {
    const allowed = saleTargets(st, sender.roles as Role[]);
    if (!receiver.roles.some((r) => allowed.has(r as Role))) {
      throw ErrInvalidCounterparty.wrap(
        `a ${sender.roles.join('/')} may not sell to a ${receiver.roles.join('/')} (allowed: ${[...allowed].join(', ') || 'none'})`,
      );
    }
  }
  hash('tiHash', msg.tiHash);
  const shipDate = msg.shipDate ? parseExpiry(msg.shipDate, st.now) : '';
  const refs = normalizeRefs(msg.units);
  const ssccs = normalizeSsccs(msg.containers);
  if (refs.length + ssccs.length === 0) throw ErrEmptyItems.wrap('nothing to ship');

  // 2. top-level items: held, stored ACTIVE / SEALED, not inside a container
  for (const ref of refs) {
    const u = loadUnit(st, ref);
    if (u.holder !== msg.signer) throw ErrNotHolder.wrap(`unit ${ref.gtin}/${ref.serial} is held by ${u.holder}, not ${msg.signer}`);
    requireStoredActive(u);
    if (u.parent) throw ErrAggregated.wrap(`unit ${ref.gtin}/${ref.serial} is inside ${u.parent}; ship the container or unpack first`);
  }
  for (const sscc of ssccs) {
    const c = heldSealed(st, sscc, msg.signer);
    if (c.parent) throw ErrAggregated.wrap(`container ${sscc} is inside ${c.parent}; ship the outer container or unpack first`);
  }

  // 3. every expanded unit
  const items = expandShipment(st, { units: refs, containers: ssccs });
  limitItems(st, items.units.length);
  const look = new Lookup(st);
  for (const u of items.units) {
    requireStoredActive(u);
    if (purpose === 'SALE' || purpose === 'RETURN') look.requireSaleable(u);
    const manufacturer = look.product(u.gtin).manufacturer;
    if (purpose === 'RETURN' && msg.to !== manufacturer && !st.hasIndex(keys.priorHolder(u.gtin, u.serial, msg.to))) {
      throw ErrNotPriorHolder.wrap(`${msg.to} never held unit ${u.gtin}/${u.serial}; a saleable return goes to a prior holder`);
    }
    if ((purpose === 'RECALL_RETURN' || purpose === 'NONSALEABLE_RETURN') && msg.to !== manufacturer) {
      throw ErrInvalidCounterparty.wrap(`${purpose} of ${u.gtin}/${u.serial} must go to its manufacturer ${manufacturer}`);
    }
  }

  const id = st.nextShipmentId(msg.signer);
  const shipment: Shipment = {
    id,
    from: msg.signer,
    to: msg.to,
    purpose,
    units: refs,
    containers: ssccs,
    totalUnits: BigInt(items.units.length),
    tiHash: msg.tiHash,
    tsAttested: true,
    status: 'IN_TRANSIT',
    createdAt: st.nowIso,
    closedAt: '',
    rejectReason: '',
    shipDate,
  };
  st.setShipment(shipment);
  st.setIndex(keys.shipIndex(msg.signer, 'out', id));
  st.setIndex(keys.shipIndex(msg.to, 'in', id));
  for (const c of items.containers) {
    c.status = 'IN_TRANSIT';
    c.shipmentId = id;
    st.setContainer(c);
  }
  for (const u of items.units) {
    st.transitionUnit(
      u,
      { status: 'IN_TRANSIT', shipmentId: id },
      {
        type: 'SHIPPED',
        actor: msg.signer,
        from: msg.signer,
        to: msg.to,
        shipmentId: id,
        tiHash: msg.tiHash,
        purpose,
      },
    );
  }
  st.ctx.events.emit('drugregistry_shipment_created', {
    id,
    from: msg.signer,
    to: msg.to,
    purpose,
    total_units: String(items.units.length),
  });
  return { shipmentId: id, totalUnits: BigInt(items.units.length) };
}

function openShipment(st: RegistryState, id: string): Shipment {
  const s = st.shipment(id);
  if (!s) throw ErrShipmentNotFound.wrap(`no shipment ${id}`);
  return s;
}

/** Closes a shipment: items land with `holder` (ACTIVE / SEALED). Stolen items are skipped. */
function land(st: RegistryState, s: Shipment, holder: string, type: 'RECEIVED' | 'REJECTED' | 'CANCELLED', actor: string) {
  const items = expandShipment(st, s);
  for (const c of items.containers) {
    if (c.status !== 'IN_TRANSIT' || c.shipmentId !== s.id) continue;
    c.status = 'SEALED';
    c.shipmentId = '';
    c.holder = holder;
    st.setContainer(c);
  }
  for (const u of items.units) {
    if (u.status !== 'IN_TRANSIT' || u.shipmentId !== s.id) continue;
    st.transitionUnit(
      u,
      { status: 'ACTIVE', shipmentId: '', holder },
      {
        type,
        actor,
        from: s.from,
        to: s.to,
        shipmentId: s.id,
        purpose: s.purpose,
      },
    );
    if (type === 'RECEIVED') st.setIndex(keys.priorHolder(u.gtin, u.serial, holder));
  }
  return items.units.length;
}

export function receive(st: RegistryState, msg: MsgReceive) {
  registered(st, msg.signer);
  const s = openShipment(st, msg.shipmentId);
  if (s.to !== msg.signer) throw ErrNotRecipient.wrap(`shipment ${s.id} is addressed to ${s.to}`);
  if (s.status !== 'IN_TRANSIT') throw ErrShipmentClosed.wrap(`shipment ${s.id} is ${s.status}`);
  land(st, s, s.to, 'RECEIVED', msg.signer);
  s.status = 'RECEIVED';
  s.closedAt = st.nowIso;
  st.setShipment(s);
  st.ctx.events.emit('drugregistry_shipment_received', { id: s.id, from: s.from, to: s.to });
  return {};
}

export function rejectShipment(st: RegistryState, msg: MsgRejectShipment) {
  registered(st, msg.signer);
  const s = openShipment(st, msg.shipmentId);
  if (s.to !== msg.signer) throw ErrNotRecipient.wrap(`shipment ${s.id} is addressed to ${s.to}`);
  if (s.status !== 'IN_TRANSIT') throw ErrShipmentClosed.wrap(`shipment ${s.id} is ${s.status}`);
  text(st, 'reasonCode', msg.reasonCode, true);
  land(st, s, s.from, 'REJECTED', msg.signer);
  s.status = 'REJECTED';
  s.closedAt = st.nowIso;
  s.rejectReason = msg.reasonCode;
  st.setShipment(s);
  st.ctx.events.emit('drugregistry_shipment_rejected', { id: s.id, from: s.from, to: s.to, reason: msg.reasonCode });
  return {};
}

export function cancelShipment(st: RegistryState, msg: MsgCancelShipment) {
  activeWithRole(st, msg.signer, TRADING_ROLES);
  const s = openShipment(st, msg.shipmentId);
  if (s.from !== msg.signer) throw ErrUnauthorized.wrap(`only the sender ${s.from} can cancel shipment ${s.id}`);
  if (s.status !== 'IN_TRANSIT') throw ErrShipmentClosed.wrap(`shipment ${s.id} is ${s.status}`);
  land(st, s, s.from, 'CANCELLED', msg.signer);
  s.status = 'CANCELLED';
  s.closedAt = st.nowIso;
  st.setShipment(s);
  st.ctx.events.emit('drugregistry_shipment_cancelled', { id: s.id, from: s.from, to: s.to });
  return {};
}

export { expandShipment, loadContainer, heldSealed };
export type { UnitRef };
