/**
 * Reading a V8 .cpuprofile (what `node --cpu-prof` writes): self time per function, and per area
 * of the app (signature checks, ABCI I/O, store commit, execution…), so a report can say where the
 * app process spends its CPU at the top of the load rather than guess.
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Areas, first match wins; matched against "url functionName". */
const AREAS: [string, RegExp][] = [
  ['idle', /\(idle\)/],
  ['garbage collection', /\(garbage collector\)/],
  ['signature verification (secp256k1, sha256)', /secp256k1|signature|sign-doc|verify|createHash|digest|\bhash\b/i],
  ['store commit (LMDB, SMT, app hash)', /\/store\/(commit-store|smt|lmdb)|node_modules\/lmdb|ordered-binary/],
  ['store reads/writes (cache, gas KV)', /\/store\//],
  ['protobuf encode/decode', /generated\/|cosmjs-types|@bufbuild|protobufjs|tx-decoder|binary\.js|wire/],
  ['ABCI server and socket I/O', /\/abci\/|node:net|node:internal\/stream|stream_base|writev|onStreamRead/],
  ['bech32 addresses', /@scure\/base|bech32|types\/address/],
  ['ante handler (auth, fees, sequence)', /(?<!node_)modules\/auth/],
  ['message handlers (tokens, …)', /(?<!node_)modules\//],
  ['baseapp (CheckTx/FinalizeBlock plumbing)', /\/baseapp\/|\/exec\//],
  ['logging', /pino|sonic-boom/],
  ['Node.js internals (buffers, module loading)', /^node:|^ [A-Za-z]/],
];

const ABCI_METHODS = new Set([
  'checkTx',
  'checkTxBatch',
  'prepareProposal',
  'processProposal',
  'finalizeBlock',
  'commit',
  'query',
  'info',
  'initChain',
]);

export interface ProfileSummary {
  readonly file: string;
  readonly seconds: number;
  /** Share of all samples (including idle), by area. */
  readonly areas: { area: string; seconds: number; share: number }[];
  /** Share of all samples by ABCI method of BaseApp (inclusive time), the rest being "outside". */
  readonly abci: { method: string; seconds: number; share: number }[];
  /** Top functions by self time. */
  readonly top: { fn: string; seconds: number; share: number }[];
}

export function summarizeCpuProfile(file: string, topN = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const abci = new Map<string, number>();
  const methodOf = (id: number): string => {
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (/\/baseapp\/baseapp\.ts$/.test(f.url) && ABCI_METHODS.has(f.functionName)) return f.functionName;
    }
    return byId.get(id)!.callFrame.functionName === '(idle)' ? 'idle' : 'outside ABCI methods (socket I/O, GC, startup)';
  };
  const callerUrl = (id: number): string => {
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
      const u = byId.get(cur)!.callFrame.url;
      if (u) return u;
    }
    return '';
  };
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const short = url.replace(/^file:\/\/.*?\/(node_modules\/|app\/|modules\/|generated\/)/, '$1');
    const key = `${functionName || '(anonymous)'} ${short}${url ? `:${lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
    const method = methodOf(id);
    abci.set(method, (abci.get(method) ?? 0) + us);
    // Natives (no url, e.g. writeBuffer) are charged to the area of their nearest JS caller.
    const hay = `${url || callerUrl(id)} ${functionName}`;
    const area = AREAS.find(([, re]) => re.test(hay))?.[0] ?? 'other JS';
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort(([, a], [, b]) => b - a)
      .map(([k, us]) => ({ k, seconds: +(us / 1e6).toFixed(3), share: +(us / total).toFixed(3) }));
  return {
    file,
    seconds: +(total / 1e6).toFixed(2),
    areas: rows(areas).map(({ k, ...r }) => ({ area: k, ...r })),
    abci: rows(abci).map(({ k, ...r }) => ({ method: k, ...r })),
    top: rows(fns)
      .slice(0, topN)
      .map(({ k, ...r }) => ({ fn: k, ...r })),
  };
}
