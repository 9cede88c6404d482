/**
 * A CometBFT left running on a home by a run that did not end cleanly (its supervisor was
 * SIGKILLed, or it hung in its own shutdown after its app died) keeps its databases locked, and the
 * next `cometbft start` on that home dies at once ("failed to initialize database: resource
 * temporarily unavailable"). So whoever starts CometBFT records it in a pid file in the home, and
 * the next start:
 *  - stops the process that file names, but only after checking that it is still that very process
 *    (same start time, so a recycled pid is never signalled) and a CometBFT of this home (its
 *    command line has `start --home <home>`);
 *  - then checks the databases' locks in /proc/locks and, if anything still holds one, fails with
 *    that process's pid and command line and what to do. Processes are never searched by name: a
 *    process the pid file does not name is left to the user.
 */
import { BaseError } from '../types/base-error.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { canIdentifyProcesses, readProcess, terminate, type ProcessIdentity } from './process-identity.js';

/** Where the CometBFT started for `home` is recorded (removed when it exits). */
export function cometbftPidFile(home: string): string {
  return join(home, 'data', 'cometbft.pid');
}

/** The pid file's content: the CometBFT and the process that started and supervises it. */
export interface CometbftRecord extends ProcessIdentity {
  readonly home: string;
  readonly supervisorPid: number;
}

/** Grace after SIGTERM, then after SIGKILL, when stopping a leftover. */
const TERM_GRACE_MS = 5000;
const KILL_GRACE_MS = 5000;

/** Records the CometBFT just started for `home` (written whole, then renamed into place). */
export function writeCometbftPidFile(home: string, pid: number): void {
  const startTime = readProcess(pid)?.startTime;
  if (startTime === undefined) return; // already gone, or no /proc to identify it by: nothing to record
  const record: CometbftRecord = { pid, startTime, home: resolve(home), supervisorPid: process.pid };
  const file = cometbftPidFile(home);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** Removes the pid file if it still names `pid` (a later start may have replaced it). */
export function removeCometbftPidFile(home: string, pid: number): void {
  const file = cometbftPidFile(home);
  if (readRecord(file)?.pid === pid) rmSync(file, { force: true });
}

/**
 * Stops the CometBFT that a previous run left running on `home`, if the pid file names one that
 * is still running; removes a pid file that names anything else. Logs what it did through `log`.
 * Throws if the leftover survives SIGTERM and SIGKILL.
 */
export async function stopLeftoverCometbft(home: string, log: (message: string) => void): Promise<void> {
  const file = cometbftPidFile(home);
  if (!existsSync(file)) return;
  const recorded = readRecord(file);
  if (!canIdentifyProcesses()) {
    log(
      `${file} names CometBFT pid ${recorded?.pid ?? '(unreadable)'}, but without /proc it cannot be told apart from another process with that pid; if it is still running for ${home}, stop it yourself`,
    );
    return;
  }
  const running = recorded && readProcess(recorded.pid);
  if (!recorded || !running || running.startTime !== recorded.startTime || !isCometbftFor(running.cmdline, home)) {
    rmSync(file, { force: true }); // its CometBFT has exited; the pid, if in use, is someone else's
    return;
  }
  const supervisor = readProcess(recorded.supervisorPid);
  log(
    `stopping CometBFT ${recorded.pid} left running on ${home} (started by process ${recorded.supervisorPid}, ` +
      `${supervisor ? 'still running' : 'now gone'}): SIGTERM, then SIGKILL after ${TERM_GRACE_MS / 1000} s`,
  );
  const outcome = await terminate(recorded, TERM_GRACE_MS, KILL_GRACE_MS);
  if (outcome === 'survived') {
    throw new Error(
      `CometBFT ${recorded.pid}, left running on ${home}, is still there ${(TERM_GRACE_MS + KILL_GRACE_MS) / 1000} s after SIGTERM and SIGKILL ` +
        `(stuck in the kernel?); check \`cat /proc/${recorded.pid}/status\`, and start again once it is gone`,
    );
  }
  // A killed process is gone (or a zombie) a moment before the kernel has dropped its file locks.
  const deadline = Date.now() + KILL_GRACE_MS;
  while (databaseLockHolders(home).some((h) => h.pid === recorded.pid) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  rmSync(file, { force: true });
  log(`CometBFT ${recorded.pid} ${outcome === 'killed' ? 'ignored SIGTERM and was killed' : 'has exited'}`);
}

/** Thrown when something other than our CometBFT holds a CometBFT database of the home. */
export class CometbftHomeInUseError extends BaseError {
  constructor(
    readonly home: string,
    readonly holders: readonly LockHolder[],
  ) {
    const who = holders
      .map((h) => {
        const proc = readProcess(h.pid);
        return `${h.file} is locked by process ${h.pid} (${proc ? proc.cmdline.join(' ') : 'not visible from here'})`;
      })
      .join('; ');
    const pids = [...new Set(holders.map((h) => h.pid))].join(' ');
    super(
      `CometBFT cannot open its databases in ${home}: ${who}. That process is not the CometBFT recorded in ` +
        `${cometbftPidFile(home)}, so it is left alone: stop it (\`kill ${pids}\`, then \`kill -9 ${pids}\` if it is ` +
        `still there after a few seconds) and start again`,
    );
  }
}

/** Throws CometbftHomeInUseError if any process holds a lock on one of the home's CometBFT databases. */
export function assertCometbftDatabasesFree(home: string): void {
  const holders = databaseLockHolders(home).filter((h) => h.pid !== process.pid);
  if (holders.length > 0) throw new CometbftHomeInUseError(home, holders);
}

export interface LockHolder {
  readonly file: string;
  readonly pid: number;
}

/**
 * Who holds the LOCK file of each CometBFT database (`<home>/data/<name>.db/LOCK`, as goleveldb
 * and pebble keep it), from /proc/locks: a lock is matched to its file by device and inode, and
 * the kernel names the process holding it. Without /proc/locks this finds nothing.
 */
/**
 * CometBFT's own databases under `<home>/data` (config.toml's db names). An app may keep its
 * databases in the same folder (simd's application.db does), and holding those is its business.
 */
const COMETBFT_DATABASES = new Set(['blockstore.db', 'state.db', 'tx_index.db', 'evidence.db', 'light-client.db']);

export function databaseLockHolders(home: string): LockHolder[] {
  let table: string;
  try {
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return [];
  }
  const files = new Map<string, string>();
  const data = join(home, 'data');
  for (const entry of existsSync(data) ? readdirSync(data) : []) {
    const file = join(data, entry, 'LOCK');
    if (!COMETBFT_DATABASES.has(entry) || !existsSync(file)) continue;
    const st = statSync(file, { bigint: true });
    files.set(`${devMajor(st.dev)}:${devMinor(st.dev)}:${st.ino}`, file);
  }
  const holders: LockHolder[] = [];
  for (const line of table.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 6021 fe:00:9978658 0 EOF"; "1: -> FLOCK …" lines are waiters, not holders.
    const m = /^\d+:\s+(\S+)\s+\S+\s+\S+\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (!m || m[1] === '->') continue;
    const file = files.get(`${BigInt(`0x${m[3]}`)}:${BigInt(`0x${m[4]}`)}:${m[5]}`);
    if (file) holders.push({ file, pid: Number(m[2]) });
  }
  return holders;
}

/** True if `cmdline` is `… start … --home <home>` (or `--home=<home>`) for this very home. */
function isCometbftFor(cmdline: readonly string[], home: string): boolean {
  const want = resolve(home);
  if (!cmdline.includes('start')) return false;
  return cmdline.some(
    (arg, i) => (arg === '--home' && cmdline[i + 1] !== undefined && resolve(cmdline[i + 1]!) === want) || arg === `--home=${want}`,
  );
}

function readRecord(file: string): CometbftRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<CometbftRecord>;
    if (typeof record.pid !== 'number' || typeof record.startTime !== 'string' || typeof record.supervisorPid !== 'number')
      return undefined;
    return record as CometbftRecord;
  } catch {
    return undefined;
  }
}

// Linux's dev_t layout as glibc's major()/minor() read it (/proc/locks prints these, in hex).
function devMajor(dev: bigint): bigint {
  return ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
}
function devMinor(dev: bigint): bigint {
  return (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
}
