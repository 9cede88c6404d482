import { isMainThread } from 'node:worker_threads';
import { open, type RootDatabase } from 'lmdb';
import { compareBytes } from '../store/bytes.js';
import type { KVPair } from '../store/types.js';
import type { BaseDescriptor, PortableBase } from './portable-base.js';
import { syntheticTask, type SyntheticBlock, type SyntheticOutput } from './synthetic.js';
import type { BlockTask } from './types.js';

/**
 * Test fixtures for the worker executor.
 *
 * Task factories for the failure-path tests of the worker executor: the same synthetic txs, but
 * on worker threads (never on the main thread) tx `failAt` throws out of the executor's reach
 * (`crash`: the worker's task factory fails) or never returns (`hang`).
 */
export interface FaultyBlock extends SyntheticBlock {
  fault: 'crash' | 'hang';
}

export function faultyTask(block: FaultyBlock): BlockTask<SyntheticOutput> {
  if (!isMainThread && block.fault === 'crash') throw new Error('worker cannot build this block');
  const inner = syntheticTask(block);
  return {
    ...inner,
    run(index, view) {
      if (!isMainThread && block.fault === 'hang' && index === 3) for (;;);
      return inner.run(index, view);
    },
  };
}

/**
 * A KVReader over an LMDB environment that worker threads can open themselves (read-only,
 * concurrently): the shape the node's committed-state reader should take to reach the workers.
 */
export class LmdbReader implements PortableBase {
  private constructor(
    private readonly db: RootDatabase<Buffer, Buffer>,
    private readonly path: string,
  ) {}

  static open(arg: { path: string }): LmdbReader {
    return new LmdbReader(open<Buffer, Buffer>({ path: arg.path, readOnly: true, keyEncoding: 'binary', encoding: 'binary' }), arg.path);
  }

  forWorkers(): BaseDescriptor {
    return { kind: 'module', url: import.meta.url, exportName: 'openLmdbReader', arg: { path: this.path }, cacheKey: this.path };
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.db.get(Buffer.from(key)) ?? undefined;
  }

  has(key: Uint8Array): boolean {
    return this.db.doesExist(Buffer.from(key));
  }

  *iterator(start: Uint8Array | undefined, end: Uint8Array | undefined, reverse = false): Iterable<KVPair> {
    const lo = start === undefined ? undefined : Buffer.from(start);
    const hi = end === undefined ? undefined : Buffer.from(end);
    if (!reverse) {
      for (const { key, value } of this.db.getRange({ start: lo, end: hi })) yield { key: new Uint8Array(key), value };
      return;
    }
    // lmdb's reverse range starts at an inclusive upper bound: skip it, stop below `lo`.
    for (const { key, value } of this.db.getRange({ start: hi, reverse: true })) {
      if (hi !== undefined && compareBytes(key, hi) >= 0) continue;
      if (lo !== undefined && compareBytes(key, lo) < 0) return;
      yield { key: new Uint8Array(key), value };
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export function openLmdbReader(arg: { path: string }): LmdbReader {
  return LmdbReader.open(arg);
}
