import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Help } from 'commander';
import { composeChain } from '../app.js';
import { makeChainConfig } from '../types/chain-config.js';
import { msgResponseTypeUrl } from '../types/module.js';
import { COMMAND_MODULES } from './cli.js';
import { catalogOfModules } from './catalog.js';
import { CliContext } from './context.js';
import { MANIFEST_FILE, type CliManifest, type CodecRef, type ManifestCommand } from './manifest.js';

/**
 * Writes `<dist>/cli-manifest.json` (see app/cli/manifest.ts) from the compiled CLI: registers
 * every command module on a scratch program to record which top-level commands each adds, and
 * finds the module file and export of every codec of the stock chain's Msgs and queries.
 */
export async function writeCliManifest(dist: string): Promise<void> {
  const config = makeChainConfig();
  const chain = composeChain({ config });
  const cli = new CliContext(
    config,
    { moduleList: () => chain.modules, loadModules: async () => chain.modules, catalog: () => catalogOfModules(chain.modules) },
    '',
  );
  const help = new Help();
  const commands: ManifestCommand[] = [];
  for (const [module, load] of Object.entries(COMMAND_MODULES)) {
    const scratch = new Command('scratch');
    (await load())(scratch, cli, { config });
    for (const cmd of scratch.commands) {
      commands.push({ module, name: cmd.name(), aliases: cmd.aliases(), description: cmd.description(), term: help.subcommandTerm(cmd) });
    }
  }
  const locate = await codecLocator(dist);
  const manifest: CliManifest = {
    commands,
    msgs: chain.modules.flatMap((m) =>
      (m.msgs ?? []).map((h) => {
        const responseTypeUrl = msgResponseTypeUrl(h);
        return {
          typeUrl: h.typeUrl,
          aminoName: h.aminoName,
          type: locate(h.type, h.typeUrl),
          responseTypeUrl,
          response: locate(h.responseType, responseTypeUrl),
        };
      }),
    ),
    queries: chain.modules.flatMap((m) =>
      (m.queries ?? []).map((h) => ({
        path: h.path,
        request: locate(h.requestType, `${h.path} request`),
        response: locate(h.responseType, `${h.path} response`),
      })),
    ),
  };
  fs.writeFileSync(path.join(dist, MANIFEST_FILE), `${JSON.stringify(manifest, null, 1)}\n`);
}

/**
 * Codecs come from generated code (any `generated/` folder compiled to dist/) or from
 * cosmjs-types; both are imported here and every exported object is indexed by identity.
 */
async function codecLocator(dist: string): Promise<(codec: object, what: string) => CodecRef> {
  const where = new Map<unknown, CodecRef>();
  const index = (namespace: Record<string, unknown>, file: string) => {
    for (const [name, value] of Object.entries({ ...(namespace.default as Record<string, unknown> | undefined), ...namespace })) {
      if (value && typeof value === 'object' && !where.has(value)) where.set(value, { file, name });
    }
  };
  const compiled = listJs(dist);
  for (const file of compiled.filter((f) => f.split(path.sep).includes('generated'))) {
    index(await import(pathToFileURL(path.join(dist, file)).href), `./${file.split(path.sep).join('/')}`);
  }
  const packages = new Set<string>();
  for (const file of compiled) {
    for (const match of fs.readFileSync(path.join(dist, file), 'utf8').matchAll(/from\s+["'](cosmjs-types\/[^"']+)["']/g))
      packages.add(match[1]!);
  }
  for (const specifier of [...packages].sort()) index(await import(specifier), specifier);
  return (codec, what) => {
    const ref = where.get(codec);
    if (!ref)
      throw new Error(
        `cli manifest: cannot find the module that exports the codec of ${what} (not in a generated/ folder nor in cosmjs-types)`,
      );
    return ref;
  };
}

function listJs(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const child = path.join(rel, e.name);
    if (e.isDirectory()) return listJs(dir, child);
    return e.name.endsWith('.js') ? [child] : [];
  });
}
