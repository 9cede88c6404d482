/**
 * In-process helpers for unit tests of modules and keepers: a context over an in-memory store.
 * No CometBFT, no LMDB: just the state machine.
 */
import type { RequestFinalizeBlock, RequestInfo, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { memoryStore } from '../app/store/cache-kv.js';
import { BasicGasMeter, InfiniteGasMeter } from '../app/store/gas.js';
import type { KVStore } from '../app/store/types.js';
import { Context, type ExecMode } from '../app/types/context.js';
import { EventManager } from '../app/types/events.js';

export interface TestContextOptions {
  chainId?: string;
  height?: number;
  time?: Date;
  mode?: ExecMode;
  gasLimit?: number;
  store?: KVStore;
  txIndex?: number;
}

export function testContext(options: TestContextOptions = {}): Context {
  return new Context(
    {
      chainId: options.chainId ?? 'test-chain',
      height: options.height ?? 1,
      time: options.time ?? new Date('2026-01-01T00:00:00Z'),
    },
    options.mode ?? 'deliver',
    options.store ?? memoryStore(),
    options.gasLimit === undefined ? new InfiniteGasMeter() : new BasicGasMeter(options.gasLimit),
    new EventManager(),
    options.txIndex ?? 0,
  );
}

/**
 * Runs `fn` on a branch of `ctx` and keeps its writes only if it returns; if it throws, the store is
 * untouched (what baseapp does for a tx's messages). Returns the thrown error, if any.
 */
export function runBranch(ctx: Context, fn: (branch: Context) => void): unknown {
  const branch = ctx.branch();
  try {
    fn(branch.ctx);
  } catch (err) {
    return err;
  }
  branch.commit();
  return undefined;
}

/** A snapshot of every key/value in a store, for "nothing changed" assertions. */
export function dumpStore(store: KVStore): Map<string, string> {
  const out = new Map<string, string>();
  for (const { key, value } of store.iterator(undefined, undefined)) {
    out.set(Buffer.from(key).toString('hex'), Buffer.from(value).toString('hex'));
  }
  return out;
}

/**
 * A FinalizeBlock request as CometBFT would send it for `height`, with block time
 * `baseSeconds + height` (one second per block) and no consensus details the app reads.
 */
export function finalizeRequest(height: number, txs: Uint8Array[] = [], baseSeconds = 1_700_000_000n): RequestFinalizeBlock {
  return {
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height: BigInt(height),
    time: { seconds: baseSeconds + BigInt(height), nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
}

/** An InitChain request for `appState` (the JSON object genesis.json holds under app_state). */
export function initChainRequest(chainId: string, appState: unknown, initialHeight = 1n, seconds = 1_700_000_000n): RequestInitChain {
  return {
    time: { seconds, nanos: 0 },
    chainId,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(appState)),
    initialHeight,
  };
}

/** The Info request CometBFT sends at its handshake (the app ignores its fields). */
export const INFO_REQUEST: RequestInfo = { version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' };
