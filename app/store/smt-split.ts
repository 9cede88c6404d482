/**
 * The state root on several threads. Below the tree's first page cut (depth PAGE_LEVELS) sit 16
 * subtrees that share nothing: each can be updated on its own thread, and only the top page
 * (depths 0..3) waits for all of them. Subtree `i` holds the paths whose first four bits are `i`.
 *
 * The main thread hashes every changed key's path (to know its subtree), keeps the subtrees whose
 * index is ≡ 0 mod (threads + 1) and sends the others to their fixed thread, which keeps the roots
 * it built linked in memory from one block to the next, as the main thread keeps its own. Each
 * thread stores the records of its subtrees under the same seq; the main thread then joins the 16
 * new subtree roots into the top page. Roots, records and their bytes are exactly those of a
 * one-thread `updateSmt` (smt-split.spec.ts checks it): the split changes who computes a page,
 * never what the page is.
 *
 * A tree whose top page is not full (some node above depth 4 is a leaf or empty: a small tree)
 * is updated on one thread, as is a batch too small to be worth the messages.
 */
import {
  BatchUpdater,
  EMPTY,
  EMPTY_ROOT,
  PAGE_LEVELS,
  childRef,
  collectRecords,
  overlaySource,
  refOf,
  resolve,
  sha256,
  sortByPath,
  startNode,
  type InnerNode,
  type Loaded,
  type Node,
  type NodeSource,
  type PathChange,
  type PendingNodes,
  type SmtRef,
  type SmtUpdate,
} from './smt.js';
import type { KVChange } from './types.js';

export const SPLIT_DEPTH = PAGE_LEVELS;
export const SUBTREES = 1 << SPLIT_DEPTH;

/** Below this many changes the messages cost more than the threads save. */
export const MIN_SPLIT_CHANGES = 2048;

/** A change with its path hashed; whoever updates the subtree hashes the value. */
export interface PathedChange {
  readonly path: Uint8Array;
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

/** One subtree for another thread: where it starts and its changes in path order. */
export interface SubtreeJob {
  readonly index: number;
  readonly base: SmtRef;
  readonly changes: readonly PathedChange[];
}

/** A subtree's new root as its thread reports it. */
export type SubtreeRoot =
  | { readonly kind: 'empty' }
  /** A lone leaf: the main thread places it (it may float above the cut) and stores it if needed. */
  | { readonly kind: 'leaf'; readonly path: Uint8Array; readonly valueHash: Uint8Array; readonly key: Uint8Array }
  /** Stored under `seq` (this batch's seq when the subtree changed). */
  | { readonly kind: 'stored'; readonly hash: Uint8Array; readonly seq: number };

export interface SubtreeAnswer {
  readonly roots: readonly { readonly index: number; readonly root: SubtreeRoot }[];
  /** Records the new subtree roots need, keyed by keyString(locator), as `updateSmt` returns them. */
  readonly records: PendingNodes;
}

/** A runner's threads failed: the caller updates the tree on its own thread instead. */
export class SubtreeRunnerError extends Error {
  override readonly name = 'SubtreeRunnerError';
}

/** The other threads that take subtree jobs (the parallel executor's workers). */
export interface SubtreeRunner {
  /** How many other threads there are. */
  readonly threads: number;
  /**
   * Sends `jobs[t]` to thread t, runs `local` on this thread meanwhile, and returns each thread's
   * answer in thread order. Throws SubtreeRunnerError if a thread fails; the caller then updates
   * on its own thread.
   */
  run(jobs: readonly (readonly SubtreeJob[])[], seq: number, local: () => void): SubtreeAnswer[];
}

/** Which thread updates subtree `index` (0 = the main thread): fixed, so each keeps its subtrees linked. */
export function threadOfSubtree(index: number, threads: number): number {
  return index % (threads + 1);
}

/**
 * `updateSmt` with the subtrees below the first cut updated on `runner`'s threads too, or
 * undefined when the tree's top is not full or the batch is small (then use `updateSmt`).
 */
export function updateSmtSplit(
  source: NodeSource,
  root: SmtRef,
  changes: readonly KVChange[],
  seq: number,
  runner: SubtreeRunner,
  minChanges = MIN_SPLIT_CHANGES,
): SmtUpdate | undefined {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`smt: invalid record seq ${seq}`);
  if (runner.threads < 1 || changes.length < minChanges) return undefined;
  const top = resolve(source, startNode(root), 0);
  const subtrees: Node[] = new Array(SUBTREES);
  if (!collectSubtrees(source, top, 0, 0, subtrees)) return undefined;

  const groups = groupBySubtree(changes);
  const jobs: SubtreeJob[][] = Array.from({ length: runner.threads }, () => []);
  for (let i = 0; i < SUBTREES; i++) {
    const thread = threadOfSubtree(i, runner.threads);
    if (thread === 0 || groups[i]!.length === 0) continue;
    const base = subtrees[i]!;
    jobs[thread - 1]!.push({
      index: i,
      base: base.kind === 'empty' ? { hash: EMPTY_ROOT, seq: 0 } : { hash: base.hash, seq: base.seq },
      changes: groups[i]!,
    });
  }

  // Records the other threads store: the combining step may need to read one (a lone subtree root
  // floating up past an emptied sibling), so the updater reads them before the store.
  const remoteRecords: PendingNodes = new Map();
  const updater = new BatchUpdater(overlaySource(remoteRecords, source));
  const next: Node[] = subtrees.slice();
  const answers = runner.run(jobs, seq, () => {
    for (let i = 0; i < SUBTREES; i++) {
      if (threadOfSubtree(i, runner.threads) !== 0 || groups[i]!.length === 0) continue;
      const pathChanges = hashValues(groups[i]!);
      next[i] = updater.update(subtrees[i]!, SPLIT_DEPTH, pathChanges, 0, pathChanges.length);
    }
  });
  for (const answer of answers) {
    for (const [locator, record] of answer.records) remoteRecords.set(locator, record);
    for (const { index, root: r } of answer.roots) next[index] = nodeOfAnswer(updater, subtrees[index]!, r);
  }

  const combined = resolve(updater.source, combine(updater, top, 0, 0, next), 0);
  const pending = collectRecords(combined, updater.batch, seq);
  for (const [locator, record] of remoteRecords) pending.set(locator, record);
  const rootHash = combined.kind === 'empty' ? EMPTY_ROOT : Uint8Array.from(combined.hash);
  return { root: rootHash, rootRef: { hash: rootHash, seq: combined.seq }, pending, rootNode: combined };
}

/** Fills `out` with the 16 nodes at the split depth; false when a node above it is not inner. */
function collectSubtrees(source: NodeSource, node: Node, depth: number, index: number, out: Node[]): boolean {
  if (depth === SPLIT_DEPTH) {
    out[index] = node;
    return true;
  }
  // Nodes above the cut live in the top page, decoded with it.
  const n = depth === 0 ? node : node.kind === 'ref' ? resolve(source, node, depth) : node;
  if (n.kind !== 'inner') return false;
  const below = depth + 1;
  const left = below === SPLIT_DEPTH ? childRef(n, 0) : (n.l ?? resolve(source, childRef(n, 0), below));
  const right = below === SPLIT_DEPTH ? childRef(n, 1) : (n.r ?? resolve(source, childRef(n, 1), below));
  return collectSubtrees(source, left, below, index * 2, out) && collectSubtrees(source, right, below, index * 2 + 1, out);
}

/** Rebuilds depths 3..0 over the new subtree roots, keeping every untouched node as it was. */
function combine(updater: BatchUpdater, node: Node, depth: number, index: number, next: readonly Node[]): Node {
  if (depth === SPLIT_DEPTH) return next[index]!;
  const n = node as InnerNode; // collectSubtrees checked: inner, and its in-page children loaded
  const below = depth + 1;
  const leftBefore = below === SPLIT_DEPTH ? childRef(n, 0) : n.l!;
  const rightBefore = below === SPLIT_DEPTH ? childRef(n, 1) : n.r!;
  const left = combine(updater, leftBefore, below, index * 2, next);
  const right = combine(updater, rightBefore, below, index * 2 + 1, next);
  // As in a one-thread update: children with the same hashes leave the node as it is.
  if (Buffer.compare(left.hash, n.left) === 0 && Buffer.compare(right.hash, n.right) === 0) return n;
  return updater.join(left, right, depth);
}

function nodeOfAnswer(updater: BatchUpdater, before: Node, root: SubtreeRoot): Node {
  if (root.kind === 'empty') return EMPTY;
  if (root.kind === 'leaf') return updater.newLeaf(root.path, root.valueHash, root.key);
  // Unchanged: the very node the tree holds (linked or not), as a one-thread update returns it.
  if (before.kind !== 'empty' && before.seq === root.seq && Buffer.compare(before.hash, root.hash) === 0) return before;
  return refOf(root.hash, root.seq);
}

/** Changes hashed into paths and grouped by subtree, each group in path order. */
function groupBySubtree(changes: readonly KVChange[]): PathedChange[][] {
  const groups: PathedChange[][] = Array.from({ length: SUBTREES }, () => []);
  for (const c of changes) {
    const path = sha256(c.key);
    groups[path[0]! >> (8 - SPLIT_DEPTH)]!.push({ path, key: c.key, value: c.value });
  }
  for (const group of groups) sortByPath(group);
  return groups;
}

function hashValues(changes: readonly PathedChange[]): PathChange[] {
  return changes.map((c) => ({ path: c.path, key: c.key, valueHash: c.value === null ? null : sha256(c.value) }));
}

/**
 * What a thread keeps between the subtree jobs it runs: the roots it built, linked in memory, so
 * the next block walks their upper pages by pointer instead of reading and decoding them.
 */
export class SubtreeWorker {
  /** Per subtree index, the roots this thread built last (the newest and the one before). */
  private readonly kept: Loaded[][] = Array.from({ length: SUBTREES }, () => []);

  constructor(private readonly source: NodeSource) {}

  run(jobs: readonly SubtreeJob[], seq: number): SubtreeAnswer {
    const updater = new BatchUpdater(this.source);
    const roots: { index: number; root: SubtreeRoot }[] = [];
    const records: PendingNodes = new Map();
    for (const job of jobs) {
      const base = this.baseOf(job);
      const changes = hashValues(job.changes);
      const next = updater.update(base, SPLIT_DEPTH, changes, 0, changes.length);
      if (job.base.seq !== 0 && Buffer.compare(next.hash, job.base.hash) === 0) {
        // Unchanged (a one-thread update returns the old node too): nothing to store.
        roots.push({ index: job.index, root: { kind: 'stored', hash: job.base.hash, seq: job.base.seq } });
        if (next.kind === 'inner') this.keep(job.index, next);
        continue;
      }
      const n = resolve(this.source, next, SPLIT_DEPTH);
      if (n.kind === 'empty') roots.push({ index: job.index, root: { kind: 'empty' } });
      else if (n.kind === 'leaf' && n.batch === updater.batch)
        roots.push({ index: job.index, root: { kind: 'leaf', path: n.path, valueHash: n.valueHash, key: n.key } });
      else if (n.kind === 'leaf') roots.push({ index: job.index, root: { kind: 'stored', hash: n.hash, seq: n.seq } });
      else {
        for (const [locator, record] of collectRecords(n, updater.batch, seq, SPLIT_DEPTH)) records.set(locator, record);
        roots.push({ index: job.index, root: { kind: 'stored', hash: n.hash, seq: n.seq } });
        this.keep(job.index, n);
      }
    }
    return { roots, records };
  }

  private baseOf(job: SubtreeJob): Node {
    if (job.base.seq === 0) return EMPTY;
    for (const node of this.kept[job.index]!) {
      if (node.kind !== 'empty' && node.seq === job.base.seq && Buffer.compare(node.hash, job.base.hash) === 0) return node;
    }
    return refOf(job.base.hash, job.base.seq);
  }

  private keep(index: number, node: Loaded): void {
    const kept = this.kept[index]!;
    kept.unshift(node);
    if (kept.length > 2) kept.pop();
  }
}
