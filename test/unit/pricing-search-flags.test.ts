import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptPart } from '../../src/domain/pricing/chars';
import type { CatalogEntry } from '../../src/domain/pricing/evaluate';
import {
  encodeSearchFlags,
  SEARCH_FLAG_CONTRACT,
  SEARCH_FLAG_ORDERABLE,
  SearchFlags,
  SearchFlagsWriter,
  searchFlagsOf,
} from '../../src/domain/pricing/search-flags';

const RUNS = { numRuns: 300 };
const inSkuOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** SKUs as catalogs number them, and odd ones: empty, Unicode (astral, combining, lone surrogates), long. */
const skuArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('AB-', 'AB-0', 'X', 'FAS-', ''),
      fc.integer({ min: 0, max: 5000 }),
      fc.constantFrom(3, 4, 6),
    )
    .map(([prefix, n, width]) => `${prefix}${String(n).padStart(width, '0')}`),
  fc.string({ unit: fc.constantFrom('A', 'B', '-', '0', '9', 'é', '😀', 'ß', '_', '\u0301'), maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('\ud800', '\udc00', 'a'), maxLength: 5 }),
);
const productsArb = fc
  .uniqueArray(skuArb, { maxLength: 300 })
  .chain((skus) =>
    fc.tuple(
      fc.constant([...skus].sort(inSkuOrder)),
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: skus.length, maxLength: skus.length }),
    ),
  )
  .map(([skus, flags]) => skus.map((sku, i) => ({ sku, flags: flags[i] ?? 0 })));

const decoded = (text: string) => {
  const out: { sku: string; flags: number }[] = [];
  SearchFlags.open(text).forEach((sku, flags) => {
    out.push({ sku, flags });
  });
  return out;
};

describe('search flags value', () => {
  it('round-trips a numbered catalog with every flag combination, in about two bytes a product', () => {
    const products = Array.from({ length: 5000 }, (_, i) => ({
      sku: `FAS-${String(i).padStart(6, '0')}`,
      flags: i % 4,
    }));
    const text = encodeSearchFlags(products);
    expect(decoded(text)).toEqual(products);
    expect(SearchFlags.open(text).count).toBe(5000);
    expect(text.length).toBeLessThan(5000 * 2 + 32);
    // 7-bit text: one byte a char in KV
    expect(new TextEncoder().encode(text).length).toBe(text.length);
  });

  it('round-trips any strictly increasing SKUs, Unicode and lone surrogates included', () => {
    fc.assert(
      fc.property(productsArb, (products) => {
        const text = encodeSearchFlags(products);
        expect(decoded(text)).toEqual(products);
        for (let i = 0; i < text.length; i++) expect(text.charCodeAt(i)).toBeLessThan(128);
      }),
      RUNS,
    );
  });

  it('an empty index is a value with no products', () => {
    const text = new SearchFlagsWriter().finish();
    const opened = SearchFlags.open(text);
    expect(opened.count).toBe(0);
    expect(opened.toMap().size).toBe(0);
  });

  it('refuses SKUs out of order, a repeated SKU and unknown flags', () => {
    const writer = new SearchFlagsWriter();
    writer.add('B', 0);
    expect(() => writer.add('A', 0)).toThrow(RangeError);
    expect(() => writer.add('B', 0)).toThrow(RangeError);
    expect(() => writer.add('C', 4)).toThrow(RangeError);
  });

  it('detects any single changed char and a truncated value', () => {
    const text = encodeSearchFlags([
      { sku: 'AB-0001', flags: 1 },
      { sku: 'AB-0002', flags: 3 },
      { sku: 'ZZ', flags: 2 },
    ]);
    for (let i = 0; i < text.length; i++) {
      const changed = `${text.slice(0, i)}${String.fromCharCode((text.charCodeAt(i) + 1) % 128)}${text.slice(i + 1)}`;
      expect(() => SearchFlags.open(changed), `char ${i}`).toThrow(CorruptPart);
    }
    expect(() => SearchFlags.open(text.slice(0, -1))).toThrow(CorruptPart);
    expect(() => SearchFlags.open('')).toThrow(CorruptPart);
  });

  it('flags an entry orderable and contract-priced as its first price step says', () => {
    const entry = (orderable: boolean, ruleIds: string[]): CatalogEntry => ({
      sku: 'A',
      orderable,
      reason: null,
      reasonRuleId: null,
      leadTimeDays: 0,
      replacementSku: null,
      listMinor: 100,
      ladder: [{ fromQuantity: 1, tierMinQuantity: 1, unitMinor: 90, listMinor: 100, ruleId: null, ruleIds }],
    });
    expect(searchFlagsOf(entry(true, []))).toBe(SEARCH_FLAG_ORDERABLE);
    expect(searchFlagsOf(entry(false, ['rule_1']))).toBe(SEARCH_FLAG_CONTRACT);
    expect(searchFlagsOf(entry(true, ['rule_1']))).toBe(SEARCH_FLAG_ORDERABLE | SEARCH_FLAG_CONTRACT);
    expect(searchFlagsOf({ ...entry(false, []), ladder: [] })).toBe(0);
  });
});
