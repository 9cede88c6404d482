/**
 * The README's walkthrough, run from the README's own text so the two cannot drift: the shell
 * blocks between `<!-- walkthrough:start -->` and `<!-- walkthrough:end -->`. The first block
 * starts the demo localnet, which the test does itself (in a temporary home, on free ports, with
 * 10 s governance periods so the vote ends soon); the others run in one bash, as a user would
 * paste them, with only `HOME_DIR` pointed at the temporary home.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../app/node/cometbft.js';
import { cleanupAfterAll, pollUntil } from '../helpers/cleanup.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const run = promisify(execFile);
const cleanup = cleanupAfterAll();
const BLOCK_MARK = '=== walkthrough block';

/** The fenced sh blocks of the README's walkthrough section, in order. */
function walkthroughBlocks(): string[] {
  const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- walkthrough:start -->');
  const end = readme.indexOf('<!-- walkthrough:end -->');
  if (start < 0 || end < start) throw new Error('README.md has no <!-- walkthrough:start --> … <!-- walkthrough:end --> section');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

test('the README walkthrough runs as written on a demo localnet', async () => {
  const [localnetBlock, ...blocks] = walkthroughBlocks();
  expect(localnetBlock).toMatch(/^npm run localnet -- --demo --home \.demo\b/);
  expect(blocks.length).toBeGreaterThan(3);

  const dir = makeTempDir('walkthrough');
  cleanup.add('remove home', () => dir.remove());
  const home = path.join(dir.path, 'demo');
  const logFile = path.join(dir.path, 'localnet.log');
  const fd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(repoRoot(), 'app/cli/main.ts'),
      'localnet',
      '--demo',
      '--voting-period',
      '10',
      '--deposit-period',
      '10',
      '--home',
      home,
    ],
    { cwd: repoRoot(), stdio: ['ignore', fd, fd] },
  );
  fs.closeSync(fd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  cleanup.add('stop localnet', async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  });
  const endpoints = path.join(home, 'endpoints.json');
  await pollUntil(
    'endpoints.json',
    () => {
      if (child.exitCode !== null) throw new Error(`localnet exited:\n${fs.readFileSync(logFile, 'utf8')}`);
      return fs.existsSync(endpoints) ? true : undefined;
    },
    60_000,
    200,
  );
  const demo = (JSON.parse(fs.readFileSync(endpoints, 'utf8')) as { demo: { keys: Record<string, { address: string }> } }).demo;

  const script = blocks.map((block, i) => `echo "${BLOCK_MARK} ${i + 1}"\n${block}`).join('\n');
  const homeLines = script.match(/^HOME_DIR=\.demo$/gm) ?? [];
  expect(homeLines).toHaveLength(1);
  // The addresses the README states for the demo keys are the ones the demo creates.
  for (const [variable, key] of [
    ['MFR', 'manufacturer'],
    ['W1', 'wholesaler1'],
    ['PHARMACY', 'pharmacy'],
  ] as const) {
    expect(script).toMatch(new RegExp(`^${variable}=${demo.keys[key]!.address}\\b`, 'm'));
  }
  const bash = `set -euo pipefail\n${script.replace(/^HOME_DIR=\.demo$/m, `HOME_DIR='${home}'`)}`;
  let out: { stdout: string; stderr: string };
  try {
    out = await run('bash', ['-c', bash], { cwd: repoRoot(), timeout: 180_000, maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the walkthrough failed: ${e.message}\n--- stdout\n${e.stdout}\n--- stderr\n${e.stderr}`);
  }
  const outputs = out.stdout.split(new RegExp(`^${BLOCK_MARK} \\d+$`, 'm')).slice(1);
  expect(outputs).toHaveLength(blocks.length);
  const outputOf = (command: RegExp) => outputs[blocks.findIndex((b) => command.test(b))]!;

  // Submitted and voted (text output: each tx prints "code: 0").
  expect(outputOf(/submit-proposal/).match(/^code: 0$/gm)).toHaveLength(2);
  // Verified as genuine and saleable before dispensing; recalled after the recall, and refused.
  const beforeDispense = outputOf(/tx drug dispense .*SN1/);
  expect(beforeDispense).toMatch(/^verdict: VERIFIED$/m);
  expect(beforeDispense).toMatch(/^saleable: true$/m);
  const afterRecall = outputOf(/initiate-recall/);
  expect(afterRecall).toMatch(/^verdict: VERIFIED$/m);
  expect(afterRecall).toMatch(/^ {2}recalled: true$/m);
  expect(afterRecall).not.toMatch(/^saleable: true$/m);
  expect(afterRecall).toMatch(/^refused: the batch is recalled$/m);
  expect(out.stderr).toMatch(/tx failed in simulation: code 13, codespace drugregistry: .*recalled/);
  // The proposal passed and its Msg ran.
  const outcome = outputOf(/PROPOSAL_STATUS_PASSED/);
  expect(outcome).toMatch(/status: PROPOSAL_STATUS_PASSED/);
  expect(outcome).toMatch(/^ {2}- REGULATOR$/m);
}, 270_000);
