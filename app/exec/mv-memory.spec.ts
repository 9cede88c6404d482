import { memoryStore } from '../store/cache-kv.js';
import { keyString, utf8 } from '../store/bytes.js';
import { BASE_VERSION, ESTIMATE_VERSION, MVMemory, packVersion } from './mv-memory.js';
import { MVView } from './mv-view.js';
import { DependencyAbort } from './types.js';

const k = (s: string) => keyString(utf8(s));
const v = (s: string) => utf8(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());

describe('MVMemory', () => {
  it('reads the highest writer below the reader, ESTIMATEs block, base below everything', () => {
    const mv = new MVMemory(10);
    mv.applyWriteSet(2, 0, [k('a')], [v('2')]);
    mv.applyWriteSet(5, 1, [k('a')], [null]);
    expect(mv.read(k('a'), 2).version).toBe(BASE_VERSION);
    expect(mv.read(k('a'), 3)).toMatchObject({ version: packVersion(2, 0) });
    expect(mv.read(k('a'), 9)).toMatchObject({ version: packVersion(5, 1), value: null });
    mv.markEstimates(5);
    expect(mv.read(k('a'), 9)).toMatchObject({ version: ESTIMATE_VERSION, blocking: 5 });
    expect(mv.read(k('a'), 5)).toMatchObject({ version: packVersion(2, 0) });
  });

  it('drops keys an incarnation no longer writes and reports new locations', () => {
    const mv = new MVMemory(4);
    expect(mv.applyWriteSet(1, 0, [k('a'), k('b')], [v('1'), v('1')])).toBe(true);
    expect(mv.applyWriteSet(1, 1, [k('a')], [v('2')])).toBe(false); // a subset: nothing new
    expect(mv.read(k('b'), 3).version).toBe(BASE_VERSION);
    expect(mv.applyWriteSet(1, 2, [k('a'), k('c')], [v('3'), v('3')])).toBe(true);
    expect(mv.snapshot().keys).toEqual([k('a'), k('c')]);
  });

  it('validates get by version, has by existence only, ranges by replay', () => {
    const base = memoryStore();
    base.set(utf8('p/1'), v('x'));
    const mv = new MVMemory(10);
    mv.applyWriteSet(1, 0, [k('h')], [v('1')]);
    const view = new MVView(mv, base, 5);
    view.get(utf8('g'));
    view.has(utf8('h'));
    [...view.iterator(utf8('p/'), utf8('p0'))];
    mv.recordReads(5, view.reads);
    expect(mv.validate(5, base)).toBe(true);

    // Same existence, new value: a `has` read stays valid.
    mv.applyWriteSet(1, 1, [k('h')], [v('2')]);
    expect(mv.validate(5, base)).toBe(true);
    // A lower tx deletes it: invalid.
    mv.applyWriteSet(1, 2, [k('h')], [null]);
    expect(mv.validate(5, base)).toBe(false);
    mv.applyWriteSet(1, 3, [k('h')], [v('3')]);
    expect(mv.validate(5, base)).toBe(true);
    // A phantom: a lower tx inserts a key inside the scanned range.
    mv.applyWriteSet(3, 0, [k('p/2')], [v('y')]);
    expect(mv.validate(5, base)).toBe(false);
    mv.applyWriteSet(3, 1, [], []);
    expect(mv.validate(5, base)).toBe(true);
    // A write by a higher tx is invisible to tx 5.
    mv.applyWriteSet(7, 0, [k('g'), k('p/3')], [v('z'), v('z')]);
    expect(mv.validate(5, base)).toBe(true);
    // A lower writer of a `get` key: invalid.
    mv.applyWriteSet(4, 0, [k('g')], [v('w')]);
    expect(mv.validate(5, base)).toBe(false);
  });

  it('a partially consumed range only covers what the reader observed', () => {
    const base = memoryStore();
    for (const s of ['r/1', 'r/3', 'r/5']) base.set(utf8(s), v(s));
    const mv = new MVMemory(10);
    const view = new MVView(mv, base, 5);
    const seen: string[] = [];
    for (const { key } of view.iterator(utf8('r/'), utf8('r0'))) {
      seen.push(Buffer.from(key).toString());
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['r/1', 'r/3']);
    mv.recordReads(5, view.reads);
    mv.applyWriteSet(2, 0, [k('r/4')], [v('new')]); // beyond what was observed
    expect(mv.validate(5, base)).toBe(true);
    mv.applyWriteSet(2, 1, [k('r/2')], [v('new')]); // inside it
    expect(mv.validate(5, base)).toBe(false);
  });
});

describe('MVView', () => {
  it('merges own writes, lower txs and base in order, both directions', () => {
    const base = memoryStore();
    for (const s of ['a', 'c', 'e']) base.set(utf8(s), v(`base-${s}`));
    const mv = new MVMemory(10);
    mv.applyWriteSet(1, 0, [k('b'), k('c')], [v('tx1-b'), null]);
    mv.applyWriteSet(8, 0, [k('d')], [v('tx8-d')]); // above the reader: invisible
    const view = new MVView(mv, base, 4);
    view.set(utf8('e'), v('own-e'));
    view.set(utf8('f'), v('own-f'));
    view.delete(utf8('a'));
    const fwd = [...view.iterator(undefined, undefined)].map((p) => `${Buffer.from(p.key)}=${text(p.value)}`);
    expect(fwd).toEqual(['b=tx1-b', 'e=own-e', 'f=own-f']);
    const rev = [...view.iterator(undefined, undefined, true)].map((p) => Buffer.from(p.key).toString());
    expect(rev).toEqual(['f', 'e', 'b']);
    expect(text(view.get(utf8('c')))).toBeUndefined();
    expect(view.has(utf8('b'))).toBe(true);
  });

  it('poisons itself on an ESTIMATE so a swallowed signal still surfaces', () => {
    const mv = new MVMemory(10);
    mv.applyWriteSet(1, 0, [k('x')], [v('1')]);
    mv.markEstimates(1);
    const view = new MVView(mv, memoryStore(), 3);
    expect(() => view.get(utf8('x'))).toThrow(DependencyAbort);
    expect(view.poisoned?.blocking).toBe(1);
    expect(() => view.set(utf8('y'), v('1'))).toThrow(DependencyAbort);
    expect(() => [...view.iterator(undefined, undefined)]).toThrow(DependencyAbort);
  });

  it('records an ESTIMATE met during iteration as a dependency', () => {
    const mv = new MVMemory(10);
    mv.applyWriteSet(2, 0, [k('m')], [v('1')]);
    mv.markEstimates(2);
    const base = memoryStore();
    base.set(utf8('a'), v('a'));
    const view = new MVView(mv, base, 6);
    const it = view.iterator(undefined, undefined)[Symbol.iterator]();
    expect(text(it.next().value.value)).toBe('a');
    expect(() => it.next()).toThrow(DependencyAbort);
    expect(view.poisoned?.blocking).toBe(2);
  });
});
