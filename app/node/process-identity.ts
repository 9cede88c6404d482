/**
 * Telling one process apart from another that later got the same pid, and ending a process that is
 * not our child, through Linux's /proc. A pid alone is not an identity (pids are recycled), so a
 * process is named by its pid together with its start time (field 22 of /proc/<pid>/stat, in
 * clock ticks since boot), which no later process with that pid can share.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

export interface ProcessInfo extends ProcessIdentity {
  readonly cmdline: string[];
}

/** Whether /proc can answer (Linux); elsewhere nothing here can identify a process. */
export function canIdentifyProcesses(): boolean {
  return existsSync('/proc/self/stat');
}

/**
 * The running process `pid` with its start time and command line, or undefined when there is none.
 * A zombie (exited, not yet reaped: its files, and so its locks, are already released) counts as gone.
 */
export function readProcess(pid: number): ProcessInfo | undefined {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let stat: string;
  let cmdline: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  if (state === 'Z' || state === 'X' || startTime === undefined) return undefined;
  return { pid, startTime, cmdline: cmdline.split('\0').filter((arg) => arg !== '') };
}

/** True while the very process `identity` names is running. */
export function isRunning(identity: ProcessIdentity): boolean {
  return readProcess(identity.pid)?.startTime === identity.startTime;
}

/** Resolves true once `identity` has exited, false if it is still running after `timeoutMs`. */
export async function waitForExit(identity: ProcessIdentity, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isRunning(identity)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * SIGTERM, then SIGKILL if it is still running after `termGraceMs`, each signal sent only after
 * checking the identity again. Resolves how it ended, or 'survived' if it outlived the SIGKILL by
 * `killGraceMs` (a process stuck in the kernel, e.g. on a dead disk).
 */
export async function terminate(
  identity: ProcessIdentity,
  termGraceMs: number,
  killGraceMs: number,
): Promise<'exited' | 'terminated' | 'killed' | 'survived'> {
  if (!signalIfRunning(identity, 'SIGTERM')) return 'exited';
  if (await waitForExit(identity, termGraceMs)) return 'terminated';
  if (!signalIfRunning(identity, 'SIGKILL')) return 'terminated';
  return (await waitForExit(identity, killGraceMs)) ? 'killed' : 'survived';
}

function signalIfRunning(identity: ProcessIdentity, signal: NodeJS.Signals): boolean {
  if (!isRunning(identity)) return false;
  try {
    process.kill(identity.pid, signal);
    return true;
  } catch {
    return false; // exited between the check and the signal
  }
}
