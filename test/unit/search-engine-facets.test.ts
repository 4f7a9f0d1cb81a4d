import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SearchIndex } from '../../src/domain/search/search-index';
import type { SearchRequest } from '../../src/domain/search/types';
import { companyView, DOCS, request } from './search-engine-fixtures';

const index = SearchIndex.build(DOCS);
const docId = (sku: string) => index.docIdOf(sku) ?? -1;
const view = companyView((sku) => index.docIdOf(sku), index.docCount);
const run = (q: string, extra: Partial<SearchRequest> = {}) => index.search(request(q, extra), view);
const skus = (q: string, extra: Partial<SearchRequest> = {}) => run(q, extra).hits.map((h) => h.sku);
const counts = (values: { value: string; count: number }[]) =>
  Object.fromEntries(values.map((v) => [v.value, v.count]));

describe('filters and facets', () => {
  it('OR within a facet, AND across facets; a category selects its subtree', () => {
    expect(skus('', { filters: { category: ['fasteners/bolts'] }, sort: 'sku' })).toEqual([
      'FAS-000101',
      'FAS-000102',
      'FAS-000103',
    ]);
    expect(skus('', { filters: { brand: ['Nordfix', 'Saferis'] }, sort: 'sku' })).toEqual([
      'FAS-000102',
      'FAS-000301',
      'SAF-000001',
      'SAF-000002',
    ]);
    expect(skus('', { filters: { brand: ['Nordfix'], category: ['fasteners/bolts'] } })).toEqual([
      'FAS-000102',
    ]);
    expect(skus('', { filters: { attributes: { size: ['M8'] }, inStock: true }, sort: 'sku' })).toEqual([
      'FAS-000101',
      'FAS-000103',
      'FAS-000301',
    ]);
    expect(skus('', { filters: { ranges: { lengthMm: { min: 45 } } }, sort: 'sku' })).toEqual([
      'FAS-000102',
      'FAS-000103',
    ]);
    expect(skus('', { filters: { attributes: { powderFree: ['true'] } } })).toEqual(['SAF-000001']);
    expect(skus('', { filters: { orderable: false } })).toEqual(['SAF-000002']);
    // unknown facet values and keys select nothing
    expect(run('', { filters: { attributes: { colour: ['red'] } } }).total).toBe(0);
    expect(run('', { filters: { brand: ['Nobody'] } }).total).toBe(0);
  });

  it("counts each facet with every OTHER facet's filter applied", () => {
    const result = run('', { filters: { brand: ['Nordfix'], category: ['fasteners'] } });
    expect(result.total).toBe(2);
    // brand counts ignore the brand selection (but keep the category one)
    expect(counts(result.facets.brand)).toEqual({ Ferrox: 2, Nordfix: 2, Vissen: 1 });
    // category counts ignore the category selection (but keep the brand one): a tree with names
    const [root] = result.facets.category;
    expect(root).toMatchObject({ path: 'fasteners', name: 'Fasteners', count: 2 });
    expect(root?.children.map((c) => [c.path, c.count])).toEqual([
      ['fasteners/bolts', 1],
      ['fasteners/washers', 1],
    ]);
    expect(counts(result.facets.family)).toEqual({ 'Hex bolts A2': 1, Washers: 1 });
    expect(result.facets.inStock).toEqual({ true: 1, false: 1 });
  });

  it('gives string attributes as values, numbers as ranges, only for what matches', () => {
    const result = run('bolt');
    const keys = result.facets.attributes.map((a) => a.key);
    expect(keys).toEqual(['material', 'size']);
    expect(counts(result.facets.attributes.find((a) => a.key === 'size')?.values ?? [])).toEqual({
      M8: 3,
      M10: 1,
    });
    const length = result.facets.ranges.find((r) => r.key === 'lengthMm');
    expect(length).toMatchObject({ min: 40, max: 60 });
    expect(length?.buckets.reduce((sum, b) => sum + b.count, 0)).toBe(3);
    expect(result.facets.ranges.map((r) => r.key)).toEqual(['lengthMm']);
    expect(result.facets.orderable).toEqual({ true: 4, false: 0 });
  });
});

describe('ranking', () => {
  it('puts the exact reference first, whatever the text says', () => {
    const result = index.search(request('FAS-000103', { explain: true }), view);
    expect(result.hits[0]?.sku).toBe('FAS-000103');
    expect(result.hits[0]?.explanation?.[0]).toBe('tier exact_reference: sku FAS-000103 (+1000000)');
  });

  it("lets the company's habits reorder close matches, not lift a weak one", () => {
    expect(skus('hex bolt').slice(0, 2)).toEqual(['FAS-000101', 'FAS-000102']);
    const habits = companyView((s) => index.docIdOf(s), index.docCount, {
      orderCounts: new Map([
        [docId('FAS-000102'), 7],
        [docId('FAS-000301'), 50],
      ]),
      contractDocs: new Set([docId('FAS-000301')]),
    });
    const result = index.search(request('hex bolt', { explain: true }), habits);
    expect(result.hits.map((h) => h.sku).slice(0, 2)).toEqual(['FAS-000102', 'FAS-000101']);
    expect(result.hits[0]?.explanation).toContain('boost ordered 7× in 12 months: ×1.30');
    // the washer mentions bolts in its description only: boosts do not lift it above the bolts
    const bolts = index.search(request('bolt'), habits).hits.map((h) => h.sku);
    expect(bolts.indexOf('FAS-000301')).toBe(bolts.length - 1);
  });

  it('prefers exact words to stems to typos, and explains how each word matched', () => {
    const result = index.search(request('hex blot', { explain: true }), view);
    const lines = result.hits[0]?.explanation ?? [];
    expect(lines[0]).toBe('tier text');
    expect(lines).toContainEqual(expect.stringMatching(/^word 'hex' in name: \+/));
    expect(lines).toContainEqual(expect.stringMatching(/^word 'blot' ~ 'bolt' \(typo 1\) in name: \+/));
    expect(run('hex bolt').hits[0]?.score).toBeGreaterThan(result.hits[0]?.score ?? Infinity);
    expect(run('washer').hits[0]?.score).toBeGreaterThan(run('washers').hits[0]?.score ?? Infinity);
  });

  it('sorts by name and SKU both ways, pages by offset and limit, ties by SKU', () => {
    const bySku = skus('', { sort: 'sku', limit: 100 });
    expect(bySku).toEqual([...bySku].sort());
    expect(skus('', { sort: '-sku', limit: 100 })).toEqual([...bySku].reverse());
    expect(skus('', { sort: 'sku', offset: 2, limit: 3 })).toEqual(bySku.slice(2, 5));
    const byName = skus('', { sort: 'name', limit: 100 }).map(
      (s) => index.stored(docId(s))?.name.toLowerCase() ?? '',
    );
    expect(byName).toEqual([...byName].sort());
    expect(skus('', { sort: '-name', limit: 2 })).toEqual(['FAS-000201', 'SAF-000001']);
    // browse by relevance: no words, no habits: SKU order
    expect(skus('', { limit: 100 })).toEqual(bySku);
  });
});

describe('suggestions', () => {
  it('after two characters: products (prefix, typo), categories and brands with counts', () => {
    expect(index.suggest('h', view, 5)).toEqual({ products: [], categories: [], brands: [] });
    const s = index.suggest('nord', view, 5);
    expect(s.brands).toEqual([{ name: 'Nordfix', count: 2 }]);
    const gloves = index.suggest('glov', view, 5);
    expect(gloves.categories).toEqual([{ path: 'safety/gloves', name: 'Gloves', count: 2 }]);
    expect(gloves.products.map((p) => p.sku)).toContain('SAF-000001');
    expect(index.suggest('carriage bolr', view, 5).products).toEqual([
      { sku: 'FAS-000103', name: 'Carriage bolt M8x60 zinc' },
    ]);
  });
});

describe('serialization', () => {
  it('opens what it serialized, parts within the limit, with the same answers', () => {
    const parts = index.serialize(2048);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(2048);
    const opened = SearchIndex.open(parts);
    expect(opened.docCount).toBe(index.docCount);
    expect(opened.approximateBytes()).toBe(index.approximateBytes());
    for (const q of ['', 'hex blot', 'boulons hexagonaux', '15287', 'bolt m8', 'glov'])
      expect(opened.search(request(q, { explain: true }), view)).toEqual(
        index.search(request(q, { explain: true }), view),
      );
    expect(opened.suggest('nitr', view, 5)).toEqual(index.suggest('nitr', view, 5));
    expect(opened.stored(docId('SAF-000002'))).toEqual({
      sku: 'SAF-000002',
      name: 'Cut resistant glove level C, size 10',
      brand: 'Saferis',
      family: 'Cut resistant gloves',
      categoryPath: 'safety/gloves',
      status: 'obsolete',
      inStock: true,
    });
    expect(() => SearchIndex.open(parts.slice(1))).toThrow();
  });
});

describe('bad input', () => {
  const nasty = [
    '',
    ' ',
    'a',
    'x'.repeat(10_000),
    'bolt '.repeat(2_000),
    '"hex bolt"',
    'hex*',
    'hex NEAR bolt',
    'name:bolt',
    '(hex OR bolt)',
    '^bolt',
    '🔩🔩 bolt',
    '\ud800bolt\udc00',
    "'; DROP TABLE products; --",
    '1=1 OR sku LIKE %',
    '\u0000\u0001',
  ];
  it.each(nasty)('never throws, returns a sane page: %j', (q) => {
    const result = run(q);
    expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
    for (const hit of result.hits) expect(view.access[hit.docId]).toBeGreaterThan(0);
    expect(() => index.suggest(q, view, 8)).not.toThrow();
  });

  it('finds what the words say inside the syntax', () => {
    expect(skus('"hex bolt" M8x40')).toEqual(['FAS-000101']);
    expect(skus('🔩 carriage')).toEqual(['FAS-000103']);
    expect(run("'; DROP TABLE products; --").hits.every((h) => view.access[h.docId] ?? 0)).toBe(true);
  });

  it('any string, filters and paging: no throw, hits visible and within the limit', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200, unit: 'binary' }),
        fc.nat(20),
        fc.integer({ min: -5, max: 30 }),
        fc.constantFrom<SearchRequest['sort']>('relevance', 'name', '-name', 'sku', '-sku'),
        (q, offset, limit, sort) => {
          const result = index.search(request(q, { offset, limit, sort, explain: true }), view);
          expect(result.hits.length).toBeLessThanOrEqual(Math.max(0, limit));
          for (const hit of result.hits) expect(view.access[hit.docId]).toBeGreaterThan(0);
          const suggestions = index.suggest(q, view, 5);
          for (const p of suggestions.products) expect(p.sku).not.toBe('HID-000001');
        },
      ),
      { numRuns: 300 },
    );
  });
});
