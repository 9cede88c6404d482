import { DEFAULT_COMET_SETTINGS } from '../../app/loadgen/defaults.js';
import type { SuiteOptions } from '../../app/loadgen/suite.js';

/**
 * The load settings every loadgen smoke test shares: a few hundred txs, open loop over 8 sync
 * connections, no warm-up, bounded waits, and 100 ms blocks so a run takes seconds.
 */
export const SMOKE_LOAD = {
  rate: 0,
  mode: 'sync',
  connections: 8,
  maxSendMs: 30_000,
  warmupMs: 0,
  drainTimeoutMs: 30_000,
  comet: { ...DEFAULT_COMET_SETTINGS, timeoutCommit: '100ms' },
  progress: false,
} as const satisfies Partial<SuiteOptions>;
