import { describe, expect, it } from 'vitest';
import { boundedDistance } from '../../src/domain/search/fuzzy';
import { foldText, queryWordsOf } from '../../src/domain/search/normalize';
import { openView, SearchIndex } from '../../src/domain/search/search-index';
import type { SearchRequest } from '../../src/domain/search/types';
import { companyView, DOCS, request } from './search-engine-fixtures';

const index = SearchIndex.build(DOCS);
const view = companyView((sku) => index.docIdOf(sku), index.docCount);
const skus = (q: string, extra: Partial<SearchRequest> = {}) =>
  index.search(request(q, extra), view).hits.map((h) => h.sku);
const top = (q: string) => skus(q)[0];

describe('text as the index compares it', () => {
  it('folds case, accents and special letters; drops elisions', () => {
    expect(foldText('Tête HEXAGONALE Größe Œuvre Søren')).toBe('tete hexagonale grosse oeuvre soren');
    expect(queryWordsOf("boîte d'une centaine")).toEqual(['boite', 'une', 'centaine']);
    expect(queryWordsOf('M8x40 1,5 10.9')).toEqual(['m8x40', '1.5', '10.9']);
  });

  it('counts a swap of two neighbours as one edit (OSA), bounded', () => {
    expect(boundedDistance('blot', 'bolt', 1)).toBe(1);
    expect(boundedDistance('bolt', 'bolts', 1)).toBe(1);
    expect(boundedDistance('bolt', 'belts', 1)).toBe(2);
    expect(boundedDistance('stainles', 'stainless', 2)).toBe(1);
  });
});

describe('words', () => {
  it('tolerates typos: one edit from 4 letters (a transposition is one), two from 8, none below 4', () => {
    expect(top('hex blot')).toBe('FAS-000101');
    expect(index.search(request('hex blot'), view).unmatched).toEqual([]);
    expect(skus('carriage blot')).toEqual(['FAS-000103']);
    expect(top('hex bolr')).toBe('FAS-000101');
    expect(skus('stainlesss')).toContain('FAS-000102');
    expect(skus('stianless washr')).toEqual(['FAS-000301']);
    // 3 letters: no typo ("hez" is not "hex")
    expect(skus('hez')).toEqual([]);
  });

  it('ignores case, accents and word order', () => {
    const a = skus('boulon hexagonal');
    expect(a[0]).toBe('FAS-000101');
    expect(skus('Boulon Hexagonal')).toEqual(a);
    expect(skus('HEXAGONAL boulon')).toEqual(a);
    expect(skus('rondelle inox')).toEqual(['FAS-000301']);
    expect(skus('Größe 9 nitrilhandschuhe')).toEqual(['SAF-000001']);
    expect(skus('grosse 9 NITRILHANDSCHUHE')).toEqual(['SAF-000001']);
  });

  it('matches plural and singular in English, French and German', () => {
    expect(skus('washers')).toEqual(['FAS-000301']);
    expect(skus('glove nitrile')).toContain('SAF-000001');
    expect(top('boulons hexagonaux')).toBe('FAS-000101');
    expect(skus('rondelle plate')).toEqual(['FAS-000301']);
    expect(skus('holzschraube')).toEqual(['FAS-000201']);
    expect(skus('sechskantschrauben')).toEqual(['FAS-000101']);
  });

  it('completes the last word as a prefix', () => {
    expect(skus('carriage bo')).toEqual(['FAS-000103']);
    expect(skus('nitri')).toContain('SAF-000001');
  });

  it('falls back to the documents matching the most words and names the others', () => {
    const result = index.search(request('carriage bolt purple'), view);
    expect(result.hits.map((h) => h.sku)).toEqual(['FAS-000103']);
    expect(result.unmatched).toEqual(['purple']);
    const noise = index.search(request('qwxz zzvvkk'), view);
    expect(noise).toMatchObject({ total: 0, hits: [], unmatched: ['qwxz', 'zzvvkk'] });
  });
});

describe('references', () => {
  it('finds a SKU written any way, without its prefix or leading zeros', () => {
    for (const q of ['ABR-015287', 'abr 015287', 'ABR15287', 'abr.15287', '15287', '015287'])
      expect(top(q), q).toBe('ABR-015287');
  });

  it('reads "M8x40", "m8 x 40" and "M8X40" as one size', () => {
    const expected = ['FAS-000101'];
    expect(skus('hex bolt M8x40')).toEqual(expected);
    expect(skus('hex bolt m8 x 40')).toEqual(expected);
    expect(skus('hex bolt M8X40')).toEqual(expected);
    expect(skus('bolt m8')).toEqual(expect.arrayContaining(['FAS-000101', 'FAS-000103']));
    // a number glued to its unit
    expect(skus('cutting disc 125mm')).toEqual(['ABR-015287']);
    expect(index.search(request('flap disc 125mm'), view).unmatched).toEqual([]);
  });

  it("finds manufacturer part numbers and the company's own part numbers", () => {
    expect(top('FX-933-0840')).toBe('FAS-000101');
    expect(top('fx 933 840')).toBe('FAS-000101');
    expect(top('66252833617')).toBe('ABR-015287');
    expect(top('acme bolt 88')).toBe('FAS-000103');
    expect(top('ACME/BOLT-88')).toBe('FAS-000103');
    // another company does not have that part number: only the words remain, "acme" matches nothing
    const elsewhere = index.search(request('ACME/BOLT-88'), openView(index));
    expect(elsewhere.unmatched).toEqual(['acme', '88']);
    expect(
      index.search(request('ACME/BOLT-88', { explain: true }), openView(index)).hits[0]?.explanation,
    ).not.toContain('tier exact_reference: your part number ACME/BOLT-88 (+1000000)');
    expect(index.search(request('ACME/BOLT-88', { explain: true }), view).hits[0]?.explanation?.[0]).toBe(
      'tier exact_reference: your part number ACME/BOLT-88 (+1000000)',
    );
  });
});

describe('synonyms', () => {
  it('equivalent rules expand every term to the others', () => {
    const withRule = companyView((s) => index.docIdOf(s), index.docCount, {
      synonyms: [{ kind: 'equivalent', terms: ['inox', 'stainless', 'edelstahl'] }],
    });
    const hits = (q: string) => index.search(request(q), withRule).hits.map((h) => h.sku);
    expect(hits('stainless')).toEqual(expect.arrayContaining(['FAS-000102', 'FAS-000301']));
    // without the rule, no document has both words: what each word finds alone comes back
    expect(skus('edelstahl hex')).toEqual(['FAS-000301', 'FAS-000101', 'FAS-000102']);
    const ruled = index.search(request('edelstahl hex'), withRule);
    expect(ruled.unmatched).toEqual([]);
    expect(ruled.hits.map((h) => h.sku)).toEqual(['FAS-000102']);
  });

  it('one-way rules expand a phrase to its terms, not back', () => {
    const withRule = companyView((s) => index.docIdOf(s), index.docCount, {
      synonyms: [{ kind: 'one_way', input: 'VIS TH', terms: ['vis tête hexagonale'] }],
    });
    const hits = (q: string) => index.search(request(q), withRule).hits.map((h) => h.sku);
    expect(index.search(request('vis th M8x40'), view).unmatched).toEqual(['th']);
    const ruled = index.search(request('VIS TH M8x40'), withRule);
    expect(ruled).toMatchObject({ unmatched: [], total: 1 });
    expect(ruled.hits[0]?.sku).toBe('FAS-000101');
    expect(hits('vis tête hexagonale')).toEqual(['FAS-000101']);
    const explained = index.search(request('vis th', { explain: true }), withRule).hits[0]?.explanation ?? [];
    expect(explained.join('\n')).toContain("synonym of 'vis th'");
  });
});

describe('visibility', () => {
  it('never returns, counts or suggests a hidden document', () => {
    const result = index.search(request('hex bolt m8x40'), view);
    expect(result.hits.map((h) => h.sku)).not.toContain('HID-000001');
    const browse = index.search(request('', { limit: 100 }), view);
    expect(browse.total).toBe(DOCS.length - 1);
    expect(browse.facets.brand.map((b) => b.value)).not.toContain('Hiddenco');
    expect(browse.facets.category.map((c) => c.path)).not.toContain('secret');
    expect(browse.facets.attributes.map((a) => a.key)).not.toContain('secretness');
    expect(index.search(request('secret prototype'), view).total).toBe(0);
    const suggestions = index.suggest('hiddenc', view, 10);
    expect(suggestions).toEqual({ products: [], categories: [], brands: [] });
    expect(index.suggest('secr', view, 10).categories).toEqual([]);
    // the whole catalog's view sees it
    expect(index.search(request('secret prototype'), openView(index)).hits.map((h) => h.sku)).toEqual([
      'HID-000001',
    ]);
  });
});
