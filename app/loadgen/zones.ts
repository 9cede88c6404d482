/**
 * Several zones loaded at once: N independent single-validator localnets (of our chain, or of the
 * kvstore ceiling), each with its own home, ports, chain id, seed and accounts, all started
 * together and loaded from the same moment. Each chain's committed TPS is read from its own
 * blocks (runLoad); the aggregate is their sum. No relayer: in-zone transfers need none.
 */
import { runLoad, type RunOptions, type RunReport, type Target } from './run.js';

/** Each zone's seed (so its accounts and plan differ from every other zone's and the one-zone run's). */
export function zoneSeed(seed: number, zone: number): number {
  return seed + 1000 * (zone + 1);
}

export function zoneChainId(target: Target, zone: number): string {
  return `${target}-loadgen-zone${zone + 1}`;
}

/**
 * Lets N concurrent runs start their loads together: each `arrive()` resolves once all N have
 * arrived (signed, observing). If one run fails first, `abort` releases the others with an error
 * instead of leaving them waiting.
 */
export class StartGate {
  private arrived = 0;
  private open!: () => void;
  private fail!: (err: Error) => void;
  private readonly opened: Promise<void>;

  constructor(readonly parties: number) {
    this.opened = new Promise<void>((resolve, reject) => {
      this.open = resolve;
      this.fail = reject;
    });
    // Handled here too, so an abort with nobody waiting is not an unhandled rejection.
    this.opened.catch(() => undefined);
    if (parties <= 0) this.open();
  }

  arrive(): Promise<void> {
    if (++this.arrived >= this.parties) this.open();
    return this.opened;
  }

  abort(reason: unknown): void {
    this.fail(new Error(`another zone failed before the load started: ${reason instanceof Error ? reason.message : String(reason)}`));
  }
}

/**
 * Runs `options` on `zones` chains at once (zone i: seed zoneSeed(seed, i), chain id
 * zoneChainId(target, i)); the reports in zone order. Waits for every zone to finish (and stop its
 * nodes) before throwing the first failure.
 */
export async function runZones(options: RunOptions, zones: number): Promise<RunReport[]> {
  const gate = new StartGate(zones);
  const log = options.log;
  const settled = await Promise.allSettled(
    Array.from({ length: zones }, (_, zone) =>
      runLoad({
        ...options,
        seed: zoneSeed(options.seed, zone),
        chainId: zoneChainId(options.target, zone),
        beforeLoad: async () => {
          await options.beforeLoad?.();
          await gate.arrive();
        },
        log: log ? (line) => log(`zone ${zone + 1}/${zones}: ${line}`) : undefined,
      }).catch((err: unknown) => {
        gate.abort(err);
        throw err;
      }),
    ),
  );
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<RunReport>).value);
}

/** The figures of one set of zones loaded at once. */
export interface ZoneSetFigures {
  /** Sum of the zones' committed TPS (each over its own steady window). */
  readonly aggregateTps: number;
  readonly zonesTps: number[];
  /**
   * How much the zones' steady windows overlap in time: the span all of them cover over the span
   * any of them covers (1 = measured over the same seconds; low = the sum overstates what the
   * machine sustained at once).
   */
  readonly overlap: number;
  /** Cores kept busy, added over the zones' processes; the load generator (one process) counted once. */
  readonly coresBusy: { app: number; cometbft: number; loadgen: number; otherProcesses: number };
}

/** Undefined if a zone has no committed TPS (nothing measurable): such a set is left out of medians. */
export function zoneSetFigures(runs: readonly RunReport[]): ZoneSetFigures | undefined {
  if (runs.length === 0 || runs.some((r) => !r.tps)) return undefined;
  const windows = runs.map((r) => r.tps!);
  const covered = Math.min(...windows.map((w) => w.endMs)) - Math.max(...windows.map((w) => w.startMs));
  const spanned = Math.max(...windows.map((w) => w.endMs)) - Math.min(...windows.map((w) => w.startMs));
  const busy = (r: RunReport, name: string) => r.cpu[name]?.coresBusy ?? 0;
  const sum = (f: (r: RunReport) => number) => runs.reduce((t, r) => t + f(r), 0);
  const own = (r: RunReport) => busy(r, 'app') + busy(r, 'cometbft');
  // Each run's "other processes" includes the other zones' nodes; take those out again.
  const others = runs.map((r) => Math.max(0, busy(r, 'otherProcesses') - (sum(own) - own(r))));
  const round = (x: number, d = 1) => +x.toFixed(d);
  return {
    aggregateTps: round(sum((r) => r.tps!.tps)),
    zonesTps: runs.map((r) => round(r.tps!.tps)),
    overlap: spanned > 0 ? round(Math.max(0, covered) / spanned, 3) : 1,
    coresBusy: {
      app: round(
        sum((r) => busy(r, 'app')),
        2,
      ),
      cometbft: round(
        sum((r) => busy(r, 'cometbft')),
        2,
      ),
      loadgen: round(Math.max(...runs.map((r) => busy(r, 'loadgen'))), 2),
      otherProcesses: round(others.reduce((a, b) => a + b, 0) / others.length, 2),
    },
  };
}
