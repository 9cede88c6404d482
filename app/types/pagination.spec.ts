import { memoryStore } from '../store/cache-kv.js';
import { utf8 } from '../store/bytes.js';
import { filteredPaginate, paginate, paginateArray } from './pagination.js';

/** A store with 5 keys under "p/" (a..e) and neighbours outside the prefix. */
function store() {
  const s = memoryStore();
  for (const k of ['a', 'b', 'c', 'd', 'e']) s.set(utf8(`p/${k}`), utf8(k.toUpperCase()));
  s.set(utf8('o/z'), utf8('outside'));
  s.set(utf8('q/a'), utf8('outside'));
  return s;
}
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const page = (req: Parameters<typeof paginate>[2]) => {
  const r = paginate(store(), utf8('p/'), req, (key, value) => `${text(key)}=${text(value)}`);
  return { items: r.items, nextKey: text(r.pagination.nextKey), total: r.pagination.total };
};

describe('paginate (SDK query.Paginate semantics)', () => {
  it('no request: everything under the prefix, default limit, total counted', () => {
    expect(page(undefined)).toEqual({ items: ['a=A', 'b=B', 'c=C', 'd=D', 'e=E'], nextKey: '', total: 5n });
  });

  it('limit + offset, with and without countTotal', () => {
    expect(page({ limit: 2n })).toEqual({ items: ['a=A', 'b=B'], nextKey: 'c', total: 0n });
    expect(page({ limit: 2n, offset: 2n, countTotal: true })).toEqual({ items: ['c=C', 'd=D'], nextKey: 'e', total: 5n });
    expect(page({ limit: 2n, offset: 4n })).toEqual({ items: ['e=E'], nextKey: '', total: 0n });
    expect(page({ limit: 2n, offset: 9n, countTotal: true })).toEqual({ items: [], nextKey: '', total: 5n });
  });

  it('nextKey round-trip visits every item once, forwards and in reverse', () => {
    for (const reverse of [false, true]) {
      const seen: string[] = [];
      let key: Uint8Array = new Uint8Array();
      for (let guard = 0; guard < 10; guard++) {
        const r = paginate(store(), utf8('p/'), { key, limit: 2n, reverse }, (k) => text(k));
        seen.push(...r.items);
        key = r.pagination.nextKey;
        if (key.length === 0) break;
      }
      expect(seen).toEqual(reverse ? ['e', 'd', 'c', 'b', 'a'] : ['a', 'b', 'c', 'd', 'e']);
    }
  });

  it('reverse with offset and with a key (inclusive, going down)', () => {
    expect(page({ limit: 2n, offset: 1n, reverse: true })).toEqual({ items: ['d=D', 'c=C'], nextKey: 'b', total: 0n });
    expect(page({ key: utf8('c'), limit: 5n, reverse: true })).toEqual({ items: ['c=C', 'b=B', 'a=A'], nextKey: '', total: 0n });
  });

  it('rejects key together with offset', () => {
    expect(() => page({ key: utf8('b'), offset: 1n })).toThrow(/either offset or key/);
  });

  it('an empty prefix range yields nothing', () => {
    const r = paginate(store(), utf8('none/'), undefined, (k) => k);
    expect(r.items).toEqual([]);
    expect(r.pagination.total).toBe(0n);
  });
});

describe('filteredPaginate (SDK query.FilteredPaginate semantics)', () => {
  // Only a, c and e match.
  const odd = (req: Parameters<typeof filteredPaginate>[2], options = {}) => {
    const r = filteredPaginate(store(), utf8('p/'), req, (key) => (['a', 'c', 'e'].includes(text(key)) ? text(key) : undefined), options);
    return { items: r.items, nextKey: text(r.pagination.nextKey), total: r.pagination.total };
  };

  it('offset, limit, total and nextKey count matching entries only', () => {
    expect(odd(undefined)).toEqual({ items: ['a', 'c', 'e'], nextKey: '', total: 3n });
    expect(odd({ offset: 1n, limit: 1n, countTotal: true })).toEqual({ items: ['c'], nextKey: 'e', total: 3n });
    expect(odd({ key: utf8('c'), limit: 5n })).toEqual({ items: ['c', 'e'], nextKey: '', total: 0n });
  });

  it('reverseByDefault walks descending unless the request asks for reverse; maxLimit refuses larger pages', () => {
    expect(odd({ limit: 2n }, { reverseByDefault: true }).items).toEqual(['e', 'c']);
    expect(odd({ limit: 2n, reverse: true }, { reverseByDefault: true }).items).toEqual(['a', 'c']);
    expect(() => odd({ limit: 11n }, { maxLimit: 10n })).toThrow(/pagination limit 11 exceeds 10/);
    expect(() => odd({ key: utf8('c'), offset: 1n })).toThrow(/either offset or key/);
  });
});

describe('paginateArray', () => {
  it('pages a list by index; the next key is the decimal index', () => {
    const r = paginateArray(['a', 'b', 'c'], { limit: 2n, countTotal: true });
    expect([r.items, text(r.pagination.nextKey), r.pagination.total]).toEqual([['a', 'b'], '2', 3n]);
    expect(paginateArray(['a', 'b', 'c'], { key: utf8('2') }).items).toEqual(['c']);
  });
});
