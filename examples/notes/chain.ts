/**
 * A chain builder's own entry point: the stock Parazone modules plus the third-party notes
 * module, with the full `parazone` CLI (init, start, tx, query…). No core file was edited.
 *
 *   node --import tsx examples/notes/chain.ts start --home <dir>
 */
import { runCli } from '../../app/cli/cli.js';
import { createNotesModule } from './module.js';

await runCli({ extraModules: [({ config }) => createNotesModule(config)] });
