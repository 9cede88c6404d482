/**
 * One load run, start to finish: a network (our chain, the Cosmos SDK's simd, the kvstore ceiling,
 * or an already running chain), accounts, the plan, pre-signed txs, the load, the chain's own record of what it
 * committed, and the figures derived from that record.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { makeChainConfig, type ChainConfig } from '../types/chain-config.js';
import { cpuBetween, snapshotCpu, threadCount } from './cpu.js';
import { RUN_DEFAULTS } from './defaults.js';
import { chainIdOf, fundFromFaucet, readAccounts } from './faucet.js';
import { DEFAULT_COMET_SETTINGS, startKvstoreNet, startParazoneNet, type CometSettings, type LocalNetwork } from './network.js';
import { ChainObserver } from './observer.js';
import { drugActors, drugGenesisJson, drugUnitsPerSender } from './drug-genesis.js';
import { DRUG_NEEDS_LOCALNET, isDrugWorkload, planTxs, type TxPlan, type WorkloadName } from './plan.js';
import { presign } from './presign.js';
import { SIMD_CHAIN, startSimdNet } from './simd-network.js';
import { RpcPool } from './rpc.js';
import { signSlice } from './sign-slice.js';
import { blockTpsSeries, latencySeries, percentile, steadyWindow, type SteadyWindow } from './stats.js';
import { nowMs, sleep, submit, type BroadcastMode } from './submitter.js';
import { kvstoreTx, loadAccounts } from './txs.js';

/** Our chain, the Cosmos SDK's simapp (same txs, its own prefix and denom), CometBFT's kvstore. */
export type Target = 'parazone' | 'simd' | 'kvstore';
export type ExecutorMode = 'parallel' | 'sequential';

export interface RunOptions {
  readonly target: Target;
  readonly workload: WorkloadName;
  /** Txs to pre-sign and (at most) send. */
  readonly txs: number;
  /** Sending accounts (a hot recipient is added for the hot and mixed workloads). */
  readonly accounts: number;
  /** Target txs per second; 0 = open-loop (as fast as accepted). */
  readonly rate: number;
  readonly mode: BroadcastMode;
  readonly connections: number;
  /** Stop sending after this many ms even if txs remain (bounds a run). */
  readonly maxSendMs: number;
  /** Blocks in the first `warmupMs` after our first tx is committed are not counted. */
  readonly warmupMs: number;
  /** After the last send, how long to wait for the chain to commit what it accepted. */
  readonly drainTimeoutMs: number;
  /** Written to app.toml `[executor] mode` of a localnet this tool starts. */
  readonly executor: ExecutorMode;
  readonly comet: CometSettings;
  readonly seed: number;
  /** kvstore txs of this many bytes; default the mean size of our signed txs of this workload. */
  readonly txBytes?: number;
  readonly signThreads?: number;
  readonly progress: boolean;
  /** Where localnet homes go (a fresh subdirectory per run); default the OS temp dir. */
  readonly workDir?: string;
  readonly keepHome?: boolean;
  /** Node flags for the app process of a localnet (e.g. --cpu-prof). */
  readonly appNodeArgs?: readonly string[];
  /** A running chain instead of a localnet: its RPC and a funded faucet mnemonic. */
  readonly external?: { readonly rpc: string; readonly faucetMnemonic: string; readonly gasPrice?: string };
  readonly log?: (line: string) => void;
  /** Chain id of a localnet this tool starts (default parazone-loadgen / kvstore-loadgen). */
  readonly chainId?: string;
  /**
   * Awaited once the txs are signed and the observer watches the chain, right before the first
   * send: lets runs on several chains at once (zones) start their loads together.
   */
  readonly beforeLoad?: () => Promise<void>;
  /** Called once the load has drained, before a localnet is stopped: lets a test read the chain's state. */
  readonly afterLoad?: (chain: { rpc: string; chainId: string }) => Promise<void>;
}

export const DEFAULT_RUN_OPTIONS: Omit<RunOptions, 'target' | 'workload'> = {
  ...RUN_DEFAULTS,
  comet: DEFAULT_COMET_SETTINGS,
  progress: false,
};

export interface RunReport {
  readonly target: Target;
  readonly workload: WorkloadName;
  readonly executor: ExecutorMode | 'n/a';
  readonly network: 'localnet' | 'external';
  readonly chainId: string;
  readonly txBytes: { min: number; max: number; mean: number };
  readonly submit: {
    planned: number;
    sent: number;
    accepted: number;
    rejected: number;
    rejections: Record<string, number>;
    mempoolFullRetries: number;
    seconds: number;
    sendRate: number;
    targetRate: number;
    mode: BroadcastMode;
    connections: number;
  };
  /** Everything here is read from blocks and block results, not from our sends. */
  readonly chain: {
    committed: number;
    succeeded: number;
    failed: number;
    failedCodes: Record<string, number>;
    acceptedButNotCommitted: number;
    blocks: number;
    fromHeight: number;
    toHeight: number;
    meanBlockSeconds: number;
    maxTxsPerBlock: number;
    /** Over this run's committed txs: events in their results, and attributes flagged for CometBFT's indexer. */
    eventsPerTx: number;
    indexedAttributesPerTx: number;
  };
  readonly tps: SteadyWindow | null;
  readonly latencyMs: { p50: number; p95: number; p99: number; max: number; count: number };
  /** CPU seconds and cores kept busy per process, from the first send until drained. */
  readonly cpu: Record<string, { cpuSeconds: number; coresBusy: number }>;
  /** CPU milliseconds per successfully committed tx of this run, per process of the chain. */
  readonly cpuMsPerTx: { app?: number; cometbft?: number };
  /** OS threads of the app process at the end of the load (worker threads show up here). */
  readonly appThreads?: number;
  readonly series: {
    blockTps: { t: number; tps: number; height: number }[];
    latency: { t: number; p50: number; p95: number; count: number }[];
  };
  readonly timings: { setupSeconds: number; signSeconds: number; totalSeconds: number };
  readonly home?: string;
}

const FUNDS = '1000000000000';

/**
 * Gas limit and fee of every loadgen tx; the fee pays the chain's minimum gas price (0.025upara).
 * A MsgSend uses well under the limit, a drug MsgShip of one unit about 94k gas (measured by
 * test/loadgen/drug.test.ts), so every workload signs the same envelope.
 */
export const TX_GAS = { gasLimit: 200_000n, feeAmount: '5000' } as const;

export async function runLoad(opts: RunOptions): Promise<RunReport> {
  const log = opts.log ?? (() => undefined);
  const t0 = nowMs();
  const config = chainConfigOf(opts.target);
  const senders = opts.accounts;
  const plan = planTxs(opts.workload, opts.txs, senders, opts.seed);
  const accounts = opts.target === 'kvstore' ? [] : loadAccounts(`run${opts.seed}`, senders + 1, config.addresses);

  let net: LocalNetwork | undefined;
  let rpc: string;
  let chainId: string;
  let accountNumbers: bigint[] = [];
  let startSequences: bigint[] = [];
  const workDir = opts.workDir ?? os.tmpdir();
  fs.mkdirSync(workDir, { recursive: true });
  const home = opts.external ? undefined : fs.mkdtempSync(path.join(workDir, `loadgen-${opts.target}-`));

  try {
    if (opts.external && isDrugWorkload(opts.workload) && opts.target === 'parazone') throw new Error(DRUG_NEEDS_LOCALNET);
    if (opts.target === 'simd' && isDrugWorkload(opts.workload)) throw new Error(SIMD_HAS_NO_DRUG_REGISTRY);
    if (opts.external) {
      rpc = opts.external.rpc;
      chainId = await chainIdOf(rpc);
      if (opts.target !== 'parazone') throw new Error(`${opts.target} always runs as a localnet this tool starts (no --node)`);
      log(`funding ${accounts.length} accounts from the faucet on ${rpc}`);
      await fundFromFaucet({
        rpc,
        mnemonic: opts.external.faucetMnemonic,
        prefix: config.bech32Prefix,
        denom: config.bondDenom,
        gasPrice: opts.external.gasPrice ?? `0.025${config.bondDenom}`,
        addresses: accounts.map((a) => a.address),
        amount: FUNDS,
      });
      const onChain = await readAccounts(
        rpc,
        accounts.map((a) => a.address),
      );
      accountNumbers = onChain.map((a) => a.accountNumber);
      startSequences = onChain.map((a) => a.sequence);
    } else if (opts.target === 'parazone') {
      chainId = opts.chainId ?? 'parazone-loadgen';
      log(`starting a parazone localnet (${accounts.length} genesis accounts, executor ${opts.executor}) in ${home}`);
      const drugregistry = isDrugWorkload(opts.workload)
        ? drugRegistryGenesis(
            plan,
            accounts.slice(0, senders).map((a) => a.address),
          )
        : undefined;
      net = await startParazoneNet({
        home: home!,
        chainId,
        comet: opts.comet,
        executor: opts.executor,
        accounts: accounts.map((a) => ({ address: a.address, coins: [{ denom: config.bondDenom, amount: FUNDS }] })),
        ...(drugregistry ? { appState: { drugregistry } } : {}),
        nodeArgs: opts.appNodeArgs,
      });
      rpc = net.rpc;
      accountNumbers = accounts.map((_, i) => BigInt(i));
      startSequences = accounts.map(() => 0n);
    } else if (opts.target === 'simd') {
      chainId = opts.chainId ?? 'simd-loadgen';
      log(`starting a simd localnet (${accounts.length} genesis accounts) in ${home}`);
      net = await startSimdNet({
        home: home!,
        chainId,
        comet: opts.comet,
        accounts: accounts.map((a) => ({ address: a.address, coins: [{ denom: config.bondDenom, amount: FUNDS }] })),
      });
      rpc = net.rpc;
      // startSimdNet numbers the load accounts 0, 1, 2, … in genesis, as our localnet does.
      accountNumbers = accounts.map((_, i) => BigInt(i));
      startSequences = accounts.map(() => 0n);
    } else {
      chainId = opts.chainId ?? 'kvstore-loadgen';
      log(`starting CometBFT with the built-in kvstore app in ${home}`);
      net = await startKvstoreNet({ home: home!, chainId, comet: opts.comet });
      rpc = net.rpc;
    }
    const setupSeconds = (nowMs() - t0) / 1000;

    const tSign = nowMs();
    let txs: Uint8Array[];
    if (opts.target !== 'kvstore') {
      log(`pre-signing ${opts.txs} txs on worker threads`);
      txs = await presign(plan, {
        seed: `run${opts.seed}`,
        prefix: config.bech32Prefix,
        chainId,
        denom: config.bondDenom,
        ...TX_GAS,
        accountNumbers,
        startSequences,
        threads: opts.signThreads,
      });
    } else {
      const size = opts.txBytes ?? sampleTxBytes(plan, opts.seed);
      txs = Array.from({ length: opts.txs }, (_, i) => kvstoreTx(i, size, `s${opts.seed}r${Math.floor(t0) % 1e6}x`));
    }
    const signSeconds = (nowMs() - tSign) / 1000;
    const sizes = txs.map((t) => t.length);
    const txBytes = {
      min: sizes.reduce((a, b) => Math.min(a, b), Infinity),
      max: sizes.reduce((a, b) => Math.max(a, b), 0),
      mean: +(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(1),
    };

    const observer = new ChainObserver(rpc, txs);
    await observer.start();
    if (opts.beforeLoad) {
      try {
        await opts.beforeLoad();
      } catch (err) {
        await observer.stop();
        throw err;
      }
    }
    const pids = { app: net?.pids.app, cometbft: net?.pids.cometbft, loadgen: process.pid };
    const cpuStart = snapshotCpu(pids);
    const loadStart = nowMs();

    const bar = opts.progress
      ? new cliProgress.SingleBar(
          {
            format: `${opts.target}/${opts.workload} |{bar}| sent {value}/{total} | committed {committed} | height {height} | {eta_formatted}`,
            hideCursor: true,
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    bar?.start(txs.length, 0, { committed: 0, height: observer.latestHeight });
    let sentSoFar = 0;
    const ticker = setInterval(() => bar?.update(sentSoFar, { committed: observer.found, height: observer.latestHeight }), 250);

    const sent = await submit(txs, {
      rpc,
      mode: opts.mode,
      connections: opts.connections,
      rate: opts.rate,
      maxDurationMs: opts.maxSendMs,
      onProgress: (n) => (sentSoFar = n),
    });
    // Drain: until every accepted tx is in a block, or the mempool is empty and one more block passed.
    const drainDeadline = nowMs() + opts.drainTimeoutMs;
    const pool = new RpcPool(rpc, 1);
    try {
      for (;;) {
        if (observer.found >= sent.acceptedCount) {
          // One more block: its header time is when the last block with our txs ended.
          await observer.waitForHeight(observer.latestHeight + 1, 30_000);
          break;
        }
        const { n_txs } = await pool.call<{ n_txs: string }>('num_unconfirmed_txs', {});
        if (Number(n_txs) === 0) {
          const h = observer.latestHeight;
          await observer.waitForHeight(h + 2, 30_000);
          break;
        }
        if (nowMs() > drainDeadline) {
          log(`drain timed out with ${n_txs} txs still in the mempool`);
          break;
        }
        await sleep(100);
      }
    } finally {
      pool.close();
    }
    const loadEnd = nowMs();
    const cpu = cpuBetween(cpuStart, snapshotCpu(pids), (loadEnd - loadStart) / 1000);
    const appThreads = threadCount(net?.pids.app);
    clearInterval(ticker);
    bar?.update(sent.sent, { committed: observer.found, height: observer.latestHeight });
    bar?.stop();
    await observer.stop();
    if (opts.afterLoad) await opts.afterLoad({ rpc, chainId });

    return summarize(opts, observer, sent, {
      txBytes,
      cpu,
      loadStart,
      setupSeconds,
      signSeconds,
      t0,
      appThreads,
      home: opts.keepHome ? home : undefined,
      network: opts.external ? 'external' : 'localnet',
      chainId,
    });
  } finally {
    if (net) await net.stop();
    if (home && !opts.keepHome) fs.rmSync(home, { recursive: true, force: true });
  }
}

export const SIMD_HAS_NO_DRUG_REGISTRY = 'simd has no drug registry: compare with it on the transfer, hot and mixed workloads';

/** Address prefix and denom of the target's txs (simd: cosmos/stake; ours and kvstore sizing: para/upara). */
export function chainConfigOf(target: Target): ChainConfig {
  return target === 'simd' ? makeChainConfig(SIMD_CHAIN.bech32Prefix, SIMD_CHAIN.bondDenom) : makeChainConfig();
}

/**
 * Mean size of the signed txs this plan would produce on a localnet (a sample signed in this
 * thread): what the kvstore ceiling's txs are sized to, per workload.
 */
export function sampleTxBytes(plan: TxPlan, seed: number, sample = 256): number {
  const n = Math.min(sample, plan.from.length);
  const config = makeChainConfig();
  const accountNumbers = BigInt64Array.from({ length: plan.senders + 1 }, (_, i) => BigInt(i));
  const { data } = signSlice(
    {
      workload: plan.workload,
      seed: `run${seed}`,
      prefix: config.bech32Prefix,
      chainId: 'parazone-loadgen',
      denom: config.bondDenom,
      feeAmount: TX_GAS.feeAmount,
      gasLimit: TX_GAS.gasLimit.toString(),
      accountNumbers,
      startSequences: new BigInt64Array(plan.senders + 1),
      from: plan.from.slice(0, n),
      to: plan.to.slice(0, n),
      round: plan.round.slice(0, n),
    },
    config.addresses,
  );
  return Math.round(data.length / n);
}

/**
 * The drug registry genesis of a drug run: the senders as wholesalers, each holding one unit per
 * tx it sends. Its history is dated a day before now (the chain's genesis time is about now).
 */
function drugRegistryGenesis(plan: TxPlan, senders: readonly string[]): unknown {
  const dayAgo = new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000);
  return drugGenesisJson({
    ...drugActors(makeChainConfig().addresses),
    wholesalers: senders,
    unitsPerWholesaler: drugUnitsPerSender(plan),
    time: dayAgo,
  });
}

function summarize(
  opts: RunOptions,
  observer: ChainObserver,
  sent: Awaited<ReturnType<typeof submit>>,
  extra: {
    txBytes: RunReport['txBytes'];
    cpu: RunReport['cpu'];
    loadStart: number;
    setupSeconds: number;
    signSeconds: number;
    t0: number;
    appThreads?: number;
    home?: string;
    network: 'localnet' | 'external';
    chainId: string;
  },
): RunReport {
  const latencies: number[] = [];
  const failedCodes: Record<string, number> = {};
  let committed = 0;
  let succeeded = 0;
  let acceptedButNotCommitted = 0;
  for (let i = 0; i < observer.height.length; i++) {
    if (observer.height[i] === 0) {
      if (sent.accepted[i]) acceptedButNotCommitted++;
      continue;
    }
    committed++;
    const code = observer.code[i]!;
    if (code === 0) succeeded++;
    else failedCodes[String(code)] = (failedCodes[String(code)] ?? 0) + 1;
    const l = observer.committedAt[i]! - sent.sentAt[i]!;
    if (Number.isFinite(l)) latencies.push(l);
  }
  const blocks = observer.blocks;
  const withOurs = blocks.filter((b) => b.ours > 0);
  const seconds = (sent.endedAt - sent.startedAt) / 1000;
  const span = blocks.length > 1 ? (blocks[blocks.length - 1]!.time - blocks[0]!.time) / 1000 / (blocks.length - 1) : 0;
  const round = (x: number) => +x.toFixed(1);
  const perTx = (n: number) => (committed > 0 ? +(n / committed).toFixed(2) : 0);
  const sum = (f: (b: (typeof blocks)[number]) => number) => blocks.reduce((t, b) => t + f(b), 0);
  const msPerTx = (p: string) => (extra.cpu[p] && succeeded > 0 ? +((extra.cpu[p]!.cpuSeconds * 1000) / succeeded).toFixed(3) : undefined);
  const cpuMsPerTx = Object.fromEntries(
    (['app', 'cometbft'] as const).flatMap((p) => (msPerTx(p) === undefined ? [] : [[p, msPerTx(p)!]])),
  );
  return {
    target: opts.target,
    workload: opts.workload,
    executor: opts.target === 'parazone' ? opts.executor : 'n/a',
    network: extra.network,
    chainId: extra.chainId,
    txBytes: extra.txBytes,
    submit: {
      planned: opts.txs,
      sent: sent.sent,
      accepted: sent.acceptedCount,
      rejected: sent.sent - sent.acceptedCount,
      rejections: sent.rejections,
      mempoolFullRetries: sent.mempoolFullRetries,
      seconds: round(seconds),
      sendRate: round(sent.sent / Math.max(1e-3, seconds)),
      targetRate: opts.rate,
      mode: opts.mode,
      connections: opts.connections,
    },
    chain: {
      committed,
      succeeded,
      failed: committed - succeeded,
      failedCodes,
      acceptedButNotCommitted,
      blocks: blocks.length,
      fromHeight: blocks[0]?.height ?? 0,
      toHeight: blocks[blocks.length - 1]?.height ?? 0,
      meanBlockSeconds: +span.toFixed(3),
      maxTxsPerBlock: Math.max(0, ...withOurs.map((b) => b.ours)),
      eventsPerTx: perTx(sum((b) => b.oursEvents)),
      indexedAttributesPerTx: perTx(sum((b) => b.oursIndexedAttributes)),
    },
    tps: steadyWindow(blocks, opts.warmupMs) ?? null,
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.reduce((a, b) => Math.max(a, b), 0)),
      count: latencies.length,
    },
    cpu: extra.cpu,
    cpuMsPerTx,
    ...(extra.appThreads !== undefined ? { appThreads: extra.appThreads } : {}),
    series: {
      blockTps: blockTpsSeries(blocks, extra.loadStart).map((p) => ({ ...p, tps: round(p.tps) })),
      latency: latencySeries(sent.sentAt, observer.committedAt, extra.loadStart),
    },
    timings: {
      setupSeconds: round(extra.setupSeconds),
      signSeconds: +extra.signSeconds.toFixed(2),
      totalSeconds: round((nowMs() - extra.t0) / 1000),
    },
    ...(extra.home ? { home: extra.home } : {}),
  };
}
