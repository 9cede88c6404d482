#!/usr/bin/env node
// The `parazone` command: runs the compiled CLI in dist/ (see bin/build.js), rebuilding it
// first when the sources changed since the last build.
import { build, isBuildCurrent } from './build.js';

if (!isBuildCurrent()) {
  try {
    await build({ log: () => undefined });
  } catch (err) {
    console.error(
      `parazone: the compiled CLI in dist/ is out of date and rebuilding it failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    console.error("parazone: fix the error and run 'npm run build'");
    process.exit(1);
  }
}
await import('../dist/app/cli/main.js');
