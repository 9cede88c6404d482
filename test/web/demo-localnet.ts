/**
 * `parazone localnet` in a temporary home on free ports (the localnet picks them), stopped by
 * `cleanup`: `--demo` with short governance periods (resolves once endpoints.json names the web
 * page), or `--zones N` (resolves once zones.json is written).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Endpoints } from '../../app/cli/commands/localnet.js';
import type { ZonesLayout } from '../../app/cli/commands/localnet-zones.js';
import { repoRoot } from '../../app/node/cometbft.js';
import { pollUntil, type Cleanup } from '../helpers/cleanup.js';
import { stopChild } from '../helpers/processes.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export interface DemoLocalnet {
  readonly home: string;
  readonly endpoints: Endpoints & { web: string; demo: NonNullable<Endpoints['demo']> };
  readonly log: () => string;
}

export interface ZonesLocalnet {
  readonly home: string;
  readonly layout: ZonesLayout;
  readonly log: () => string;
}

interface LocalnetProcess {
  readonly home: string;
  readonly log: () => string;
  /** Polls until `file` (in the home) exists, then parses it as JSON; fails if the localnet exits first. */
  readonly waitForJson: <T>(file: string) => Promise<T>;
}

function spawnLocalnet(cleanup: Cleanup, args: string[]): LocalnetProcess {
  const dir = makeTempDir('web-localnet');
  cleanup.add('remove localnet home', () => dir.remove());
  const home = path.join(dir.path, 'localnet');
  const logFile = path.join(dir.path, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'localnet', ...args, '--home', home], {
    cwd: repoRoot(),
    stdio: ['ignore', fd, fd],
  });
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

export async function startDemoLocalnet(cleanup: Cleanup, votingSeconds: number): Promise<DemoLocalnet> {
  const period = String(votingSeconds);
  const net = spawnLocalnet(cleanup, ['--demo', '--voting-period', period, '--deposit-period', period]);
  const endpoints = await net.waitForJson<DemoLocalnet['endpoints']>('endpoints.json');
  if (!endpoints.web || !endpoints.demo) throw new Error(`the demo localnet announced no web page or no demo keys:\n${JSON.stringify(endpoints)}`);
  return { home: net.home, endpoints, log: net.log };
}

export async function startZonesLocalnet(cleanup: Cleanup, zones: number): Promise<ZonesLocalnet> {
  const net = spawnLocalnet(cleanup, ['--zones', String(zones)]);
  const layout = await net.waitForJson<ZonesLayout>('zones.json');
  for (const z of layout.zones) if (!z.web) throw new Error(`zone ${z.chainId} announced no web page:\n${JSON.stringify(z)}`);
  return { home: net.home, layout, log: net.log };
}
