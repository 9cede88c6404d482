/**
 * Finding and stopping a CometBFT left running on a home, on real processes: only the process the
 * pid file names, and only while it is still that process for that home, is ever signalled;
 * anything else holding the databases is named, not killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { CometbftProcess, freePorts, initHome, writeNodeConfig } from './cometbft.js';
import {
  CometbftHomeInUseError,
  assertCometbftDatabasesFree,
  cometbftPidFile,
  databaseLockHolders,
  stopLeftoverCometbft,
  type CometbftRecord,
} from './cometbft-leftover.js';
import { isRunning, readProcess } from './process-identity.js';

const children: ChildProcess[] = [];
const comets: CometbftProcess[] = [];
const dirs: { remove: () => void }[] = [];
afterAll(async () => {
  await Promise.all(comets.map((c) => c.stop(2000)));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const d of dirs) d.remove();
});

async function initializedHome(): Promise<string> {
  const dir = makeTempDir('leftover');
  dirs.push(dir);
  await initHome(dir.path);
  const [rpcPort, p2pPort, abciPort] = await freePorts(3);
  await writeNodeConfig(dir.path, { proxyApp: `tcp://127.0.0.1:${abciPort}`, rpcPort: rpcPort!, p2pPort: p2pPort! });
  return dir.path;
}

/** A running child of this test; `args` become its command line (after node's own). */
async function child(args: string[] = [], script = 'setInterval(() => {}, 1000)'): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['-e', script, ...args], { stdio: 'ignore' });
  children.push(proc);
  await new Promise((r) => proc.once('spawn', r));
  return proc;
}

function record(home: string, pid: number, startTime: string): void {
  const content: CometbftRecord = { pid, startTime, home, supervisorPid: 1 };
  writeFileSync(cometbftPidFile(home), JSON.stringify(content));
}

const logs: string[] = [];
const log = (message: string) => logs.push(message);

describe('a pid file that does not name a CometBFT of this home', () => {
  let home: string;
  beforeAll(async () => {
    home = await initializedHome();
  });

  it('is removed when its process has exited', async () => {
    const dead = spawn('true');
    const pid = dead.pid!;
    await new Promise((r) => dead.once('exit', r));
    record(home, pid, '1');
    await stopLeftoverCometbft(home, log);
    expect(readPidFileExists(home)).toBe(false);
  });

  it('leaves an unrelated live process alone, even with its true start time', async () => {
    const unrelated = await child();
    record(home, unrelated.pid!, readProcess(unrelated.pid!)!.startTime);
    await stopLeftoverCometbft(home, log);
    expect(isRunning({ pid: unrelated.pid!, startTime: readProcess(unrelated.pid!)!.startTime })).toBe(true);
    expect(unrelated.exitCode).toBeNull();
    expect(readPidFileExists(home)).toBe(false);
  });

  it('leaves alone a process for this home that is not the one recorded (a recycled pid)', async () => {
    const lookalike = await child(['start', '--home', home]);
    record(home, lookalike.pid!, `${Number(readProcess(lookalike.pid!)!.startTime) - 1}`);
    await stopLeftoverCometbft(home, log);
    expect(lookalike.exitCode).toBeNull();
    expect(lookalike.signalCode).toBeNull();
  });
});

describe('the CometBFT the pid file names', () => {
  it('is stopped with SIGTERM when it is still that process for this home', async () => {
    const home = await initializedHome();
    const leftover = await child(['start', '--home', home]);
    record(home, leftover.pid!, readProcess(leftover.pid!)!.startTime);
    const exited = new Promise((r) => leftover.once('exit', (_code, signal) => r(signal)));
    await stopLeftoverCometbft(home, log);
    expect(await exited).toBe('SIGTERM');
    expect(readPidFileExists(home)).toBe(false);
    expect(logs.join('\n')).toMatch(new RegExp(`stopping CometBFT ${leftover.pid} left running on ${home}`));
  });

  it('is killed when it ignores SIGTERM', async () => {
    const home = await initializedHome();
    const hung = await child(['start', '--home', home], "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)");
    await new Promise((r) => setTimeout(r, 500)); // let it install its SIGTERM handler
    record(home, hung.pid!, readProcess(hung.pid!)!.startTime);
    const exited = new Promise((r) => hung.once('exit', (_code, signal) => r(signal)));
    await stopLeftoverCometbft(home, log);
    expect(await exited).toBe('SIGKILL');
    expect(logs.at(-1)).toMatch(/ignored SIGTERM and was killed/);
  }, 30_000);
});

describe('database locks', () => {
  it('names the process holding the databases, and start refuses while one that the pid file does not name holds them', async () => {
    const home = await initializedHome();
    const comet = await CometbftProcess.start(home);
    comets.push(comet);
    // It opens its databases, then keeps dialing the app that is not there.
    const holders = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = databaseLockHolders(home);
        if (found.some((h) => h.file.endsWith('state.db/LOCK'))) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('CometBFT never locked its databases');
    })();
    expect(new Set(holders.map((h) => h.pid))).toEqual(new Set([comet.pid]));
    expect(() => assertCometbftDatabasesFree(home)).toThrow(CometbftHomeInUseError);
    expect(() => assertCometbftDatabasesFree(home)).toThrow(
      new RegExp(`locked by process ${comet.pid} \\(.*cometbft start --home ${home}.*kill ${comet.pid}`),
    );

    // Without the pid file it is somebody else's CometBFT: named, never killed.
    rmSync(cometbftPidFile(home));
    await expect(CometbftProcess.start(home)).rejects.toThrow(CometbftHomeInUseError);
    expect(comet.running).toBe(true);
  }, 30_000);
});

function readPidFileExists(home: string): boolean {
  return existsSync(cometbftPidFile(home));
}
