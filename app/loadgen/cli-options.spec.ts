import { DEFAULT_FLAGS, suiteOptionsFromFlags, type LoadgenFlags } from './cli-options.js';

const flags = (over: Partial<LoadgenFlags> = {}): LoadgenFlags => ({ ...DEFAULT_FLAGS, recheck: true, progress: false, ...over });

describe('loadgen flags', () => {
  it('defaults to the side-by-side transfer run with the parallel executor', () => {
    const o = suiteOptionsFromFlags(flags(), {});
    expect(o).toMatchObject({ targets: ['kvstore', 'parazone'], workloads: ['transfer'], executors: ['parallel'], mode: 'sync', rate: 0 });
    expect(o.kvstoreTxs).toBe(3 * o.txs);
    expect(o.comet.recheck).toBe(true);
    expect(o.zones).toBeUndefined();
  });

  it('--zones turns on the zones comparison, with transfers on localnets only', () => {
    expect(suiteOptionsFromFlags(flags({ zones: '2' }), {}).zones).toBe(2);
    expect(() => suiteOptionsFromFlags(flags({ zones: '1' }), {})).toThrow(/--zones must be a number ≥ 2/);
    expect(() => suiteOptionsFromFlags(flags({ zones: '2.5' }), {})).toThrow(/whole number/);
    expect(() => suiteOptionsFromFlags(flags({ zones: '2', workload: 'hot' }), {})).toThrow(/transfer workload/);
    expect(() => suiteOptionsFromFlags(flags({ zones: '2', node: 'http://127.0.0.1:1' }), { faucetMnemonic: 'w' })).toThrow(/drop --node/);
  });

  it('takes lists, both executors and comet settings', () => {
    const o = suiteOptionsFromFlags(
      flags({ workload: 'all', executor: 'both', recheck: false, timeoutCommit: '1s', mempoolSize: '7', rate: '500' }),
      {},
    );
    expect(o.workloads).toEqual(['transfer', 'hot', 'mixed', 'drug']);
    expect(o.executors).toEqual(['parallel', 'sequential']);
    expect(o.comet).toMatchObject({ recheck: false, timeoutCommit: '1s', mempoolSize: 7 });
    expect(o.rate).toBe(500);
  });

  it('says what is wrong', () => {
    expect(() => suiteOptionsFromFlags(flags({ workload: 'transfer,dr' }), {})).toThrow(/unknown "dr"/);
    expect(suiteOptionsFromFlags(flags({ workload: 'drug' }), {}).workloads).toEqual(['drug']);
    expect(() => suiteOptionsFromFlags(flags({ workload: 'transfer,drug', node: 'http://127.0.0.1:1' }), { faucetMnemonic: 'w' })).toThrow(
      /drug workload needs a localnet/,
    );
    expect(() => suiteOptionsFromFlags(flags({ target: 'x' }), {})).toThrow(/--target/);
    expect(suiteOptionsFromFlags(flags({ target: 'all' }), {}).targets).toEqual(['kvstore', 'parazone', 'simd']);
    expect(suiteOptionsFromFlags(flags({ target: 'simd,parazone' }), {}).targets).toEqual(['simd', 'parazone']);
    expect(() => suiteOptionsFromFlags(flags({ target: 'simd', node: 'http://127.0.0.1:1' }), { faucetMnemonic: 'w' })).toThrow(
      /simd always runs as a localnet/,
    );
    expect(() => suiteOptionsFromFlags(flags({ txs: '-1' }), {})).toThrow(/--txs/);
    expect(() => suiteOptionsFromFlags(flags({ node: 'http://127.0.0.1:1' }), {})).toThrow(/faucet/);
    expect(suiteOptionsFromFlags(flags({ node: 'http://127.0.0.1:1' }), { faucetMnemonic: 'w' }).external).toEqual({
      rpc: 'http://127.0.0.1:1',
      faucetMnemonic: 'w',
    });
  });
});
