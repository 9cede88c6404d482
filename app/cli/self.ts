import { fileURLToPath } from 'node:url';
import { sourceModuleUrl } from '../node/source-url.js';

/**
 * Node arguments that run the stock `parazone` CLI the way this process runs: the compiled
 * dist/app/cli/main.js when compiled, else app/cli/main.ts through tsx. For the child processes
 * that localnets start, so they start as fast as their parent.
 */
export function cliNodeArgs(): string[] {
  const main = fileURLToPath(sourceModuleUrl('./main.ts', import.meta.url));
  return main.endsWith('.js') ? [main] : ['--import', 'tsx', main];
}
