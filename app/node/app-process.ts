/**
 * The one launcher of a Parazone node process: `parazone start [--abci-only] --home <home>` as a
 * child of this process, its output appended to a log file. The CLI's localnets, the load
 * generator and the tests all start their nodes through it, so they run what a validator runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceModuleUrl } from './source-url.js';

export interface AppProcessOptions {
  readonly home: string;
  /**
   * The CLI entry to run: a chain builder's own (e.g. examples/notes/chain.ts) or, by default, the
   * stock CLI the way this process runs (compiled main.js from dist/, else main.ts under tsx).
   */
  readonly entry?: string;
  /** Node flags before the entry, e.g. `--cpu-prof`. */
  readonly nodeArgs?: readonly string[];
  /** Only the ABCI app (`--abci-only`, CometBFT started apart); false runs app and CometBFT. Default true. */
  readonly abciOnly?: boolean;
  /** Where stdout and stderr go (appended). Default `<home>/app.log`. */
  readonly logFile?: string;
  /** Variables added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The child's working directory; default this process's. */
  readonly cwd?: string;
}

/**
 * V8 flags every node process runs with. A block allocates tens of kilobytes per tx that die within
 * the block (decoded values, events, keys); a 64 MiB young generation (V8's default is 16 MiB)
 * lets most of it die there instead of being promoted and marked again: measured with
 * `bench:finalize`'s workload, FinalizeBlock + Commit about 10 % cheaper at 100k accounts.
 * Operators starting `parazone start` themselves get the same with
 * `NODE_OPTIONS=--max-semi-space-size=64`.
 */
export const NODE_RUNTIME_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

const stockCli = () => fileURLToPath(sourceModuleUrl('../cli/main.ts', import.meta.url));

/** The node arguments that run `entry start …` for these options. */
export function appProcessArgs(options: AppProcessOptions): string[] {
  const entry = options.entry ?? stockCli();
  const run = entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry];
  return [
    ...NODE_RUNTIME_FLAGS,
    ...(options.nodeArgs ?? []),
    ...run,
    'start',
    ...(options.abciOnly === false ? [] : ['--abci-only']),
    '--home',
    options.home,
  ];
}

/** Starts the node process; the caller waits for its ports and stops it. */
export function spawnAppProcess(options: AppProcessOptions): ChildProcess {
  return spawnLogged(process.execPath, appProcessArgs(options), options.logFile ?? path.join(options.home, 'app.log'), options);
}

/** Spawns `command args` with stdout and stderr appended to `logFile`. */
export function spawnLogged(
  command: string,
  args: readonly string[],
  logFile: string,
  options: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string } = {},
): ChildProcess {
  const fd = fs.openSync(logFile, 'a');
  try {
    const env = options.env ? { ...process.env, ...options.env } : undefined;
    return spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
}
