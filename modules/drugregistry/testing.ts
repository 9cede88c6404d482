/**
 * Test support for drugregistry specs and the benchmark: a chain-less world with named actors,
 * Msgs run through the module's own handlers (validateBasic + handle) on a branch, as baseapp does.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import { CacheKV, memoryStore } from '../../app/store/cache-kv.js';
import { keyBytes, keyString } from '../../app/store/bytes.js';
import type { KVChange, KVPair, KVReader } from '../../app/store/types.js';
import { makeChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import type { MsgHandler } from '../../app/types/module.js';
import { dumpStore, runBranch, testContext } from '../../test/harness.js';
import { gs1CheckDigit } from './identifiers.js';
import { createDrugRegistryModule } from './module.js';

export const config = makeChainConfig();
export const addr = (name: string) => config.addresses.moduleAddress(`test-${name}`);
export const GOV = governanceAuthority(config);

/** A valid GTIN-14 / SSCC from its body (check digit appended). */
export const withCheck = (body: string) => body + gs1CheckDigit(body);
export const GTIN = '00312345678906';
export const GTIN_B = withCheck('0031234567891');
export const sscc = (n: number) => withCheck('0' + '0312345' + String(n).padStart(9, '0'));

/**
 * Committed state for long runs: a sorted, binary-searchable snapshot under a block CacheKV, as
 * baseapp runs a block over the committed store. memoryStore() keeps everything in one CacheKV
 * whose iterator sorts all its pending keys on every call, which makes prefix scans O(state).
 */
export class SortedSnapshot implements KVReader {
  private keys: string[] = [];
  private readonly map = new Map<string, Uint8Array>();
  get(key: Uint8Array) {
    return this.map.get(keyString(key));
  }
  has(key: Uint8Array) {
    return this.map.has(keyString(key));
  }
  private lowerBound(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const lo = start === undefined ? 0 : this.lowerBound(keyString(start));
    const hi = end === undefined ? this.keys.length : this.lowerBound(keyString(end));
    if (!reverse) for (let i = lo; i < hi; i++) yield { key: keyBytes(this.keys[i]!), value: this.map.get(this.keys[i]!)! };
    else for (let i = hi - 1; i >= lo; i--) yield { key: keyBytes(this.keys[i]!), value: this.map.get(this.keys[i]!)! };
  }
  /** Commits a block's sorted changes (CacheKV.changes()) by merging, O(keys + changes). */
  apply(changes: KVChange[]) {
    const added: string[] = [];
    let deleted = false;
    for (const { key, value } of changes) {
      const k = keyString(key);
      if (value === null) deleted = this.map.delete(k) || deleted;
      else {
        if (!this.map.has(k)) added.push(k);
        this.map.set(k, value);
      }
    }
    let base = deleted ? this.keys.filter((k) => this.map.has(k)) : this.keys;
    if (added.length) {
      const merged: string[] = new Array(base.length + added.length);
      let i = 0,
        j = 0,
        o = 0;
      while (i < base.length || j < added.length)
        merged[o++] = j >= added.length || (i < base.length && base[i]! < added[j]!) ? base[i++]! : added[j++]!;
      base = merged;
    }
    this.keys = base;
  }
}

/** A block store over a SortedSnapshot; `commit()` folds the block into the snapshot. */
export function committedStore(): { store: CacheKV; commit: () => void } {
  const snapshot = new SortedSnapshot();
  const store = new CacheKV(snapshot);
  return {
    store,
    commit: () => {
      snapshot.apply(store.changes());
      store.discard();
    },
  };
}

export class World {
  readonly created = createDrugRegistryModule({ config });
  readonly module = this.created.module;
  readonly keeper = this.created.keeper;
  private readonly byName = new Map<string, MsgHandler>();
  height = 1;
  time = new Date('2026-01-01T00:00:00Z');
  ctx: Context;

  /** `store` is the chain state the World writes to (default: a fresh in-memory store). */
  constructor(readonly store: CacheKV = memoryStore()) {
    this.ctx = this.makeCtx();
    // As baseapp does for a module absent from app_state: default genesis, validated, then init.
    const g = this.module.genesis!;
    g.init(testContext({ store: this.store, height: 0, time: this.time, mode: 'genesis' }), g.validate(g.defaultGenesis()));
    for (const h of this.module.msgs!) this.byName.set(h.typeUrl.split('.').pop()!, h);
  }

  private makeCtx(): Context {
    return testContext({ store: this.store, height: this.height, time: this.time });
  }

  /** Next block: height + 1, time + seconds. */
  advance(seconds = 5): void {
    this.height++;
    this.time = new Date(this.time.getTime() + seconds * 1000);
    this.ctx = this.makeCtx();
    // As baseapp does for a module absent from app_state: default genesis, validated, then init.
    const g = this.module.genesis!;
    g.init(testContext({ store: this.store, height: 0, time: this.time, mode: 'genesis' }), g.validate(g.defaultGenesis()));
  }

  /** Runs a Msg (by short name, e.g. "MsgShip") on a branch; returns the response or throws its error. */
  exec<R = any>(name: string, msg: Record<string, unknown>): R {
    const h = this.byName.get(name);
    if (!h) throw new Error(`no handler ${name}`);
    const full = h.type.fromPartial(msg);
    let out: R | undefined;
    const err = runBranch(this.ctx, (c) => {
      h.validateBasic?.(full);
      out = h.handle(c, full);
    });
    if (err) throw err;
    return out!;
  }

  /** Runs a Msg expected to fail; returns the error and asserts the store is byte-identical. */
  reject(name: string, msg: Record<string, unknown>): unknown {
    const before = dumpStore(this.store);
    let err: unknown;
    try {
      this.exec(name, msg);
    } catch (e) {
      err = e;
    }
    if (err === undefined) throw new Error(`${name} unexpectedly succeeded`);
    const after = dumpStore(this.store);
    if (before.size !== after.size || [...before].some(([k, v]) => after.get(k) !== v)) {
      throw new Error(`${name} failed but changed the store`);
    }
    return err;
  }

  query<R = any>(method: string, req: Record<string, unknown>): R {
    const h = this.module.queries!.find((x) => x.path.endsWith('/' + method))!;
    return h.handle(this.ctx, h.requestType.fromPartial(req));
  }

  invariants(): string[] {
    return this.module.invariants!.flatMap((i) => {
      const broken = i.check(this.ctx);
      return broken ? [`${i.name}: ${broken}`] : [];
    });
  }
}

export const M = addr('manufacturer');
export const M2 = addr('manufacturer-2');
export const W = addr('wholesaler');
export const W2 = addr('wholesaler-2');
export const D = addr('dispenser');
export const D2 = addr('dispenser-2');
export const REG = addr('regulator');
export const REG2 = addr('regulator-2');
export const STRANGER = addr('stranger');

/** Governance appoints REG; REG registers M (prefix 0312345), M2 (prefix 0599999), W, W2, D, D2. */
export function registeredWorld(store?: CacheKV): World {
  const w = new World(store);
  w.exec('MsgGrantRegulator', { authority: GOV, address: REG, name: 'FDA', jurisdictions: ['US'] });
  w.exec('MsgGrantRegulator', { authority: GOV, address: REG2, name: 'EMA', jurisdictions: ['EU'] });
  w.exec('MsgRegisterParticipant', {
    signer: REG,
    address: M,
    role: 'MANUFACTURER',
    name: 'Acme Pharma',
    gln: '0614141123452',
    companyPrefixes: ['0312345'],
  });
  w.exec('MsgRegisterParticipant', { signer: REG, address: M2, role: 'MANUFACTURER', name: 'Other Pharma', companyPrefixes: ['0599999'] });
  w.exec('MsgRegisterParticipant', { signer: REG, address: W, role: 'WHOLESALER', name: 'Big Wholesale' });
  w.exec('MsgRegisterParticipant', { signer: REG, address: W2, role: 'WHOLESALER', name: 'Small Wholesale' });
  w.exec('MsgRegisterParticipant', { signer: REG, address: D, role: 'DISPENSER', name: 'Corner Pharmacy' });
  w.exec('MsgRegisterParticipant', { signer: REG, address: D2, role: 'DISPENSER', name: 'Hospital Pharmacy' });
  return w;
}

export const serials = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
export const refs = (list: string[], gtin = GTIN) => list.map((serial) => ({ gtin, serial }));

/** registeredWorld + product GTIN, lot LOT42 (expiry 2027-06-30) and `n` units S1..Sn held by M. */
export function stockedWorld(n = 12, store?: CacheKV): World {
  const w = registeredWorld(store);
  w.exec('MsgRegisterProduct', {
    signer: M,
    gtin: GTIN,
    ndc: '12345-678-90',
    name: 'Examplamab',
    strength: '10 mg',
    dosageForm: 'tablet',
    packSize: '30',
    packagingLevel: 'UNIT',
  });
  w.exec('MsgCommissionBatch', { signer: M, gtin: GTIN, lot: 'LOT42', expiry: '2027-06-30', manufacturedOn: '2025-12-01' });
  if (n > 0) w.exec('MsgCommissionUnits', { signer: M, gtin: GTIN, lot: 'LOT42', serials: serials('S', n) });
  return w;
}

/** Ships from → to and receives; returns the shipment id. */
export function move(w: World, from: string, to: string, items: { units?: string[]; containers?: string[] }, purpose = 'SALE'): string {
  const { shipmentId } = w.exec('MsgShip', {
    signer: from,
    to,
    purpose,
    units: refs(items.units ?? []),
    containers: items.containers ?? [],
  });
  w.exec('MsgReceive', { signer: to, shipmentId });
  return shipmentId;
}

/**
 * The CBV dispositions that agree with each effective status a trace event can carry, stated here
 * independently of the module's mapping so tests can hold the module to it. Sellable stock may be
 * active, sellable or just moved about; recalled or withdrawn stock is `recalled` whatever the step.
 */
export const DISPOSITIONS_OF: Record<string, readonly string[]> = {
  ACTIVE: ['active', 'sellable_accessible', 'in_progress', 'container_closed', 'returned'],
  IN_TRANSIT: ['in_transit'],
  RECALLED: ['recalled'],
  WITHDRAWN: ['recalled'],
  EXPIRED: ['expired'],
  QUARANTINED: ['non_sellable_other'],
  ILLEGITIMATE: ['non_sellable_other'],
  LOCKED: ['non_sellable_other', 'in_transit'], // a hold, or locked while crossing to another zone
  DISPENSED: ['dispensed'],
  EXPORTED: ['inactive'],
  SAMPLE: ['inactive'],
  FREE_SAMPLE: ['inactive'],
  DESTROYED: ['destroyed'],
  STOLEN: ['stolen'],
};
