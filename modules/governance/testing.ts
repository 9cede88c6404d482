/**
 * Test fixtures for the governance specs: a store-backed fake bank (so branch discards roll its
 * writes back like real state), a tiny "notes" module with an authority-only Msg, a router, and a
 * harness that runs txs and blocks over one in-memory store.
 */
import { governanceAuthority } from '../../app/types/authority.js';
import { prefixEnd, utf8 } from '../../app/store/bytes.js';
import { memoryStore } from '../../app/store/cache-kv.js';
import { StoreKey } from '../../app/store/types.js';
import type { KVStore } from '../../app/store/types.js';
import { makeChainConfig, type ChainConfig } from '../../app/types/chain-config.js';
import type { Coin } from '../../app/types/coins.js';
import type { Context } from '../../app/types/context.js';
import { ErrInsufficientFunds, ErrInvalidRequest, ErrUnauthorized } from '../../app/types/errors.js';
import type { Event } from '../../app/types/events.js';
import type { Module, MsgHandler, ProtoType } from '../../app/types/module.js';
import { dumpStore, runBranch, testContext } from '../../test/harness.js';
import type { Any } from '../../generated/google/protobuf/any.js';
import { Params } from '../../generated/parazone/governance/v1/gov.js';
import type { BankKeeper, MsgRouter } from './expected-keepers.js';
import type { GovernanceKeeper } from './keeper.js';
import { createGovernanceModule } from './module.js';

// ------------------------------------------------------------------ fake bank

const BANK_KEY = new StoreKey('fakebank');
const text = new TextDecoder();

/** Balances and supply in the context's store, keyed by address bytes (hex) and denom. */
export class FakeBank implements BankKeeper {
  constructor(readonly config: ChainConfig) {}

  private hex(address: string): string {
    return Buffer.from(this.config.addresses.decode(address)).toString('hex');
  }
  private balanceKey(address: string, denom: string): Uint8Array {
    return utf8(`b/${this.hex(address)}/${denom}`);
  }
  private supplyKey(denom: string): Uint8Array {
    return utf8(`s/${denom}`);
  }
  private store(ctx: Context): KVStore {
    return ctx.kv(BANK_KEY);
  }
  private read(ctx: Context, key: Uint8Array): bigint {
    const raw = this.store(ctx).get(key);
    return raw ? BigInt(text.decode(raw)) : 0n;
  }
  private write(ctx: Context, key: Uint8Array, value: bigint): void {
    if (value < 0n) throw new Error('negative amount');
    if (value === 0n) this.store(ctx).delete(key);
    else this.store(ctx).set(key, utf8(value.toString()));
  }

  getBalance(ctx: Context, address: string, denom: string): bigint {
    return this.read(ctx, this.balanceKey(address, denom));
  }
  getAllBalances(ctx: Context, address: string): Coin[] {
    const prefix = utf8(`b/${this.hex(address)}/`);
    return [...this.store(ctx).iterator(prefix, prefixEnd(prefix))].map(({ key, value }) => ({
      denom: text.decode(key.subarray(prefix.length)),
      amount: text.decode(value),
    }));
  }
  getSupply(ctx: Context, denom: string): bigint {
    return this.read(ctx, this.supplyKey(denom));
  }
  /** Σ of every account's balance of `denom` (checks supply bookkeeping in tests). */
  sumOfBalances(ctx: Context, denom: string): bigint {
    const prefix = utf8('b/');
    let sum = 0n;
    for (const { key, value } of this.store(ctx).iterator(prefix, prefixEnd(prefix))) {
      if (text.decode(key).endsWith(`/${denom}`)) sum += BigInt(text.decode(value));
    }
    return sum;
  }
  moduleAddress(name: string): string {
    return this.config.addresses.moduleAddress(name);
  }
  sendCoins(ctx: Context, from: string, to: string, coins: Coin[]): void {
    for (const c of coins) {
      const have = this.getBalance(ctx, from, c.denom);
      if (have < BigInt(c.amount)) throw ErrInsufficientFunds.wrap(`${have}${c.denom} is smaller than ${c.amount}${c.denom}`);
      this.write(ctx, this.balanceKey(from, c.denom), have - BigInt(c.amount));
      this.write(ctx, this.balanceKey(to, c.denom), this.getBalance(ctx, to, c.denom) + BigInt(c.amount));
    }
  }
  sendCoinsFromAccountToModule(ctx: Context, from: string, moduleName: string, coins: Coin[]): void {
    this.sendCoins(ctx, from, this.moduleAddress(moduleName), coins);
  }
  sendCoinsFromModuleToAccount(ctx: Context, moduleName: string, to: string, coins: Coin[]): void {
    this.sendCoins(ctx, this.moduleAddress(moduleName), to, coins);
  }
  mint(ctx: Context, to: string, coins: Coin[]): void {
    for (const c of coins) {
      this.write(ctx, this.balanceKey(to, c.denom), this.getBalance(ctx, to, c.denom) + BigInt(c.amount));
      this.write(ctx, this.supplyKey(c.denom), this.getSupply(ctx, c.denom) + BigInt(c.amount));
    }
  }
  burnCoins(ctx: Context, moduleName: string, coins: Coin[]): void {
    const from = this.moduleAddress(moduleName);
    for (const c of coins) {
      const have = this.getBalance(ctx, from, c.denom);
      if (have < BigInt(c.amount)) throw ErrInsufficientFunds.wrap(`cannot burn ${c.amount}${c.denom}`);
      this.write(ctx, this.balanceKey(from, c.denom), have - BigInt(c.amount));
      this.write(ctx, this.supplyKey(c.denom), this.getSupply(ctx, c.denom) - BigInt(c.amount));
    }
  }
}

// ------------------------------------------------------------------ a tiny module with governed Msgs

/** A JSON codec shaped like a protobuf ProtoType: enough for an in-test module. */
function jsonType<T>(): ProtoType<T> {
  return {
    encode: (message: T) => ({ finish: () => utf8(JSON.stringify(message)) }),
    decode: (input: Uint8Array) => JSON.parse(text.decode(input)) as T,
    fromPartial: (object: any) => object as T,
  };
}

export interface MsgSetNote {
  authority: string;
  key: string;
  value: string;
}
export interface MsgUserNote {
  signer: string;
  key: string;
}
export interface MsgMintTo {
  authority: string;
  to: string;
  amount: Coin[];
}
export interface MsgMoveFrom {
  authority: string;
  to: string;
  amount: Coin[];
}

export const NOTES = {
  setNote: '/test.notes.MsgSetNote',
  userNote: '/test.notes.MsgUserNote',
  mintTo: '/test.notes.MsgMintTo',
  moveFromGov: '/test.notes.MsgMoveFromGov',
} as const;

const NOTES_KEY = new StoreKey('notes');

export function notesModule(config: ChainConfig, bank: FakeBank): Module {
  const gov = governanceAuthority(config);
  const requireGov = (authority: string) => {
    if (authority !== gov) throw ErrUnauthorized.wrap(`expected ${gov}, got ${authority}`);
  };
  const msgs: MsgHandler[] = [
    {
      typeUrl: NOTES.setNote,
      type: jsonType<MsgSetNote>(),
      responseType: jsonType<object>(),
      signers: (m: MsgSetNote) => [m.authority],
      validateBasic: (m: MsgSetNote) => {
        if (!m.key) throw ErrInvalidRequest.wrap('note key must not be empty');
      },
      handle(ctx: Context, m: MsgSetNote) {
        requireGov(m.authority);
        ctx.kv(NOTES_KEY).set(utf8(m.key), utf8(m.value));
        ctx.events.emit('note_set', { key: m.key });
        // Writes first, then fails: proves a failed message leaves nothing behind.
        if (m.value === 'fail') throw ErrInvalidRequest.wrap('the note "fail" is refused');
        return {};
      },
    },
    {
      typeUrl: NOTES.userNote,
      type: jsonType<MsgUserNote>(),
      responseType: jsonType<object>(),
      signers: (m: MsgUserNote) => [m.signer],
      handle: () => ({}),
    },
    {
      typeUrl: NOTES.mintTo,
      type: jsonType<MsgMintTo>(),
      responseType: jsonType<object>(),
      signers: (m: MsgMintTo) => [m.authority],
      handle(ctx: Context, m: MsgMintTo) {
        requireGov(m.authority);
        bank.mint(ctx, m.to, m.amount);
        return {};
      },
    },
    {
      typeUrl: NOTES.moveFromGov,
      type: jsonType<MsgMoveFrom>(),
      responseType: jsonType<object>(),
      signers: (m: MsgMoveFrom) => [m.authority],
      handle(ctx: Context, m: MsgMoveFrom) {
        requireGov(m.authority);
        bank.sendCoins(ctx, gov, m.to, m.amount);
        return {};
      },
    },
  ];
  return { name: 'notes', storeKey: NOTES_KEY, msgs };
}

export function readNote(ctx: Context, key: string): string | undefined {
  const raw = ctx.kv(NOTES_KEY).get(utf8(key));
  return raw ? text.decode(raw) : undefined;
}

// ------------------------------------------------------------------ harness

export const DENOM = 'ugov';
export const T0 = new Date('2026-01-01T00:00:00Z');

/** Test params: small deposits, periods in seconds. */
export function testParams(overrides: Partial<Params> = {}): Params {
  return Params.fromPartial({
    minDeposit: [{ denom: DENOM, amount: '1000' }],
    maxDepositPeriodSeconds: 100n,
    votingPeriodSeconds: 100n,
    quorum: '0.334',
    threshold: '0.5',
    vetoThreshold: '0.334',
    minInitialDepositRatio: '0.1',
    proposalCancelRatio: '0.5',
    proposalCancelDest: '',
    burnVoteQuorum: false,
    burnProposalDepositPrevote: false,
    burnVoteVeto: true,
    maxMetadataLen: 255n,
    maxTitleLen: 255n,
    maxSummaryLen: 10200n,
    maxMessages: 10n,
    govDenom: DENOM,
    maxProposalsPerBlock: 100n,
    maxTallyVotesPerBlock: 10000n,
    ...overrides,
  });
}

export interface ExecResult {
  error: unknown;
  events: Event[];
  response: any;
}

export interface GovHarness {
  config: ChainConfig;
  bank: FakeBank;
  keeper: GovernanceKeeper;
  module: Module;
  router: MsgRouter;
  gov: string;
  treasury: string;
  /** The current block's context (deliver mode). */
  ctx(): Context;
  /** Account n: 20 bytes of n. */
  addr(n: number): string;
  fund(address: string, amount: bigint, denom?: string): void;
  balance(address: string, denom?: string): bigint;
  /** Runs a Msg as baseapp would: wire round-trip, validateBasic, handle on a branch dropped on error. */
  exec(typeUrl: string, msg: unknown): ExecResult;
  /** Ends the current block (EndBlock at its time), then starts the next one `seconds` later. */
  endBlock(): Event[];
  advance(seconds: number): void;
  /** Advances to `seconds` later and runs that block's EndBlock. */
  block(seconds: number): Event[];
  query<R = any>(path: string, request: unknown): R;
  dump(): Map<string, string>;
  anyOf(typeUrl: string, msg: unknown): Any;
}

export function govHarness(params: Params = testParams(), extraNonVoting?: readonly string[]): GovHarness {
  const config = makeChainConfig();
  const bank = new FakeBank(config);
  const routes = new Map<string, MsgHandler>();
  const router: MsgRouter = { handler: (typeUrl) => routes.get(typeUrl) };
  const { module, keeper } = createGovernanceModule({ config, bank, router, nonVotingModules: extraNonVoting });
  const notes = notesModule(config, bank);
  for (const h of [...module.msgs!, ...notes.msgs!]) routes.set(h.typeUrl, h);
  const store = memoryStore();
  let height = 1;
  let time = T0.getTime();
  let current = testContext({ store, height, time: new Date(time) });
  const ctx = () => current;
  module.genesis!.init(current, module.genesis!.validate({ startingProposalId: '1', params: Params.toJSON(params) }));

  const h: GovHarness = {
    config,
    bank,
    keeper,
    module,
    router,
    gov: keeper.authority,
    treasury: keeper.treasuryAddress,
    ctx,
    addr: (n) => config.addresses.encode(new Uint8Array(20).fill(n)),
    fund: (address, amount, denom = DENOM) => bank.mint(current, address, [{ denom, amount: amount.toString() }]),
    balance: (address, denom = DENOM) => bank.getBalance(current, address, denom),
    exec(typeUrl, msg) {
      const handler = router.handler(typeUrl);
      if (!handler) throw new Error(`no handler for ${typeUrl}`);
      const decoded = handler.type.decode(handler.type.encode(handler.type.fromPartial(msg)).finish());
      const before = current.events.events.length;
      let response: unknown;
      let error: unknown;
      try {
        handler.validateBasic?.(decoded);
      } catch (err) {
        error = err;
      }
      if (!error) {
        error = runBranch(current, (branch) => {
          response = handler.handle(branch, decoded);
        });
      }
      if (response !== undefined) handler.responseType.encode(response).finish();
      return { error, events: current.events.events.slice(before), response };
    },
    endBlock() {
      const before = current.events.events.length;
      module.endBlock!(current);
      return current.events.events.slice(before);
    },
    advance(seconds) {
      height += 1;
      time += seconds * 1000;
      current = testContext({ store, height, time: new Date(time) });
    },
    block(seconds) {
      h.advance(seconds);
      return h.endBlock();
    },
    query(path, request) {
      const q = module.queries!.find((x) => x.path === path);
      if (!q) throw new Error(`no query ${path}`);
      const qctx = testContext({ store, height, time: new Date(time), mode: 'query' });
      const req = q.requestType.decode(q.requestType.encode(q.requestType.fromPartial(request)).finish());
      const res = q.handle(qctx, req);
      return q.responseType.decode(q.responseType.encode(res).finish());
    },
    dump: () => dumpStore(store),
    anyOf(typeUrl, msg) {
      const handler = router.handler(typeUrl);
      if (!handler) throw new Error(`no handler for ${typeUrl}`);
      return { typeUrl, value: Buffer.from(handler.type.encode(handler.type.fromPartial(msg)).finish()) };
    },
  };
  return h;
}

/** Events as [type, {key: value}] for readable assertions. */
export function eventsOf(events: readonly Event[], type: string): Record<string, string>[] {
  return events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}
