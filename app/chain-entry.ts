/**
 * Which script composes the running chain, so that the parallel executor's worker threads can
 * compose the same chain without the chain builder naming a task module (app/chain-entry-task.ts).
 *
 * A chain's entry script calls `runCli(spec)`. On the node's thread runCli records that script
 * (`recordChainEntry`). A worker thread imports the same script after `wantChainSpec()`; there
 * runCli only hands its spec over (`registerChainSpec`) and starts no CLI.
 */
import type { ChainSpec } from './app.js';
import { BaseError } from './types/base-error.js';

let entry: string | undefined;
let wanted = false;
let registered: ChainSpec | undefined;

/** The file URL of the script whose runCli started this process. */
export function recordChainEntry(url: string): void {
  entry = url;
}

export function recordedChainEntry(): string | undefined {
  return entry;
}

/** Called by a worker before it imports the chain's entry: the entry's runCli then only registers its spec. */
export function wantChainSpec(): void {
  wanted = true;
}

/**
 * runCli's first step: true when this thread only wants the spec (it is kept, and runCli returns
 * at once). A flag rather than `!isMainThread`: a CLI may legitimately run on a worker thread
 * (a test runner's), and only a thread that asked for the spec must not start one.
 */
export function registerChainSpec(spec: ChainSpec): boolean {
  if (!wanted) return false;
  registered ??= spec;
  return true;
}

/** The spec the entry `entryUrl` registered when imported; throws if it registered none. */
export function registeredChainSpec(entryUrl: string): ChainSpec {
  if (registered === undefined) throw new ChainSpecNotRegisteredError(entryUrl);
  return registered;
}

/** The chain's entry script, imported by a worker thread, did not call runCli(spec). */
export class ChainSpecNotRegisteredError extends BaseError {
  constructor(readonly entry: string) {
    super(
      `the chain entry ${entry} registered no ChainSpec when a worker thread imported it: call runCli(spec) at the top level of that script, ` +
        `or name a task module that composes the chain as parallelTaskModule in the ChainSpec (see app/chain-task.ts)`,
    );
  }
}
