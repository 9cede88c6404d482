import { memoryStore } from '../store/cache-kv.js';
import { InfiniteGasMeter } from '../store/gas.js';
import { StoreKey } from '../store/types.js';
import { Context } from './context.js';
import { EventManager } from './events.js';

const key = new StoreKey('m');
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

function context(): Context {
  return new Context(
    { chainId: 'c', height: 3, time: new Date(0) },
    'deliver',
    memoryStore(),
    new InfiniteGasMeter(),
    new EventManager(),
    2,
  );
}

describe('Context.branch', () => {
  it('sees the parent state, keeps its writes and events to itself until commit', () => {
    const ctx = context();
    ctx.kv(key).set(bytes('a'), bytes('1'));
    const branch = ctx.branch();
    expect(text(branch.ctx.kv(key).get(bytes('a')))).toBe('1');
    branch.ctx.kv(key).set(bytes('b'), bytes('2'));
    branch.ctx.events.emit('e', { k: 'v' });
    expect([branch.ctx.height, branch.ctx.txIndex, branch.ctx.mode, branch.ctx.gas]).toEqual([3, 2, 'deliver', ctx.gas]);
    expect(ctx.kv(key).get(bytes('b'))).toBeUndefined();
    expect(ctx.events.events).toEqual([]);

    branch.commit();
    expect(text(ctx.kv(key).get(bytes('b')))).toBe('2');
    expect(ctx.events.events.map((e) => e.type)).toEqual(['e']);
  });

  it('a branch never committed leaves the parent untouched', () => {
    const ctx = context();
    const branch = ctx.branch();
    branch.ctx.kv(key).set(bytes('x'), bytes('1'));
    branch.ctx.events.emit('e', {});
    expect(ctx.kv(key).get(bytes('x'))).toBeUndefined();
    expect(ctx.events.events).toEqual([]);
  });
});
