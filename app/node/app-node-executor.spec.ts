/**
 * Which executor startAppNode gives a chain with extra modules when app.toml asks for the parallel
 * one: Block-STM from the chain's entry script when its workers can compose the chain from it,
 * otherwise FinalizeBlock sequentially with a log line that says why (the node still starts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { composeChain } from '../app.js';
import { recordChainEntry } from '../chain-entry.js';
import { createNotesModule } from '../../examples/notes/module.js';
import { startAppNode } from './app-node.js';
import { repoRoot } from './cometbft.js';

const notesChain = () => composeChain({ extraModules: [({ config }) => createNotesModule(config)] });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Starts a node of the notes chain on a fresh home, stops it, and returns what it logged. */
async function startAndLog(): Promise<{ msg: string; error?: string; taskModule?: string }[]> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'parazone-app-node-'));
  dirs.push(home);
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const node = await startAppNode({ home, chain: notesChain(), abciAddress: 'tcp://127.0.0.1:0', logger, executorMode: 'parallel' });
  await node.close();
  return lines.map((l) => JSON.parse(l) as { msg: string; error?: string; taskModule?: string });
}

describe('startAppNode: the parallel executor of a chain with extra modules', () => {
  it('runs sequentially, saying so, when the chain was not started through runCli', async () => {
    const logged = await startAndLog();
    expect(logged.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(/was not started through runCli\(spec\).*running FinalizeBlock sequentially/),
    );
    expect(logged.map((l) => l.msg)).not.toContainEqual(expect.stringMatching(/parallel \(Block-STM\) executor/));
  });

  it("falls back to sequential with the workers' message when the entry registers no ChainSpec", async () => {
    recordChainEntry(pathToFileURL(path.join(repoRoot(), 'examples/notes/module.ts')).href);
    const logged = await startAndLog();
    const fallback = logged.find((l) => /cannot compose this chain from its entry script/.test(l.msg));
    expect(fallback?.error).toMatch(
      /ChainSpecNotRegisteredError: the chain entry .*module\.ts registered no ChainSpec.*call runCli\(spec\)/,
    );
    expect(logged.map((l) => l.msg)).not.toContainEqual(expect.stringMatching(/parallel \(Block-STM\) executor/));
  }, 60_000);

  it("runs Block-STM from the chain's entry script", async () => {
    recordChainEntry(pathToFileURL(path.join(repoRoot(), 'examples/notes/chain.ts')).href);
    const logged = await startAndLog();
    const started = logged.find((l) => /parallel \(Block-STM\) executor/.test(l.msg));
    expect(started?.taskModule).toMatch(/\/app\/chain-entry-task\.ts\?entry=file%3A%2F%2F.*chain\.ts$/);
  }, 60_000);
});
