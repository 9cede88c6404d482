/** Runs the cosmjs scenario script in process, from a genesis that seeds only the regulator. */
import { memoryStore } from '../../app/store/cache-kv.js';
import { ChainError } from '../../app/types/errors.js';
import { MODULE_NAME } from './keys.js';
import { scenarioGenesis, scenarioSteps, type Actors } from './e2e-scenario.js';
import { addr, D, GOV, M, W, World } from './testing.js';

test('scenario steps succeed or fail exactly as scripted; genesis seeds the regulator', () => {
  const actors: Actors = { gov: GOV, regulator: addr('bootstrap-regulator'), manufacturer: M, wholesaler: W, dispenser: D };
  const w = new World(memoryStore());
  const g = w.module.genesis!;
  g.init(w.ctx, g.validate(scenarioGenesis(actors)));
  for (const step of scenarioSteps(actors)) {
    if (step.kind === 'verify') {
      const v = w.query('Verify', step.request);
      const expected = { ...step.expect, ...(step.expect.recallIds ? { recallIds: (step.expect.recallIds as string[]).map(BigInt) } : {}) };
      expect({ note: step.note, ...v }).toMatchObject({ note: step.note, ...expected });
      continue;
    }
    const name = step.typeUrl.split('.').pop()!;
    expect((step.value as { signer: string }).signer).toBe(actors[step.signer]);
    let code = 0;
    try {
      w.exec(name, step.value);
    } catch (e) {
      if (!(e instanceof ChainError) || e.codespace !== MODULE_NAME) throw e;
      code = e.code;
    }
    expect({ note: step.note, code }).toEqual({ note: step.note, code: step.expectCode ?? 0 });
    w.advance();
  }
  expect(w.invariants()).toEqual([]);
});
