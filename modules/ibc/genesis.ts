/**
 * Genesis of the ibc module. A new zone starts with no clients; init writes the sentinel so the
 * provable store is never empty (an SMT with no leaves proves nothing).
 *
 * Export is the module's raw store, key → value in hex, in key order: clients, consensus states,
 * pairings, sequences, commitments and packets in flight, receipts, acks, denom traces, escrow
 * totals, custody trust. It is exact (an exported chain re-imports to the same app hash) but not
 * meant to be edited by hand; a typed export is future work.
 */
import type { Context } from '../../app/types/context.js';
import type { GenesisHandler } from '../../app/types/module.js';
import type { IbcKeeper } from './keeper.js';
import { sentinelKey } from './keys.js';

export interface IbcGenesis {
  readonly entries: readonly { key: Uint8Array; value: Uint8Array }[];
}

const HEX = /^(?:[0-9a-f]{2})+$/;

export function ibcGenesis(keeper: IbcKeeper): GenesisHandler<IbcGenesis> {
  return {
    defaultGenesis: () => ({ entries: [] }),
    validate(json: unknown): IbcGenesis {
      const entries = (json as { entries?: unknown } | null)?.entries;
      if (json === null || typeof json !== 'object' || !Array.isArray(entries))
        throw new Error('ibc genesis must be {"entries": [{"key": hex, "value": hex}, ...]}');
      let previous = '';
      return {
        entries: entries.map((e: unknown, i) => {
          const { key, value } = (e ?? {}) as { key?: unknown; value?: unknown };
          if (typeof key !== 'string' || !HEX.test(key) || typeof value !== 'string' || !HEX.test(value)) {
            throw new Error(`ibc genesis entry ${i} needs non-empty lower-case hex "key" and "value"`);
          }
          if (key <= previous) throw new Error(`ibc genesis entries must be sorted by key and unique (entry ${i})`);
          previous = key;
          return { key: Uint8Array.from(Buffer.from(key, 'hex')), value: Uint8Array.from(Buffer.from(value, 'hex')) };
        }),
      };
    },
    init(ctx: Context, genesis: IbcGenesis): void {
      const store = keeper.clients.store(ctx);
      store.set(sentinelKey(), new TextEncoder().encode('ibc'));
      for (const { key, value } of genesis.entries) store.set(key, value);
    },
    export(ctx: Context): unknown {
      const store = keeper.clients.store(ctx);
      const entries: { key: string; value: string }[] = [];
      for (const { key, value } of store.iterator(undefined, undefined)) {
        entries.push({ key: Buffer.from(key).toString('hex'), value: Buffer.from(value).toString('hex') });
      }
      return { entries };
    },
  };
}
