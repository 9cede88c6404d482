/**
 * The URL of a module beside `base` (an `import.meta.url`), named by its TypeScript source:
 * `.ts` when running from TypeScript (tsx, jest), `.js` when running compiled from dist/.
 * For files handed to worker threads or child processes, which resolve URLs themselves.
 */
export function sourceModuleUrl(relativeTs: string, base: string): string {
  const url = new URL(relativeTs, base);
  if (base.endsWith('.js')) url.pathname = url.pathname.replace(/\.ts$/, '.js');
  return url.href;
}
