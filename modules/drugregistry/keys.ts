/**
 * Store key layout. Every key is built here, never at the call site, so a later
 * privacy mode can hash unit keys without touching handlers.
 *
 * Keys are ASCII strings. Variable-length parts are joined with `|`, which is outside GS1 character
 * set 82 (lots, serials) and the digit/bech32 alphabets (GTIN, SSCC, addresses, shipment ids), so
 * no component can contain the separator. Numeric ids are 16 hex digits (big-endian, fixed width)
 * so byte order is numeric order. Top-level prefixes are prefix-free.
 */
import { StoreKey } from '../../app/store/types.js';

export const MODULE_NAME = 'drugregistry';
export const STORE_KEY = new StoreKey(MODULE_NAME);

const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
export const SEP = '|';

const hex16 = (n: bigint | number) => BigInt(n).toString(16).padStart(16, '0');
export const parseHex16 = (s: string): bigint => BigInt('0x' + s);

export const unitId = (gtin: string, serial: string) => gtin + SEP + serial;
export const batchId = (gtin: string, lot: string) => gtin + SEP + lot;

export const keys = {
  params: () => enc('params'),
  participant: (address: string) => enc('p/' + address),
  participantPrefix: () => enc('p/'),
  product: (gtin: string) => enc('pr/' + gtin),
  productPrefix: () => enc('pr/'),
  batch: (gtin: string, lot: string) => enc('b/' + batchId(gtin, lot)),
  batchesOfProduct: (gtin: string) => enc('b/' + gtin + SEP),
  batchPrefix: () => enc('b/'),
  unit: (gtin: string, serial: string) => enc('u/' + unitId(gtin, serial)),
  unitPrefix: () => enc('u/'),
  container: (sscc: string) => enc('c/' + sscc),
  containerPrefix: () => enc('c/'),
  shipment: (id: string) => enc('s/' + id),
  shipmentPrefix: () => enc('s/'),
  recall: (id: bigint) => enc('r/' + hex16(id)),
  recallPrefix: () => enc('r/'),
  investigation: (id: bigint) => enc('i/' + hex16(id)),
  investigationPrefix: () => enc('i/'),
  unitEvent: (gtin: string, serial: string, seq: bigint) => enc('ev/' + unitId(gtin, serial) + SEP + hex16(seq)),
  unitEvents: (gtin: string, serial: string) => enc('ev/' + unitId(gtin, serial) + SEP),
  unitEventPrefix: () => enc('ev/'),
  holderIndex: (holder: string, gtin: string, serial: string) => enc('idx/holder/' + holder + SEP + unitId(gtin, serial)),
  holderIndexOf: (holder: string) => enc('idx/holder/' + holder + SEP),
  holderIndexPrefix: () => enc('idx/holder/'),
  batchIndex: (gtin: string, lot: string, serial: string) => enc('idx/batch/' + batchId(gtin, lot) + SEP + serial),
  batchIndexOf: (gtin: string, lot: string) => enc('idx/batch/' + batchId(gtin, lot) + SEP),
  batchIndexPrefix: () => enc('idx/batch/'),
  childUnit: (sscc: string, gtin: string, serial: string) => enc('idx/child/' + sscc + SEP + 'u' + SEP + unitId(gtin, serial)),
  childUnitsOf: (sscc: string) => enc('idx/child/' + sscc + SEP + 'u' + SEP),
  childContainer: (sscc: string, child: string) => enc('idx/child/' + sscc + SEP + 'c' + SEP + child),
  childContainersOf: (sscc: string) => enc('idx/child/' + sscc + SEP + 'c' + SEP),
  childrenOf: (sscc: string) => enc('idx/child/' + sscc + SEP),
  childPrefix: () => enc('idx/child/'),
  shipIndex: (address: string, direction: 'in' | 'out', id: string) => enc('idx/ship/' + address + SEP + direction + SEP + id),
  shipIndexOf: (address: string, direction?: 'in' | 'out') => enc('idx/ship/' + address + SEP + (direction ? direction + SEP : '')),
  batchRecallIndex: (gtin: string, lot: string, id: bigint) => enc('idx/recall/b/' + batchId(gtin, lot) + SEP + hex16(id)),
  batchRecallsOf: (gtin: string, lot: string) => enc('idx/recall/b/' + batchId(gtin, lot) + SEP),
  productRecallIndex: (gtin: string, id: bigint) => enc('idx/recall/p/' + gtin + SEP + hex16(id)),
  productRecallsOf: (gtin: string) => enc('idx/recall/p/' + gtin + SEP),
  priorHolder: (gtin: string, serial: string, address: string) => enc('idx/prior/' + unitId(gtin, serial) + SEP + address),
  priorHoldersOf: (gtin: string, serial: string) => enc('idx/prior/' + unitId(gtin, serial) + SEP),
  priorHolderPrefix: () => enc('idx/prior/'),
  manufacturerProduct: (manufacturer: string, gtin: string) => enc('idx/mfr/' + manufacturer + SEP + gtin),
  manufacturerProductsOf: (manufacturer: string) => enc('idx/mfr/' + manufacturer + SEP),
  /** Per-sender shipment nonce: only that sender's Ships write it (no module-wide hot key). */
  shipNonce: (address: string) => enc('seq/ship/' + address),
  shipNoncePrefix: () => enc('seq/ship/'),
  recallSeq: () => enc('seq/recall'),
  investigationSeq: () => enc('seq/investigation'),
};

/** The text after the last separator of a key: the id/serial/address an index row points at. */
export function keyTail(key: Uint8Array, prefixLength: number): string {
  return Buffer.from(key.buffer, key.byteOffset + prefixLength, key.byteLength - prefixLength).toString('latin1');
}

export const EMPTY = new Uint8Array(0);
/** Index rows carry a one-byte value (some stores treat an empty value as a delete). */
export const PRESENT = new Uint8Array([1]);
