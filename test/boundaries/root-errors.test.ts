/**
 * Root errors (codespace "sdk") belong to the runtime (app/types/errors.ts), as in the SDK, where
 * only types/errors registers them: a module registers errors in its own codespace.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../app/node/cometbft.js';

const ROOT_ERROR = /registerError\(\s*(SDK\b|['"]sdk['"])/;

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(repoRoot(), dir), { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.ts') && !rel.includes('generated') && !rel.includes('node_modules'))
    .map((rel) => path.join(dir, rel));
}

it('only app/types/errors.ts registers errors in the sdk codespace', () => {
  const registering = [...sources('app'), ...sources('modules'), ...sources('examples')].filter((file) =>
    ROOT_ERROR.test(fs.readFileSync(path.join(repoRoot(), file), 'utf8')),
  );
  expect(registering).toEqual([path.join('app', 'types', 'errors.ts')]);
});
