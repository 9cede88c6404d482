/** The `parazone` command for the stock Parazone chain. */
import { runCli } from './cli.js';

await runCli();
