import { memoryStore } from './cache-kv.js';
import { describeKey, firstDifference } from './diff.js';

const k = (s: string) => new TextEncoder().encode(s);

describe('firstDifference', () => {
  it('is undefined for equal states and names the first differing key otherwise', () => {
    const a = memoryStore();
    const b = memoryStore();
    for (const s of [a, b]) {
      s.set(k('a'), k('1'));
      s.set(k('c'), k('3'));
    }
    expect(firstDifference(a, b)).toBeUndefined();
    b.set(k('b'), k('2'));
    expect(firstDifference(a, b)).toEqual({ key: k('b'), right: k('2') });
    a.set(k('b'), k('9'));
    expect(firstDifference(a, b)).toEqual({ key: k('b'), left: k('9'), right: k('2') });
    a.set(k('b'), k('2'));
    a.set(k('d'), k('4'));
    expect(firstDifference(a, b)).toEqual({ key: k('d'), left: k('4') });
  });

  it('describes binary keys readably', () => {
    expect(describeKey(Uint8Array.of(0x74, 0x2f, 0x02, 0xff))).toBe('t/\\x02\\xff');
  });
});
