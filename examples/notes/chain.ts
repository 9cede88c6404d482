/**
 * A chain builder's own entry point: the stock Parazone modules plus the third-party notes
 * module, with the full `parazone` CLI (init, start, tx, query…). No core file was edited. The
 * parallel executor's worker threads import this file too: there runCli only hands them the spec
 * (app/chain-entry.ts), so they run the notes module as well.
 *
 *   node --import tsx examples/notes/chain.ts start --home <dir>
 */
import { runCli } from '../../app/cli/cli.js';
import { createNotesModule } from './module.js';

await runCli({ extraModules: [({ config }) => createNotesModule(config)] });
