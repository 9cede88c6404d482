/**
 * The generated codecs are built for Node (ts-proto `env=node`) and use the global `Buffer` for
 * bytes fields; in the browser that global comes from the `buffer` package. Imported first.
 */
import { Buffer } from 'buffer';

const scope = globalThis as { Buffer?: unknown };
scope.Buffer ??= Buffer;
