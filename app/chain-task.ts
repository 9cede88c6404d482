/**
 * The stock chain's task module for the parallel executor's worker threads: each worker imports
 * this file and calls `deliverTask(payload)`, which composes the same chain as the node (here, so
 * that the runtime below never imports the chain's composition).
 */
import { composeChain } from './app.js';
import { deliverTaskFor } from './baseapp/deliver-task.js';

export const deliverTask = deliverTaskFor(() => composeChain());
