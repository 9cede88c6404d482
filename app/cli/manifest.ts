import fs from 'node:fs';
import type { ProtoType } from '../types/module.js';
import type { Catalog } from './catalog.js';

/**
 * What the compiled CLI knows without importing the chain, written by `npm run build`
 * (app/cli/manifest-build.ts) to dist/cli-manifest.json: the top-level commands (for `--help`
 * and to load only the command module that runs) and the stock chain's Msgs and queries with
 * the module file and export of each codec.
 */
export interface CliManifest {
  readonly commands: readonly ManifestCommand[];
  readonly msgs: readonly {
    readonly typeUrl: string;
    readonly aminoName?: string;
    readonly type: CodecRef;
    readonly responseTypeUrl: string;
    readonly response: CodecRef;
  }[];
  readonly queries: readonly { readonly path: string; readonly request: CodecRef; readonly response: CodecRef }[];
}

export interface ManifestCommand {
  /** The key of the command module (COMMAND_MODULES in app/cli/cli.ts) that registers it. */
  readonly module: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  /** Its line in the parent's help, e.g. "init [options] <moniker>". */
  readonly term: string;
}

/** A codec: `file` relative to dist/ (compiled sources) or a package specifier; `name` its export. */
export interface CodecRef {
  readonly file: string;
  readonly name: string;
}

export const MANIFEST_FILE = 'cli-manifest.json';
/** dist/ when this file runs compiled (dist/app/cli/manifest.js). */
const DIST_ROOT = new URL('../../', import.meta.url);

/** The manifest beside the compiled CLI; undefined when running from TypeScript (tsx, jest). */
export function readCliManifest(): CliManifest | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  const file = new URL(MANIFEST_FILE, DIST_ROOT);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as CliManifest) : undefined;
}

export function catalogOfManifest(manifest: CliManifest): Catalog {
  return {
    msgs: manifest.msgs.map((m) => ({
      typeUrl: m.typeUrl,
      responseTypeUrl: m.responseTypeUrl,
      aminoName: m.aminoName,
      loadType: () => loadCodec(m.type),
      loadResponseType: () => loadCodec(m.response),
    })),
    queries: manifest.queries.map((q) => ({
      path: q.path,
      loadCodecs: async () => ({ requestType: await loadCodec(q.request), responseType: await loadCodec(q.response) }),
    })),
  };
}

async function loadCodec(ref: CodecRef): Promise<ProtoType<unknown>> {
  const specifier = ref.file.startsWith('.') ? new URL(ref.file, DIST_ROOT).href : ref.file;
  const module = (await import(specifier)) as Record<string, unknown> & { default?: Record<string, unknown> };
  // A CommonJS package (cosmjs-types) may expose a name only on its default export.
  const codec = module[ref.name] ?? module.default?.[ref.name];
  if (!codec) throw new Error(`the CLI manifest names ${ref.name} in ${ref.file}, which has no such export; run 'npm run build'`);
  return codec as ProtoType<unknown>;
}
