/**
 * The state commitment: a sparse Merkle tree over sha256(key), in the Celestia (lazyledger) SMT
 * form that ICS-23's `SmtSpec` verifies, so light clients and IBC can check our proofs.
 *
 *   path       = sha256(key)                                   (256 bits, MSB first = root branch)
 *   leaf hash  = sha256(0x00 ‖ path ‖ sha256(value))
 *   inner hash = sha256(0x01 ‖ left ‖ right)
 *   empty      = 32 zero bytes
 *
 * Canonical "shortcut" form: a subtree holding exactly one leaf IS that leaf, placed at the highest
 * position, so the tree's shape (and root) depends only on the key/value set, never on history.
 *
 * Storage is by PAGE, not by node: nodes are content-addressed and never mutated, but writing each
 * one as its own LMDB entry cost a random B-tree insert per node (~4.6 per changed key). Instead
 * the tree is cut every PAGE_LEVELS levels; a node at a depth that is a multiple of PAGE_LEVELS (a
 * page root) is stored as one record together with everything below it down to the next cut.
 * Since an inner node's depth follows from its leaf set, the cut never moves; only leaves float,
 * and a leaf that lands on a cut is stored as its own record.
 *
 * A record is located by (seq, hash): `seq` numbers the batch that wrote it, so one batch's records
 * are adjacent in the store and appended in order instead of scattered over random B-tree pages
 * (random hash keys dirtied one LMDB page per record). A parent page names each child on the cut
 * by hash and seq. Records:
 *   leaf record = 0x00 ‖ path(32) ‖ valueHash(32) ‖ key           a leaf on a cut (or the root)
 *   page record = node(root), where, in pre-order:
 *     inner = 0x01 ‖ left(32) ‖ right(32) ‖ node(left)? ‖ node(right)?   (a child is written when it
 *             is non-empty and above the next cut; for each non-empty child ON the cut, its seq(8)
 *             instead: that child is its own record)
 *     leaf  = 0x00 ‖ path(32) ‖ valueHash(32) ‖ keyLength(4, BE) ‖ key
 * Hashes are the ones defined above (the first 65 bytes of a node); lengths and nesting are
 * storage only, so roots and proofs do not depend on the page size.
 *
 * In memory, decoded nodes link to their children, and the store keeps its latest root linked, so
 * the upper levels every block touches are walked by pointer instead of looked up and decoded.
 */
import { hash } from 'node:crypto';
import {
  CommitmentProof,
  ExistenceProof,
  HashOp,
  InnerOp,
  LengthOp,
  type LeafOp,
  type NonExistenceProof,
} from 'cosmjs-types/cosmos/ics23/v1/proofs';
import { keyString } from './bytes.js';
import { Slabs } from './slabs.js';
import type { KVChange } from './types.js';

export const HASH_SIZE = 32;
/** The root of the empty tree (and the hash of every empty subtree). */
export const EMPTY_ROOT: Uint8Array = new Uint8Array(HASH_SIZE);

const LEAF_PREFIX = 0x00;
const INNER_PREFIX = 0x01;
const NODE_HASHED_LEN = 1 + 2 * HASH_SIZE;
/** Tree levels per stored page. 4 keeps a page ≤ 15 inner nodes + 16 leaves (one LMDB entry of ~1-2 KB). */
export const PAGE_LEVELS = 4;
/**
 * Pages rooted at depth ≤ LINK_DEPTH stay linked from their parent once loaded (≤ 4,369 pages,
 * bounded memory however big the state grows); deeper pages are re-read through the store's cache.
 */
const LINK_DEPTH = 12;

/** A stored subtree: its root hash and the seq of the batch that stored it (0 for the empty tree). */
export interface SmtRef {
  readonly hash: Uint8Array;
  readonly seq: number;
}

/** The empty tree. */
export const EMPTY_REF: SmtRef = { hash: EMPTY_ROOT, seq: 0 };

/** Where stored records come from: LMDB, a pending in-memory batch, or both stacked. */
export interface NodeSource {
  /** The record located by `locator` (`recordLocator(seq, hash)`), or undefined when unknown. */
  get(locator: Uint8Array): Uint8Array | undefined;
}

/** seq(8, BE) ‖ hash(32): where a record lives; byte order = seq order, so batches append. */
export function recordLocator(seq: number, hash: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(8 + HASH_SIZE);
  writeSeq(out, 0, seq);
  out.set(hash, 8);
  return out;
}

/** New records produced by a batch update, keyed by `keyString(locator)`: what commit must persist. */
export type PendingNodes = Map<string, Uint8Array>;

/** Reads pending records first, then `base`: lets a second batch build on an uncommitted one. */
export function overlaySource(pending: PendingNodes, base: NodeSource): NodeSource {
  return { get: (locator) => pending.get(keyString(locator)) ?? base.get(locator) };
}

/** A record source over an in-memory map (tests, tools). */
export function memoryNodeSource(nodes: PendingNodes = new Map()): NodeSource & { nodes: PendingNodes } {
  return { nodes, get: (locator) => nodes.get(keyString(locator)) };
}

function writeSeq(out: Buffer, pos: number, seq: number): void {
  out.writeUInt32BE(Math.floor(seq / 0x1_0000_0000), pos);
  out.writeUInt32BE(seq >>> 0, pos + 4);
}

function readSeq(bytes: Buffer, pos: number): number {
  return bytes.readUInt32BE(pos) * 0x1_0000_0000 + bytes.readUInt32BE(pos + 4);
}

// Digests are carved out of shared slabs: a Buffer made by crypto per digest costs an ArrayBuffer
// each (~0.3 µs more per hash, and garbage-collector work), and a block hashes tens of thousands.
// Small slabs, since a digest can outlive its block in the tree's linked nodes.
const digests = new Slabs(4096);

export function sha256(data: Uint8Array): Buffer {
  // One-shot crypto.hash: ~1.7x faster than createHash().update().digest() on node-sized inputs.
  const digest = hash('sha256', data, 'binary'); // 'binary' = latin1: one char per byte
  const out = digests.take(HASH_SIZE);
  out.write(digest, 0, HASH_SIZE, 'latin1');
  return out;
}

/** A commit's new records: written to LMDB and the node cache together, dropped together. */
const recordSlabs = new Slabs(256 * 1024);

function isEmptyHash(hash: Uint8Array): boolean {
  for (let i = 0; i < HASH_SIZE; i++) if (hash[i] !== 0) return false;
  return true;
}

/** Bit `depth` of a path, most significant bit of byte 0 first. */
function bitAt(path: Uint8Array, depth: number): number {
  return (path[depth >> 3]! >> (7 - (depth & 7))) & 1;
}

const isCut = (depth: number) => depth % PAGE_LEVELS === 0;

// Node hashes reuse one scratch buffer: hashing is synchronous, so nothing else can touch it.
const scratch = Buffer.allocUnsafe(NODE_HASHED_LEN);
function hashNode(prefix: number, a: Uint8Array, b: Uint8Array): Buffer {
  scratch[0] = prefix;
  scratch.set(a, 1);
  scratch.set(b, 1 + HASH_SIZE);
  return sha256(scratch);
}

// ---------------------------------------------------------------------------------------------
// Nodes in memory (exported for smt-split.ts, which updates the tree's subtrees on several threads;
// nothing else should build or walk nodes)

export interface EmptyNode {
  readonly kind: 'empty';
  readonly hash: Uint8Array;
  readonly seq: 0;
}
export interface LeafNode {
  readonly kind: 'leaf';
  readonly hash: Uint8Array;
  readonly path: Uint8Array;
  readonly valueHash: Uint8Array;
  readonly key: Uint8Array;
  /** The batch that created or moved this leaf (0: read from the store): it stores the leaf if it lands on a cut. */
  readonly batch: number;
  /** The seq of its own record, when it has one (on a cut); 0 otherwise. */
  seq: number;
  /** Where this node's page encoding already exists (`src[start, end)`), so a rewrite copies it. */
  src: Buffer | undefined;
  start: number;
  end: number;
}
export interface InnerNode {
  readonly kind: 'inner';
  readonly hash: Uint8Array;
  readonly left: Uint8Array;
  readonly right: Uint8Array;
  /** The children, when in memory (always within a page; across a cut only when linked). */
  l: Loaded | undefined;
  r: Loaded | undefined;
  /** The batch that created this node (0: read from the store); a new page root is stored. */
  readonly batch: number;
  /** The seq of its own record, when it has one (a page root); 0 otherwise. */
  seq: number;
  /** Seqs of the children on the cut (0 when empty or not on the cut): lets them stay unloaded. */
  ls: number;
  rs: number;
  /** Where this subtree's page encoding already exists: an unchanged subtree is copied, not re-encoded. */
  src: Buffer | undefined;
  start: number;
  end: number;
}
/** A non-empty node known only by hash: loaded lazily, because most siblings are never looked at. */
export interface RefNode {
  readonly kind: 'ref';
  readonly hash: Uint8Array;
  readonly seq: number;
}
export type Node = EmptyNode | LeafNode | InnerNode | RefNode;
export type Loaded = EmptyNode | LeafNode | InnerNode;
/** A tree root as held in memory between batches (opaque outside this file). */
export type SmtNode = Loaded;

export const EMPTY: EmptyNode = { kind: 'empty', hash: EMPTY_ROOT, seq: 0 };

export function refOf(hash: Uint8Array, seq: number): Node {
  return isEmptyHash(hash) ? EMPTY : { kind: 'ref', hash, seq };
}

function malformed(hash: Uint8Array, detail: string): Error {
  return new Error(`smt: record ${Buffer.from(hash).toString('hex')} is malformed (${detail})`);
}

/** Decodes the page node at `bytes[at.pos]` (hash given by its parent), with its in-page subtree. */
function decodePageNode(bytes: Buffer, at: { pos: number }, hash: Uint8Array, depth: number, cut: number): LeafNode | InnerNode {
  const pos = at.pos;
  if (bytes[pos] === INNER_PREFIX && pos + NODE_HASHED_LEN <= bytes.length) {
    at.pos = pos + NODE_HASHED_LEN;
    const node: InnerNode = {
      kind: 'inner',
      hash,
      left: bytes.subarray(pos + 1, pos + 33),
      right: bytes.subarray(pos + 33, pos + 65),
      l: undefined,
      r: undefined,
      batch: 0,
      seq: 0,
      ls: 0,
      rs: 0,
      src: bytes,
      start: pos,
      end: 0,
    };
    if (depth + 1 < cut) {
      node.l = isEmptyHash(node.left) ? EMPTY : decodePageNode(bytes, at, node.left, depth + 1, cut);
      node.r = isEmptyHash(node.right) ? EMPTY : decodePageNode(bytes, at, node.right, depth + 1, cut);
    } else {
      const seqs = (isEmptyHash(node.left) ? 0 : 1) + (isEmptyHash(node.right) ? 0 : 1);
      if (at.pos + 8 * seqs > bytes.length) throw malformed(hash, 'seqs run past the end');
      if (!isEmptyHash(node.left)) {
        node.ls = readSeq(bytes, at.pos);
        at.pos += 8;
      }
      if (!isEmptyHash(node.right)) {
        node.rs = readSeq(bytes, at.pos);
        at.pos += 8;
      }
    }
    node.end = at.pos;
    return node;
  }
  if (bytes[pos] === LEAF_PREFIX && pos + NODE_HASHED_LEN + 4 <= bytes.length) {
    const keyStart = pos + NODE_HASHED_LEN + 4;
    const keyEnd = keyStart + bytes.readUInt32BE(pos + NODE_HASHED_LEN);
    if (keyEnd > bytes.length) throw malformed(hash, 'key runs past the end');
    at.pos = keyEnd;
    return {
      kind: 'leaf',
      hash,
      path: bytes.subarray(pos + 1, pos + 33),
      valueHash: bytes.subarray(pos + 33, pos + 65),
      key: bytes.subarray(keyStart, keyEnd),
      batch: 0,
      seq: 0,
      src: bytes,
      start: pos,
      end: keyEnd,
    };
  }
  throw malformed(hash, `bad node at byte ${pos} of ${bytes.length}`);
}

/** The node stored as record (`seq`, `hash`), whose position is on the cut at `depth`. */
function decodeRecord(hash: Uint8Array, seq: number, record: Uint8Array, depth: number): LeafNode | InnerNode {
  const bytes = Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  if (bytes.length >= NODE_HASHED_LEN && bytes[0] === LEAF_PREFIX) {
    const key = bytes.subarray(65);
    return {
      kind: 'leaf',
      hash,
      path: bytes.subarray(1, 33),
      valueHash: bytes.subarray(33, 65),
      key,
      batch: 0,
      seq,
      src: undefined,
      start: 0,
      end: 0,
    };
  }
  if (bytes[0] !== INNER_PREFIX) throw malformed(hash, `${bytes.length} bytes`);
  const at = { pos: 0 };
  const node = decodePageNode(bytes, at, hash, depth, depth + PAGE_LEVELS);
  if (at.pos !== bytes.length) throw malformed(hash, `${bytes.length - at.pos} trailing bytes`);
  node.seq = seq;
  return node;
}

/** `node` in memory; a ref must sit on a cut (anything else is inside a page and already loaded). */
export function resolve(source: NodeSource, node: Node, depth: number): Loaded {
  if (node.kind !== 'ref') return node;
  if (!isCut(depth)) throw new Error(`smt: node ${Buffer.from(node.hash).toString('hex')} at depth ${depth} is not a stored page root`);
  const bytes = node.seq > 0 ? source.get(recordLocator(node.seq, node.hash)) : undefined;
  if (bytes === undefined) {
    throw new Error(`smt: missing node ${Buffer.from(node.hash).toString('hex')} (seq ${node.seq}; pruned, or the store is corrupt)`);
  }
  return decodeRecord(node.hash, node.seq, bytes, depth);
}

/** Child `side` of `n` (at depth `depth`), loading and, near the top, linking it. */
function childOf(source: NodeSource, n: InnerNode, side: number, depth: number): Loaded {
  const known = side === 0 ? n.l : n.r;
  if (known !== undefined) return known;
  const child = resolve(source, side === 0 ? refOf(n.left, n.ls) : refOf(n.right, n.rs), depth + 1);
  if (depth + 1 <= LINK_DEPTH) {
    if (side === 0) n.l = child;
    else n.r = child;
  }
  return child;
}

/** Child `side` of `n` without loading it. */
export function childRef(n: InnerNode, side: number): Node {
  return (side === 0 ? n.l : n.r) ?? (side === 0 ? refOf(n.left, n.ls) : refOf(n.right, n.rs));
}

// ---------------------------------------------------------------------------------------------
// Records of a batch

/** An unchanged node whose encoding is already in some page: copied instead of re-encoded. */
function encoded(node: LeafNode | InnerNode, batch: number): boolean {
  return node.src !== undefined && (node.kind === 'leaf' || node.batch !== batch);
}

function pageSize(node: Loaded, depth: number, cut: number, batch: number): number {
  if (node.kind === 'empty') return 0;
  if (encoded(node, batch)) return node.end - node.start;
  if (node.kind === 'leaf') return NODE_HASHED_LEN + 4 + node.key.length;
  if (depth + 1 >= cut) return NODE_HASHED_LEN + (isEmptyHash(node.left) ? 0 : 8) + (isEmptyHash(node.right) ? 0 : 8);
  return NODE_HASHED_LEN + pageSize(node.l!, depth + 1, cut, batch) + pageSize(node.r!, depth + 1, cut, batch);
}

/**
 * Writes the page node `node` at `pos` and returns the end; new children on the cut go to `onCut`.
 * A page's in-page children are always in memory: decoded with the page, or built by the batch.
 * An unchanged subtree holds nothing new (content addressing), so its old bytes are copied whole.
 */
function writePageNode(
  out: Buffer,
  pos: number,
  node: Loaded,
  depth: number,
  cut: number,
  batch: number,
  seq: number,
  onCut: Loaded[],
): number {
  if (node.kind === 'empty') return pos;
  let end: number;
  if (encoded(node, batch)) {
    end = pos + node.src!.copy(out, pos, node.start, node.end);
  } else if (node.kind === 'leaf') {
    out[pos] = LEAF_PREFIX;
    out.set(node.path, pos + 1);
    out.set(node.valueHash, pos + 33);
    out.writeUInt32BE(node.key.length, pos + NODE_HASHED_LEN);
    out.set(node.key, pos + NODE_HASHED_LEN + 4);
    end = pos + NODE_HASHED_LEN + 4 + node.key.length;
  } else {
    out[pos] = INNER_PREFIX;
    out.set(node.left, pos + 1);
    out.set(node.right, pos + 33);
    end = pos + NODE_HASHED_LEN;
    if (depth + 1 < cut) {
      end = writePageNode(out, end, node.l!, depth + 1, cut, batch, seq, onCut);
      end = writePageNode(out, end, node.r!, depth + 1, cut, batch, seq, onCut);
    } else {
      if (!isEmptyHash(node.left)) {
        node.ls = cutChildSeq(node.l, node.ls, batch, seq, onCut);
        writeSeq(out, end, node.ls);
        end += 8;
      }
      if (!isEmptyHash(node.right)) {
        node.rs = cutChildSeq(node.r, node.rs, batch, seq, onCut);
        writeSeq(out, end, node.rs);
        end += 8;
      }
      // Below the link depth a new node must not keep its children alive after the batch.
      if (depth + 1 > LINK_DEPTH) {
        node.l = undefined;
        node.r = undefined;
      }
    }
  }
  // The next rewrite of this page copies these bytes (and the old buffer can go).
  node.src = out;
  node.start = pos;
  node.end = end;
  return end;
}

/** The seq of a (non-empty) child on the cut: this batch's when the batch writes it (queued to `onCut`). */
function cutChildSeq(child: Loaded | undefined, known: number, batch: number, seq: number, onCut: Loaded[]): number {
  if (child !== undefined && child.kind !== 'empty' && child.batch === batch) {
    onCut.push(child);
    return seq;
  }
  const located = child !== undefined && child.kind !== 'empty' ? child.seq : known;
  if (located <= 0) throw new Error('smt: a child on a page cut has no stored record (internal error)');
  return located;
}

/**
 * The records a new tree needs that the store lacks: every page whose root the batch created (a
 * changed node changes all its ancestors, so a page holding any new node has a new root), and every
 * leaf the batch placed on a cut. Unchanged pages are already stored under the same hash.
 */
export function collectRecords(root: Loaded, batch: number, seq: number, rootDepth = 0): PendingNodes {
  const records: PendingNodes = new Map();
  // keyString(recordLocator(seq, hash)), without building the locator each time.
  const seqPrefix = keyString(recordLocator(seq, EMPTY_ROOT).subarray(0, 8));
  const visit = (node: Loaded, depth: number): void => {
    if (node.kind === 'leaf') {
      if (node.batch !== batch) return;
      const bytes = recordSlabs.take(NODE_HASHED_LEN + node.key.length);
      bytes[0] = LEAF_PREFIX;
      bytes.set(node.path, 1);
      bytes.set(node.valueHash, 33);
      bytes.set(node.key, NODE_HASHED_LEN);
      records.set(seqPrefix + keyString(node.hash), bytes);
      node.seq = seq;
      return;
    }
    if (node.kind !== 'inner' || node.batch !== batch) return;
    const cut = depth + PAGE_LEVELS;
    const bytes = recordSlabs.take(pageSize(node, depth, cut, batch));
    const onCut: Loaded[] = [];
    writePageNode(bytes, 0, node, depth, cut, batch, seq, onCut);
    records.set(seqPrefix + keyString(node.hash), bytes);
    node.seq = seq;
    for (const child of onCut) visit(child, cut);
  };
  visit(root, rootDepth);
  return records;
}

// ---------------------------------------------------------------------------------------------
// Batch update

/** One change in path order: `valueHash` null means delete. */
export interface PathChange {
  readonly path: Uint8Array;
  readonly key: Uint8Array;
  readonly valueHash: Uint8Array | null;
}

/** A leaf-to-be in `build`: either a fresh change or an existing leaf kept as is. */
type LeafEntry = PathChange & { readonly existing?: LeafNode };

export function prepareChanges(changes: readonly KVChange[]): PathChange[] {
  return sortByPath(changes.map((c) => ({ path: sha256(c.key), key: c.key, valueHash: c.value === null ? null : sha256(c.value) })));
}

/** Sorts entries by path in place (the tree's order) and refuses a key changed twice in one batch. */
export function sortByPath<T extends { readonly path: Uint8Array; readonly key: Uint8Array }>(entries: T[]): T[] {
  // The first 48 path bits as a number: sorts almost every pair without a Buffer.compare call.
  const keyed = entries.map((entry) => ({ entry, order: leadingBits48(entry.path) }));
  keyed.sort((a, b) => a.order - b.order || Buffer.compare(a.entry.path, b.entry.path));
  for (let i = 0; i < keyed.length; i++) entries[i] = keyed[i]!.entry;
  for (let i = 1; i < entries.length; i++) {
    if (Buffer.compare(entries[i - 1]!.path, entries[i]!.path) === 0) {
      throw new Error(`smt: key ${Buffer.from(entries[i]!.key).toString('hex')} changed twice in one batch`);
    }
  }
  return entries;
}

/** The first six bytes of a path as an integer (exact: below 2^53). */
function leadingBits48(p: Uint8Array): number {
  return ((p[0]! << 16) | (p[1]! << 8) | p[2]!) * 0x1000000 + ((p[3]! << 16) | (p[4]! << 8) | p[5]!);
}

/** First index in [lo, hi) whose path has bit `depth` set (entries share bits < depth and are sorted). */
function splitIndex(entries: readonly { path: Uint8Array }[], lo: number, hi: number, depth: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const m = (a + b) >> 1;
    if (bitAt(entries[m]!.path, depth) === 0) a = m + 1;
    else b = m;
  }
  return a;
}

/** Distinguishes the nodes each batch creates (and so must store); process-local, never persisted. */
let lastBatch = 0;

export class BatchUpdater {
  readonly batch = ++lastBatch;
  constructor(readonly source: NodeSource) {}

  /**
   * An existing leaf at a (possibly) new position: a copy marked as this batch's, since it may have
   * moved onto a cut and must then be stored. Never the shared object itself: that one still sits
   * in the committed tree, and a batch that is prepared but dropped must not change it.
   */
  private place(leaf: LeafNode): LeafNode {
    if (leaf.batch === this.batch) return leaf;
    const { hash, path, valueHash, key, src, start, end } = leaf;
    return { kind: 'leaf', hash, path, valueHash, key, batch: this.batch, seq: 0, src, start, end };
  }

  /** A leaf of this batch with the given path, value hash and key (the key is kept as given). */
  newLeaf(path: Uint8Array, valueHash: Uint8Array, key: Uint8Array): LeafNode {
    return {
      kind: 'leaf',
      hash: hashNode(LEAF_PREFIX, path, valueHash),
      path,
      valueHash,
      key,
      batch: this.batch,
      seq: 0,
      src: undefined,
      start: 0,
      end: 0,
    };
  }

  private leaf(e: LeafEntry): LeafNode {
    if (e.existing) return this.place(e.existing);
    // The key is copied: the tree keeps it, and the caller's array is not ours to hold.
    const { path, valueHash } = e as { path: Uint8Array; valueHash: Uint8Array };
    const hash = hashNode(LEAF_PREFIX, path, valueHash);
    return { kind: 'leaf', hash, path, valueHash, key: Buffer.from(e.key), batch: this.batch, seq: 0, src: undefined, start: 0, end: 0 };
  }

  /** A new inner node; a child known only by hash (an unchanged page root on the cut) stays unloaded. */
  private inner(left: Node, right: Node): InnerNode {
    return {
      kind: 'inner',
      hash: hashNode(INNER_PREFIX, left.hash, right.hash),
      left: left.hash,
      right: right.hash,
      l: left.kind === 'ref' ? undefined : left,
      r: right.kind === 'ref' ? undefined : right,
      batch: this.batch,
      seq: 0,
      ls: left.kind === 'ref' ? left.seq : 0,
      rs: right.kind === 'ref' ? right.seq : 0,
      src: undefined,
      start: 0,
      end: 0,
    };
  }

  /** Canonical parent (at `depth`) of two new children: a lone leaf floats up, two empties vanish. */
  join(left: Node, right: Node, depth: number): Node {
    if (left.kind === 'empty' && right.kind === 'empty') return EMPTY;
    if (left.kind === 'empty' || right.kind === 'empty') {
      const only = resolve(this.source, left.kind === 'empty' ? right : left, depth + 1);
      if (only.kind === 'leaf') return this.place(only); // it moved up, maybe onto a cut
      return left.kind === 'empty' ? this.inner(EMPTY, only) : this.inner(only, EMPTY);
    }
    return this.inner(left, right);
  }

  /** A canonical subtree at `depth` holding exactly `entries[lo, hi)` (all non-deletes, sorted). */
  build(depth: number, entries: readonly LeafEntry[], lo: number, hi: number): Node {
    if (lo === hi) return EMPTY;
    if (hi - lo === 1) return this.leaf(entries[lo]!);
    if (depth >= 256) throw new Error('smt: two leaves share a path');
    const mid = splitIndex(entries, lo, hi, depth);
    // With >= 2 entries, a one-sided split yields an inner child, so `join` never floats here.
    return this.join(this.build(depth + 1, entries, lo, mid), this.build(depth + 1, entries, mid, hi), depth);
  }

  update(node: Node, depth: number, changes: readonly PathChange[], lo: number, hi: number): Node {
    if (lo === hi) return node;
    const n = resolve(this.source, node, depth);
    if (n.kind === 'empty') {
      const sets: LeafEntry[] = [];
      for (let i = lo; i < hi; i++) if (changes[i]!.valueHash !== null) sets.push(changes[i]!);
      return this.build(depth, sets, 0, sets.length);
    }
    if (n.kind === 'leaf') {
      // Merge the lone existing leaf into the changes, then rebuild this small subtree.
      const entries: LeafEntry[] = [];
      let placed = false;
      for (let i = lo; i < hi; i++) {
        const c = changes[i]!;
        const cmp = placed ? -1 : Buffer.compare(c.path, n.path);
        if (cmp > 0) {
          entries.push({ path: n.path, key: n.key, valueHash: n.valueHash, existing: n });
          placed = true;
        } else if (cmp === 0) {
          placed = true; // the change replaces (or deletes) the existing leaf
        }
        if (c.valueHash !== null) {
          const same = cmp === 0 && Buffer.compare(c.valueHash, n.valueHash) === 0;
          entries.push(same ? { path: c.path, key: c.key, valueHash: c.valueHash, existing: n } : c);
        }
      }
      if (!placed) entries.push({ path: n.path, key: n.key, valueHash: n.valueHash, existing: n });
      return this.build(depth, entries, 0, entries.length);
    }
    const mid = splitIndex(changes, lo, hi, depth);
    const left = mid > lo ? this.update(childOf(this.source, n, 0, depth), depth + 1, changes, lo, mid) : childRef(n, 0);
    const right = hi > mid ? this.update(childOf(this.source, n, 1, depth), depth + 1, changes, mid, hi) : childRef(n, 1);
    // Untouched children are the very objects `n` names (same hash array): skip the byte compare.
    if (
      (left.hash === n.left || Buffer.compare(left.hash, n.left) === 0) &&
      (right.hash === n.right || Buffer.compare(right.hash, n.right) === 0)
    )
      return n;
    return this.join(left, right, depth);
  }
}

export interface SmtUpdate {
  /** The new root hash (EMPTY_ROOT for an empty tree). */
  readonly root: Uint8Array;
  /** The new root as stored: what later updates, reads and proofs start from. */
  readonly rootRef: SmtRef;
  /** Records the new root needs that `source` may not have, keyed by `keyString(locator)`: persist these at commit. */
  readonly pending: PendingNodes;
  /** The new root in memory: pass it as the next update's base to walk the top of the tree by pointer. */
  readonly rootNode: SmtNode;
}

export function startNode(root: SmtRef): Node {
  return 'kind' in root ? (root as Loaded) : refOf(root.hash, root.seq);
}

/**
 * Applies `changes` (set or delete, any order, each key at most once) to the tree at `root` and
 * returns the new root plus the new records, without writing anything. One pass over the tree, so
 * shared upper nodes are loaded and hashed once per block, not once per key. `root` may be the
 * `rootNode` of an earlier update (its linked upper pages are reused). `seq` locates the new
 * records: it must be greater than every seq already in `source`, so each batch appends.
 */
export function updateSmt(source: NodeSource, root: SmtRef, changes: readonly KVChange[], seq: number): SmtUpdate {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`smt: invalid record seq ${seq}`);
  const prepared = prepareChanges(changes);
  const updater = new BatchUpdater(source);
  const next = resolve(source, updater.update(startNode(root), 0, prepared, 0, prepared.length), 0);
  const pending = collectRecords(next, updater.batch, seq);
  const rootHash = next.kind === 'empty' ? EMPTY_ROOT : Uint8Array.from(next.hash);
  return { root: rootHash, rootRef: { hash: rootHash, seq: next.seq }, pending, rootNode: next };
}

/** The root of a tree holding exactly `entries` (a reference/genesis helper; ignores no history). */
export function smtRootOf(entries: readonly { key: Uint8Array; value: Uint8Array }[]): SmtUpdate {
  return updateSmt(memoryNodeSource(), EMPTY_REF, entries, 1);
}

// ---------------------------------------------------------------------------------------------
// Reads and proofs

interface Descent {
  /** Siblings from the root downwards (the sibling at index i sits at depth i + 1); `bits[i]` is the direction taken at depth i. */
  readonly siblings: Node[];
  readonly bits: number[];
  /** Where the path ends: empty, or a leaf (whose path may differ from the one sought). */
  readonly terminal: EmptyNode | LeafNode;
}

function descend(source: NodeSource, root: SmtRef, path: Uint8Array): Descent {
  const siblings: Node[] = [];
  const bits: number[] = [];
  let node = resolve(source, startNode(root), 0);
  let depth = 0;
  while (node.kind === 'inner') {
    const bit = bitAt(path, depth);
    bits.push(bit);
    siblings.push(childRef(node, 1 - bit));
    node = childOf(source, node, bit, depth);
    depth++;
  }
  return { siblings, bits, terminal: node };
}

/** The leaf stored for `key` under `root`, or undefined: lets tools check a value against a root. */
export function smtGetValueHash(source: NodeSource, root: SmtRef, key: Uint8Array): Uint8Array | undefined {
  const path = sha256(key);
  const { terminal } = descend(source, root, path);
  return terminal.kind === 'leaf' && Buffer.compare(terminal.path, path) === 0 ? terminal.valueHash : undefined;
}

/** The leaf with the smallest (`side` 0) or largest (`side` 1) path in the subtree `start` at `depth`. */
function extremeLeaf(source: NodeSource, start: Node, depth: number, side: 0 | 1): LeafNode {
  let node = resolve(source, start, depth);
  while (node.kind === 'inner') {
    const first = side === 0 ? node.left : node.right;
    const take = isEmptyHash(first) ? 1 - side : side;
    node = childOf(source, node, take, depth);
    depth++;
  }
  if (node.kind !== 'leaf') throw new Error('smt: non-empty subtree without a leaf');
  return node;
}

/** The ICS-23 leaf op of this tree (`SmtSpec.leafSpec` of app/ics23, checked in its store-proofs spec). */
export function smtLeafOp(): LeafOp {
  return {
    hash: HashOp.SHA256,
    prehashKey: HashOp.SHA256,
    prehashValue: HashOp.SHA256,
    length: LengthOp.NO_PREFIX,
    prefix: Uint8Array.of(LEAF_PREFIX),
  };
}

/** Reads a key's value at the proven root: proofs need values, the tree only keeps their hashes. */
export type ValueLookup = (key: Uint8Array) => Uint8Array | undefined;

function existenceFor(source: NodeSource, root: SmtRef, leaf: LeafNode, valueOf: ValueLookup): ExistenceProof {
  const value = valueOf(leaf.key);
  if (value === undefined || Buffer.compare(sha256(value), leaf.valueHash) !== 0) {
    throw new Error(`smt: stored value of key ${Buffer.from(leaf.key).toString('hex')} does not match the tree`);
  }
  const { siblings, bits, terminal } = descend(source, root, leaf.path);
  if (terminal.kind !== 'leaf' || Buffer.compare(terminal.hash, leaf.hash) !== 0) {
    throw new Error('smt: leaf not reachable from root');
  }
  const path: InnerOp[] = [];
  for (let i = siblings.length - 1; i >= 0; i--) {
    const sibling = siblings[i]!.hash;
    path.push(
      bits[i] === 0
        ? { hash: HashOp.SHA256, prefix: Uint8Array.of(INNER_PREFIX), suffix: Uint8Array.from(sibling) }
        : { hash: HashOp.SHA256, prefix: Buffer.concat([Uint8Array.of(INNER_PREFIX), sibling]), suffix: new Uint8Array() },
    );
  }
  return { key: Uint8Array.from(leaf.key), value: Uint8Array.from(value), leaf: smtLeafOp(), path };
}

/**
 * An ICS-23 proof that `key` has a value (ExistenceProof) or has none (NonExistenceProof with its
 * path-order neighbours) under `root`. `valueOf` must read the state committed at `root`.
 */
export function proveSmt(source: NodeSource, root: SmtRef, key: Uint8Array, valueOf: ValueLookup): CommitmentProof {
  const path = sha256(key);
  const { siblings, bits, terminal } = descend(source, root, path);
  if (terminal.kind === 'leaf' && Buffer.compare(terminal.path, path) === 0) {
    return CommitmentProof.fromPartial({ exist: existenceFor(source, root, terminal, valueOf) });
  }
  // Neighbours in path order: the terminal leaf is one of them; the other lies in the deepest
  // sibling on the corresponding side along the path.
  let left: LeafNode | undefined;
  let right: LeafNode | undefined;
  if (terminal.kind === 'leaf') {
    if (Buffer.compare(terminal.path, path) < 0) left = terminal;
    else right = terminal;
  }
  for (let d = siblings.length - 1; d >= 0 && (left === undefined || right === undefined); d--) {
    const sibling = siblings[d]!;
    if (sibling.kind === 'empty') continue;
    if (bits[d] === 1 && left === undefined) left = extremeLeaf(source, sibling, d + 1, 1);
    if (bits[d] === 0 && right === undefined) right = extremeLeaf(source, sibling, d + 1, 0);
  }
  const nonexist: NonExistenceProof = {
    key: Uint8Array.from(key),
    left: left && existenceFor(source, root, left, valueOf),
    right: right && existenceFor(source, root, right, valueOf),
  };
  return CommitmentProof.fromPartial({ nonexist });
}
