/**
 * Where one thread's time goes while it runs some block work, from a V8 CPU profile of that work
 * (no timers in the code under test). Each sample is charged to the innermost frame on its stack
 * that names a phase, so events built inside a Msg handler count as events, and a handler's store
 * reads as the Msg. The rules below name the functions of this code base; a renamed function
 * moves its time to `other`, which the printed shares make visible.
 */
import { Session } from 'node:inspector/promises';

export const PHASES = ['decode', 'ante', 'msg', 'events', 'txOther', 'blockHooks', 'stateRoot', 'commit', 'gc', 'other'] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseShares {
  /** Share of the profiled time, 0..1. */
  share: Record<Phase, number>;
  /**
   * Microseconds per tx by phase: each share times `usPerTx`, the cost per tx measured without the
   * profiler (sampling slows the profiled run, but not the proportions much).
   */
  usPerTx: Record<Phase, number>;
  profiledMs: number;
}

interface Frame {
  functionName: string;
  url: string;
}

/** The phase a frame names, or undefined. Order matters only among rules matching one frame. */
function phaseOf(frame: Frame): Phase | undefined {
  const { functionName: fn, url } = frame;
  if (fn === '(garbage collector)') return 'gc';
  if (url.endsWith('/baseapp/tx-decoder.ts') || url.endsWith('/baseapp/decoded-tx-cache.ts')) return 'decode';
  if (url.endsWith('/types/events.ts') || fn === 'messageEvents') return 'events';
  if (url.includes('/ante/')) return 'ante';
  if (fn === 'handle' && url.endsWith('/msgs.ts')) return 'msg';
  if (fn === 'runTx') return 'txOther';
  if (fn === 'runBlockHooks') return 'blockHooks';
  if (fn === 'computeRoot') return 'stateRoot';
  if (fn === 'commit' && url.endsWith('/store/commit-store.ts')) return 'commit';
  return undefined;
}

interface ProfileNode {
  id: number;
  callFrame: Frame;
  children?: number[];
}

/** Profiles `work` (synchronous) and splits its samples by phase. */
export async function profilePhases(work: () => void, usPerTx: number): Promise<PhaseShares> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  work();
  const { profile } = (await session.post('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  session.disconnect();

  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // The work's samples are those under this function but not under the profiler's own calls.
  const inWork = new Map<number, boolean>();
  const underWork = (id: number): boolean => {
    let known = inWork.get(id);
    if (known === undefined) {
      const name = byId.get(id)!.callFrame.functionName;
      const up = parent.get(id);
      known = name.endsWith('post') ? false : name === 'profilePhases' ? true : up !== undefined && underWork(up);
      inWork.set(id, known);
    }
    return known;
  };
  const phaseOfNode = new Map<number, Phase>();
  const resolve = (id: number): Phase => {
    const known = phaseOfNode.get(id);
    if (known) return known;
    const own = phaseOf(byId.get(id)!.callFrame);
    const up = parent.get(id);
    const phase = own ?? (up === undefined ? 'other' : resolve(up));
    phaseOfNode.set(id, phase);
    return phase;
  };
  const micros = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id)!;
    // GC samples sit at the root; everything else counts only inside the work.
    if (node.callFrame.functionName !== '(garbage collector)' && !underWork(id)) return;
    micros[resolve(id)] += dt;
    total += dt;
  });
  const share = Object.fromEntries(PHASES.map((p) => [p, Number((micros[p] / total).toFixed(3))])) as Record<Phase, number>;
  const perTx = Object.fromEntries(PHASES.map((p) => [p, Number(((micros[p] / total) * usPerTx).toFixed(1))])) as Record<Phase, number>;
  return { share, usPerTx: perTx, profiledMs: Math.round(total / 1000) };
}
