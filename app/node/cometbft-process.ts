/**
 * CometBFT as a supervised child process: started on a home, dying with its parent, stopped with
 * a bounded wait; a leftover from an unclean exit is stopped first (cometbft-leftover.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertCometbftDatabasesFree, removeCometbftPidFile, stopLeftoverCometbft, writeCometbftPidFile } from './cometbft-leftover.js';
import { locateCometbft } from './cometbft-binary.js';

export interface StartOptions {
  binary?: string;
  /** Defaults to `<home>/cometbft.log` (appended to, so restarts keep the history). */
  logFile?: string;
  /** Extra arguments after `start --home <home>`. */
  args?: string[];
  /** Where to report a leftover CometBFT stopped before this one starts; default stderr. */
  log?: (message: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Processes still running, killed when this Node process exits so no node outlives its owner. That
 * covers a normal exit, process.exit() and an uncaught exception; a SIGKILLed or aborted owner runs
 * no hook, which is what `diesWithParent` is for.
 */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackUntilExit(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** A running `cometbft start`. */
export class CometbftProcess {
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;

  private constructor(
    readonly home: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise<ExitInfo>((resolveExit) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolveExit(this.exitInfo);
      });
      child.once('error', () => {
        this.exitInfo ??= { code: null, signal: null };
        resolveExit(this.exitInfo);
      });
    });
  }

  /**
   * Spawns `cometbft start --home <home>` with stdout and stderr going to the log file. First stops
   * a CometBFT that an earlier run left running on this home (named by the home's pid file), and
   * refuses, saying what holds them, if anything else holds the home's databases; then records the
   * new process in the pid file (removed when it exits).
   */
  static async start(home: string, options: StartOptions = {}): Promise<CometbftProcess> {
    const binary = locateCometbft(options.binary);
    home = resolve(home); // the pid file's check matches the `--home` in the command line
    await stopLeftoverCometbft(home, options.log ?? ((message) => process.stderr.write(`${message}\n`)));
    assertCometbftDatabasesFree(home);
    const logFile = options.logFile ?? join(home, 'cometbft.log');
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      const [command, args] = diesWithParent(binary, ['start', '--home', home, ...(options.args ?? [])]);
      child = spawn(command, args, {
        stdio: ['ignore', fd, fd],
        env: { ...process.env, CMTHOME: home },
      });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
    trackUntilExit(child);
    const proc = new CometbftProcess(home, logFile, child);
    // A spawn failure (ENOENT, EACCES) surfaces as an 'error' event right away.
    await new Promise<void>((ok, fail) => {
      child.once('spawn', () => ok());
      child.once('error', (err) => fail(new Error(`cannot start ${binary}: ${err.message}`)));
    });
    const pid = child.pid!;
    writeCometbftPidFile(home, pid);
    void proc.exited.then(() => removeCometbftPidFile(home, pid));
    return proc;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Undefined while running. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it is gone. Idempotent. */
  async stop(graceMs = 5000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), graceMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') this.child.kill('SIGKILL');
    return this.exited;
  }

  /**
   * For a CometBFT whose app has died: gives it `withinMs` to exit by itself (it normally does once
   * its app connection breaks, but may hang in its own shutdown), then stops it. Resolves once it is gone.
   */
  async stopUnlessExited(withinMs = 10_000, graceMs = 5000): Promise<ExitInfo> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), withinMs);
    });
    const first = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    return first === 'timeout' ? this.stop(graceMs) : first;
  }

  /** The last `lines` lines of the log (for error messages). */
  async logTail(lines = 40): Promise<string> {
    return logTail(this.logFile, lines);
  }
}

/**
 * The command that runs `binary args` so that it gets SIGKILL when this process dies, however it
 * dies (a SIGKILLed or aborted Node runs no exit hook, and CometBFT does not always notice that its
 * app is gone: it can hang in its own shutdown, holding the home's databases). Node cannot set
 * PR_SET_PDEATHSIG for a child itself, so on Linux util-linux's `setpriv --pdeathsig` sets it and
 * then execs CometBFT (same pid, same command line). The signal fires when the thread that spawned
 * the child ends; Node spawns from its main thread, which lives as long as the process. Where
 * setpriv is missing the child is spawned plainly, and the pid file still lets the next start stop
 * a leftover. SIGKILL rather than SIGTERM because this is only for an owner that is already gone:
 * CometBFT's stores survive it, and a CometBFT that is hung would ignore SIGTERM.
 */
function diesWithParent(binary: string, args: string[]): [string, string[]] {
  const setpriv = setprivWithPdeathsig();
  return setpriv ? [setpriv, ['--pdeathsig', 'KILL', '--', binary, ...args]] : [binary, args];
}

let setprivPath: string | null | undefined;
/** util-linux's setpriv, if installed and new enough (2.33+) to know `--pdeathsig`. */
function setprivWithPdeathsig(): string | undefined {
  if (setprivPath === undefined) {
    const candidate = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;
    const help = candidate ? spawnSync(candidate, ['--help'], { encoding: 'utf8', timeout: 5000 }) : undefined;
    setprivPath = candidate && help?.status === 0 && help.stdout.includes('--pdeathsig') ? candidate : null;
  }
  return setprivPath ?? undefined;
}

export async function logTail(file: string, lines = 40): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      return buf
        .toString('utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
    } finally {
      await handle.close();
    }
  } catch {
    return '(no log)';
  }
}
