import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarizeCpuProfile } from './cpu-profile.js';
import { executorNotes } from './suite.js';
import type { RunReport } from './run.js';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' });

describe('summarizeCpuProfile', () => {
  it('charges self time to areas and to the enclosing BaseApp ABCI method', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 5] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('checkTx', 'file:///r/app/baseapp/baseapp.ts'), children: [4] },
        { id: 4, callFrame: frame('ecdsaVerify', 'file:///r/node_modules/secp256k1/lib/index.js') },
        { id: 5, callFrame: frame('respond', 'file:///r/app/abci/server.ts'), children: [6] },
        { id: 6, callFrame: frame('writeBuffer') },
      ],
      samples: [2, 4, 4, 6],
      timeDeltas: [1_000_000, 500_000, 500_000, 1_000_000],
      startTime: 0,
      endTime: 3_000_000,
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prof-')), 'p.cpuprofile');
    fs.writeFileSync(file, JSON.stringify(profile));
    const s = summarizeCpuProfile(file);
    expect(s.seconds).toBe(3);
    const area = (name: RegExp) => s.areas.find((a) => name.test(a.area))?.seconds;
    expect(area(/^idle/)).toBe(1);
    expect(area(/signature/)).toBe(1);
    expect(area(/ABCI server/)).toBe(1); // the native write is charged to its JS caller's area
    expect(s.abci.find((a) => a.method === 'checkTx')?.seconds).toBe(1);
    expect(s.top[0]!.share).toBeCloseTo(1 / 3, 3);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});

describe('executorNotes', () => {
  const run = (executor: 'parallel' | 'sequential', appThreads: number) =>
    ({ target: 'parazone', executor, appThreads }) as unknown as RunReport;
  it('says whether [executor] mode took effect, from the app thread counts', () => {
    expect(executorNotes([run('parallel', 12), run('sequential', 12)])[0]).toMatch(/did NOT take effect/);
    expect(executorNotes([run('parallel', 15), run('sequential', 12)])[0]).toMatch(/took effect/);
    expect(executorNotes([run('parallel', 15)])).toEqual([]);
  });
});
