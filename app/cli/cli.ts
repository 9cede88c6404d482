import path from 'node:path';
import { Command } from 'commander';
import { composeChain, type ChainSpec, type ComposedChain } from '../app.js';
import { repoRoot } from '../node/cometbft.js';
import { makeChainConfig } from '../types/chain-config.js';
import { CliContext } from './context.js';
import { registerKeys } from './commands/keys.js';
import { registerLocalnet } from './commands/localnet.js';
import { registerLoadgen } from './commands/loadgen.js';
import { registerNode } from './commands/node.js';
import { registerQuery } from './commands/query.js';
import { registerRelay } from './commands/relay.js';
import { registerTx } from './commands/tx.js';

/**
 * Builds the `parazone` command line for a chain. A chain builder with extra modules calls this
 * with their own ChainSpec from their own entry file (see examples/notes/chain.ts).
 */
export function buildCli(spec: ChainSpec = {}, name = 'parazone'): Command {
  const config = spec.config ?? makeChainConfig();
  let composed: ComposedChain | undefined;
  const cli = new CliContext(config, () => (composed ??= composeChain({ ...spec, config })).modules, path.join(repoRoot(), '.localnet'));
  const program = new Command(name)
    .description('Parazone: a Cosmos-style appchain under CometBFT')
    .option('--home <dir>', 'node home directory', cli.defaultHome)
    .option('-o, --output <format>', 'output format: json or text (YAML-like, as the SDK CLI prints it)', 'json')
    .hook('preAction', (cmd) => {
      const opts = cmd.opts<{ home?: string; output?: string }>();
      cli.setHome(opts.home);
      cli.setOutput(opts.output);
    })
    .showHelpAfterError();
  registerNode(program, cli, { ...spec, config });
  registerLocalnet(program, cli, { ...spec, config });
  registerKeys(program, cli);
  registerTx(program, cli);
  registerQuery(program, cli);
  registerLoadgen(program, cli);
  registerRelay(program, cli);
  return program;
}

/** Runs the CLI; errors print as one clear line (no stack) and exit non-zero. */
export async function runCli(spec: ChainSpec = {}, argv = process.argv): Promise<void> {
  try {
    await buildCli(spec).parseAsync(argv);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
