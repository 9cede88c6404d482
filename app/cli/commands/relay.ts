import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { runRelayer } from '../../relayer/index.js';

/**
 * `parazone relay --path <config.json>`: relays packets between the two zones of a path file
 * (see app/relayer/config.ts). Creates and pairs the clients first if the zones have no path.
 * `--setup` only sets the path up and prints the client ids; `--once` relays one round.
 */
export function registerRelay(program: Command, cli: CliContext): void {
  void cli;
  program
    .command('relay')
    .description('relay IBC packets between two zones (stateless: everything is read from the chains)')
    .requiredOption('--path <file>', 'path config JSON: {"a": {chainId, rpc, mnemonic|mnemonicFile, gasPrice?}, "b": {...}, "pollMs"?}')
    .option('--setup', 'create and pair the clients if needed, print them, and exit')
    .option('--once', 'relay one round and exit')
    .option('--log-level <level>', 'pino log level', 'info')
    .action(async (opts: { path: string; setup?: boolean; once?: boolean; logLevel: string }) => {
      await runRelayer(opts.path, { setupOnly: opts.setup, once: opts.once, logLevel: opts.logLevel });
    });
}
