import { CacheKV, memoryStore } from '../store/cache-kv.js';
import { type GasMeter, InfiniteGasMeter } from '../store/gas.js';
import { GasKV } from '../store/gas-kv.js';
import { PrefixKV } from '../store/prefix-kv.js';
import type { KVStore, StoreKey } from '../store/types.js';
import { EventManager } from './events.js';

/**
 * Why code is running. Handlers rarely care; the ante chain does (simulate skips signatures,
 * check mode enforces the node's own minimum gas price).
 */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver' | 'genesis' | 'block' | 'query';

/** The block a piece of state-machine code runs in. Time comes from the header, never the clock. */
export interface BlockHeader {
  readonly chainId: string;
  readonly height: number;
  readonly time: Date;
}

/**
 * A branch of a context: `ctx` sees the parent's state and writes to a buffer of its own; `commit()`
 * writes that buffer through to the parent and appends the branch's events to the parent's. A
 * branch never committed is simply dropped, leaving the parent untouched.
 */
export interface ContextBranch {
  readonly ctx: Context;
  commit(): void;
}

/**
 * Everything a keeper or handler may touch. State is reached only through `kv(storeKey)`, which is
 * gas-metered and scoped to the key's prefix, so the executor can record every read and write.
 */
export class Context {
  constructor(
    readonly header: BlockHeader,
    readonly mode: ExecMode,
    private readonly root: KVStore,
    readonly gas: GasMeter,
    readonly events: EventManager,
    /** Position of the tx in its block; -1 outside a tx (genesis, begin/end block, queries). */
    readonly txIndex = -1,
  ) {}

  /**
   * A context over an empty in-memory store, unmetered, outside any block: for work on throwaway
   * state, such as importing a genesis to check it.
   */
  static scratch(header: BlockHeader, mode: ExecMode): Context {
    return new Context(header, mode, memoryStore(), new InfiniteGasMeter(), new EventManager());
  }

  get chainId(): string {
    return this.header.chainId;
  }
  get height(): number {
    return this.header.height;
  }
  get time(): Date {
    return this.header.time;
  }

  /** This module's store: prefixed by its key, metered by the context's gas meter. */
  kv(key: StoreKey): KVStore {
    // Keepers ask for their store on every access; root and meter are fixed for this context, so
    // one view per key serves them all.
    let store = this.stores?.get(key);
    if (store === undefined) {
      store = new GasKV(new PrefixKV(this.root, key.prefix), this.gas);
      (this.stores ??= new Map()).set(key, store);
    }
    return store;
  }
  private stores: Map<StoreKey, KVStore> | undefined;

  /** The unprefixed store below this context, for the framework (branching), not for modules. */
  get rootStore(): KVStore {
    return this.root;
  }

  /**
   * A branch for work that must land all at once or not at all (a governance proposal's messages,
   * an IBC app's packet callback): the same header, mode, gas meter and tx index, its own state
   * buffer and events.
   */
  branch(): ContextBranch {
    const store = new CacheKV(this.root);
    const events = new EventManager();
    const ctx = this.with({ root: store, events });
    return {
      ctx,
      commit: () => {
        store.write();
        this.events.append(events.events);
      },
    };
  }

  /** A context over another store and event manager: how baseapp branches a tx (ante, msgs). */
  with(changes: { root?: KVStore; events?: EventManager; gas?: GasMeter; mode?: ExecMode }): Context {
    return new Context(
      this.header,
      changes.mode ?? this.mode,
      changes.root ?? this.root,
      changes.gas ?? this.gas,
      changes.events ?? this.events,
      this.txIndex,
    );
  }
}
