/**
 * `parazone start` (app and CometBFT under one process) against a CometBFT that outlived its run:
 * a pid file naming somebody else is left alone, a SIGKILLed `parazone start` takes its CometBFT
 * with it, and a CometBFT left running on the home (hung, holding its databases) is stopped by the
 * next start, which then goes on making blocks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { composeChain } from '../../app/app.js';
import { CometbftProcess, freePorts, repoRoot, waitForHeight } from '../../app/node/cometbft.js';
import { cometbftPidFile } from '../../app/node/cometbft-leftover.js';
import { initNode } from '../../app/node/home.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { killChild, stopChild } from '../helpers/processes.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const cleanup = cleanupAfterAll();
let home: string;
let rpc: string;
let heightReached = 0;
/** The `parazone start` of the first test, which the second one SIGKILLs. */
let firstNode: ChildProcess;

beforeAll(async () => {
  const dir = makeTempDir('stale-comet');
  cleanup.add('remove home', () => dir.remove());
  home = dir.path;
  const [rpcPort, p2pPort, abciPort] = await freePorts(3);
  await initNode({
    home,
    chainId: 'parazone-stale',
    moniker: 'stale',
    chain: composeChain(),
    rpcPort,
    p2pPort,
    abciAddress: `tcp://127.0.0.1:${abciPort}`,
    timeouts: { commit: '100ms', propose: '300ms' },
    app: { logLevel: 'warn' },
  });
  rpc = `http://127.0.0.1:${rpcPort}`;
});

/** `parazone start --home` as its own process, logging to <home>/node.log; stopped in afterAll. */
function startNodeProcess(): ChildProcess {
  const log = fs.openSync(path.join(home, 'node.log'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot(), 'app/cli/main.ts'), 'start', '--home', home], {
    cwd: repoRoot(),
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  cleanup.add(`stop parazone start ${child.pid}`, () => stopChild(child));
  return child;
}

/** Waits for `height`, failing at once (with the node's log) if the `parazone start` process exits. */
async function nodeReaches(child: ChildProcess, height: number): Promise<number> {
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `parazone start exited (${code ?? signal}):\n${nodeLog().slice(-4000)}\n--- cometbft.log ---\n${cometLog().slice(-4000)}`,
        ),
      ),
    ),
  );
  exited.catch(() => undefined);
  return Promise.race([waitForHeight(rpc, height, 60_000), exited]);
}

function nodeLog(): string {
  return readIfExists(path.join(home, 'node.log'));
}

function cometLog(): string {
  return readIfExists(path.join(home, 'cometbft.log'));
}

function readIfExists(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The start time of `pid` (field 22 of /proc/<pid>/stat), or undefined once it has exited (zombies count as exited). */
function startTimeOf(pid: number): string | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/** The CometBFT child of a `parazone start` process, found through the kernel's child list (not the pid file). */
function cometbftChildOf(parent: number): { pid: number; startTime: string } {
  const children = fs.readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const comet = children.find((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--home'));
  if (comet === undefined) throw new Error(`parazone start ${parent} has no CometBFT child (children: ${children.join(', ')})`);
  return { pid: comet, startTime: startTimeOf(comet)! };
}

/** SIGKILLs `pid` in afterAll unless it has exited (checked by start time, so a recycled pid is spared). */
function killInCleanup(pid: number, startTime: string): void {
  cleanup.add(`kill ${pid}`, () => {
    if (startTimeOf(pid) === startTime) process.kill(pid, 'SIGKILL');
  });
}

it('leaves alone a process that a stale pid file names, and starts', async () => {
  const unrelated = spawn('sleep', ['600'], { stdio: 'ignore' });
  cleanup.add('stop the unrelated sleeper', () => killChild(unrelated));
  await new Promise((r) => unrelated.once('spawn', r));
  // The sleeper's real start time: only the command line tells it apart from a CometBFT.
  fs.writeFileSync(
    cometbftPidFile(home),
    JSON.stringify({ pid: unrelated.pid, startTime: startTimeOf(unrelated.pid!), home, supervisorPid: process.pid }),
  );

  firstNode = startNodeProcess();
  heightReached = await nodeReaches(firstNode, 3);
  expect(unrelated.exitCode).toBeNull();
  expect(unrelated.signalCode).toBeNull();
  expect(startTimeOf(unrelated.pid!)).toBeDefined();
}, 120_000);

it('takes its CometBFT with it when `parazone start` is SIGKILLed, even a CometBFT that does not react', async () => {
  const comet = cometbftChildOf(firstNode.pid!);
  killInCleanup(comet.pid, comet.startTime);
  // A stopped CometBFT cannot notice its app's connection closing: only its supervisor can end it.
  process.kill(comet.pid, 'SIGSTOP');
  await killChild(firstNode);
  try {
    await pollUntil(
      `CometBFT ${comet.pid} gone after its supervisor was SIGKILLed`,
      () => (startTimeOf(comet.pid) === undefined ? true : undefined),
      10_000,
    );
  } finally {
    // Whatever the outcome, the next test starts from a home nothing holds.
    if (startTimeOf(comet.pid) === comet.startTime) process.kill(comet.pid, 'SIGKILL');
    await pollUntil(`CometBFT ${comet.pid} killed`, () => (startTimeOf(comet.pid) === undefined ? true : undefined), 10_000);
  }
}, 60_000);

it('stops a CometBFT left running on its home (hung, holding the databases) and resumes making blocks', async () => {
  // The leftover: a CometBFT started for this home by another supervisor (this test), whose app is
  // gone and which hangs. It holds its databases once it dials the missing app.
  const leftover = await CometbftProcess.start(home);
  cleanup.add('stop the leftover CometBFT', () => leftover.stop(2000));
  await pollUntil(
    'leftover CometBFT waiting for its app',
    () => (/failed to connect to tcp/.test(fs.readFileSync(leftover.logFile, 'utf8')) ? true : undefined),
    30_000,
  );
  process.kill(leftover.pid!, 'SIGSTOP');

  const node = startNodeProcess();
  await nodeReaches(node, heightReached + 3);
  expect(leftover.running).toBe(false);
  expect(nodeLog()).toMatch(new RegExp(`stopping CometBFT ${leftover.pid} left running`));
  // The new CometBFT is the one the pid file now names.
  const recorded = JSON.parse(fs.readFileSync(cometbftPidFile(home), 'utf8')) as { pid: number };
  expect(recorded.pid).toBe(cometbftChildOf(node.pid!).pid);
}, 120_000);
