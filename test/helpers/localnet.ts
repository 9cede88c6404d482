/**
 * `parazone localnet <args>` as a user runs it, in a temporary home on free ports (the localnet
 * picks them), its output in a log beside the home; stopped and removed by `cleanup`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../app/node/cometbft.js';
import { pollUntil, type Cleanup } from './cleanup.js';
import { stopChild } from './processes.js';
import { makeTempDir } from './temp-dir.js';

export interface LocalnetProcess {
  readonly home: string;
  readonly log: () => string;
  /** Polls until `file` (in the home) exists, then parses it as JSON; fails if the localnet exits first. */
  readonly waitForJson: <T>(file: string) => Promise<T>;
}

export function spawnLocalnet(cleanup: Cleanup, args: string[]): LocalnetProcess {
  const dir = makeTempDir('localnet');
  cleanup.add('remove localnet home', () => dir.remove());
  const home = path.join(dir.path, 'localnet');
  const logFile = path.join(dir.path, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', ...args, '--home', home],
    {
      cwd: repoRoot(),
      stdio: ['ignore', fd, fd],
    },
  );
  fs.closeSync(fd);
  cleanup.add('stop localnet', () => stopChild(child, 10_000));
  const log = () => fs.readFileSync(logFile, 'utf8');
  const waitForJson = <T>(file: string) =>
    pollUntil(
      `the localnet to write ${file}`,
      () => {
        if (child.exitCode !== null) throw new Error(`localnet exited with ${child.exitCode}:\n${log()}`);
        const full = path.join(home, file);
        return fs.existsSync(full) ? (JSON.parse(fs.readFileSync(full, 'utf8')) as T) : undefined;
      },
      90_000,
      200,
    );
  return { home, log, waitForJson };
}
