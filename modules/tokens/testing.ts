/**
 * Test fixtures for the tokens module (used by its specs; also handy for other modules' unit
 * tests that need balances): a tiny fake AccountKeeper and a module over an in-memory context.
 */
import { CacheKV, memoryStore } from '../../app/store/cache-kv.js';
import { governanceAuthority } from '../../app/types/authority.js';
import { makeChainConfig, type ChainConfig } from '../../app/types/chain-config.js';
import type { Context } from '../../app/types/context.js';
import type { Event } from '../../app/types/events.js';
import type { MsgHandler } from '../../app/types/module.js';
import { dumpStore, runBranch, testContext } from '../../test/harness.js';
import type { AccountKeeperForTokens } from './expected-keepers.js';
import type { TokensKeeper } from './keeper.js';
import { createTokensModule, type TokensModuleOptions } from './module.js';
import type { Module } from '../../app/types/module.js';

/** Remembers which accounts tokens asked to create, in order, once each. */
export class FakeAccounts implements AccountKeeperForTokens {
  readonly created: string[] = [];
  readonly calls: string[] = [];
  ensureAccount(_ctx: Context, address: string): void {
    this.calls.push(address);
    if (!this.created.includes(address)) this.created.push(address);
  }
}

/** A deterministic test address: 20 bytes of `n`. */
export function addr(config: ChainConfig, n: number): string {
  return config.addresses.encode(new Uint8Array(20).fill(n));
}

export interface TokensFixture {
  config: ChainConfig;
  accounts: FakeAccounts;
  module: Module;
  keeper: TokensKeeper;
  ctx: Context;
  /** The state under `ctx`, for other contexts over it (another tx of the block, EndBlock). */
  store: CacheKV;
  /** A context over the fixture's state at `ctx`'s height: tx `txIndex`, or EndBlock's (-1, mode 'block'). */
  contextAt(txIndex: number): Context;
  gov: string;
  /** Runs a Msg as baseapp would: wire round-trip, then handle on a branch dropped on error. */
  exec(typeUrl: string, msg: unknown, ctx?: Context): { error: unknown; events: Event[]; response: unknown };
  /** Every key/value in the fixture's state. */
  dump(): Map<string, string>;
  query<R = any>(path: string, request: unknown, ctx?: Context): R;
}

export function tokensFixture(genesis: unknown = {}, options: Partial<TokensModuleOptions> = {}): TokensFixture {
  const config = makeChainConfig();
  const accounts = new FakeAccounts();
  const { module, keeper } = createTokensModule({ config, accounts, ...options });
  const store = memoryStore();
  const ctx = testContext({ height: 5, txIndex: 0, store });
  module.genesis!.init(ctx, module.genesis!.validate(genesis));
  const handler = (typeUrl: string): MsgHandler => {
    const h = module.msgs!.find((m) => m.typeUrl === typeUrl);
    if (!h) throw new Error(`no handler for ${typeUrl}`);
    return h;
  };
  return {
    config,
    accounts,
    module,
    keeper,
    ctx,
    store,
    contextAt: (txIndex) => testContext({ height: ctx.height, txIndex, store, mode: txIndex < 0 ? 'block' : 'deliver' }),
    gov: governanceAuthority(config),
    exec(typeUrl, msg, on = ctx) {
      const h = handler(typeUrl);
      const decoded = h.type.decode(h.type.encode(h.type.fromPartial(msg)).finish());
      const before = on.events.events.length;
      let response: unknown;
      const error = runBranch(on, (branch) => {
        response = h.handle(branch, decoded);
      });
      if (response !== undefined) h.responseType.encode(response).finish();
      return { error, events: on.events.events.slice(before), response };
    },
    dump: () => dumpStore(store),
    query(path, request, on = ctx) {
      const q = module.queries!.find((x) => x.path === path);
      if (!q) throw new Error(`no query ${path}`);
      const req = q.requestType.decode(q.requestType.encode(q.requestType.fromPartial(request)).finish());
      const res = q.handle(on, req);
      return q.responseType.decode(q.responseType.encode(res).finish());
    },
  };
}

/** Events as [type, [[key, value]...]] for compact exact comparisons. */
export function flat(events: readonly Event[]): [string, [string, string][]][] {
  return events.map((e) => [e.type, e.attributes.map((a) => [a.key, a.value] as [string, string])]);
}
