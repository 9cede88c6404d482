import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BaseAppObserver } from '../baseapp/baseapp.js';

/**
 * The app's Prometheus metrics, served on their own port beside CometBFT's (which has its own
 * `[instrumentation] prometheus` switch in config.toml). Names follow Prometheus conventions
 * with the `parazone_` prefix.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly height = new Gauge({
    name: 'parazone_block_height',
    help: 'Height of the last finalized block',
    registers: [this.registry],
  });
  private readonly txs = new Counter({
    name: 'parazone_block_txs_total',
    help: 'Transactions executed in finalized blocks',
    registers: [this.registry],
  });
  private readonly failedTxs = new Counter({
    name: 'parazone_block_failed_txs_total',
    help: 'Transactions in finalized blocks that returned a non-zero code',
    registers: [this.registry],
  });
  private readonly lastBlockTxs = new Gauge({
    name: 'parazone_last_block_txs',
    help: 'Transactions in the last finalized block',
    registers: [this.registry],
  });
  private readonly finalizeSeconds = new Histogram({
    name: 'parazone_finalize_block_seconds',
    help: 'Time spent in FinalizeBlock',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly commitSeconds = new Histogram({
    name: 'parazone_commit_seconds',
    help: 'Time spent in Commit (persisting state)',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  private readonly checkTx = new Counter({
    name: 'parazone_checktx_total',
    help: 'Mempool CheckTx calls by outcome',
    labelNames: ['result', 'kind'] as const,
    registers: [this.registry],
  });
  readonly reexecutions = new Counter({
    name: 'parazone_executor_reexecutions_total',
    help: 'Transactions the parallel executor ran more than once (aborted incarnations)',
    registers: [this.registry],
  });

  private readonly executorBlocks = new Counter({
    name: 'parazone_executor_blocks_total',
    help: 'Finalized blocks by the executor that ran their txs (sequential, workers = Block-STM on threads) and its thread count',
    labelNames: ['executor', 'workers'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'parazone_process_' });
  }

  /** Plugs into BaseApp: every hook only updates in-memory metrics. */
  observer(): BaseAppObserver {
    return {
      blockFinalized: ({ height, txs, failedTxs, reexecutions, executor, workers, durationMs }) => {
        this.reexecutions.inc(Math.max(0, reexecutions));
        this.executorBlocks.inc({ executor, workers: String(workers) });
        this.height.set(height);
        this.txs.inc(txs);
        this.failedTxs.inc(failedTxs);
        this.lastBlockTxs.set(txs);
        this.finalizeSeconds.observe(durationMs / 1000);
      },
      committed: ({ durationMs }) => this.commitSeconds.observe(durationMs / 1000),
      txChecked: ({ code, recheck }) =>
        this.checkTx.inc({ result: code === 0 ? 'accepted' : 'rejected', kind: recheck ? 'recheck' : 'new' }),
    };
  }

  /** Serves `GET /metrics` on host:port; resolves with the bound port. */
  async serve(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end('try /metrics\n');
        return;
      }
      this.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text))
        .catch((err: Error) => res.writeHead(500).end(err.message));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const bound = (server.address() as { port: number }).port;
    return { port: bound, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }
}
