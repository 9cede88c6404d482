/**
 * State-sync snapshots (ABCI ListSnapshots / LoadSnapshotChunk / OfferSnapshot / ApplySnapshotChunk).
 *
 * Format 1 — the committed key/value pairs of one height, in key byte order, cut into chunks:
 *   chunk    = pair*                                 (a pair is never split across chunks)
 *   pair     = u32be(len(key)) ‖ key ‖ u32be(len(value)) ‖ value
 *   a chunk is closed before the pair that would take it past `chunkSize` (4 MiB), so the cut
 *   depends only on the state: every node with the same state writes byte-identical snapshots,
 *   which lets CometBFT fetch the chunks of one snapshot from several peers.
 *   metadata = UTF-8 JSON {"chunk_hashes":["<sha256 hex of chunk 0>", ...]}
 *   hash     = sha256(chunk_hash_0 ‖ chunk_hash_1 ‖ …)  (raw 32-byte hashes)
 *
 * On disk, `<home>/data/snapshots/<height>/` holds `snapshot.json` and one file per chunk
 * (`0`, `1`, …). A snapshot is written in a temporary directory and renamed into place, so a
 * crash never leaves a half-written snapshot listed.
 *
 * Trust: the metadata and hash come from an untrusted peer; they only let us reject a corrupted
 * chunk early (and the peer that sent it). What makes a restore trustworthy is the end check: the
 * SMT root recomputed from the restored pairs must equal the app hash CometBFT's light client
 * verified for that height; otherwise nothing is committed.
 *
 * Restore keeps the pairs in memory until the last chunk, because CommitStore commits one height in
 * one write transaction (`commit(height, changes)`); that is fine for states of a few hundred MB.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ResponseApplySnapshotChunk_Result as ApplyResult,
  ResponseOfferSnapshot_Result as OfferResult,
  type ResponseApplySnapshotChunk,
  type Snapshot,
} from 'cosmjs-types/tendermint/abci/types';
import type { Logger } from 'pino';
import { compareBytes } from '../store/bytes.js';
import type { KVChange, KVReader } from '../store/types.js';
import type { StateStore } from './state-store.js';

export const SNAPSHOT_FORMAT = 1;
/** Well under CometBFT's 16 MB chunk message limit. */
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
/** How many snapshots to keep by default (the Cosmos SDK's snapshot-keep-recent default). */
export const DEFAULT_SNAPSHOT_KEEP_RECENT = 2;

const SNAPSHOT_FILE = 'snapshot.json';

export function snapshotsDir(home: string): string {
  return path.join(home, 'data', 'snapshots');
}

export interface SnapshotManagerOptions {
  /** Directory of the snapshots, normally `snapshotsDir(home)`. */
  readonly dir: string;
  /** The store a restore commits into. */
  readonly store: StateStore;
  /** Newest snapshots kept after each `create`; 0 keeps all. Default 2. */
  readonly keepRecent?: number;
  /** Bytes after which a chunk is closed; default 4 MiB. */
  readonly chunkSize?: number;
  readonly logger?: Logger;
}

interface SnapshotFile {
  height: number;
  format: number;
  chunks: number;
  hash: string;
  metadata: string;
}

interface Restore {
  readonly height: number;
  readonly appHash: Uint8Array;
  readonly chunkHashes: readonly Buffer[];
  /** Index of the next chunk to apply: CometBFT applies chunks in order. */
  next: number;
  readonly changes: KVChange[];
  lastKey?: Uint8Array;
}

export class SnapshotManager {
  readonly dir: string;
  private readonly store: StateStore;
  private readonly keepRecent: number;
  private readonly chunkSize: number;
  private readonly logger?: Logger;
  private restore?: Restore;

  constructor(options: SnapshotManagerOptions) {
    this.dir = options.dir;
    this.store = options.store;
    this.keepRecent = options.keepRecent ?? DEFAULT_SNAPSHOT_KEEP_RECENT;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.logger = options.logger;
    if (!Number.isInteger(this.keepRecent) || this.keepRecent < 0)
      throw new Error(`snapshot keepRecent must be an integer ≥ 0, got ${this.keepRecent}`);
    if (!Number.isInteger(this.chunkSize) || this.chunkSize < 1)
      throw new Error(`snapshot chunkSize must be a positive integer, got ${this.chunkSize}`);
  }

  // ───────────────────────── serving side ─────────────────────────

  /**
   * Writes the snapshot of `reader` (the state committed at `height`) and drops snapshots beyond
   * `keepRecent`. Synchronous: called at Commit on the committed reader, so the state cannot move
   * underneath it. Returns the existing snapshot when one of that height is already on disk.
   */
  create(height: number, reader: KVReader): Snapshot {
    if (!Number.isSafeInteger(height) || height < 1) throw new Error(`snapshot: invalid height ${height}`);
    const existing = this.read(height);
    if (existing) return existing;
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${height}.tmp`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    const hashes: Buffer[] = [];
    let parts: Buffer[] = [];
    let size = 0;
    const flush = () => {
      const chunk = Buffer.concat(parts, size);
      fs.writeFileSync(path.join(tmp, String(hashes.length)), chunk);
      hashes.push(sha256(chunk));
      parts = [];
      size = 0;
    };
    for (const { key, value } of reader.iterator(undefined, undefined)) {
      const pairSize = 8 + key.length + value.length;
      if (size > 0 && size + pairSize > this.chunkSize) flush();
      const header = Buffer.allocUnsafe(4);
      header.writeUInt32BE(key.length);
      const valueHeader = Buffer.allocUnsafe(4);
      valueHeader.writeUInt32BE(value.length);
      // Copies: lmdb may reuse the buffers it hands out once iteration moves on.
      parts.push(header, Buffer.from(key), valueHeader, Buffer.from(value));
      size += pairSize;
    }
    // An empty state still has one (empty) chunk: CometBFT refuses snapshots of zero chunks.
    if (size > 0 || hashes.length === 0) flush();
    const snapshot: Snapshot = {
      height: BigInt(height),
      format: SNAPSHOT_FORMAT,
      chunks: hashes.length,
      hash: sha256(Buffer.concat(hashes)),
      metadata: encodeMetadata(hashes),
    };
    const file: SnapshotFile = {
      height,
      format: snapshot.format,
      chunks: snapshot.chunks,
      hash: Buffer.from(snapshot.hash).toString('hex'),
      metadata: Buffer.from(snapshot.metadata).toString('hex'),
    };
    fs.writeFileSync(path.join(tmp, SNAPSHOT_FILE), `${JSON.stringify(file)}\n`);
    fs.renameSync(tmp, this.heightDir(height));
    this.prune();
    return snapshot;
  }

  /** The complete snapshots on disk, newest first. */
  list(): Snapshot[] {
    return this.heights()
      .map((h) => this.read(h))
      .filter((s): s is Snapshot => s !== undefined);
  }

  /** Chunk `index` of the snapshot at `height` in `format`; empty when there is no such chunk. */
  loadChunk(height: number, format: number, index: number): Uint8Array {
    if (format !== SNAPSHOT_FORMAT || !Number.isSafeInteger(height) || !Number.isInteger(index) || index < 0) return new Uint8Array();
    const snapshot = this.read(height);
    if (!snapshot || index >= snapshot.chunks) return new Uint8Array();
    return new Uint8Array(fs.readFileSync(path.join(this.heightDir(height), String(index))));
  }

  // ───────────────────────── restoring side ─────────────────────────

  /**
   * Starts restoring `snapshot`, whose height's app hash the light client verified as `appHash`.
   * Any restore in progress is dropped (CometBFT moved on to another snapshot).
   */
  offer(snapshot: Snapshot | undefined, appHash: Uint8Array): OfferResult {
    this.restore = undefined;
    if (!snapshot) return OfferResult.REJECT;
    if (snapshot.format !== SNAPSHOT_FORMAT) return OfferResult.REJECT_FORMAT;
    const existing = this.store.lastCommit().height;
    if (existing > 0) {
      // CometBFT state-syncs only a node without blocks; an app holding state disagrees with it.
      this.logger?.error(
        { height: existing },
        'state sync offered, but the app store already holds state; remove data/application to state-sync this node',
      );
      return OfferResult.ABORT;
    }
    const height = Number(snapshot.height);
    const chunkHashes = decodeMetadata(snapshot.metadata);
    const valid =
      Number.isSafeInteger(height) &&
      height >= 1 &&
      chunkHashes !== undefined &&
      chunkHashes.length === snapshot.chunks &&
      snapshot.chunks >= 1 &&
      appHash.length > 0 &&
      compareBytes(sha256(Buffer.concat(chunkHashes)), snapshot.hash) === 0;
    if (!valid) {
      this.logger?.warn({ height }, 'rejected a snapshot with bad metadata');
      return OfferResult.REJECT;
    }
    this.restore = { height, appHash: new Uint8Array(appHash), chunkHashes, next: 0, changes: [] };
    this.logger?.info({ height, chunks: snapshot.chunks }, 'restoring state snapshot');
    return OfferResult.ACCEPT;
  }

  /**
   * Applies chunk `index` of the accepted snapshot. After the last chunk, commits the restored
   * state at the snapshot's height if its root is the offered app hash; otherwise commits nothing.
   */
  applyChunk(index: number, chunk: Uint8Array, sender: string): ResponseApplySnapshotChunk {
    const restore = this.restore;
    if (!restore) return applyResponse(ApplyResult.ABORT);
    if (index < restore.next) return applyResponse(ApplyResult.ACCEPT); // already applied
    if (index > restore.next) return applyResponse(ApplyResult.RETRY_SNAPSHOT);
    const senders = sender ? [sender] : [];
    if (compareBytes(sha256(chunk), restore.chunkHashes[index]!) !== 0) {
      this.logger?.warn({ index, sender }, 'snapshot chunk does not match its hash; refetching it from another peer');
      return applyResponse(ApplyResult.RETRY, [index], senders);
    }
    const parsed = parseChunk(chunk, restore.lastKey);
    if (typeof parsed === 'string') {
      // The chunk matches the snapshot's own metadata, so the snapshot itself is bad.
      this.logger?.warn({ index, sender, problem: parsed }, 'malformed snapshot chunk; rejecting the snapshot');
      this.restore = undefined;
      return applyResponse(ApplyResult.REJECT_SNAPSHOT, [], senders);
    }
    for (const change of parsed) restore.changes.push(change);
    if (parsed.length > 0) restore.lastKey = parsed[parsed.length - 1]!.key;
    restore.next++;
    if (restore.next < restore.chunkHashes.length) return applyResponse(ApplyResult.ACCEPT);

    this.restore = undefined;
    const prepared = this.store.computeRoot(restore.changes);
    if (compareBytes(prepared.root, restore.appHash) !== 0) {
      this.logger?.warn(
        { height: restore.height, root: hex(prepared.root), appHash: hex(restore.appHash) },
        'restored state does not hash to the trusted app hash; rejecting the snapshot',
      );
      return applyResponse(ApplyResult.REJECT_SNAPSHOT);
    }
    this.store.commit(restore.height, restore.changes, prepared);
    this.logger?.info({ height: restore.height, keys: restore.changes.length, appHash: hex(prepared.root) }, 'state snapshot restored');
    return applyResponse(ApplyResult.ACCEPT);
  }

  /** Whether a restore is under way (offered and not yet finished or rejected). */
  get restoring(): boolean {
    return this.restore !== undefined;
  }

  // ───────────────────────── files ─────────────────────────

  private heightDir(height: number): string {
    return path.join(this.dir, String(height));
  }

  /** Heights of the snapshot directories, newest first. */
  private heights(): number[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((name) => /^[1-9][0-9]*$/.test(name))
      .map(Number)
      .sort((a, b) => b - a);
  }

  private read(height: number): Snapshot | undefined {
    const file = path.join(this.heightDir(height), SNAPSHOT_FILE);
    if (!fs.existsSync(file)) return undefined;
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotFile;
    return {
      height: BigInt(raw.height),
      format: raw.format,
      chunks: raw.chunks,
      hash: new Uint8Array(Buffer.from(raw.hash, 'hex')),
      metadata: new Uint8Array(Buffer.from(raw.metadata, 'hex')),
    };
  }

  private prune(): void {
    // Leftovers of a snapshot interrupted by a crash (nothing else writes here meanwhile).
    for (const name of fs.readdirSync(this.dir)) {
      if (/^\.\d+\.tmp$/.test(name)) fs.rmSync(path.join(this.dir, name), { recursive: true, force: true });
    }
    if (this.keepRecent === 0) return;
    for (const height of this.heights().slice(this.keepRecent)) {
      fs.rmSync(this.heightDir(height), { recursive: true, force: true });
      this.logger?.debug({ height }, 'removed old snapshot');
    }
  }
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function encodeMetadata(hashes: readonly Buffer[]): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify({ chunk_hashes: hashes.map((h) => h.toString('hex')) }), 'utf8'));
}

/** The chunk hashes of format-1 metadata, or undefined when it is not well-formed. */
export function decodeMetadata(metadata: Uint8Array): Buffer[] | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(metadata).toString('utf8')) as { chunk_hashes?: unknown };
    const list = parsed?.chunk_hashes;
    if (!Array.isArray(list)) return undefined;
    const out: Buffer[] = [];
    for (const item of list) {
      if (typeof item !== 'string' || !/^[0-9a-f]{64}$/.test(item)) return undefined;
      out.push(Buffer.from(item, 'hex'));
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * The pairs of a format-1 chunk, or a description of what is wrong with it. Keys must be strictly
 * increasing, also across chunks (`after` is the previous chunk's last key): a snapshot listing a
 * key twice or out of order is not a state.
 */
export function parseChunk(chunk: Uint8Array, after?: Uint8Array): KVChange[] | string {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const out: KVChange[] = [];
  let previous = after;
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) return `truncated key length at byte ${at}`;
    const keyLen = buf.readUInt32BE(at);
    at += 4;
    if (at + keyLen + 4 > buf.length) return `truncated key at byte ${at}`;
    const key = new Uint8Array(buf.subarray(at, at + keyLen));
    at += keyLen;
    const valueLen = buf.readUInt32BE(at);
    at += 4;
    if (at + valueLen > buf.length) return `truncated value at byte ${at}`;
    const value = new Uint8Array(buf.subarray(at, at + valueLen));
    at += valueLen;
    if (previous !== undefined && compareBytes(previous, key) >= 0) return 'keys are not in strictly increasing order';
    out.push({ key, value });
    previous = key;
  }
  return out;
}

function applyResponse(result: ApplyResult, refetchChunks: number[] = [], rejectSenders: string[] = []): ResponseApplySnapshotChunk {
  return { result, refetchChunks, rejectSenders };
}
