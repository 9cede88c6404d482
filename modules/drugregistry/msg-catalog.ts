/** Master data and commissioning: products, batches, serialized units. */
import { ErrUnauthorized } from '../../app/types/errors.js';
import type { MsgCommissionBatch, MsgCommissionUnits, MsgRegisterProduct } from '../../generated/parazone/drugregistry/v1/tx.js';
import type { Product, Unit } from '../../generated/parazone/drugregistry/v1/types.js';
import {
  ErrBatchExists,
  ErrBatchNotFound,
  ErrBatchRecalled,
  ErrDuplicateItem,
  ErrEmptyItems,
  ErrExpired,
  ErrInvalidField,
  ErrParticipantInactive,
  ErrPrefixNotOwned,
  ErrProductExists,
  ErrProductNotFound,
  ErrProductWithdrawn,
  ErrUnitExists,
} from './errors.js';
import { activeWithRole, limitItems, oneOf, text } from './guards.js';
import { isExpired, normalizeGtin, parseExpiry, validateLot, validateSerial } from './identifiers.js';
import { keys } from './keys.js';
import type { RegistryState } from './state.js';
import { PACKAGING_LEVELS } from './status.js';

export function registerProduct(st: RegistryState, msg: MsgRegisterProduct) {
  const mfr = activeWithRole(st, msg.signer, ['MANUFACTURER']);
  const gtin = normalizeGtin(msg.gtin);
  if (st.product(gtin)) throw ErrProductExists.wrap(`GTIN ${gtin} is already registered`);
  if (st.params().requireCompanyPrefix && !mfr.companyPrefixes.some((p) => gtin.slice(1).startsWith(p))) {
    throw ErrPrefixNotOwned.wrap(
      `GTIN ${gtin} (without indicator: ${gtin.slice(1)}) starts with none of ${msg.signer}'s company prefixes [${mfr.companyPrefixes.join(', ')}]`,
    );
  }
  text(st, 'ndc', msg.ndc, false);
  text(st, 'name', msg.name, true);
  text(st, 'strength', msg.strength, true);
  text(st, 'dosageForm', msg.dosageForm, true);
  text(st, 'packSize', msg.packSize, true);
  const packagingLevel = oneOf('packagingLevel', msg.packagingLevel, PACKAGING_LEVELS);
  const product: Product = {
    gtin,
    manufacturer: msg.signer,
    ndc: msg.ndc,
    name: msg.name,
    strength: msg.strength,
    dosageForm: msg.dosageForm,
    packSize: msg.packSize,
    packagingLevel,
    status: 'ACTIVE',
    withdrawnByRecallId: 0n,
    createdAt: st.nowIso,
  };
  st.setProduct(product);
  st.setIndex(keys.manufacturerProduct(msg.signer, gtin));
  st.ctx.events.emit('drugregistry_product_registered', { gtin, manufacturer: msg.signer });
  return { gtin };
}

/** The product, owned by the signer, ACTIVE; the signer an ACTIVE participant. */
function ownedActiveProduct(st: RegistryState, signer: string, rawGtin: string): Product {
  const gtin = normalizeGtin(rawGtin);
  const product = st.product(gtin);
  if (!product) throw ErrProductNotFound.wrap(`no product ${gtin}; register it first`);
  if (product.manufacturer !== signer) {
    throw ErrUnauthorized.wrap(`${signer} is not the manufacturer of ${gtin} (${product.manufacturer} is)`);
  }
  const p = st.participant(signer);
  if (!p || p.status !== 'ACTIVE') throw ErrParticipantInactive.wrap(`${signer} is not an active participant`);
  if (product.status === 'WITHDRAWN') throw ErrProductWithdrawn.wrap(`product ${gtin} is withdrawn`);
  return product;
}

export function commissionBatch(st: RegistryState, msg: MsgCommissionBatch) {
  const product = ownedActiveProduct(st, msg.signer, msg.gtin);
  const lot = validateLot(msg.lot);
  if (st.batch(product.gtin, lot)) throw ErrBatchExists.wrap(`lot ${lot} of ${product.gtin} already exists`);
  const expiry = parseExpiry(msg.expiry, st.now);
  if (isExpired(expiry, st.now)) throw ErrExpired.wrap(`expiry ${expiry} is already past at block time ${st.nowIso}`);
  let manufacturedOn = '';
  if (msg.manufacturedOn) {
    manufacturedOn = parseExpiry(msg.manufacturedOn, st.now);
    if (manufacturedOn > expiry) throw ErrInvalidField.wrap(`manufacturedOn ${manufacturedOn} is after expiry ${expiry}`);
    if (manufacturedOn > st.nowIso.slice(0, 10)) throw ErrInvalidField.wrap(`manufacturedOn ${manufacturedOn} is in the future`);
  }
  st.setBatch({
    gtin: product.gtin,
    lot,
    expiry,
    manufacturedOn,
    status: 'ACTIVE',
    recallId: 0n,
    unitCount: 0n,
    createdAt: st.nowIso,
  });
  st.ctx.events.emit('drugregistry_batch_commissioned', { gtin: product.gtin, lot, expiry });
  return { expiry };
}

export function commissionUnits(st: RegistryState, msg: MsgCommissionUnits) {
  const product = ownedActiveProduct(st, msg.signer, msg.gtin);
  const gtin = product.gtin;
  const lot = validateLot(msg.lot);
  const batch = st.batch(gtin, lot);
  if (!batch) throw ErrBatchNotFound.wrap(`no lot ${lot} of ${gtin}; commission the batch first`);
  if (batch.status === 'RECALLED') throw ErrBatchRecalled.wrap(`lot ${lot} of ${gtin} is recalled`);
  if (isExpired(batch.expiry, st.now)) throw ErrExpired.wrap(`lot ${lot} expired on ${batch.expiry}`);
  if (msg.serials.length === 0) throw ErrEmptyItems.wrap('serials must not be empty');
  limitItems(st, msg.serials.length);
  const seen = new Set<string>();
  for (const serial of msg.serials) {
    validateSerial(serial);
    if (seen.has(serial)) throw ErrDuplicateItem.wrap(`serial ${serial} is listed twice`);
    seen.add(serial);
    if (st.hasUnit(gtin, serial)) throw ErrUnitExists.wrap(`unit ${gtin}/${serial} already exists (serials are never reused)`);
  }
  for (const serial of msg.serials) {
    const u: Unit = {
      gtin,
      serial,
      lot,
      status: '',
      holder: msg.signer,
      parent: '',
      shipmentId: '',
      investigationId: 0n,
      decommission: undefined,
      commissionedAt: st.nowIso,
      nextEventSeq: 1n,
    };
    st.transitionUnit(u, { status: 'ACTIVE' }, { type: 'COMMISSIONED', actor: msg.signer });
    st.setIndex(keys.batchIndex(gtin, lot, serial));
  }
  batch.unitCount += BigInt(msg.serials.length);
  st.setBatch(batch);
  st.ctx.events.emit('drugregistry_units_commissioned', { gtin, lot, count: String(msg.serials.length) });
  return { count: BigInt(msg.serials.length) };
}
