import { CacheKV, memoryStore } from '../store/cache-kv.js';
import { prefixEnd } from '../store/bytes.js';
import type { KVStore } from '../store/types.js';
import { Prng } from './prng.js';
import { isExecutorAbort, type BlockTask } from './types.js';

/**
 * Synthetic transactions for the executor's tests and benchmark: each tx is a small program over
 * a store of decimal-text integers, run on a branch that is written only when the program
 * succeeds (as baseapp does with a tx's messages), so its read and write sets depend on the
 * values it reads ("dynamic read/writes" in Aptos' tests). Plain data: it is the payload worker
 * threads rebuild the block from (`syntheticTask` is the factory they import).
 */
export type Op =
  /** v = get(key) ?? 0; set(key, v + delta) */
  | { t: 'rmw'; key: string; delta: number }
  /** Moves `amount` unless `from` holds less: then the whole tx fails ("insufficient funds"). */
  | { t: 'transfer'; from: string; to: string; amount: number }
  | { t: 'read'; key: string }
  | { t: 'has'; key: string }
  | { t: 'put'; key: string; value: number }
  | { t: 'del'; key: string }
  /** Sums the values under `prefix` (at most `limit` entries) and writes the sum to `into`. */
  | { t: 'sum'; prefix: string; into: string; limit: number; reverse: boolean }
  /** if get(key) > threshold then put(target, value) else del(target): a value-dependent write set. */
  | { t: 'cond'; key: string; threshold: number; target: string; value: number }
  /** The tx's code throws here (a panic): its writes are dropped, the output comes from recover. */
  | { t: 'throw' }
  /** Pure CPU work (a heavier handler), deterministic. */
  | { t: 'work'; iters: number };

export interface TxProgram {
  ops: Op[];
  /** Each store access costs 1 (a range entry too); past the limit the tx fails "out of gas" after its reads. */
  gasLimit: number;
}

export interface SyntheticBlock {
  txs: TxProgram[];
}

export interface SyntheticOutput {
  ok: boolean;
  log: string;
  gasUsed: number;
  /** Everything the tx observed, so equal outputs imply equal reads. */
  seen: string;
}

class OutOfGas extends Error {}
class Failed extends Error {}

const enc = new TextEncoder();
const dec = new TextDecoder();
const keyCache = new Map<string, Uint8Array>();
function kb(key: string): Uint8Array {
  let b = keyCache.get(key);
  if (b === undefined) {
    b = enc.encode(key);
    if (keyCache.size < 1_000_000) keyCache.set(key, b);
  }
  return b;
}
export function encodeInt(n: number): Uint8Array {
  return enc.encode(String(n));
}
export function decodeInt(v: Uint8Array | undefined): number {
  return v === undefined ? 0 : Number(dec.decode(v));
}

/** The task factory worker threads import: `{ module: synthetic.ts, export: 'syntheticTask' }`. */
export function syntheticTask(block: SyntheticBlock): BlockTask<SyntheticOutput> {
  return {
    count: block.txs.length,
    run: (index, view) => runProgram(block.txs[index]!, view),
    recover: (_index, error) => ({
      ok: false,
      log: `panic: ${error instanceof Error ? error.message : String(error)}`,
      gasUsed: 0,
      seen: '',
    }),
  };
}

export function runProgram(tx: TxProgram, view: KVStore): SyntheticOutput {
  const branch = new CacheKV(view);
  let gas = 0;
  let seen = '';
  const charge = (n = 1) => {
    gas += n;
    if (gas > tx.gasLimit) throw new OutOfGas();
  };
  const get = (key: string) => {
    charge();
    const v = decodeInt(branch.get(kb(key)));
    seen += `${v},`;
    return v;
  };
  try {
    for (const op of tx.ops) {
      switch (op.t) {
        case 'rmw': {
          const v = get(op.key);
          charge();
          branch.set(kb(op.key), encodeInt(v + op.delta));
          break;
        }
        case 'transfer': {
          const from = get(op.from);
          if (from < op.amount) throw new Failed('insufficient funds');
          charge();
          branch.set(kb(op.from), encodeInt(from - op.amount));
          const to = get(op.to);
          charge();
          branch.set(kb(op.to), encodeInt(to + op.amount));
          break;
        }
        case 'read':
          get(op.key);
          break;
        case 'has':
          charge();
          seen += branch.has(kb(op.key)) ? 'y,' : 'n,';
          break;
        case 'put':
          charge();
          branch.set(kb(op.key), encodeInt(op.value));
          break;
        case 'del':
          charge();
          branch.delete(kb(op.key));
          break;
        case 'sum': {
          const p = kb(op.prefix);
          let total = 0;
          let count = 0;
          for (const { key, value } of branch.iterator(p, prefixEnd(p), op.reverse)) {
            if (count >= op.limit) break;
            charge();
            total += decodeInt(value);
            seen += `${dec.decode(key)}=${decodeInt(value)};`;
            count++;
          }
          charge();
          branch.set(kb(op.into), encodeInt(total));
          break;
        }
        case 'cond': {
          charge();
          if (get(op.key) > op.threshold) branch.set(kb(op.target), encodeInt(op.value));
          else branch.delete(kb(op.target));
          break;
        }
        case 'throw':
          throw new Error('synthetic panic');
        case 'work': {
          let h = 0x811c9dc5;
          for (let i = 0; i < op.iters; i++) h = Math.imul(h ^ i, 0x01000193);
          seen += `w${h & 0xff},`;
          break;
        }
      }
    }
  } catch (err) {
    if (isExecutorAbort(err)) throw err;
    if (err instanceof OutOfGas) return { ok: false, log: 'out of gas', gasUsed: gas, seen };
    if (err instanceof Failed) return { ok: false, log: err.message, gasUsed: gas, seen };
    throw err; // a panic: the executor's recover turns it into the output
  }
  branch.write();
  return { ok: true, log: '', gasUsed: gas, seen };
}

// ---------------------------------------------------------------------------------------------
// Workload generators (benchmark). Seeded, so a workload is reproducible.

export function accountKey(i: number): string {
  return `bal/${String(i).padStart(6, '0')}`;
}
export function sequenceKey(i: number): string {
  return `seq/${String(i).padStart(6, '0')}`;
}
export const HOT_KEY = 'fee/collector';

/** A base state with `accounts` funded accounts. */
export function genesis(accounts: number, balance = 1_000_000_000): CacheKV {
  const store = memoryStore();
  for (let i = 0; i < accounts; i++) store.set(kb(accountKey(i)), encodeInt(balance));
  return store;
}

export interface TransferWorkload {
  accounts: number;
  txs: number;
  seed: number;
  /** Every tx also credits one fee-collector key (the classic hot key). */
  hotKey?: boolean;
  /** Pure CPU iterations per tx (~1 ns each), to model heavier handlers. */
  work?: number;
}

/** Uniform transfers: bump the sender's sequence, move a random amount to a random recipient. */
export function transferBlock(w: TransferWorkload): SyntheticBlock {
  const rng = new Prng(w.seed);
  const txs: TxProgram[] = [];
  for (let i = 0; i < w.txs; i++) {
    const from = rng.int(w.accounts);
    let to = rng.int(w.accounts);
    if (to === from && w.accounts > 1) to = (to + 1) % w.accounts;
    const ops: Op[] = [
      { t: 'rmw', key: sequenceKey(from), delta: 1 },
      { t: 'transfer', from: accountKey(from), to: accountKey(to), amount: 1 + rng.int(1000) },
    ];
    if (w.hotKey) ops.push({ t: 'rmw', key: HOT_KEY, delta: 1 });
    if (w.work) ops.push({ t: 'work', iters: w.work });
    txs.push({ ops, gasLimit: 1_000 });
  }
  return { txs };
}
