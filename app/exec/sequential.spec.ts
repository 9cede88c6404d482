import { memoryStore } from '../store/cache-kv.js';
import { SequentialExecutor } from './sequential.js';
import { decodeInt, genesis, syntheticTask } from './synthetic.js';
import { TxRunError } from './types.js';

describe('SequentialExecutor', () => {
  it('tx i sees the writes of txs < i; a panicking tx leaves no writes', () => {
    const block = {
      txs: [
        { ops: [{ t: 'transfer' as const, from: 'bal/000000', to: 'bal/000001', amount: 10 }], gasLimit: 100 },
        { ops: [{ t: 'rmw' as const, key: 'bal/000001', delta: 1 }, { t: 'throw' as const }], gasLimit: 100 },
        { ops: [{ t: 'read' as const, key: 'bal/000001' }], gasLimit: 100 },
        {
          ops: [
            { t: 'rmw' as const, key: 'x', delta: 1 },
            { t: 'read' as const, key: 'y' },
          ],
          gasLimit: 2,
        }, // out of gas after a read
      ],
    };
    const r = new SequentialExecutor().execute(genesis(2, 100), syntheticTask(block));
    expect(r.outputs.map((o) => o.log)).toEqual(['', 'panic: synthetic panic', '', 'out of gas']);
    expect(r.outputs[2]!.seen).toBe('110,');
    expect(r.writes.map((w) => [Buffer.from(w.key).toString(), decodeInt(w.value!)])).toEqual([
      ['bal/000000', 90],
      ['bal/000001', 110],
    ]);
  });

  it('without recover, a throwing tx fails the block with its index', () => {
    const task = {
      count: 3,
      run: (i: number) => {
        if (i === 1) throw new Error('bad');
        return i;
      },
    };
    expect(() => new SequentialExecutor().execute(memoryStore(), task)).toThrow(new TxRunError(1, new Error('bad')));
  });
});
