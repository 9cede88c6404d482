#!/usr/bin/env node
/**
 * `npm run build`: compiles the TypeScript under app/, modules/, generated/ and examples/ to
 * dist/ (same layout, `.js` files), copies the data files the code reads beside itself (the
 * message schemas, `*.binpb`), writes the CLI's command manifest (dist/cli-manifest.json, see
 * app/cli/manifest-build.ts) and last a stamp of the sources it compiled.
 *
 * It lives beside bin/parazone.js, and is plain JavaScript, because that command imports it to check that dist/ is current before
 * any TypeScript can run. The compiler is esbuild, the one tsx already runs on every start today:
 * the compiled files are the same transform the tsx path executes (types stripped, one output file
 * per source, no bundling), it is in the dependency tree through tsx, and it compiles the whole
 * tree in well under a second. Type checking stays `npm run typecheck`'s job.
 *
 *   node bin/build.js            build (also `node scripts/build.js`, which runs this)
 *   node bin/build.js --if-stale build only when the stamp does not match the sources
 *   node bin/build.js --check    exit 1 when dist/ is stale
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const SOURCE_DIRS = ['app', 'modules', 'generated', 'examples'];
const STAMP = path.join(DIST, '.build-stamp');
/** Files that change what a build produces besides the sources themselves. */
const BUILD_INPUTS = ['bin/build.js', 'package-lock.json'];

/** What dist/ is made of, relative to ROOT and sorted: every .ts under SOURCE_DIRS except tests, and the data files to copy. */
function buildFiles() {
  const sources = [];
  const assets = [];
  for (const dir of SOURCE_DIRS) {
    if (!fs.existsSync(path.join(ROOT, dir))) continue;
    for (const rel of fs.readdirSync(path.join(ROOT, dir), { recursive: true })) {
      if (rel.includes('node_modules')) continue;
      if (rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !/\.(spec|test)\.ts$/.test(rel)) sources.push(`${dir}/${rel}`);
      else if (rel.endsWith('.binpb')) assets.push(`${dir}/${rel}`);
    }
  }
  return { sources: sources.sort(), assets: assets.sort() };
}

/** Compiled sources: every .ts under SOURCE_DIRS except tests. Sorted, relative to ROOT. */
export function sourceFiles() {
  return buildFiles().sources;
}

/**
 * A hash of every compiled source's and copied data file's path, size and mtime plus the build
 * inputs: cheap enough (a few ms of stat calls) to compute at every CLI start, and it changes
 * with any edit, checkout, added or removed file.
 */
export function sourcesStamp(files = allBuildFiles()) {
  const hash = crypto.createHash('sha256');
  for (const rel of [...files, ...BUILD_INPUTS]) {
    const stat = fs.statSync(`${ROOT}/${rel}`, { throwIfNoEntry: false });
    hash.update(`${rel}\0${stat ? `${stat.size}:${stat.mtimeMs}` : 'missing'}\n`);
  }
  return hash.digest('hex');
}

function allBuildFiles() {
  const { sources, assets } = buildFiles();
  return [...sources, ...assets];
}

export function isBuildCurrent() {
  return fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === sourcesStamp();
}

/** Compiles every source to dist/, then the manifest, then the stamp (so a failed build stays stale). */
export async function build({ log = (line) => console.error(line) } = {}) {
  const started = performance.now();
  const { sources: files, assets } = buildFiles();
  const stamp = sourcesStamp([...files, ...assets]);
  fs.rmSync(STAMP, { force: true });
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: files.map((f) => path.join(ROOT, f)),
    outdir: DIST,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  for (const rel of assets) {
    fs.mkdirSync(path.dirname(path.join(DIST, rel)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, rel), path.join(DIST, rel));
  }
  const { writeCliManifest } = await import(pathToFileURL(path.join(DIST, 'app/cli/manifest-build.js')).href);
  await writeCliManifest(DIST);
  fs.writeFileSync(STAMP, `${stamp}\n`);
  log(`build: compiled ${files.length} files to dist/ in ${Math.round(performance.now() - started)} ms`);
}

/** The command line: no flag builds, `--if-stale` builds only when stale, `--check` exits 1 when stale. */
export async function buildCommand(flag) {
  if (flag === '--check') {
    if (!isBuildCurrent()) {
      console.error("build: dist/ is stale; run 'npm run build'");
      process.exit(1);
    }
  } else if (flag !== '--if-stale' || !isBuildCurrent()) {
    await build();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCommand(process.argv[2]);
}
