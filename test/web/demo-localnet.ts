/**
 * `parazone localnet --demo` in a temporary home on free ports (the localnet picks them), with
 * short governance periods; resolves once endpoints.json names the web page. Stopped by `cleanup`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../../app/cli/commands/localnet.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { pollUntil, type Cleanup } from '../helpers/cleanup.js';
import { stopChild } from '../helpers/processes.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface DemoLocalnet {
  readonly home: string;
  readonly endpoints: Endpoints & { web: string; demo: NonNullable<Endpoints['demo']> };
  readonly log: () => string;
}

export async function startDemoLocalnet(cleanup: Cleanup, votingSeconds: number): Promise<DemoLocalnet> {
  const dir = makeTempDir('web-localnet');
  cleanup.add('remove localnet home', () => dir.remove());
  const home = path.join(dir.path, 'demo');
  const logFile = path.join(dir.path, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const period = String(votingSeconds);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', '--demo', '--voting-period', period, '--deposit-period', period, '--home', home],
    { cwd: repoRoot(), stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  cleanup.add('stop localnet', () => stopChild(child, 10_000));
  const log = () => fs.readFileSync(logFile, 'utf8');
  const file = path.join(home, 'endpoints.json');
  const endpoints = await pollUntil(
    'the demo localnet to write endpoints.json',
    () => {
      if (child.exitCode !== null) throw new Error(`localnet exited with ${child.exitCode}:\n${log()}`);
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoLocalnet['endpoints']) : undefined;
    },
    90_000,
    200,
  );
  if (!endpoints.web || !endpoints.demo) throw new Error(`the demo localnet announced no web page or no demo keys:\n${JSON.stringify(endpoints)}`);
  return { home, endpoints, log };
}
