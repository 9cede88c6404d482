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
    chunkSizeWarningLimit: 1500,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  resolve: { alias: { buffer: 'buffer/' } },
});
