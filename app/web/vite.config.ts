import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The node's web page, built to dist/web (served by `parazone start` at app.toml `[web] address`).
 * Everything is bundled: the page makes no request beyond its own origin.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // cosmjs (stargate pulls in the whole of cosmjs-types) is most of it: ~350 kB gzipped.
    chunkSizeWarningLimit: 2000,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { buffer: 'buffer/' } },
});
