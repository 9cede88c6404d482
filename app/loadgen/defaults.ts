/** Defaults of a load run, in a module light enough for the CLI to import at startup. */

/** The CometBFT knobs that bound throughput; identical for the app under test and the kvstore. */
export interface CometSettings {
  readonly timeoutCommit: string;
  readonly timeoutPropose: string;
  readonly mempoolSize: number;
  readonly mempoolMaxTxsBytes: number;
  readonly mempoolCacheSize: number;
  readonly recheck: boolean;
  readonly maxBlockBytes: number;
  readonly logLevel: string;
}

/**
 * Why these values (see README "End-to-end throughput"):
 *  - timeout_commit 250ms: the localnet's value; short enough that block time follows execution,
 *    long enough that CometBFT is not mostly running consensus rounds for empty slack.
 *  - mempool size 100k / 1 GiB: the default 5000 txs fills in well under a second at the rates
 *    measured; a full mempool would measure the retry loop, not the chain.
 *  - cache_size 200k: the duplicate-tx cache must remember a whole run's txs.
 *  - recheck on (the default): after each block, CometBFT re-runs CheckTx on what is left in the
 *    mempool, as every production validator does; it is part of the cost we measure.
 *  - max block bytes 22020096 (CometBFT's default, ~21 MiB, ~80k of our txs): never the limit.
 */
export const DEFAULT_COMET_SETTINGS: CometSettings = {
  timeoutCommit: '250ms',
  timeoutPropose: '500ms',
  mempoolSize: 100_000,
  mempoolMaxTxsBytes: 1_073_741_824,
  mempoolCacheSize: 200_000,
  recheck: true,
  maxBlockBytes: 22_020_096,
  logLevel: 'error',
};

/** The workload of the zones comparison (SuiteOptions.zones): in-zone transfers, no relayer needed. */
export const ZONES_WORKLOAD = 'transfer' as const;

/** Run defaults (see RunOptions in run.ts). */
export const RUN_DEFAULTS = {
  txs: 20_000,
  accounts: 2_000,
  rate: 0,
  mode: 'sync' as const,
  connections: 32,
  maxSendMs: 60_000,
  warmupMs: 2_000,
  drainTimeoutMs: 60_000,
  executor: 'parallel' as const,
  seed: 1,
};
