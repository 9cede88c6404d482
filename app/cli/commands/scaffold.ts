import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { nextSteps, scaffoldModule } from '../scaffold/scaffold.js';

/** `parazone scaffold module NAME`: a new module in the house's template, wired into a chain file. */
export function registerScaffold(program: Command, cli: CliContext): void {
  void cli;
  const scaffold = program.command('scaffold').description('generate code: a new module in the house template');
  scaffold
    .command('module <name>')
    .description(
      'create <dir>/<name>/ (module, keeper, msgs, queries, genesis, keys, errors, events, expected keepers, spec, proto), generate its codecs and add it to a chain file',
    )
    .option('--dir <dir>', 'folder to create the module folder in (examples/ is covered by proto:gen, typecheck and the tests)', 'examples')
    .option('--chain <file>', 'chain entry file to create or add the module to (default <dir>/chain.ts)')
    .option('--org <org>', 'first part of the protobuf package <org>.<name>.v1', 'app')
    .action((name: string, opts: { dir: string; chain?: string; org: string }) => {
      const result = scaffoldModule({ name, dir: opts.dir, chain: opts.chain ?? path.join(opts.dir, 'chain.ts'), org: opts.org });
      console.log(nextSteps(result));
    });
}
