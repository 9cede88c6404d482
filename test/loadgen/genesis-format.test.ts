/**
 * genesis.json as written by writeAppState: pretty-printed, except a large app_state (load-test
 * genesis of thousands of accounts or drug units), which stays on one line.
 */
import { COMPACT_APP_STATE_BYTES, formatGenesis } from '../../app/node/genesis.js';

const doc = (appState: unknown) => ({
  genesis_time: '2026-01-01T00:00:00Z',
  chain_id: 'c',
  consensus_params: { block: { max_bytes: '1' } },
  app_state: appState,
  initial_height: '1',
});

describe('formatGenesis', () => {
  it('pretty-prints a small genesis as before', () => {
    const g = doc({ tokens: { balances: [{ address: 'a', coins: [] }] } });
    expect(formatGenesis(g)).toBe(`${JSON.stringify(g, null, 2)}\n`);
  });

  it('writes a large app_state compactly, the rest pretty, and the same document', () => {
    const balances = Array.from({ length: 20_000 }, (_, i) => ({
      address: `para1${'q'.repeat(38)}${i}`,
      coins: [{ denom: 'upara', amount: '1000000000000' }],
    }));
    const g = doc({ tokens: { balances, note: 'a "quoted" $& value\nwith a newline' } });
    const text = formatGenesis(g);
    expect(JSON.stringify(g.app_state).length).toBeGreaterThan(COMPACT_APP_STATE_BYTES);
    expect(JSON.parse(text)).toEqual(g);
    const lines = text.split('\n');
    expect(lines).toContain('  "chain_id": "c",');
    expect(lines.filter((l) => l.startsWith('  "app_state": {'))).toEqual([`  "app_state": ${JSON.stringify(g.app_state)},`]);
    expect(text.length).toBeLessThan(JSON.stringify(g, null, 2).length * 0.6);
  });
});
