/**
 * The persistent store: committed state in LMDB, one write transaction per block.
 *
 * Layout (one LMDB environment, four named databases, all binary keys in byte order):
 *   state    0x01 ‖ key                         → value            latest committed state (fast path;
 *                                                                    the 0x01 lets the empty key exist)
 *   history  esc(key) ‖ 0x00 0x00 ‖ ~height(8)  → 0x01 ‖ value | 0x00 (tombstone)
 *            every version ever written; esc() escapes 0x00 as 0x00 0xFF so the key order is kept and
 *            the 0x00 0x00 terminator is unambiguous; the inverted big-endian height puts the newest
 *            version first, so "value at height h" is one seek to esc(key)‖0x00 0x00‖~h.
 *   nodes    seq(8) ‖ hash(32)                   → SMT record: a page of up to 4 tree levels, or a
 *                                                                    leaf (see smt.ts); seq numbers the
 *                                                                    commit that wrote it, so each commit
 *                                                                    appends its records in one run
 *   meta     "last"                              → height(8) ‖ root(32) ‖ rootSeq(8) ‖ lastSeq(8)
 *            "earliest"                          → height(8)         oldest height still readable
 *            "root" ‖ height(8)                  → root(32) ‖ rootSeq(8)
 *            "format"                            → DATA_FORMAT       layout version of the directory
 *
 * `commit` writes a block's data, history, nodes, root and height in ONE LMDB write transaction:
 * after a crash the store reopens at the last fully committed height, whose root matches its data.
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import type { CommitmentProof } from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { compareBytes, keyString } from './bytes.js';
import { CacheKV } from './cache-kv.js';
import { EMPTY_ROOT, proveSmt, updateSmt, type NodeSource, type PendingNodes, type SmtNode, type SmtRef, type SmtUpdate } from './smt.js';
import { Slabs } from './slabs.js';
import { SubtreeRunnerError, SubtreeWorker, updateSmtSplit, type SubtreeRunner } from './smt-split.js';
import { decodeJobs, encodeAnswer } from './smt-wire.js';
import { MAX_KEY_BYTES, type KVChange, type KVPair, type KVReader } from './types.js';

export interface CommitInfo {
  readonly height: number;
  /** The SMT root of the state at `height` (EMPTY_ROOT for empty state). */
  readonly appHash: Uint8Array;
}

/** The result of `computeRoot`: what the next commit will write, computed but not yet persisted. */
export interface PreparedCommit {
  /** The root the changes were applied to; `commit` refuses a preparation made on another root. */
  readonly baseRoot: Uint8Array;
  readonly root: Uint8Array;
  /** Where the new root's record lives, and the seq of the records in `pending`. */
  readonly rootRef?: SmtRef;
  readonly seq?: number;
  readonly pending: PendingNodes;
  /**
   * The changes `commit` writes: those given, less deletes of keys the committed state does not
   * hold (a block's per-tx records that its EndBlock sweeps away), which would change neither the
   * root nor any read, only cost a tree walk and two LMDB writes each.
   */
  readonly changes: readonly KVChange[];
  /** The new tree in memory, kept by `commit` so the next block walks its top by pointer. */
  readonly rootNode?: SmtNode;
}

export interface CommitStoreOptions {
  /** Skip fsync (tests, benchmarks): a machine crash may lose recent blocks, a process crash cannot. */
  readonly noSync?: boolean;
  /** Open for reading only (worker threads of the parallel executor read the node's store). */
  readonly readOnly?: boolean;
}

/** 0x01, not 0x00: lmdb-js's unbounded reverse scans never return the one-byte key 0x00. */
const STATE_PREFIX = 0x01;
const TOMBSTONE = 0x00;
const LIVE = 0x01;
const TOMBSTONE_VALUE = Buffer.of(TOMBSTONE);
const META_LAST = Buffer.from('last');
const META_EARLIEST = Buffer.from('earliest');
const META_ROOT = Buffer.from('root');
const META_FORMAT = Buffer.from('format');
/**
 * The data directory's layout version: written with the first commit, checked at every open. A
 * directory of an older version is refused with the reason below (what this node reads differently)
 * and what to do instead. Stores without the marker are version 1.
 *   2: SMT nodes stored in pages (smt.ts); before, one node per entry.
 *   3: account numbers 0, 1, 2, … (modules/auth/account-numbers.ts); before, accounts created in a
 *      block were numbered height·2^24 + tx index·2^8 + k.
 */
const DATA_FORMAT = Buffer.of(3);
const OLDER_FORMATS: Readonly<Record<number, string>> = {
  1: 'this data directory predates the paged node layout: delete it and state-sync or replay from genesis',
  2:
    'this data directory predates dense account numbers (its accounts are numbered height·2^24 + tx index·2^8 + k, ' +
    'which this node neither reads nor continues): export its state with the version that wrote it (`parazone export`) ' +
    'and start a new chain from that genesis, or delete it and state-sync from a node of this version',
};

// ---------------------------------------------------------------------------------------------
// Key encodings

function heightBytes(height: number): Buffer {
  const out = Buffer.allocUnsafe(8);
  out.writeUInt32BE(Math.floor(height / 0x1_0000_0000), 0);
  out.writeUInt32BE(height >>> 0, 4);
  return out;
}

function readHeight(bytes: Uint8Array, offset = 0): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 8);
  return b.readUInt32BE(0) * 0x1_0000_0000 + b.readUInt32BE(4);
}

/** ~height: newer heights sort first. */
function invertedHeight(height: number): Buffer {
  const out = heightBytes(height);
  for (let i = 0; i < 8; i++) out[i] = 255 - out[i]!;
  return out;
}

function heightFromInverted(bytes: Uint8Array, offset: number): number {
  const copy = Buffer.allocUnsafe(8);
  for (let i = 0; i < 8; i++) copy[i] = 255 - bytes[offset + i]!;
  return readHeight(copy);
}

/** Order-preserving escape: 0x00 → 0x00 0xFF; never yields 0x00 0x00, which thus ends a key. */
function escapeKey(key: Uint8Array): Buffer {
  let zeros = 0;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) zeros++;
  const out = Buffer.allocUnsafe(key.length + zeros);
  let j = 0;
  for (let i = 0; i < key.length; i++) {
    out[j++] = key[i]!;
    if (key[i] === 0) out[j++] = 0xff;
  }
  return out;
}

function unescapeKey(escaped: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    out.push(escaped[i]!);
    if (escaped[i] === 0) i++; // skip the 0xFF
  }
  return Uint8Array.from(out);
}

/** esc(key) ‖ 0x00 0x00 ‖ ~height, built in one buffer (commit writes one per changed key). */
function historyKey(key: Uint8Array, version: Uint8Array): Buffer {
  let zeros = 0;
  for (let i = 0; i < key.length; i++) if (key[i] === 0) zeros++;
  const out = Buffer.allocUnsafe(key.length + zeros + 2 + 8);
  let j = 0;
  for (let i = 0; i < key.length; i++) {
    out[j++] = key[i]!;
    if (key[i] === 0) out[j++] = 0xff;
  }
  out[j++] = 0;
  out[j++] = 0;
  out.set(version, j);
  return out;
}

/** esc(key) ‖ 0x00 0x00: the prefix of every history entry of `key`. */
function historyPrefix(key: Uint8Array): Buffer {
  return Buffer.concat([escapeKey(key), Buffer.from([0, 0])]);
}

/** The smallest history key after every version of the key whose prefix is `prefix`. */
function afterVersions(prefix: Uint8Array): Buffer {
  const out = Buffer.from(prefix);
  out[out.length - 1] = 0x01;
  return out;
}

function stateKey(key: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(key.length + 1);
  out[0] = STATE_PREFIX;
  out.set(key, 1);
  return out;
}

// Point reads build their LMDB key in one reused buffer: lmdb-js copies a key into its own key
// buffer before the call returns, and a fresh Buffer per read was one of the block path's largest
// allocation costs (a new 8 KiB pool every ~150 reads).
/** A commit's state values (with their live marker), copied into LMDB by the write and then dropped. */
const liveValues = new Slabs(256 * 1024);

let lookupScratch = Buffer.allocUnsafeSlow(256);

/** `stateKey(key)` in a scratch buffer that the next lookup overwrites: for get/has only. */
function stateLookupKey(key: Uint8Array): Buffer {
  if (key.length + 1 > lookupScratch.length) lookupScratch = Buffer.allocUnsafeSlow(Math.max(key.length + 1, 2 * lookupScratch.length));
  lookupScratch[0] = STATE_PREFIX;
  lookupScratch.set(key, 1);
  return lookupScratch.subarray(0, key.length + 1);
}

function firstEntry(db: Database<Buffer, Buffer>, options: object): { key: Buffer; value: Buffer } | undefined {
  for (const entry of db.getRange({ ...options, limit: 1 })) return entry as { key: Buffer; value: Buffer };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Readers

/** The latest committed state, read straight from the `state` database. */
class LatestReader implements KVReader {
  constructor(private readonly db: Database<Buffer, Buffer>) {}

  get(key: Uint8Array): Uint8Array | undefined {
    return this.db.get(stateLookupKey(key)) ?? undefined;
  }

  has(key: Uint8Array): boolean {
    return this.db.doesExist(stateLookupKey(key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const lo = stateKey(start ?? new Uint8Array());
    const hi = end === undefined ? undefined : stateKey(end);
    if (!reverse) {
      for (const { key, value } of this.db.getRange({ start: lo, end: hi })) {
        yield { key: new Uint8Array(key.subarray(1)), value };
      }
      return;
    }
    // lmdb's reverse range takes an inclusive upper `start` and exclusive lower `end`; ours is the
    // other way round, so skip the upper bound and stop below the lower one by hand.
    for (const { key, value } of this.db.getRange({ start: hi, reverse: true })) {
      if (hi !== undefined && compareBytes(key, hi) >= 0) continue;
      if (compareBytes(key, lo) < 0) return;
      yield { key: new Uint8Array(key.subarray(1)), value };
    }
  }
}

/** The state as of a past height, from the `history` database. */
class HistoricalReader implements KVReader {
  constructor(
    private readonly db: Database<Buffer, Buffer>,
    readonly height: number,
    private readonly checkReadable: () => void,
  ) {}

  /** The newest version ≤ height among the entries of the key with history prefix `prefix`. */
  private versionAt(prefix: Buffer): Buffer | undefined {
    const entry = firstEntry(this.db, { start: Buffer.concat([prefix, invertedHeight(this.height)]), end: afterVersions(prefix) });
    return entry?.value;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkReadable();
    const version = this.versionAt(historyPrefix(key));
    return version === undefined || version[0] === TOMBSTONE ? undefined : version.subarray(1);
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Two seeks per distinct key: find the next key, then its version at `height`. Cost grows with
   * the number of keys in range, not with how often each key was rewritten.
   */
  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    this.checkReadable();
    const lo = start === undefined ? undefined : escapeKey(start);
    const hi = end === undefined ? undefined : escapeKey(end);
    if (hi !== undefined && hi.length === 0) return; // [x, "") is empty; lmdb would read "" as unbounded
    let cursor: Buffer | undefined = reverse ? hi : lo;
    for (;;) {
      // An empty cursor would read as "no bound" to lmdb; going down, nothing sorts below it.
      if (reverse && cursor !== undefined && cursor.length === 0) return;
      const entry = reverse ? firstEntry(this.db, { start: cursor, reverse: true }) : firstEntry(this.db, { start: cursor, end: hi });
      if (entry === undefined) return;
      // No history key equals an escaped key exactly (it never contains 0x00 0x00), so an
      // inclusive reverse start never returns the exclusive upper bound itself.
      if (reverse && lo !== undefined && compareBytes(entry.key, lo) < 0) return;
      const prefix = entry.key.subarray(0, entry.key.length - 8);
      const entryHeight = heightFromInverted(entry.key, entry.key.length - 8);
      // Going forward the first entry met is the key's newest version; often that is the answer.
      const version = !reverse && entryHeight <= this.height ? entry.value : this.versionAt(Buffer.from(prefix));
      if (version !== undefined && version[0] === LIVE) {
        yield { key: unescapeKey(prefix.subarray(0, prefix.length - 2)), value: version.subarray(1) };
      }
      cursor = reverse ? Buffer.from(prefix.subarray(0, prefix.length - 2)) : afterVersions(prefix);
    }
  }
}

// ---------------------------------------------------------------------------------------------

export class CommitStore {
  private last: CommitInfo;
  private earliest: number;
  private closed = false;
  private readonly latestReader: LatestReader;
  /** The committed tree's root in memory (its upper pages stay linked), when known. */
  private rootNode: SmtNode | undefined;
  /** The committed root's record, and the seq of the last commit (the next one appends after it). */
  private rootRef: SmtRef;
  private lastSeq: number;
  /** SMT nodes as persisted: what `computeRoot` and proofs read. */
  readonly nodes: NodeSource & { add(records: PendingNodes): void };
  /** Other threads that update the tree's subtrees with this one (smt-split.ts), when given. */
  private subtreeRunner: SubtreeRunner | undefined;

  private constructor(
    private readonly env: RootDatabase,
    private readonly state: Database<Buffer, Buffer>,
    private readonly history: Database<Buffer, Buffer>,
    private readonly nodeDb: Database<Buffer, Buffer>,
    private readonly meta: Database<Buffer, Buffer>,
  ) {
    // The history entry of the longest key, all zeros (each escaped to two bytes), must fit LMDB.
    const lmdbMaxKey = (history as { maxKeySize?: number }).maxKeySize;
    if (lmdbMaxKey !== undefined && 2 * MAX_KEY_BYTES + 2 + 8 > lmdbMaxKey) {
      throw new Error(`commit store: LMDB keys are limited to ${lmdbMaxKey} bytes, too few for store keys of ${MAX_KEY_BYTES} bytes`);
    }
    const last = meta.get(META_LAST);
    const format = meta.get(META_FORMAT);
    if (last !== undefined && (format === undefined || compareBytes(format, DATA_FORMAT) !== 0)) {
      const found = format?.[0] ?? 1;
      const reason = OLDER_FORMATS[found] ?? 'this data directory was written by a newer version of the node';
      throw new Error(`commit store: the data directory is in format ${found}, this node reads format ${DATA_FORMAT[0]}; ${reason}`);
    }
    this.last =
      last === undefined ? { height: 0, appHash: EMPTY_ROOT } : { height: readHeight(last), appHash: new Uint8Array(last.subarray(8, 40)) };
    this.rootRef = { hash: this.last.appHash, seq: last === undefined ? 0 : readHeight(last, 40) };
    this.lastSeq = last === undefined ? 0 : readHeight(last, 48);
    const earliest = meta.get(META_EARLIEST);
    this.earliest = earliest === undefined ? 0 : readHeight(earliest);
    this.latestReader = new LatestReader(state);
    this.nodes = cachedNodes({ get: (hash) => nodeDb.get(Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength)) });
  }

  /** Opens (creating if needed) the store in directory `dir`. */
  static open(dir: string, options: CommitStoreOptions = {}): CommitStore {
    const env = open({ path: dir, maxDbs: 8, noSync: options.noSync ?? false, compression: false, readOnly: options.readOnly ?? false });
    const db = (name: string) => env.openDB<Buffer, Buffer>({ name, keyEncoding: 'binary', encoding: 'binary' });
    try {
      return new CommitStore(env, db('state'), db('history'), db('nodes'), db('meta'));
    } catch (error) {
      void env.close(); // a store this node cannot read is not kept open
      throw error;
    }
  }

  /** The last committed height and its app hash; height 0 and EMPTY_ROOT before the first commit. */
  lastCommit(): CommitInfo {
    return this.last;
  }

  /** The oldest height `readerAt` still serves (0 before the first commit). */
  earliestHeight(): number {
    return this.earliest;
  }

  /** The latest committed state. The same object follows later commits. */
  latest(): KVReader {
    this.assertOpen();
    return this.latestReader;
  }

  /** The state as committed at `height`; throws for a height not stored (future, or pruned). */
  readerAt(height: number): KVReader {
    this.assertReadable(height);
    return new HistoricalReader(this.history, height, () => this.assertReadable(height));
  }

  /** The app hash committed at `height`. */
  rootAt(height: number): Uint8Array {
    return new Uint8Array(this.rootRefAt(height).hash);
  }

  private rootRefAt(height: number): SmtRef {
    this.assertReadable(height);
    const root = this.meta.get(Buffer.concat([META_ROOT, heightBytes(height)]));
    if (root === undefined) throw new Error(`commit store: no root recorded for height ${height}`);
    return { hash: root.subarray(0, 32), seq: readHeight(root, 32) };
  }

  /** An ICS-23 proof of `key`'s value (or absence) in the state committed at `height`. */
  prove(height: number, key: Uint8Array): { proof: CommitmentProof; root: Uint8Array } {
    const root = this.rootRefAt(height);
    const reader = this.readerAt(height);
    return { proof: proveSmt(this.nodes, root, key, (k) => reader.get(k)), root: new Uint8Array(root.hash) };
  }

  /**
   * The root the state would have after `changes` on top of the last commit, and the SMT nodes it
   * needs, without writing anything. `changes` holds each key at most once.
   */
  computeRoot(changes: readonly KVChange[]): PreparedCommit {
    this.assertOpen();
    const baseRoot = this.last.appHash;
    const seq = this.lastSeq + 1;
    const base = this.rootNode !== undefined && compareBytes(this.rootNode.hash, baseRoot) === 0 ? this.rootNode : this.rootRef;
    const effective = changes.filter((c) => c.value !== null || this.latestReader.has(c.key));
    const { root, rootRef, pending, rootNode } = this.splitUpdate(base, effective, seq) ?? updateSmt(this.nodes, base, effective, seq);
    return { baseRoot, root, rootRef, seq, pending, rootNode, changes: effective };
  }

  /**
   * Lets `computeRoot` update the tree's subtrees on `runner`'s threads as well (the parallel
   * executor's workers, which read this store's directory). Roots and records are the same.
   */
  useSubtreeRunner(runner: SubtreeRunner | undefined): void {
    this.subtreeRunner = runner;
  }

  /** The split update, or undefined: no runner, a small tree or batch, or the threads failed (then never again). */
  private splitUpdate(base: SmtRef, changes: readonly KVChange[], seq: number): SmtUpdate | undefined {
    if (this.subtreeRunner === undefined) return undefined;
    try {
      return updateSmtSplit(this.nodes, base, changes, seq, this.subtreeRunner);
    } catch (err) {
      if (!(err instanceof SubtreeRunnerError)) throw err;
      this.subtreeRunner = undefined;
      return undefined;
    }
  }

  /**
   * Persists block `height`: `changes` (the same list given to `computeRoot`, which `prepared`
   * holds in its effective form), the prepared SMT nodes, the history entries, the root and the
   * height, atomically. `prepared` is computed here when omitted. Heights are consecutive after
   * the first commit.
   */
  commit(height: number, changes: readonly KVChange[], prepared?: PreparedCommit): CommitInfo {
    this.assertOpen();
    if (!Number.isSafeInteger(height) || height < 1) throw new Error(`commit store: invalid height ${height}`);
    if (this.last.height > 0 && height !== this.last.height + 1) {
      throw new Error(`commit store: cannot commit height ${height} after ${this.last.height}; heights must be consecutive`);
    }
    const plan = prepared ?? this.computeRoot(changes);
    if (compareBytes(plan.baseRoot, this.last.appHash) !== 0 || plan.seq !== this.lastSeq + 1 || plan.rootRef === undefined) {
      throw new Error('commit store: prepared commit was computed on another root; call computeRoot again');
    }
    const { seq, rootRef } = plan;
    if (plan.changes.length > changes.length)
      throw new Error('commit store: prepared commit was computed for other changes; call computeRoot again');
    const rootRecord = Buffer.concat([rootRef.hash, heightBytes(rootRef.seq)]);
    const version = invertedHeight(height);
    const rootCopy = Buffer.from(plan.root);
    this.env.transactionSync(() => {
      for (const { key, value } of plan.changes) {
        const hkey = historyKey(key, version);
        if (value === null) {
          this.state.removeSync(stateKey(key));
          this.history.putSync(hkey, TOMBSTONE_VALUE);
        } else {
          const live = liveValues.take(value.length + 1);
          live[0] = LIVE;
          live.set(value, 1);
          this.state.putSync(stateKey(key), live.subarray(1));
          this.history.putSync(hkey, live);
        }
      }
      // Locators start with this commit's seq, above every stored one: in sorted order they append.
      // (lmdb-js's putSync returns false when MDB_APPEND finds a larger key; its typings say void.)
      const append = this.nodeDb.putSync.bind(this.nodeDb) as unknown as (key: Buffer, value: Buffer, options: { append: true }) => boolean;
      for (const locator of [...plan.pending.keys()].sort()) {
        if (!append(Buffer.from(locator, 'latin1'), plan.pending.get(locator) as Buffer, { append: true })) {
          throw new Error('commit store: an SMT record is not above the stored ones (store corrupt?)');
        }
      }
      this.meta.putSync(Buffer.concat([META_ROOT, heightBytes(height)]), rootRecord);
      this.meta.putSync(META_LAST, Buffer.concat([heightBytes(height), rootRecord, heightBytes(seq)]));
      if (this.last.height === 0) {
        this.meta.putSync(META_EARLIEST, heightBytes(height));
        this.meta.putSync(META_FORMAT, DATA_FORMAT);
      }
    });
    if (this.last.height === 0) this.earliest = height;
    this.last = { height, appHash: new Uint8Array(rootCopy) };
    this.rootNode = plan.rootNode;
    this.rootRef = rootRef;
    this.lastSeq = seq;
    this.nodes.add(plan.pending);
    return this.last;
  }

  /**
   * Forgets history older than `height`: readers at heights ≥ `height` keep working, older ones
   * throw. Keeps, per key, the newest version ≤ `height` and everything newer. SMT nodes are NOT
   * pruned (content-addressed nodes are shared across versions; that needs orphan tracking), so
   * proofs at pruned heights fail only through `rootAt`. One write transaction; O(history size).
   */
  pruneBefore(height: number): void {
    this.assertOpen();
    if (height <= this.earliest) return;
    if (height > this.last.height) throw new Error(`commit store: cannot prune beyond the last height ${this.last.height}`);
    // Collect first, delete after: no cursor is iterated while its database changes.
    const doomed: Buffer[] = [];
    this.env.transactionSync(() => {
      let prefix: Buffer | undefined;
      let keptAtOrBelow = false;
      for (const { key, value } of this.history.getRange({})) {
        const p = key.subarray(0, key.length - 8);
        if (prefix === undefined || compareBytes(p, prefix) !== 0) {
          prefix = Buffer.from(p);
          keptAtOrBelow = false;
        }
        const h = heightFromInverted(key, key.length - 8);
        if (h > height) continue;
        // The first version ≤ height is the one readers at `height` see; a tombstone there is the
        // same as no entry at all, so it goes too.
        if (!keptAtOrBelow) {
          keptAtOrBelow = true;
          if (value[0] === LIVE) continue;
        }
        doomed.push(Buffer.from(key));
      }
      for (const key of doomed) this.history.removeSync(key);
      const oldRoots = this.meta.getKeys({
        start: Buffer.concat([META_ROOT, heightBytes(0)]),
        end: Buffer.concat([META_ROOT, heightBytes(height)]),
      });
      for (const key of [...oldRoots]) this.meta.removeSync(key);
      this.meta.putSync(META_EARLIEST, heightBytes(height));
    });
    this.earliest = height;
  }

  /**
   * Closes the environment; the store must not be used afterwards. Everything committed is already
   * durable; the promise only says when the files are released (await it before reopening).
   */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    return this.env.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('commit store: used after close()');
  }

  private assertReadable(height: number): void {
    this.assertOpen();
    if (!Number.isSafeInteger(height) || height < this.earliest || height > this.last.height || this.last.height === 0) {
      const span = this.last.height === 0 ? 'nothing is committed yet' : `stored heights are ${this.earliest}..${this.last.height}`;
      throw new Error(`commit store: height ${height} is not readable (${span})`);
    }
  }
}

/**
 * An in-memory cache in front of the persisted SMT records. Records are content-addressed and never
 * change, so caching cannot serve a stale one; the pages below the ones smt.ts keeps linked are
 * read by every block's update and every proof. Commit adds the records it wrote, since the next
 * block reads the pages this one rewrote. Bounded by bytes: cleared when full (simple, no
 * per-read bookkeeping).
 */
function cachedNodes(source: NodeSource, capacityBytes = 64 * 1024 * 1024): NodeSource & { add(records: PendingNodes): void } {
  const cache = new Map<string, Uint8Array>();
  let bytes = 0;
  const put = (id: string, record: Uint8Array) => {
    if (bytes + record.length > capacityBytes) {
      cache.clear();
      bytes = 0;
    }
    cache.set(id, record);
    bytes += record.length;
  };
  return {
    get(hash) {
      const id = keyString(hash);
      const hit = cache.get(id);
      if (hit !== undefined) return hit;
      const record = source.get(hash);
      if (record !== undefined) put(id, record);
      return record;
    },
    add(records) {
      for (const [id, record] of records) if (!cache.has(id)) put(id, record);
    },
  };
}

/** Read-only stores opened by this thread, one per directory. */
const threadEnvs = new Map<string, RootDatabase>();

/** This thread's read-only handle on the store in `dir` (LMDB lets every thread read one environment). */
function threadEnv(dir: string): RootDatabase {
  let env = threadEnvs.get(dir);
  if (!env) {
    env = open({ path: dir, maxDbs: 8, compression: false, readOnly: true });
    threadEnvs.set(dir, env);
  }
  return env;
}

const threadReaders = new Map<string, { env: RootDatabase; reader: KVReader }>();

/**
 * The latest committed state of the store in `dir`, for a worker thread of the parallel executor
 * (`app/exec`'s module base descriptor calls it once per block, with a new cache key), remembering
what it read for the rest of that block. LMDB lets
 * every thread read the same environment; the read transaction is renewed here because a worker
 * never returns to its event loop during a block, where lmdb-js would renew it by itself.
 */
export function openLatestReader(arg: { dir: string }): KVReader {
  let entry = threadReaders.get(arg.dir);
  if (!entry) {
    const env = threadEnv(arg.dir);
    const state = env.openDB<Buffer, Buffer>({ name: 'state', keyEncoding: 'binary', encoding: 'binary' });
    entry = { env, reader: new LatestReader(state) };
    threadReaders.set(arg.dir, entry);
  }
  entry.env.resetReadTxn();
  // A fresh read cache per call (per block): the committed state cannot change under it.
  return new CacheKV(entry.reader, { cacheReads: true });
}

const threadSubtreeWorkers = new Map<string, { env: RootDatabase; worker: SubtreeWorker }>();

/**
 * Subtree jobs of `computeRoot` (smt-wire's encoding) run on the calling thread, a worker of the
 * parallel executor, against the records of the store in `dir`: each thread keeps its subtrees'
 * upper pages linked between blocks and its own record cache. The read transaction is renewed
 * first, so the records of the block committed just before are visible.
 */
export function runSubtreeJobs(arg: { dir: string }, input: ArrayBuffer): ArrayBuffer {
  let entry = threadSubtreeWorkers.get(arg.dir);
  if (!entry) {
    const env = threadEnv(arg.dir);
    const nodeDb = env.openDB<Buffer, Buffer>({ name: 'nodes', keyEncoding: 'binary', encoding: 'binary' });
    const nodes = cachedNodes({ get: (locator) => nodeDb.get(Buffer.from(locator.buffer, locator.byteOffset, locator.byteLength)) });
    entry = { env, worker: new SubtreeWorker(nodes) };
    threadSubtreeWorkers.set(arg.dir, entry);
  }
  entry.env.resetReadTxn();
  const { seq, jobs } = decodeJobs(input);
  return encodeAnswer(entry.worker.run(jobs, seq));
}
