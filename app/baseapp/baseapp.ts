import {
  CheckTxType,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
  type ExecTxResult,
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type ResponseApplySnapshotChunk,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
} from 'cosmjs-types/tendermint/abci/types';
import { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import type { Logger } from 'pino';
import { CacheKV } from '../store/cache-kv.js';
import { InfiniteGasMeter } from '../store/gas.js';
import { ReadOnlyKV } from '../store/gas-kv.js';
import { utf8 } from '../store/bytes.js';
import { checkKeySize, type KVReader } from '../store/types.js';
import { Context, type BlockHeader, type ExecMode } from '../types/context.js';
import { ErrInvalidHeight, ErrUnknownRequest, toChainError } from '../types/errors.js';
import { EventManager, type Event } from '../types/events.js';
import { timestampToDate } from '../types/timestamp.js';
import type { Module } from '../types/module.js';
import { DecodedTxCache } from './decoded-tx-cache.js';
import { EventIndexer } from './index-events.js';
import { checkNodeMinGasPrice, type NodeMinGasPrice } from './node-min-gas-price.js';
import { Router } from './router.js';
import type { DeliverPayload } from './deliver-task.js';
import { decodeFailure, runTx, type TxResult } from './run-tx.js';
import { simulateQuery } from './simulate.js';
import type { SnapshotManager } from './snapshots.js';
import type { StateStore } from './state-store.js';
import { decodeTx } from './tx-decoder.js';
import type { AnteHandler, DecodedTx } from './tx-types.js';
import type { SignatureCache } from '../crypto/signature-cache.js';
import type { AnySigItem, SignatureCheck } from '../exec/signatures.js';
import { sequentialExecutor } from '../exec/sequential.js';
import type { ExecStats, Executor } from '../exec/types.js';

export interface BaseAppOptions {
  readonly modules: readonly Module[];
  readonly ante: AnteHandler;
  readonly store: StateStore;
  /** Order of InitGenesis / ExportGenesis, begin and end blockers; default: module list order. */
  readonly genesisOrder?: readonly string[];
  readonly beginBlockOrder?: readonly string[];
  readonly endBlockOrder?: readonly string[];
  /** Largest tx the app accepts (bytes); larger ones fail CheckTx with ErrTxTooLarge. */
  readonly maxTxBytes?: number;
  readonly executor?: Executor;
  readonly logger?: Logger;
  /** Software version reported by Info. */
  readonly version?: string;
  /**
   * Signatures verified at CheckTx, offered to a parallel executor's workers (which keep their own
   * caches): `keys` names the cache keys a tx's checks will use. Never changes a result.
   */
  readonly preverified?: {
    readonly cache: SignatureCache;
    checks(ctx: Context, tx: DecodedTx): SignatureCheck[];
    /** Verifies the rest in parallel before execution (the executor's threads); one boolean each. */
    verify?(items: readonly AnySigItem[]): boolean[];
    /** Whether a CheckTx batch of this many txs is worth checking ahead with `verify` (default: always). */
    worthCheckingAhead?(txs: number): boolean;
  };
  /** This node's own mempool floor on gas prices (CheckTx only). */
  readonly nodeMinGasPrice?: NodeMinGasPrice;
  /** Told about blocks, commits and mempool checks (metrics); never changes a result. */
  readonly observer?: BaseAppObserver;
  /**
   * State sync: the manager serves and restores snapshots; one is taken after each Commit of a
   * height divisible by `interval` (0 = never take one; restoring still works).
   */
  readonly snapshots?: { readonly manager: SnapshotManager; readonly interval: number };
  /** Keep only the newest N committed heights readable (queries, proofs); 0/undefined keeps all. */
  readonly pruneKeepRecent?: number;
  /** Prune every N heights (default 1). Pruning scans history, so large chains prune less often. */
  readonly pruneInterval?: number;
  /**
   * `type.attribute` keys whose events CometBFT indexes (app.toml `index-events`); empty or
   * absent = every attribute, as the SDK. Node-local: never changes a result hash.
   */
  readonly indexEvents?: readonly string[];
}

/** What BaseApp reports as it works, for metrics and logs. Implementations must not throw. */
export interface BaseAppObserver {
  blockFinalized?(info: {
    height: number;
    txs: number;
    failedTxs: number;
    reexecutions: number;
    /** Which executor ran the block's txs, on how many threads (its stats: Block-STM blocks say 'workers'). */
    executor: ExecStats['executor'];
    workers: number;
    durationMs: number;
  }): void;
  committed?(info: { height: number; durationMs: number }): void;
  txChecked?(info: { code: number; recheck: boolean }): void;
}

/** Raw store queries, as the SDK routes them: `/store/<store name>/key` with the key as data. */
const RAW_STORE_PATH = /^\/?store\/([a-z][a-z0-9_]*)\/key$/;

/** Framework keys kept in committed state, outside every module's prefix. */
const CHAIN_ID_KEY = utf8('baseapp/chain_id');

/** Block-level events carry the phase that emitted them, like the SDK's `mode` attribute. */
type BlockPhase = 'BeginBlock' | 'EndBlock';

interface WorkingState {
  readonly store: CacheKV;
  readonly height: number;
  /** 'genesis' state is kept for the first block; a block's state is dropped if the block is re-run. */
  readonly origin: 'genesis' | 'block';
  /** The finalized block's root and what Commit needs to persist it. */
  prepared?: { readonly root: Uint8Array };
}

/**
 * The ABCI application: decodes txs, runs the ante chain and module handlers, and keeps three
 * states apart as the spec asks — the committed state (queries), the check state (mempool) and the
 * working state of the block being finalized (persisted only at Commit).
 */
export class BaseApp {
  readonly router: Router;
  private readonly modules: readonly Module[];
  private readonly store: StateStore;
  private readonly ante: AnteHandler;
  private readonly executor: Executor;
  private readonly maxTxBytes: number;
  private readonly logger?: Logger;
  private readonly version: string;
  private readonly observer?: BaseAppObserver;
  private readonly nodeMinGasPrice?: NodeMinGasPrice;
  private readonly preverified?: BaseAppOptions['preverified'];
  private readonly genesisModules: readonly Module[];
  private readonly beginBlockers: readonly Module[];
  private readonly endBlockers: readonly Module[];
  private readonly snapshots?: { readonly manager: SnapshotManager; readonly interval: number };
  private readonly pruneKeepRecent: number;
  private readonly pruneInterval: number;
  private readonly eventIndexer: EventIndexer;

  /** CheckTx's decodes, reused by PrepareProposal, ProcessProposal and FinalizeBlock. */
  private readonly decodedTxs = new DecodedTxCache();

  private chainId = '';
  private working?: WorkingState;
  private checkState!: CacheKV;
  private lastHeader?: BlockHeader;

  constructor(options: BaseAppOptions) {
    this.modules = options.modules;
    this.store = options.store;
    this.ante = options.ante;
    this.executor = options.executor ?? sequentialExecutor;
    this.maxTxBytes = options.maxTxBytes ?? 256 * 1024;
    this.logger = options.logger;
    this.version = options.version ?? '0.1.0';
    this.observer = options.observer;
    this.nodeMinGasPrice = options.nodeMinGasPrice;
    this.preverified = options.preverified;
    this.snapshots = options.snapshots;
    this.pruneKeepRecent = options.pruneKeepRecent ?? 0;
    this.pruneInterval = options.pruneInterval ?? 1;
    this.eventIndexer = new EventIndexer(options.indexEvents);
    if (!Number.isInteger(this.pruneInterval) || this.pruneInterval < 1)
      throw new Error(`pruneInterval must be an integer ≥ 1, got ${this.pruneInterval}`);
    if (!Number.isInteger(this.pruneKeepRecent) || this.pruneKeepRecent < 0)
      throw new Error(`pruneKeepRecent must be an integer ≥ 0, got ${this.pruneKeepRecent}`);
    if (this.pruneKeepRecent > 0 && !this.store.pruneBefore) throw new Error('pruneKeepRecent is set, but the store cannot prune');
    const interval = this.snapshots?.interval ?? 0;
    if (!Number.isInteger(interval) || interval < 0) throw new Error(`snapshot interval must be an integer ≥ 0, got ${interval}`);
    this.router = new Router(options.modules);
    this.router.addQuery(simulateQuery((bytes) => this.simulate(bytes)));
    const names = new Set(options.modules.map((m) => m.name));
    if (names.size !== options.modules.length) throw new Error('two modules share a name');
    this.genesisModules = this.ordered(options.genesisOrder);
    this.beginBlockers = this.ordered(options.beginBlockOrder).filter((m) => m.beginBlock);
    this.endBlockers = this.ordered(options.endBlockOrder).filter((m) => m.endBlock);
    this.loadCommittedState();
  }

  /** Check state and chain id from the latest committed state (at start, and after a restore). */
  private loadCommittedState(): void {
    this.checkState = this.overCommitted();
    const chainId = this.store.latest().get(CHAIN_ID_KEY);
    if (chainId) this.chainId = Buffer.from(chainId).toString('utf8');
  }

  // ───────────────────────── ABCI: info & genesis ─────────────────────────

  info(_req: RequestInfo): ResponseInfo {
    const { height, appHash } = this.store.lastCommit();
    return {
      data: 'parazone',
      version: this.version,
      appVersion: 0n,
      lastBlockHeight: BigInt(height),
      lastBlockAppHash: height > 0 ? appHash : new Uint8Array(),
    };
  }

  initChain(req: RequestInitChain): ResponseInitChain {
    this.chainId = req.chainId;
    const height = Number(req.initialHeight > 0n ? req.initialHeight : 1n);
    const header: BlockHeader = { chainId: req.chainId, height, time: timestampToDate(req.time) };
    const store = new CacheKV(this.store.latest());
    store.set(CHAIN_ID_KEY, utf8(req.chainId));
    const appState = parseAppState(req.appStateBytes);
    for (const name of Object.keys(appState)) {
      if (!this.modules.some((m) => m.name === name))
        throw new Error(`genesis app_state has "${name}", which is not a module of this chain`);
    }
    const ctx = new Context(header, 'genesis', store, new InfiniteGasMeter(), new EventManager());
    for (const module of this.genesisModules) {
      if (!module.genesis) continue;
      const raw = appState[module.name] ?? module.genesis.defaultGenesis();
      const genesis = module.genesis.validate(raw);
      module.genesis.init(ctx, genesis);
    }
    this.working = { store, height: height - 1, origin: 'genesis' };
    // Until the first Commit, the mempool checks txs against the genesis state (as the SDK does).
    this.checkState = new CacheKV(store);
    const { root } = this.store.computeRoot(store.changes());
    this.logger?.info({ chainId: req.chainId, initialHeight: height }, 'genesis loaded');
    return { validators: [], appHash: root };
  }

  /** The genesis `app_state` of every module at the latest committed height. */
  exportGenesis(): Record<string, unknown> {
    const ctx = this.queryContext(this.store.latest(), this.store.lastCommit().height);
    const out: Record<string, unknown> = {};
    for (const module of this.genesisModules) if (module.genesis) out[module.name] = module.genesis.export(ctx);
    return out;
  }

  // ───────────────────────── ABCI: mempool ─────────────────────────

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    let result: TxResult;
    try {
      const tx = this.decode(req.tx);
      if (this.nodeMinGasPrice) checkNodeMinGasPrice(tx, this.nodeMinGasPrice);
      result = runTx({ header: this.checkHeader(), mode, ante: this.ante, txIndex: -1 }, tx, this.checkState);
    } catch (err) {
      result = decodeFailure(err);
    }
    this.observer?.txChecked?.({ code: result.code, recheck: mode === 'recheck' });
    // CometBFT reads only the code of a recheck (it keeps or evicts the tx): nothing else is
    // worth encoding. A new tx's answer is what broadcast_tx_* hands back to the client.
    const recheck = mode === 'recheck';
    return {
      code: result.code,
      data: recheck ? EMPTY : result.data,
      log: result.log,
      info: '',
      gasWanted: BigInt(result.gasWanted),
      gasUsed: BigInt(result.gasUsed),
      events: recheck ? [] : this.eventIndexer.flag(result.events),
      codespace: result.codespace,
    };
  }

  /**
   * CheckTx requests that arrived together on the mempool connection: the signatures of the new
   * ones are verified first, all at once on the executor's threads (into the signature cache the
   * ante consults) when `preverified` finds that worth it, then every tx runs in request order
   * exactly as `checkTx` runs it, so the answers are the same as one by one. Rechecks verify
   * nothing (the ante skips signatures).
   */
  checkTxBatch(reqs: readonly RequestCheckTx[]): ResponseCheckTx[] {
    if (this.preverified?.verify) {
      const fresh: (DecodedTx | TxResult)[] = [];
      for (const req of reqs) {
        if (req.type === CheckTxType.RECHECK) continue;
        try {
          fresh.push(this.decode(req.tx));
        } catch {
          // checkTx answers it with the decode error.
        }
      }
      if (fresh.length > 0 && (this.preverified.worthCheckingAhead?.(fresh.length) ?? true)) {
        this.preverifiedKeys(this.checkHeader(), this.checkState, fresh);
      }
    }
    return reqs.map((req) => this.checkTx(req));
  }

  // ───────────────────────── ABCI: consensus ─────────────────────────

  /** Keeps, in order, the txs that decode and fit in `max_tx_bytes` (with protobuf framing). */
  prepareProposal(req: RequestPrepareProposal): ResponsePrepareProposal {
    const txs: Uint8Array[] = [];
    let total = 0;
    for (const tx of req.txs) {
      const size = protoFieldSize(tx.length);
      if (total + size > Number(req.maxTxBytes)) break;
      if (!this.decodes(tx)) continue;
      txs.push(tx);
      total += size;
    }
    return { txs };
  }

  /** Rejects a proposal carrying a tx no honest proposer would include: one that cannot be decoded. */
  processProposal(req: RequestProcessProposal): ResponseProcessProposal {
    const ok = req.txs.every((tx) => this.decodes(tx));
    return {
      status: ok ? ResponseProcessProposal_ProposalStatus.ACCEPT : ResponseProcessProposal_ProposalStatus.REJECT,
    };
  }

  extendVote(): { voteExtension: Uint8Array } {
    return { voteExtension: new Uint8Array() };
  }

  verifyVoteExtension(): { status: ResponseVerifyVoteExtension_VerifyStatus } {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    const started = performance.now();
    const height = Number(req.height);
    const header: BlockHeader = { chainId: this.chainId, height, time: timestampToDate(req.time) };
    // A block's working state exists only if CometBFT re-runs a height it never committed
    // (it restarted between FinalizeBlock and Commit): start that height over.
    if (!this.working || this.working.origin === 'block') {
      this.working = { store: this.overCommitted(), height, origin: 'block' };
    }
    const block = this.working.store;
    const blockEvents: Event[] = [];
    this.runBlockHooks(header, block, this.beginBlockers, 'BeginBlock', blockEvents);

    const decoded = req.txs.map((bytes) => {
      try {
        return this.decode(bytes);
      } catch (err) {
        return decodeFailure(err);
      }
    });
    const payload: DeliverPayload = {
      chainId: this.chainId,
      height,
      timeMs: header.time.getTime(),
      txs: req.txs,
      maxTxBytes: this.maxTxBytes,
      verifiedSignatures: this.preverifiedKeys(header, block, decoded),
    };
    const { outputs, writes, stats } = this.executor.execute(block, {
      count: decoded.length,
      payload,
      run: (index, view) => {
        const tx = decoded[index]!;
        if (!isDecoded(tx)) return tx;
        return runTx({ header, mode: 'deliver', ante: this.ante, txIndex: index }, tx, view);
      },
    });
    for (const { key, value } of writes) {
      if (value === null) block.delete(key);
      else block.set(key, value);
    }

    this.runBlockHooks(header, block, this.endBlockers, 'EndBlock', blockEvents);
    const prepared = this.store.computeRoot(block.changes());
    const root = prepared.root;
    this.working = { store: block, height, origin: 'block', prepared };
    this.lastHeader = header;
    this.observer?.blockFinalized?.({
      height,
      txs: outputs.length,
      failedTxs: outputs.filter((r) => r.code !== 0).length,
      reexecutions: stats.executions - stats.txs,
      executor: stats.executor,
      workers: stats.workers,
      durationMs: performance.now() - started,
    });
    return {
      events: this.eventIndexer.flag(blockEvents),
      txResults: outputs.map((r) => toExecTxResult(r, this.eventIndexer)),
      validatorUpdates: [],
      appHash: root,
    };
  }

  commit(): ResponseCommit {
    const working = this.working;
    if (!working || working.origin !== 'block' || !working.prepared) {
      throw new Error('Commit without a finalized block: CometBFT must call FinalizeBlock first');
    }
    const started = performance.now();
    this.store.commit(working.height, working.store.changes(), working.prepared);
    this.working = undefined;
    this.checkState = this.overCommitted();
    this.logger?.debug({ height: working.height }, 'committed');
    this.observer?.committed?.({ height: working.height, durationMs: performance.now() - started });
    this.afterCommit(working.height);
    return { retainHeight: 0n };
  }

  /**
   * Node-local housekeeping once a height is durable: a snapshot every `interval` heights, then
   * pruning. Neither changes the state or the app hash, so a failure is logged, never fatal.
   * The snapshot is written synchronously from the committed reader (nothing can change the state
   * meanwhile); at our state sizes this takes well under a second (see snapshots.spec.ts), a pause
   * the next block absorbs. A much larger state would call for writing it from a historical reader
   * off the consensus path.
   */
  private afterCommit(height: number): void {
    const snapshots = this.snapshots;
    if (snapshots && snapshots.interval > 0 && height % snapshots.interval === 0) {
      try {
        const started = performance.now();
        const snapshot = snapshots.manager.create(height, this.store.latest());
        this.logger?.info({ height, chunks: snapshot.chunks, durationMs: Math.round(performance.now() - started) }, 'state snapshot taken');
      } catch (err) {
        this.logger?.error({ height, err }, 'taking a state snapshot failed');
      }
    }
    if (this.pruneKeepRecent > 0 && this.store.pruneBefore && height % this.pruneInterval === 0) {
      const keepFrom = height - this.pruneKeepRecent + 1;
      if (keepFrom > (this.store.earliestHeight?.() ?? 0)) {
        try {
          this.store.pruneBefore(keepFrom);
        } catch (err) {
          this.logger?.error({ height, keepFrom, err }, 'pruning old state versions failed');
        }
      }
    }
  }

  // ───────────────────────── ABCI: queries ─────────────────────────

  query(req: RequestQuery): ResponseQuery {
    const last = this.store.lastCommit().height;
    const height = req.height === 0n ? last : Number(req.height);
    try {
      if (height > last || height < 0) throw ErrInvalidHeight.wrap(`height ${height} is not committed yet (latest ${last})`);
      const earliest = this.store.earliestHeight?.() ?? 0;
      if (height < earliest) {
        throw ErrInvalidHeight.wrap(
          `height ${height} is pruned on this node: it keeps heights ${earliest}..${last} (app.toml [pruning] keep_recent); query a recent height or an archive node`,
        );
      }
      const raw = RAW_STORE_PATH.exec(req.path);
      if (raw) return this.queryRawStore(raw[1]!, req.data, height, req.prove);
      const { handler, request } = this.router.routeQuery(req.path, req.data);
      const reader = height === last ? this.store.latest() : this.store.readerAt(height);
      const response = handler.handle(this.queryContext(reader, height), request);
      return queryResponse({ value: handler.responseType.encode(response).finish(), height: BigInt(height) });
    } catch (err) {
      const chainErr = toChainError(err);
      return queryResponse({ code: chainErr.code, codespace: chainErr.codespace, log: chainErr.message, height: BigInt(height) });
    }
  }

  /**
   * `/store/<storeKey>/key`: a module store's raw value at a height, with an ICS-23 proof (the
   * tree's root at height H is the app hash in block H+1's header) when `prove` is set.
   */
  private queryRawStore(storeName: string, key: Uint8Array, height: number, prove: boolean): ResponseQuery {
    const module = this.modules.find((m) => m.storeKey?.name === storeName);
    if (!module?.storeKey) throw ErrUnknownRequest.wrap(`no store named "${storeName}"`);
    const fullKey = new Uint8Array([...module.storeKey.prefix, ...key]);
    checkKeySize(fullKey);
    const reader = height === this.store.lastCommit().height ? this.store.latest() : this.store.readerAt(height);
    const value = reader.get(fullKey) ?? new Uint8Array();
    let proofOps: ResponseQuery['proofOps'];
    if (prove) {
      if (!this.store.prove) throw ErrUnknownRequest.wrap('this store does not produce proofs');
      const { proof } = this.store.prove(height, fullKey);
      proofOps = { ops: [{ type: 'ics23:smt', key: fullKey, data: CommitmentProof.encode(proof).finish() }] };
    }
    return queryResponse({ key: fullKey, value, height: BigInt(height), proofOps });
  }

  /** Runs a tx on a throw-away branch of the check state without signature checks. */
  simulate(txBytes: Uint8Array): TxResult {
    const tx = this.decode(txBytes);
    return runTx({ header: this.checkHeader(), mode: 'simulate', ante: this.ante, txIndex: -1 }, tx, new CacheKV(this.checkState));
  }

  // ───────────────────────── ABCI: state sync (app/baseapp/snapshots.ts) ─────────────────────────

  listSnapshots(): ResponseListSnapshots {
    return { snapshots: this.snapshots?.manager.list() ?? [] };
  }

  offerSnapshot(req: RequestOfferSnapshot): ResponseOfferSnapshot {
    if (!this.snapshots) return { result: ResponseOfferSnapshot_Result.REJECT };
    return { result: this.snapshots.manager.offer(req.snapshot, req.appHash) };
  }

  loadSnapshotChunk(req: RequestLoadSnapshotChunk): ResponseLoadSnapshotChunk {
    if (!this.snapshots) return { chunk: new Uint8Array() };
    return { chunk: this.snapshots.manager.loadChunk(Number(req.height), req.format, req.chunk) };
  }

  applySnapshotChunk(req: RequestApplySnapshotChunk): ResponseApplySnapshotChunk {
    if (!this.snapshots) return { result: ResponseApplySnapshotChunk_Result.ABORT, refetchChunks: [], rejectSenders: [] };
    const before = this.store.lastCommit().height;
    const res = this.snapshots.manager.applyChunk(req.index, req.chunk, req.sender);
    // The last chunk committed the restored height: serve that state from now on.
    if (this.store.lastCommit().height !== before) {
      this.working = undefined;
      this.lastHeader = undefined;
      this.loadCommittedState();
      this.logger?.info({ height: this.store.lastCommit().height, chainId: this.chainId }, 'serving the restored state');
    }
    return res;
  }

  // ───────────────────────── helpers ─────────────────────────

  /** Runs invariants of every module over the latest committed state; returns broken ones. */
  checkInvariants(): string[] {
    const ctx = this.queryContext(this.store.latest(), this.store.lastCommit().height);
    const broken: string[] = [];
    for (const module of this.modules) {
      for (const inv of module.invariants ?? []) {
        const msg = inv.check(ctx);
        if (msg) broken.push(`${module.name}/${inv.name}: ${msg}`);
      }
    }
    return broken;
  }

  get lastCommittedHeight(): number {
    return this.store.lastCommit().height;
  }

  decode(bytes: Uint8Array): DecodedTx {
    return this.decodedTxs.decode(bytes, (b) => decodeTx(b, (url) => this.router.handler(url), this.maxTxBytes, this.router.schemas));
  }

  /**
   * Cache keys of these txs' signatures known to be valid: verified earlier on this node (at
   * CheckTx), or now, in parallel, by the executor's threads — for a block before it runs, and for
   * a batch of CheckTx before it is checked. A failed check is simply left out: the ante then
   * verifies it itself and rejects the tx, so the result never depends on this step.
   */
  private preverifiedKeys(header: BlockHeader, block: CacheKV, txs: readonly (DecodedTx | TxResult)[]): string[] {
    const pre = this.preverified;
    if (!pre) return [];
    const ctx = new Context(header, 'query', new ReadOnlyKV(new CacheKV(block)), new InfiniteGasMeter(), new EventManager());
    const keys: string[] = [];
    const pending: SignatureCheck[] = [];
    for (const tx of txs) {
      if (!isDecoded(tx)) continue;
      for (const check of pre.checks(ctx, tx)) {
        if (pre.cache.has(check.key)) keys.push(check.key);
        else pending.push(check);
      }
    }
    if (pending.length > 0 && pre.verify) {
      const valid = pre.verify(pending.map((c) => c.item));
      pending.forEach((check, i) => {
        if (!valid[i]) return;
        keys.push(check.key);
        // This thread runs txs too (and the whole block on a sequential fallback): without the
        // key in its own cache its ante would verify the signature a second time.
        pre.cache.add(check.key);
      });
    }
    return keys;
  }

  private decodes(bytes: Uint8Array): boolean {
    try {
      this.decode(bytes);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A branch of the latest committed state that remembers what it read: the committed state
   * changes only at Commit, which replaces the block's and the mempool's branches, and a block
   * reads each account and balance several times.
   */
  private overCommitted(): CacheKV {
    return new CacheKV(this.store.latest(), { cacheReads: true });
  }

  /** CheckTx runs "in" the next block: the last finalized header's time, height + 1. */
  private checkHeader(): BlockHeader {
    const height = this.store.lastCommit().height + 1;
    return { chainId: this.chainId, height, time: this.lastHeader?.time ?? new Date(0) };
  }

  private queryContext(reader: KVReader, height: number): Context {
    const header: BlockHeader = { chainId: this.chainId, height, time: this.lastHeader?.time ?? new Date(0) };
    return new Context(header, 'query', new ReadOnlyKV(new CacheKV(reader)), new InfiniteGasMeter(), new EventManager());
  }

  private runBlockHooks(header: BlockHeader, store: CacheKV, modules: readonly Module[], phase: BlockPhase, out: Event[]): void {
    for (const module of modules) {
      const events = new EventManager();
      const ctx = new Context(header, 'block', store, new InfiniteGasMeter(), events);
      // A failing block hook is a bug in that module; it must halt the chain loudly, not diverge.
      if (phase === 'BeginBlock') module.beginBlock!(ctx);
      else module.endBlock!(ctx);
      for (const e of events.events) out.push({ type: e.type, attributes: [...e.attributes, { key: 'mode', value: phase, index: true }] });
    }
  }

  private ordered(order: readonly string[] | undefined): Module[] {
    if (!order) return [...this.modules];
    const byName = new Map(this.modules.map((m) => [m.name, m]));
    const out = order.map((name) => {
      const m = byName.get(name);
      if (!m) throw new Error(`module order names "${name}", which is not a module of this chain`);
      return m;
    });
    for (const m of this.modules) if (!order.includes(m.name)) out.push(m);
    return out;
  }
}

function isDecoded(tx: DecodedTx | TxResult): tx is DecodedTx {
  return (tx as DecodedTx).raw !== undefined;
}

const EMPTY = new Uint8Array();

function toExecTxResult(r: TxResult, indexer: EventIndexer): ExecTxResult {
  return {
    code: r.code,
    data: r.data,
    log: r.log,
    info: '',
    gasWanted: BigInt(r.gasWanted),
    gasUsed: BigInt(r.gasUsed),
    events: indexer.flag(r.events),
    codespace: r.codespace,
  };
}

function queryResponse(partial: Partial<ResponseQuery>): ResponseQuery {
  return {
    code: 0,
    log: '',
    info: '',
    index: 0n,
    key: new Uint8Array(),
    value: new Uint8Array(),
    height: 0n,
    codespace: '',
    ...partial,
  };
}

function parseAppState(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) return {};
  const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('genesis app_state must be a JSON object keyed by module name');
  }
  return parsed as Record<string, unknown>;
}

/** Bytes a tx takes inside the block's protobuf `Data.txs`: tag + length varint + body. */
function protoFieldSize(length: number): number {
  let varint = 1;
  for (let n = length; n >= 0x80; n >>>= 7) varint++;
  return 1 + varint + length;
}
