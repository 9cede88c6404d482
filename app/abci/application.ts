/**
 * The contract between the ABCI socket server and the application: one method per ABCI 2.0 request
 * of CometBFT v0.38 (wire package `tendermint.abci`), taking the decoded request and returning the
 * response (or a promise of it). Echo and Flush are protocol plumbing and answered by the server.
 *
 * The server serialises every call across all four CometBFT connections (one global mutex, like
 * the Go server's appMtx), so an implementation never sees two calls interleaved, even when its
 * methods are async.
 *
 * A method that throws is a bug: the server answers ResponseException and CometBFT then stops
 * itself. Bad transactions and queries must come back as non-zero `code`s instead.
 */
import { createHash } from 'node:crypto';
import {
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestCommit,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestListSnapshots,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
  type ResponseApplySnapshotChunk,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseExtendVote,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  type ResponseQuery,
  type ResponseVerifyVoteExtension,
} from 'cosmjs-types/tendermint/abci/types';

export type MaybePromise<T> = T | Promise<T>;

export interface AbciApplication {
  /** Query connection, startup handshake and `/abci_info`: report the last COMMITTED height and app hash. */
  info(req: RequestInfo): MaybePromise<ResponseInfo>;
  /** Consensus connection, once, when `info` reported height 0. Must not persist; return a non-empty app hash. */
  initChain(req: RequestInitChain): MaybePromise<ResponseInitChain>;
  /** Query connection (`/abci_query`). Answer from committed state; set `height`. */
  query(req: RequestQuery): MaybePromise<ResponseQuery>;
  /** Mempool connection, `type` NEW or RECHECK. A non-zero `code` rejects the tx. */
  checkTx(req: RequestCheckTx): MaybePromise<ResponseCheckTx>;
  /**
   * Optional: CheckTx requests that arrived back to back on the mempool connection, answered
   * together (one response each, in the same order, exactly what `checkTx` would answer one by
   * one), so work that does not depend on order (signature checks) can run for all of them at once.
   */
  checkTxBatch?(reqs: readonly RequestCheckTx[]): MaybePromise<ResponseCheckTx[]>;
  /** Proposer only. CometBFT builds the block from the returned txs (total ≤ `maxTxBytes`). */
  prepareProposal(req: RequestPrepareProposal): MaybePromise<ResponsePrepareProposal>;
  /** Every validator. Status must be ACCEPT or REJECT: UNKNOWN makes CometBFT panic. Deterministic. */
  processProposal(req: RequestProcessProposal): MaybePromise<ResponseProcessProposal>;
  /** Only once vote extensions are enabled by consensus params. */
  extendVote(req: RequestExtendVote): MaybePromise<ResponseExtendVote>;
  /** Only once vote extensions are enabled. Status must be ACCEPT or REJECT, never UNKNOWN. */
  verifyVoteExtension(req: RequestVerifyVoteExtension): MaybePromise<ResponseVerifyVoteExtension>;
  /** Execute the decided block: exactly one tx result per tx, in order, and the new app hash. Do not persist. */
  finalizeBlock(req: RequestFinalizeBlock): MaybePromise<ResponseFinalizeBlock>;
  /** Persist what finalizeBlock computed, then answer. */
  commit(req: RequestCommit): MaybePromise<ResponseCommit>;
  listSnapshots(req: RequestListSnapshots): MaybePromise<ResponseListSnapshots>;
  offerSnapshot(req: RequestOfferSnapshot): MaybePromise<ResponseOfferSnapshot>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): MaybePromise<ResponseLoadSnapshotChunk>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): MaybePromise<ResponseApplySnapshotChunk>;
}

/** The request kinds an AbciApplication handles; each is also the name of its Request/Response oneof field. */
export const APPLICATION_METHODS = [
  'info',
  'initChain',
  'query',
  'checkTx',
  'prepareProposal',
  'processProposal',
  'extendVote',
  'verifyVoteExtension',
  'finalizeBlock',
  'commit',
  'listSnapshots',
  'offerSnapshot',
  'loadSnapshotChunk',
  'applySnapshotChunk',
] as const satisfies readonly (keyof AbciApplication)[];

export type ApplicationMethod = (typeof APPLICATION_METHODS)[number];

/** sha256 of nothing: the app hash the Cosmos SDK reports for a fresh chain in InitChain. */
export const EMPTY_APP_HASH: Uint8Array = new Uint8Array(createHash('sha256').digest());

/**
 * Returns the longest prefix of `txs` whose total size fits `maxTxBytes` (what CometBFT's Go
 * BaseApplication does), so a proposal never exceeds the limit CometBFT enforces.
 * Note that CometBFT counts each tx with its protobuf overhead when it reaps the mempool; the
 * request's txs already fit, so truncation here only matters for apps that add txs.
 */
export function truncateTxs(txs: readonly Uint8Array[], maxTxBytes: bigint): Uint8Array[] {
  const out: Uint8Array[] = [];
  let total = 0n;
  for (const tx of txs) {
    total += BigInt(tx.byteLength);
    if (total > maxTxBytes) break;
    out.push(tx);
  }
  return out;
}

/**
 * Defaults for the optional parts of ABCI 2.0 (proposal handling, vote extensions, state sync),
 * each a *correct* answer rather than an empty one: the request's txs are proposed as-is,
 * proposals and vote extensions are accepted, no snapshots are offered or taken.
 * The state-bearing methods stay abstract so an app cannot forget them.
 */
export abstract class BaseApplication implements AbciApplication {
  abstract info(req: RequestInfo): MaybePromise<ResponseInfo>;
  abstract initChain(req: RequestInitChain): MaybePromise<ResponseInitChain>;
  abstract query(req: RequestQuery): MaybePromise<ResponseQuery>;
  abstract checkTx(req: RequestCheckTx): MaybePromise<ResponseCheckTx>;
  abstract finalizeBlock(req: RequestFinalizeBlock): MaybePromise<ResponseFinalizeBlock>;
  abstract commit(req: RequestCommit): MaybePromise<ResponseCommit>;

  prepareProposal(req: RequestPrepareProposal): MaybePromise<ResponsePrepareProposal> {
    return { txs: truncateTxs(req.txs, req.maxTxBytes) };
  }

  processProposal(_req: RequestProcessProposal): MaybePromise<ResponseProcessProposal> {
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  extendVote(_req: RequestExtendVote): MaybePromise<ResponseExtendVote> {
    return { voteExtension: new Uint8Array() };
  }

  verifyVoteExtension(_req: RequestVerifyVoteExtension): MaybePromise<ResponseVerifyVoteExtension> {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  listSnapshots(_req: RequestListSnapshots): MaybePromise<ResponseListSnapshots> {
    return { snapshots: [] };
  }

  /** We take no snapshots, so none offered can be restored: ABORT ends state sync cleanly. */
  offerSnapshot(_req: RequestOfferSnapshot): MaybePromise<ResponseOfferSnapshot> {
    return { result: ResponseOfferSnapshot_Result.ABORT };
  }

  /** We never listed a snapshot, so there is no chunk to load. */
  loadSnapshotChunk(_req: RequestLoadSnapshotChunk): MaybePromise<ResponseLoadSnapshotChunk> {
    return { chunk: new Uint8Array() };
  }

  /** Unreachable after offerSnapshot ABORTs; if reached, reject the snapshot rather than pretend. */
  applySnapshotChunk(_req: RequestApplySnapshotChunk): MaybePromise<ResponseApplySnapshotChunk> {
    return { result: ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT, refetchChunks: [], rejectSenders: [] };
  }
}

/** The methods every app must implement itself; the rest have correct defaults in BaseApplication. */
export type CoreAbciMethods = Pick<AbciApplication, 'info' | 'initChain' | 'query' | 'checkTx' | 'finalizeBlock' | 'commit'>;

/**
 * Adapts an object that implements the core methods (and any optional ones it chooses) into a
 * full AbciApplication, filling the rest with BaseApplication's defaults. Methods are called on
 * `app`, so `this` inside them is the app itself.
 */
export function withAbciDefaults(app: CoreAbciMethods & Partial<AbciApplication>): AbciApplication {
  return new DelegatingApplication(app);
}

class DelegatingApplication extends BaseApplication {
  readonly checkTxBatch?: (reqs: readonly RequestCheckTx[]) => MaybePromise<ResponseCheckTx[]>;

  constructor(private readonly target: CoreAbciMethods & Partial<AbciApplication>) {
    super();
    const batch = target.checkTxBatch;
    if (batch) this.checkTxBatch = (reqs) => batch.call(target, reqs);
  }
  info(req: RequestInfo) {
    return this.target.info(req);
  }
  initChain(req: RequestInitChain) {
    return this.target.initChain(req);
  }
  query(req: RequestQuery) {
    return this.target.query(req);
  }
  checkTx(req: RequestCheckTx) {
    return this.target.checkTx(req);
  }
  finalizeBlock(req: RequestFinalizeBlock) {
    return this.target.finalizeBlock(req);
  }
  commit(req: RequestCommit) {
    return this.target.commit(req);
  }
  override prepareProposal(req: RequestPrepareProposal) {
    return this.target.prepareProposal ? this.target.prepareProposal(req) : super.prepareProposal(req);
  }
  override processProposal(req: RequestProcessProposal) {
    return this.target.processProposal ? this.target.processProposal(req) : super.processProposal(req);
  }
  override extendVote(req: RequestExtendVote) {
    return this.target.extendVote ? this.target.extendVote(req) : super.extendVote(req);
  }
  override verifyVoteExtension(req: RequestVerifyVoteExtension) {
    return this.target.verifyVoteExtension ? this.target.verifyVoteExtension(req) : super.verifyVoteExtension(req);
  }
  override listSnapshots(req: RequestListSnapshots) {
    return this.target.listSnapshots ? this.target.listSnapshots(req) : super.listSnapshots(req);
  }
  override offerSnapshot(req: RequestOfferSnapshot) {
    return this.target.offerSnapshot ? this.target.offerSnapshot(req) : super.offerSnapshot(req);
  }
  override loadSnapshotChunk(req: RequestLoadSnapshotChunk) {
    return this.target.loadSnapshotChunk ? this.target.loadSnapshotChunk(req) : super.loadSnapshotChunk(req);
  }
  override applySnapshotChunk(req: RequestApplySnapshotChunk) {
    return this.target.applySnapshotChunk ? this.target.applySnapshotChunk(req) : super.applySnapshotChunk(req);
  }
}
