/**
 * The parallel executor's task module for a chain with extra modules that names no
 * `parallelTaskModule`. Each worker thread imports it as
 * `chain-entry-task.ts?entry=<file URL of the chain's entry script>` (chainEntryTaskModule in
 * app/node/parallel-executor.ts), imports that script, whose `runCli(spec)` only registers the
 * spec on this thread (app/chain-entry.ts), and composes the chain from it: the same spec, so the
 * same chain, as the node's thread composed.
 */
import { composeChain } from './app.js';
import { deliverTaskFor } from './baseapp/deliver-task.js';
import { registeredChainSpec, wantChainSpec } from './chain-entry.js';
import { BaseError } from './types/base-error.js';

const entry = new URL(import.meta.url).searchParams.get('entry');
if (!entry) throw new BaseError(`${import.meta.url} needs the chain's entry script as its ?entry= query (a file URL)`);
wantChainSpec();
await import(entry);
const spec = registeredChainSpec(entry);

export const deliverTask = deliverTaskFor(() => composeChain(spec));
