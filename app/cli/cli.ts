import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Help, Option } from 'commander';
import type { ChainSpec } from '../app.js';
import { recordChainEntry, registerChainSpec } from '../chain-entry.js';
import { repoRoot } from '../node/cometbft.js';
import type { Module } from '../types/module.js';
import { makeChainConfig } from '../types/chain-config.js';
import { catalogOfModules } from './catalog.js';
import { CliContext } from './context.js';
import { catalogOfManifest, readCliManifest, type CliManifest } from './manifest.js';

/** Registers some top-level commands on the program. */
export type RegisterCommands = (program: Command, cli: CliContext, spec: ChainSpec) => void;

/**
 * Every command module, imported only when one of its commands runs (or for the eager path of
 * the TypeScript sources). A command module registers one or more top-level commands.
 */
export const COMMAND_MODULES: Readonly<Record<string, () => Promise<RegisterCommands>>> = {
  node: async () => (await import('./commands/node.js')).registerNode,
  localnet: async () => (await import('./commands/localnet.js')).registerLocalnet,
  keys: async () => (await import('./commands/keys.js')).registerKeys,
  tx: async () => (await import('./commands/tx.js')).registerTx,
  query: async () => (await import('./commands/query.js')).registerQuery,
  loadgen: async () => (await import('./commands/loadgen.js')).registerLoadgen,
  relay: async () => (await import('./commands/relay.js')).registerRelay,
  scaffold: async () => (await import('./commands/scaffold.js')).registerScaffold,
};

/**
 * Builds the `parazone` command line for a chain. A chain builder with extra modules calls this
 * with their own ChainSpec from their own entry file (see examples/notes/chain.ts).
 *
 * Compiled (dist/, see bin/build.js) the CLI reads its manifest and imports only the command
 * module of the command in `argv`; the others appear in help from the manifest alone. The stock
 * chain's `tx`/`query` subcommands come from the manifest too, so no command imports the chain
 * before it needs its state machine. From TypeScript every module is registered eagerly.
 */
export async function buildCli(spec: ChainSpec = {}, name = 'parazone', argv = process.argv): Promise<Command> {
  const config = spec.config ?? makeChainConfig();
  const fullSpec = { ...spec, config };
  const manifest = readCliManifest();
  const manifestCatalog = manifest && !spec.extraModules?.length ? catalogOfManifest(manifest) : undefined;
  // Composing imports the whole chain: up front only where the manifest cannot serve the catalog.
  let compose = manifestCatalog ? undefined : (await import('../app.js')).composeChain;
  let modules: readonly Module[] | undefined;
  const moduleList = () => {
    if (!compose) throw new Error('the chain is not loaded yet: a command that needs its modules calls `await cli.loadModules()`');
    return (modules ??= compose(fullSpec).modules);
  };
  const loadModules = async () => {
    compose ??= (await import('../app.js')).composeChain;
    return moduleList();
  };
  const cli = new CliContext(
    config,
    { moduleList, loadModules, catalog: () => manifestCatalog ?? catalogOfModules(moduleList()) },
    path.join(repoRoot(), '.localnet'),
  );
  const program = new Command(name)
    .description('Parazone: a Cosmos-style appchain under CometBFT')
    // PARAZONE_HOME: the home of a container image, where every command should find its node.
    .addOption(new Option('--home <dir>', 'node home directory').env('PARAZONE_HOME').default(cli.defaultHome))
    .option('-o, --output <format>', 'output format: json or text (YAML-like, as the SDK CLI prints it)', 'json')
    .hook('preAction', (cmd) => {
      const opts = cmd.opts<{ home?: string; output?: string }>();
      cli.setHome(opts.home);
      cli.setOutput(opts.output);
    })
    .showHelpAfterError();
  const wanted = manifest ? invokedCommand(argv.slice(2), manifest) : undefined;
  const stubTerms = new Map<Command, string>();
  for (const [key, load] of Object.entries(COMMAND_MODULES)) {
    const listed = manifest?.commands.filter((c) => c.module === key);
    if (listed && !listed.some((c) => c.name === wanted || c.aliases.includes(wanted ?? ''))) {
      for (const c of listed) stubTerms.set(program.command(c.name).aliases(c.aliases).description(c.description), c.term);
      continue;
    }
    (await load())(program, cli, fullSpec);
  }
  if (stubTerms.size > 0) {
    program.configureHelp({
      subcommandTerm(this: Help, cmd: Command) {
        return stubTerms.get(cmd) ?? Help.prototype.subcommandTerm.call(this, cmd);
      },
    });
  }
  return program;
}

/** The top-level command `args` run: the first word that names one (`help X` runs X's help). */
function invokedCommand(args: readonly string[], manifest: CliManifest): string | undefined {
  const known = new Set(manifest.commands.flatMap((c) => [c.name, ...c.aliases]));
  const words = args.filter((a) => !a.startsWith('-'));
  const first = words.findIndex((w) => known.has(w) || w === 'help');
  if (first < 0) return undefined;
  return words[first] === 'help' ? words[first + 1] : words[first];
}

/**
 * Runs the CLI; errors print as one clear line (no stack) and exit non-zero. Call it at the top
 * level of the chain's entry script: the parallel executor's worker threads import that script
 * for `spec` (app/chain-entry.ts), and there this call only hands the spec over.
 */
export async function runCli(spec: ChainSpec = {}, argv = process.argv): Promise<void> {
  if (registerChainSpec(spec)) return;
  // The script node runs is the one that called this: the workers' way back to `spec`.
  if (process.argv[1]) recordChainEntry(pathToFileURL(process.argv[1]).href);
  try {
    await (await buildCli(spec, 'parazone', argv)).parseAsync(argv);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
