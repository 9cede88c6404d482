/** End of life, undo, suspect product and recalls (the unit transitions of status.ts). */
import { ErrUnauthorized } from '../../app/types/errors.js';
import type {
  MsgCompleteRecall,
  MsgDecommission,
  MsgDispense,
  MsgInitiateRecall,
  MsgReportSuspect,
  MsgResolveInvestigation,
  MsgUndoDecommission,
} from '../../generated/parazone/drugregistry/v1/tx.js';
import type { Container, Participant, Recall, Unit, UnitRef } from '../../generated/parazone/drugregistry/v1/types.js';
import {
  ErrAggregated,
  ErrAlreadyDispensed,
  ErrAlreadyRecalled,
  ErrBatchNotFound,
  ErrBatchRecalled,
  ErrEmptyItems,
  ErrInTransit,
  ErrInvalidField,
  ErrInvalidStatusTransition,
  ErrInvestigationClosed,
  ErrInvestigationNotFound,
  ErrInvestigationOpen,
  ErrNotHolder,
  ErrProductNotFound,
  ErrProductWithdrawn,
  ErrRecallClosed,
  ErrRecallNotFound,
  ErrUndoNotAllowed,
  ErrUndoWindowElapsed,
  ErrUnitExists,
} from './errors.js';
import {
  activeWithRole,
  hash,
  hasRole,
  isActive,
  isActiveRegulator,
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
import { normalizeGtin, validateLot, validateSerial } from './identifiers.js';
import { keys } from './keys.js';
import { heldSealed, loadContainer } from './msg-custody.js';
import type { RegistryState } from './state.js';
import {
  CLASSIFICATIONS,
  DECOMMISSION_REASONS,
  OUTCOMES,
  RECALL_SCOPES,
  SUSPECT_CATEGORIES,
  TRADING_ROLES,
  type DecommissionReason,
} from './status.js';

const uid = (u: { gtin: string; serial: string }) => `${u.gtin}/${u.serial}`;

export function dispense(st: RegistryState, msg: MsgDispense) {
  activeWithRole(st, msg.signer, ['DISPENSER']);
  hash('rxRefHash', msg.rxRefHash);
  const refs = normalizeRefs(msg.units);
  if (refs.length === 0) throw ErrEmptyItems.wrap('nothing to dispense');
  limitItems(st, refs.length);
  const look = new Lookup(st);
  const units = refs.map((ref) => {
    const u = loadUnit(st, ref);
    // Double dispense is the EMVS "pack already inactive" alert, whoever tries it.
    if (u.status === 'DISPENSED') throw ErrAlreadyDispensed.wrap(`unit ${uid(u)} was already dispensed at ${u.decommission?.at}`);
    if (u.holder !== msg.signer) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}, not ${msg.signer}`);
    if (u.parent) throw ErrAggregated.wrap(`unit ${uid(u)} is inside ${u.parent}; unpack it first`);
    requireStoredActive(u);
    look.requireSaleable(u);
    return u;
  });
  for (const u of units) {
    st.transitionUnit(
      u,
      { status: 'DISPENSED', decommission: { reason: 'DISPENSED', by: msg.signer, at: st.nowIso } },
      {
        type: 'DISPENSED',
        actor: msg.signer,
      },
    );
  }
  st.ctx.events.emit('drugregistry_units_dispensed', { dispenser: msg.signer, count: String(units.length) });
  return {};
}

/** Who may apply `reason` to unit `u`: the permission matrix, one case per reason. */
function mayDecommission(st: RegistryState, look: Lookup, signer: Participant, reason: DecommissionReason, u: Unit): void {
  const regulator = isActiveRegulator(signer);
  const holder = u.holder === signer.address && TRADING_ROLES.some((r) => hasRole(signer, r));
  const own = look.product(u.gtin).manufacturer === signer.address;
  switch (reason) {
    case 'FREE_SAMPLE':
      if (!hasRole(signer, 'MANUFACTURER') || !own) {
        throw ErrUnauthorized.wrap(`only the manufacturer of ${u.gtin} may hand out free samples`);
      }
      if (!holder) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}`);
      return;
    case 'SAMPLE':
      if (!holder && !regulator) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}`);
      return;
    case 'STOLEN': {
      if (holder || regulator || (own && hasRole(signer, 'MANUFACTURER'))) return;
      if (u.status === 'IN_TRANSIT' && st.shipment(u.shipmentId)?.from === signer.address) return;
      throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}`);
    }
    default:
      if (!holder) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}`);
  }
}

/** Stored-status rules of the transition table for each decommission reason. */
function checkTransition(look: Lookup, reason: DecommissionReason, u: Unit): void {
  switch (reason) {
    case 'DESTROYED':
      if (u.status === 'QUARANTINED')
        throw ErrInvestigationOpen.wrap(`unit ${uid(u)} is under investigation ${u.investigationId}; resolve it first`);
      if (u.status === 'ACTIVE' || u.status === 'LOCKED' || u.status === 'ILLEGITIMATE') return;
      break;
    case 'STOLEN':
      if (['ACTIVE', 'IN_TRANSIT', 'QUARANTINED', 'LOCKED'].includes(u.status)) return;
      break;
    default:
      requireStoredActive(u);
      if (reason === 'EXPORTED') {
        const f = look.flags(u);
        if (f.recalled) throw ErrBatchRecalled.wrap(`unit ${uid(u)} is recalled and cannot be exported`);
        if (f.withdrawn) throw ErrProductWithdrawn.wrap(`unit ${uid(u)} is withdrawn and cannot be exported`);
      }
      return;
  }
  if (u.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`unit ${uid(u)} is in shipment ${u.shipmentId}`);
  throw ErrInvalidStatusTransition.wrap(`unit ${uid(u)} is ${u.status}; ${reason} is not allowed from there`);
}

export function decommission(st: RegistryState, msg: MsgDecommission) {
  const reason = oneOf<DecommissionReason>('reason', msg.reason, DECOMMISSION_REASONS);
  // Suspended participants may still report theft and destruction.
  const signer = reason === 'STOLEN' || reason === 'DESTROYED' ? registered(st, msg.signer) : activeWithRole(st, msg.signer);
  hash('detailsHash', msg.detailsHash);
  const refs = normalizeRefs(msg.units);
  const ssccs = normalizeSsccs(msg.containers);
  if (refs.length + ssccs.length === 0) throw ErrEmptyItems.wrap('nothing to decommission');
  const look = new Lookup(st);
  const regulator = isActiveRegulator(signer);

  const units: Unit[] = [];
  for (const ref of refs) {
    const u = loadUnit(st, ref);
    if (u.parent && reason !== 'LOCKED')
      throw ErrAggregated.wrap(`unit ${uid(u)} is inside ${u.parent}; unpack it or decommission the container`);
    units.push(u);
  }
  const containers: Container[] = [];
  const dissolvedUnits: Unit[] = [];
  for (const sscc of ssccs) {
    let c: Container;
    if (reason === 'STOLEN') {
      c = loadContainer(st, sscc);
      const sentBySigner = c.status === 'IN_TRANSIT' && st.shipment(c.shipmentId)?.from === msg.signer;
      if (c.holder !== msg.signer && !regulator && !sentBySigner) throw ErrNotHolder.wrap(`container ${sscc} is held by ${c.holder}`);
      if (c.status === 'DISSOLVED') throw ErrInvalidStatusTransition.wrap(`container ${sscc} was dissolved`);
    } else {
      c = heldSealed(st, sscc, msg.signer);
    }
    if (c.parent) throw ErrAggregated.wrap(`container ${sscc} is inside ${c.parent}; decommission the outer container or unpack`);
    containers.push(c);
    const d = st.descendants(sscc);
    for (const child of d.containers) containers.push(st.container(child)!);
    for (const ref of d.units) dissolvedUnits.push(st.unit(ref.gtin, ref.serial)!);
  }
  const all = [...units, ...dissolvedUnits];
  limitItems(st, all.length);
  for (const u of all) {
    mayDecommission(st, look, signer, reason, u);
    checkTransition(look, reason, u);
  }

  for (const c of containers) {
    for (const ref of st.childUnits(c.sscc)) st.deleteIndex(keys.childUnit(c.sscc, ref.gtin, ref.serial));
    for (const child of st.childContainers(c.sscc)) st.deleteIndex(keys.childContainer(c.sscc, child));
    Object.assign(c, { status: 'DISSOLVED', parent: '', shipmentId: '', childUnits: 0n, childContainers: 0n });
    st.setContainer(c);
  }
  const inContainer = new Set(dissolvedUnits.map(uid));
  for (const u of all) {
    const change: Partial<Unit> = { status: reason, decommission: { reason, by: msg.signer, at: st.nowIso } };
    if (inContainer.has(uid(u))) change.parent = '';
    if (u.status === 'IN_TRANSIT') change.shipmentId = '';
    if (u.status === 'QUARANTINED') change.investigationId = 0n;
    st.transitionUnit(u, change, { type: 'DECOMMISSIONED', actor: msg.signer, reason });
  }
  st.ctx.events.emit('drugregistry_units_decommissioned', { reason, count: String(all.length), by: msg.signer });
  return { count: BigInt(all.length) };
}

const UNDOABLE = new Set(['DISPENSED', 'EXPORTED', 'SAMPLE', 'FREE_SAMPLE', 'LOCKED']);

export function undoDecommission(st: RegistryState, msg: MsgUndoDecommission) {
  activeWithRole(st, msg.signer);
  const refs = normalizeRefs(msg.units);
  if (refs.length === 0) throw ErrEmptyItems.wrap('nothing to undo');
  limitItems(st, refs.length);
  const look = new Lookup(st);
  const windowMs = Number(st.params().undoWindowSeconds) * 1000;
  const units = refs.map((ref) => {
    const u = loadUnit(st, ref);
    if (u.status === 'DESTROYED' || u.status === 'STOLEN' || u.status === 'ILLEGITIMATE') {
      throw ErrUndoNotAllowed.wrap(`unit ${uid(u)} is ${u.status}; that can never be undone`);
    }
    if (!UNDOABLE.has(u.status) || !u.decommission) {
      throw ErrInvalidStatusTransition.wrap(`unit ${uid(u)} is ${u.status}; there is no decommission to undo`);
    }
    if (u.decommission.by !== msg.signer) {
      throw ErrUnauthorized.wrap(`unit ${uid(u)} was decommissioned by ${u.decommission.by}; only that actor may undo it`);
    }
    if (u.status !== 'LOCKED' && st.now.getTime() - Date.parse(u.decommission.at) > windowMs) {
      throw ErrUndoWindowElapsed.wrap(`unit ${uid(u)} was ${u.status} at ${u.decommission.at}; the undo window is ${windowMs / 1000}s`);
    }
    look.requireSaleable(u);
    return u;
  });
  for (const u of units) {
    const reason = u.status;
    st.transitionUnit(u, { status: 'ACTIVE', decommission: undefined }, { type: 'UNDONE', actor: msg.signer, reason });
  }
  st.ctx.events.emit('drugregistry_decommission_undone', { by: msg.signer, count: String(units.length) });
  return {};
}

// ---- suspect product ---------------------------------------------------------------------------

export function reportSuspect(st: RegistryState, msg: MsgReportSuspect) {
  const reporter = registered(st, msg.signer);
  if (reporter.roles.length === 0) throw ErrUnauthorized.wrap(`${msg.signer} has no role`);
  const category = oneOf('category', msg.category, SUSPECT_CATEGORIES);
  hash('evidenceHash', msg.evidenceHash);
  const regulator = isActiveRegulator(reporter);
  const refs = normalizeRefs(msg.units);
  const ssccs = normalizeSsccs(msg.containers);
  const unknown = msg.unknownIdentifiers.map((x) => {
    text(st, 'unknown gtin', x.gtin, true);
    text(st, 'unknown serial', x.serial, true);
    text(st, 'unknown lot', x.lot, false);
    text(st, 'unknown expiry', x.expiry, false);
    let exists = false;
    try {
      exists = st.hasUnit(normalizeGtin(x.gtin), validateSerial(x.serial));
    } catch {
      exists = false; // not even a valid identifier: certainly not on chain
    }
    if (exists) throw ErrUnitExists.wrap(`${x.gtin}/${x.serial} exists on chain; report it as a unit`);
    return { gtin: x.gtin, serial: x.serial, lot: x.lot, expiry: x.expiry };
  });
  if (refs.length + ssccs.length + unknown.length === 0) throw ErrEmptyItems.wrap('nothing reported');

  const units: Unit[] = [];
  for (const ref of refs) units.push(loadUnit(st, ref));
  for (const sscc of ssccs) {
    const c = loadContainer(st, sscc);
    if (c.holder !== msg.signer && !regulator) throw ErrNotHolder.wrap(`container ${sscc} is held by ${c.holder}`);
    if (c.status === 'IN_TRANSIT') throw ErrInTransit.wrap(`container ${sscc} is in shipment ${c.shipmentId}`);
    for (const ref of st.descendants(sscc).units) units.push(st.unit(ref.gtin, ref.serial)!);
  }
  const seen = new Set<string>();
  const unique = units.filter((u) => !seen.has(uid(u)) && seen.add(uid(u)));
  limitItems(st, unique.length + unknown.length);
  for (const u of unique) {
    if (u.holder !== msg.signer && !regulator) throw ErrNotHolder.wrap(`unit ${uid(u)} is held by ${u.holder}`);
    if (u.status === 'QUARANTINED') throw ErrInvestigationOpen.wrap(`unit ${uid(u)} is already under investigation ${u.investigationId}`);
    requireStoredActive(u);
  }
  const id = st.nextInvestigationId();
  st.setInvestigation({
    id,
    reporter: msg.signer,
    category,
    units: unique.map((u) => ({ gtin: u.gtin, serial: u.serial })),
    unknownIdentifiers: unknown,
    status: 'OPEN',
    evidenceHash: msg.evidenceHash,
    notesHash: '',
    resolvedBy: '',
    createdAt: st.nowIso,
    resolvedAt: '',
  });
  for (const u of unique) {
    st.transitionUnit(
      u,
      { status: 'QUARANTINED', investigationId: id },
      { type: 'QUARANTINED', actor: msg.signer, investigationId: id, reason: category },
    );
  }
  st.ctx.events.emit('drugregistry_suspect_reported', {
    investigation_id: String(id),
    category,
    reporter: msg.signer,
    units: String(unique.length),
    unknown: String(unknown.length),
  });
  return { investigationId: id };
}

export function resolveInvestigation(st: RegistryState, msg: MsgResolveInvestigation) {
  const signer = registered(st, msg.signer);
  const outcome = oneOf('outcome', msg.outcome, OUTCOMES);
  hash('notesHash', msg.notesHash);
  const inv = st.investigation(msg.investigationId);
  if (!inv) throw ErrInvestigationNotFound.wrap(`no investigation ${msg.investigationId}`);
  if (inv.status !== 'OPEN') throw ErrInvestigationClosed.wrap(`investigation ${inv.id} is ${inv.status}`);
  const look = new Lookup(st);
  if (!isActiveRegulator(signer)) {
    const ownsAll =
      isActive(signer) &&
      hasRole(signer, 'MANUFACTURER') &&
      inv.units.length > 0 &&
      inv.units.every((r) => look.product(r.gtin).manufacturer === msg.signer);
    if (!ownsAll)
      throw ErrUnauthorized.wrap('only a regulator or the manufacturer of every quarantined unit may resolve this investigation');
  }
  const to = outcome === 'CLEARED' ? 'ACTIVE' : 'ILLEGITIMATE';
  for (const ref of inv.units) {
    const u = st.unit(ref.gtin, ref.serial)!;
    if (u.status !== 'QUARANTINED' || u.investigationId !== inv.id) continue; // e.g. reported stolen meanwhile
    st.transitionUnit(
      u,
      { status: to, investigationId: 0n },
      {
        type: outcome === 'CLEARED' ? 'CLEARED' : 'ILLEGITIMATE',
        actor: msg.signer,
        investigationId: inv.id,
      },
    );
  }
  inv.status = outcome;
  inv.resolvedBy = msg.signer;
  inv.resolvedAt = st.nowIso;
  inv.notesHash = msg.notesHash;
  st.setInvestigation(inv);
  st.ctx.events.emit('drugregistry_investigation_resolved', { investigation_id: String(inv.id), outcome, by: msg.signer });
  if (outcome === 'ILLEGITIMATE') {
    st.ctx.events.emit('drugregistry_illegitimate_confirmed', { investigation_id: String(inv.id), units: String(inv.units.length) });
  }
  return {};
}

// ---- recalls -----------------------------------------------------------------------------------

/** Governance, an active regulator, or the product's active manufacturer. */
function mayRecall(st: RegistryState, authority: string, signer: string, manufacturer: string): void {
  if (signer === authority) return;
  const p = st.participant(signer);
  if (isActiveRegulator(p)) return;
  if (signer === manufacturer && isActive(p)) return;
  throw ErrUnauthorized.wrap(`${signer} is neither the manufacturer ${manufacturer}, a regulator nor governance`);
}

/** O(1): one Recall record, one batch/product update, one index row, the sequence. No unit writes. */
export function initiateRecall(st: RegistryState, authority: string, msg: MsgInitiateRecall) {
  const scope = oneOf('scope', msg.scope, RECALL_SCOPES);
  const classification = oneOf('classification', msg.classification, CLASSIFICATIONS);
  text(st, 'reasonCode', msg.reasonCode, true);
  hash('detailsHash', msg.detailsHash);
  const gtin = normalizeGtin(msg.gtin);
  const product = st.product(gtin);
  if (!product) throw ErrProductNotFound.wrap(`no product ${gtin}`);
  mayRecall(st, authority, msg.signer, product.manufacturer);
  const recall: Recall = {
    id: 0n,
    scope,
    gtin,
    lot: '',
    classification,
    reasonCode: msg.reasonCode,
    detailsHash: msg.detailsHash,
    initiatedBy: msg.signer,
    status: 'OPEN',
    createdAt: st.nowIso,
    completedAt: '',
  };
  if (scope === 'BATCH') {
    const lot = validateLot(msg.lot);
    const batch = st.batch(gtin, lot);
    if (!batch) throw ErrBatchNotFound.wrap(`no lot ${lot} of ${gtin}`);
    if (batch.status === 'RECALLED') throw ErrAlreadyRecalled.wrap(`lot ${lot} of ${gtin} is already recalled (recall ${batch.recallId})`);
    recall.id = st.nextRecallId();
    recall.lot = lot;
    batch.status = 'RECALLED';
    batch.recallId = recall.id;
    st.setBatch(batch);
    st.setIndex(keys.batchRecallIndex(gtin, lot, recall.id));
  } else {
    if (msg.lot) throw ErrInvalidField.wrap('a PRODUCT-scope recall has no lot');
    if (product.status === 'WITHDRAWN') throw ErrProductWithdrawn.wrap(`product ${gtin} is already withdrawn`);
    recall.id = st.nextRecallId();
    product.status = 'WITHDRAWN';
    product.withdrawnByRecallId = recall.id;
    st.setProduct(product);
    st.setIndex(keys.productRecallIndex(gtin, recall.id));
  }
  st.setRecall(recall);
  st.ctx.events.emit('drugregistry_recall_initiated', {
    recall_id: String(recall.id),
    scope,
    gtin,
    lot: recall.lot,
    classification,
    initiated_by: msg.signer,
  });
  return { recallId: recall.id };
}

export function completeRecall(st: RegistryState, authority: string, msg: MsgCompleteRecall) {
  const recall = st.recall(msg.recallId);
  if (!recall) throw ErrRecallNotFound.wrap(`no recall ${msg.recallId}`);
  mayRecall(st, authority, msg.signer, st.product(recall.gtin)!.manufacturer);
  if (recall.status !== 'OPEN') throw ErrRecallClosed.wrap(`recall ${recall.id} was completed at ${recall.completedAt}`);
  recall.status = 'COMPLETED';
  recall.completedAt = st.nowIso;
  st.setRecall(recall);
  st.ctx.events.emit('drugregistry_recall_completed', { recall_id: String(recall.id), gtin: recall.gtin, lot: recall.lot });
  return {};
}

export type { UnitRef };
