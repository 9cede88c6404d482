import { AppMetrics } from './metrics.js';

describe('AppMetrics', () => {
  it('serves what BaseApp reported, in Prometheus text format', async () => {
    const metrics = new AppMetrics();
    const observer = metrics.observer();
    observer.blockFinalized!({ height: 7, txs: 10, failedTxs: 2, reexecutions: 3, executor: 'workers', workers: 2, durationMs: 12 });
    observer.committed!({ height: 7, durationMs: 3 });
    observer.txChecked!({ code: 0, recheck: false });
    observer.txChecked!({ code: 13, recheck: false });
    const server = await metrics.serve('127.0.0.1', 0);
    try {
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      expect(text).toMatch(/^parazone_block_height 7$/m);
      expect(text).toMatch(/^parazone_block_txs_total 10$/m);
      expect(text).toMatch(/^parazone_block_failed_txs_total 2$/m);
      expect(text).toMatch(/^parazone_finalize_block_seconds_count 1$/m);
      expect(text).toMatch(/^parazone_executor_reexecutions_total 3$/m);
      expect(text).toMatch(/^parazone_executor_blocks_total\{executor="workers",workers="2"\} 1$/m);
      expect(text).toMatch(/^parazone_commit_seconds_count 1$/m);
      expect(text).toMatch(/^parazone_checktx_total\{result="rejected",kind="new"\} 1$/m);
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
