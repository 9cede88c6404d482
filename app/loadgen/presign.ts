/**
 * Pre-signs a whole plan before the load starts, on worker threads (one per core by default), so
 * that signing never limits the submit rate: during the run the submitter only sends bytes.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TxPlan } from './plan.js';
import type { SignedSlice, SignSliceInput } from './sign-slice.js';

export interface PresignOptions {
  readonly seed: string;
  readonly prefix: string;
  readonly chainId: string;
  readonly denom: string;
  readonly feeAmount: string;
  readonly gasLimit: bigint;
  /** Account number of account index i (senders, then the hot account). */
  readonly accountNumbers: readonly bigint[];
  /** First unused sequence of account index i. */
  readonly startSequences: readonly bigint[];
  /** Default: one per core. */
  readonly threads?: number;
}

export async function presign(plan: TxPlan, options: PresignOptions): Promise<Uint8Array[]> {
  const n = plan.from.length;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(n / 500)));
  const chunk = Math.ceil(n / threads);
  const accountNumbers = BigInt64Array.from(options.accountNumbers);
  const startSequences = BigInt64Array.from(options.startSequences);
  const slices = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const [a, b] = [t * chunk, Math.min(n, (t + 1) * chunk)];
      const input: SignSliceInput = {
        workload: plan.workload,
        seed: options.seed,
        prefix: options.prefix,
        chainId: options.chainId,
        denom: options.denom,
        feeAmount: options.feeAmount,
        gasLimit: options.gasLimit.toString(),
        accountNumbers,
        startSequences,
        from: plan.from.slice(a, b),
        to: plan.to.slice(a, b),
        round: plan.round.slice(a, b),
      };
      return runWorker(input);
    }),
  );
  const out: Uint8Array[] = [];
  for (const { data, offsets } of slices) {
    for (let i = 0; i + 1 < offsets.length; i++) out.push(data.subarray(offsets[i]!, offsets[i + 1]!));
  }
  return out;
}

function runWorker(input: SignSliceInput): Promise<SignedSlice> {
  const entry = workerEntry();
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.script, { eval: entry.eval, workerData: input });
    let result: SignedSlice | undefined;
    worker.once('message', (m: SignedSlice) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (result ? resolve(result) : reject(new Error(`signing worker exited (${code}) without a result`))));
  });
}

/**
 * From compiled JS the worker file itself; from TypeScript (tsx, jest) a bootstrap that registers
 * tsx's ESM hooks inside the worker first (see app/exec/parallel.ts for why execArgv is not enough).
 */
function workerEntry(): { script: string | URL; eval: boolean } {
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(`./sign-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return { script: url, eval: false };
  const tsxApi = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  return {
    script: `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`,
    eval: true,
  };
}
