import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory under the OS temp dir. Kept (and its path printed) when
 * PARAZONE_KEEP_TEST_HOMES=1, so a failing CometBFT run can be inspected.
 */
export function makeTempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `parazone-${prefix}-`));
  return {
    path,
    remove: () => {
      if (process.env.PARAZONE_KEEP_TEST_HOMES === '1') {
        console.log(`kept test dir ${path}`);
        return;
      }
      rmSync(path, { recursive: true, force: true });
    },
  };
}
