/**
 * CPU time of the processes in a run (app, CometBFT, this load generator), from /proc on Linux:
 * the cheapest profile there is, and the first question about a ceiling ("who is saturated?").
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User+system CPU seconds of `pid` so far; undefined if unknown (not Linux, process gone). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name: state is field 3; utime 14, stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export type CpuSnapshot = Record<string, number | undefined>;

/** Busy CPU seconds of the whole machine so far (all cores; /proc/stat), for "everyone else". */
export function machineBusySeconds(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = cpu.slice(0, 8).reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
    return busy / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export function snapshotCpu(pids: Record<string, number | undefined>): CpuSnapshot {
  const out: CpuSnapshot = { machine: machineBusySeconds() };
  for (const [name, pid] of Object.entries(pids)) out[name] = name === 'loadgen' ? selfCpuSeconds() : cpuSeconds(pid);
  return out;
}

function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Per process: CPU seconds between snapshots and the share of one core over `wallSeconds`. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot, wallSeconds: number): Record<string, { cpuSeconds: number; coresBusy: number }> {
  const out: Record<string, { cpuSeconds: number; coresBusy: number }> = {};
  const entry = (seconds: number) => ({ cpuSeconds: +seconds.toFixed(2), coresBusy: +(seconds / Math.max(1e-3, wallSeconds)).toFixed(2) });
  let ours = 0;
  for (const name of Object.keys(b)) {
    const [x, y] = [a[name], b[name]];
    if (x === undefined || y === undefined || name === 'machine') continue;
    out[name] = entry(y - x);
    ours += y - x;
  }
  // Whatever else ran on the machine meanwhile (other jobs compete for the same cores).
  const [m0, m1] = [a.machine, b.machine];
  if (m0 !== undefined && m1 !== undefined) out.otherProcesses = entry(Math.max(0, m1 - m0 - ours));
  return out;
}

/** OS threads of `pid` (Linux), e.g. to see whether the app started executor worker threads. */
export function threadCount(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
