/** Turning `parazone loadgen` flags into SuiteOptions (kept apart from commander for testing). */
import { DEFAULT_COMET_SETTINGS, RUN_DEFAULTS, ZONES_WORKLOAD } from './defaults.js';
import { DRUG_NEEDS_LOCALNET, isDrugWorkload, isWorkload, WORKLOADS, type WorkloadName } from './plan.js';
import type { ExecutorMode, Target } from './run.js';
import type { SuiteOptions } from './suite.js';

export interface LoadgenFlags {
  target: string;
  workload: string;
  executor: string;
  txs: string;
  kvTxs?: string;
  accounts: string;
  rate: string;
  broadcast: string;
  connections: string;
  duration: string;
  warmup: string;
  drainTimeout: string;
  timeoutCommit: string;
  mempoolSize: string;
  recheck: boolean;
  maxBlockBytes: string;
  seed: string;
  repeats: string;
  zones?: string;
  progress: boolean;
  keepHome?: boolean;
  workDir?: string;
  cpuProf?: string;
  node?: string;
  faucetMnemonic?: string;
}

export const DEFAULT_FLAGS = {
  target: 'both',
  workload: 'transfer',
  executor: 'parallel',
  txs: String(RUN_DEFAULTS.txs),
  accounts: String(RUN_DEFAULTS.accounts),
  rate: '0',
  broadcast: RUN_DEFAULTS.mode,
  connections: String(RUN_DEFAULTS.connections),
  duration: String(RUN_DEFAULTS.maxSendMs / 1000),
  warmup: String(RUN_DEFAULTS.warmupMs / 1000),
  drainTimeout: String(RUN_DEFAULTS.drainTimeoutMs / 1000),
  timeoutCommit: DEFAULT_COMET_SETTINGS.timeoutCommit,
  mempoolSize: String(DEFAULT_COMET_SETTINGS.mempoolSize),
  maxBlockBytes: String(DEFAULT_COMET_SETTINGS.maxBlockBytes),
  seed: '1',
  repeats: '1',
} as const;

function num(name: string, value: string, min = 0): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

function list<T extends string>(name: string, value: string, all: readonly T[], valid: (x: string) => x is T): T[] {
  const items =
    value === 'all'
      ? [...all]
      : value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  for (const item of items)
    if (!valid(item)) throw new Error(`--${name}: unknown "${item}"; choose from ${all.join(', ')} (comma-separated) or all`);
  if (items.length === 0) throw new Error(`--${name} is empty`);
  return items as T[];
}

/** `all` runs the three side by side, in this order (the ceiling first, as `both` does). */
const TARGETS = ['kvstore', 'parazone', 'simd'] as const;
const isTarget = (x: string): x is Target => (TARGETS as readonly string[]).includes(x);
const EXECUTORS = ['parallel', 'sequential'] as const;
const isExecutor = (x: string): x is ExecutorMode => (EXECUTORS as readonly string[]).includes(x);

export function suiteOptionsFromFlags(
  f: LoadgenFlags,
  extra: { faucetMnemonic?: string; log?: (l: string) => void; command?: string },
): SuiteOptions {
  const targets: readonly Target[] = f.target === 'both' ? ['kvstore', 'parazone'] : list('target', f.target, TARGETS, isTarget);
  if (f.broadcast !== 'sync' && f.broadcast !== 'async') throw new Error(`--broadcast must be sync or async, got "${f.broadcast}"`);
  const workloads: WorkloadName[] = list('workload', f.workload, WORKLOADS, isWorkload);
  const executors = list('executor', f.executor === 'both' ? 'all' : f.executor, EXECUTORS, isExecutor);
  const txs = num('txs', f.txs, 1);
  const mnemonic = f.faucetMnemonic ?? extra.faucetMnemonic;
  if (f.node && !mnemonic)
    throw new Error('--node needs a funded faucet: --faucet-mnemonic "<24 words>" (or a localnet --home with endpoints.json)');
  if (f.node && targets.includes('simd'))
    throw new Error('--node measures a running chain of ours; simd always runs as a localnet (drop simd from --target)');
  if (f.node && !targets.includes('parazone'))
    throw new Error('--node measures a running chain; the kvstore ceiling always runs locally (drop --node)');
  if (f.node && workloads.some(isDrugWorkload)) throw new Error(DRUG_NEEDS_LOCALNET);
  const zones = f.zones === undefined ? undefined : num('zones', f.zones, 2);
  if (zones !== undefined && !Number.isInteger(zones)) throw new Error(`--zones must be a whole number, got "${f.zones}"`);
  if (zones !== undefined && f.node) throw new Error('--zones starts its own localnets (one per zone); drop --node');
  if (zones !== undefined && !workloads.includes(ZONES_WORKLOAD))
    throw new Error(`--zones measures the ${ZONES_WORKLOAD} workload: include it in --workload`);
  return {
    ...RUN_DEFAULTS,
    targets,
    workloads,
    executors,
    txs,
    kvstoreTxs: f.kvTxs ? num('kv-txs', f.kvTxs, 1) : txs * 3,
    accounts: num('accounts', f.accounts, 2),
    rate: num('rate', f.rate),
    mode: f.broadcast,
    connections: num('connections', f.connections, 1),
    maxSendMs: num('duration', f.duration, 1) * 1000,
    warmupMs: num('warmup', f.warmup) * 1000,
    drainTimeoutMs: num('drain-timeout', f.drainTimeout, 1) * 1000,
    comet: {
      ...DEFAULT_COMET_SETTINGS,
      timeoutCommit: f.timeoutCommit,
      mempoolSize: num('mempool-size', f.mempoolSize, 1),
      recheck: f.recheck,
      maxBlockBytes: num('max-block-bytes', f.maxBlockBytes, 1024),
    },
    seed: num('seed', f.seed),
    repeats: num('repeats', f.repeats, 1),
    ...(zones !== undefined ? { zones } : {}),
    progress: f.progress,
    keepHome: f.keepHome,
    workDir: f.workDir,
    appNodeArgs: f.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${f.cpuProf}`] : undefined,
    external: f.node ? { rpc: f.node, faucetMnemonic: mnemonic! } : undefined,
    log: extra.log,
    command: extra.command,
  };
}
