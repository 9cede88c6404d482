import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../node/cometbft.js';
import { chainFile, templates, type ModuleNames } from './templates.js';

export interface ScaffoldOptions {
  /** Module name: lowercase letters and digits, e.g. "inventory". */
  readonly name: string;
  /** The folder the module folder is created in. */
  readonly dir: string;
  /** The chain file to create or add the module to. */
  readonly chain: string;
  /** First part of the protobuf package, "<org>.<name>.v1". */
  readonly org: string;
}

export interface ScaffoldResult {
  readonly moduleDir: string;
  readonly chainFile: string;
  readonly chainCreated: boolean;
  readonly protoPackage: string;
  readonly files: readonly string[];
}

/** Names the core already uses as module, store or CLI group names. */
const RESERVED = new Set(['auth', 'tokens', 'bank', 'governance', 'gov', 'drugregistry', 'drug', 'ibc', 'params', 'upgrade']);

/**
 * Writes `<dir>/<name>/` from the module template (app/cli/scaffold/templates.ts) with its own
 * proto workspace, generates its codecs with buf + ts-proto (as scripts/proto-gen.sh does for
 * examples/), and adds the module to a chain file (created like examples/notes/chain.ts).
 */
export function scaffoldModule(options: ScaffoldOptions): ScaffoldResult {
  const { name } = options;
  if (!/^[a-z][a-z0-9]{1,31}$/.test(name))
    throw new Error(`module name "${name}" must be 2–32 lowercase letters or digits, starting with a letter`);
  if (RESERVED.has(name)) throw new Error(`"${name}" is a core module's name; pick another`);
  if (!/^[a-z][a-z0-9]*$/.test(options.org))
    throw new Error(`--org "${options.org}" must be lowercase letters or digits, starting with a letter`);
  const root = repoRoot();
  const moduleDir = path.resolve(options.dir, name);
  if (fs.existsSync(moduleDir)) throw new Error(`${moduleDir} already exists; pick another name or --dir`);
  const names: ModuleNames = {
    name,
    pascal: name[0]!.toUpperCase() + name.slice(1),
    protoPackage: `${options.org}.${name}.v1`,
    app: importPath(moduleDir, path.join(root, 'app')),
    bin: importPath(moduleDir, path.join(root, 'node_modules/.bin')),
  };

  const files: string[] = [];
  const write = (rel: string, text: string) => {
    const file = path.join(moduleDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push(file);
  };
  for (const [file, render] of Object.entries(templates)) {
    if (file === 'proto') write(path.join('proto', ...names.protoPackage.split('.'), `${name}.proto`), render(names));
    else write(file, render(names));
  }
  generateCodecs(moduleDir, root);

  const chain = path.resolve(options.chain);
  const moduleImport = `import { ${name}Module } from '${importPath(path.dirname(chain), path.join(moduleDir, 'module.js'))}';`;
  const chainCreated = !fs.existsSync(chain);
  if (chainCreated) {
    fs.mkdirSync(path.dirname(chain), { recursive: true });
    fs.writeFileSync(chain, chainFile(importPath(path.dirname(chain), path.join(root, 'app')), moduleImport, `${name}Module`));
  } else {
    fs.writeFileSync(chain, addToChainFile(fs.readFileSync(chain, 'utf8'), moduleImport, `${name}Module`, chain));
  }
  return { moduleDir, chainFile: chain, chainCreated, protoPackage: names.protoPackage, files };
}

/** Adds an import after the last one and a factory at the head of `extraModules: [`. */
export function addToChainFile(text: string, moduleImport: string, factory: string, file: string): string {
  if (!text.includes('extraModules: [')) {
    throw new Error(`${file} has no "extraModules: [" to add the module to; add ${factory} to its ChainSpec's extraModules by hand`);
  }
  const lines = text.split('\n');
  let lastImport = -1;
  lines.forEach((line, i) => {
    if (/^import .* from '.*';$/.test(line)) lastImport = i;
  });
  lines.splice(lastImport + 1, 0, moduleImport);
  return lines.join('\n').replace('extraModules: [', `extraModules: [${factory}, `).replace(`${factory}, ]`, `${factory}]`);
}

/**
 * buf lint + generate in the module's own workspace, then its message schemas
 * (generated/descriptors.binpb), as scripts/proto-gen.sh does for each example.
 */
function generateCodecs(moduleDir: string, root: string): void {
  const buf = path.join(root, 'node_modules/.bin/buf');
  const image = path.join(moduleDir, 'generated', 'image.binpb');
  try {
    execFileSync(buf, ['lint'], { cwd: moduleDir, stdio: 'pipe' });
    fs.rmSync(path.join(moduleDir, 'generated'), { recursive: true, force: true });
    execFileSync(buf, ['generate', '--template', 'buf.gen.yaml', '.'], { cwd: moduleDir, stdio: 'pipe' });
    execFileSync(buf, ['build', '--exclude-source-info', '-o', `${image}#format=binpb`, '.'], { cwd: moduleDir, stdio: 'pipe' });
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/proto-descriptors.ts', image, path.join(moduleDir, 'generated', 'descriptors.binpb'), '--local-only'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    );
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`codegen with buf failed in ${moduleDir}: ${e.stderr?.toString().trim() || e.message}`);
  } finally {
    fs.rmSync(image, { force: true });
  }
}

/** A relative import path ("./x" or "../x") from `fromDir` to `target`, with forward slashes. */
function importPath(fromDir: string, target: string): string {
  const rel = path.relative(fromDir, target).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** What to do after scaffolding, printed by `parazone scaffold module`. */
export function nextSteps(result: ScaffoldResult): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const proto = path.join(rel(result.moduleDir), 'proto', ...result.protoPackage.split('.'), `${path.basename(result.moduleDir)}.proto`);
  const buf = path.relative(result.moduleDir, path.join(repoRoot(), 'node_modules/.bin/buf'));
  const image = path.join(rel(result.moduleDir), 'image.binpb');
  const buildCommand = [
    `(cd ${rel(result.moduleDir)} && ${buf} generate --template buf.gen.yaml . && ${buf} build --exclude-source-info -o image.binpb .)`,
    `node --import tsx ${rel(path.join(repoRoot(), 'scripts/proto-descriptors.ts'))} ${image} ${path.join(rel(result.moduleDir), 'generated/descriptors.binpb')} --local-only && rm ${image}`,
  ].join(' && \\\n         ');
  return [
    `scaffolded module ${result.protoPackage} in ${rel(result.moduleDir)}/ and ${result.chainCreated ? 'created' : 'added it to'} ${rel(result.chainFile)}`,
    '',
    'next:',
    `  1. describe your state, Msgs and queries in ${proto}, then regenerate the codecs and the`,
    `     message schemas (generated/descriptors.binpb) the tx decoder checks Msgs against:`,
    `       ${buildCommand}`,
    `     (a module under examples/ is regenerated by 'npm run proto:gen' too)`,
    `  2. keep the store layout in keys.ts, state access in keeper.ts, errors in errors.ts; handle Msgs in msgs.ts`,
    `     and queries in queries.ts; what the module needs from others goes in expected-keepers.ts`,
    `  3. its spec (module.spec.ts) runs with the project's tests when the module is under examples/ or modules/`,
    `  4. start a node: node --import tsx ${rel(result.chainFile)} init mynode --home /tmp/my && node --import tsx ${rel(result.chainFile)} start --home /tmp/my`,
    `  5. send the sample Msg: node --import tsx ${rel(result.chainFile)} tx ${path.basename(result.moduleDir)} set-record '{"owner":"<addr>","key":"k","value":"v"}' --from <key>`,
  ].join('\n');
}
