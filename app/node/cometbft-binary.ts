/** Locating the CometBFT binary (`.tools/bin/cometbft`, built by `npm run setup`) and checking it is the pinned version. */
import { BaseError } from '../types/base-error.js';
import { execFile } from 'node:child_process';
import { constants as fsConstants, accessSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// Locating the binary

export class CometbftNotFoundError extends BaseError {
  constructor(readonly path: string) {
    super(
      `CometBFT is not installed at ${path}. Run \`npm run setup\` in the Parazone repository ` +
        `(it builds the pinned version from scripts/cometbft-version into .tools/bin; needs Go).`,
    );
  }
}

/** The Parazone repository root: the nearest ancestor of this file whose package.json is named "parazone". */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'parazone') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Parazone repository root (package.json named "parazone")');
    dir = parent;
  }
}

/** Where setup installs CometBFT: `<repo>/.tools/bin/cometbft`. */
export function defaultCometbftPath(root: string = repoRoot()): string {
  return join(root, '.tools', 'bin', 'cometbft');
}

/** The executable to run: `binary` if given, else the repo's `.tools/bin/cometbft`. Throws CometbftNotFoundError. */
export function locateCometbft(binary?: string): string {
  const path = resolve(binary ?? defaultCometbftPath());
  try {
    accessSync(path, fsConstants.X_OK);
  } catch {
    throw new CometbftNotFoundError(path);
  }
  return path;
}

/** The version pinned in scripts/cometbft-version, without the leading `v` (e.g. "0.38.25"). */
export function pinnedCometbftVersion(root: string = repoRoot()): string {
  return readFileSync(join(root, 'scripts', 'cometbft-version'), 'utf8')
    .trim()
    .replace(/^v/, '');
}

/** `cometbft version` of the given binary. */
export async function cometbftVersion(binary: string = locateCometbft()): Promise<string> {
  const { stdout } = await execFileAsync(binary, ['version'], { timeout: 10_000 });
  return stdout.trim();
}

/** Throws unless the binary reports the pinned version (a stale build would speak another ABCI). */
export async function assertPinnedCometbft(binary: string = locateCometbft()): Promise<void> {
  const [actual, pinned] = [await cometbftVersion(binary), pinnedCometbftVersion()];
  if (actual !== pinned) {
    throw new Error(`${binary} is CometBFT ${actual}, but Parazone pins ${pinned}. Run \`npm run setup\`.`);
  }
}
