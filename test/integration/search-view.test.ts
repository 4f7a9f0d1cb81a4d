import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchIndex } from '../../src/domain/search/search-index';
import { kvKeys } from '../../src/lib/kv-keys';
import { dropGeneration } from '../../src/services/pricing/build';
import { customerEntries } from '../../src/services/pricing/entries';
import { clearIsolateCache, partCache, readPointer } from '../../src/services/pricing/reader';
import { clearSearchFlagsCache } from '../../src/services/pricing/search-flags';
import { compileFromSql } from '../../src/services/search/build';
import { computePricedView } from '../../src/services/search/view';
import { all, buildFor, deps, fingerprintOf } from './pricing-helpers';
import { searchDeps } from './search-helpers';

// A company's search view (access and contract flags per document) from the small per-generation value
// the price index build writes, compared with the view computed from every price entry.
let index: SearchIndex;
let fingerprint: string;

beforeAll(async () => {
  await buildFor('co_acme');
  fingerprint = await fingerprintOf('co_acme');
  index = await compileFromSql(searchDeps());
});

/** Nothing of the price index left in this isolate (pointers, parts, search flags). */
const forgetPriceIndex = () => {
  clearIsolateCache();
  clearSearchFlagsCache();
};

const currentGeneration = async () => {
  forgetPriceIndex();
  const pointer = await readPointer(env.PRICE_INDEX, fingerprint, Date.now());
  if (!pointer) throw new Error('no price index pointer');
  return pointer;
};

/** The view as plain arrays, from the price index's entries ('auto') or from SQL. */
async function viewFromEntries(source: 'auto' | 'sql') {
  const skus = Array.from({ length: index.docCount }, (_, id) => index.stored(id)?.sku ?? '');
  const found = await customerEntries(deps(), fingerprint, skus, Date.now(), { source });
  const access = skus.map((sku) => {
    const entry = found.entries.get(sku);
    return entry ? (entry.orderable ? 2 : 1) : 0;
  });
  const contract = skus.flatMap((sku, id) =>
    (found.entries.get(sku)?.ladder[0]?.ruleIds.length ?? 0) > 0 ? [id] : [],
  );
  return { access, contract, source: found.source };
}

async function computedView() {
  const { view, priceGeneration, source } = await computePricedView(deps(), index, fingerprint, Date.now());
  return { access: [...view.access], contract: [...view.contractDocs], priceGeneration, source };
}

describe("a company's search view", () => {
  it('comes from the generation’s search flags value, without reading a price part', async () => {
    const pointer = await currentGeneration();
    expect(partCache.size).toBe(0);
    const view = await computedView();
    expect(partCache.size).toBe(0);
    expect(view.priceGeneration).toBe(pointer.generation);
    expect(view.source).toBe('search_flags');
    const key = kvKeys.priceIndexSearchFlags(fingerprint, pointer.generation);
    expect(await env.PRICE_INDEX.get(key)).not.toBeNull();
  });

  it('agrees with the price entries and with SQL: hidden, visible, orderable, contract-priced', async () => {
    await currentGeneration();
    const view = await computedView();
    const fromIndex = await viewFromEntries('auto');
    const fromSql = await viewFromEntries('sql');
    expect(fromIndex.source).toBe('index');
    expect(fromSql.source).toBe('sql');
    expect(view.access).toEqual(fromIndex.access);
    expect(view.contract).toEqual(fromIndex.contract);
    expect(view.access).toEqual(fromSql.access);
    expect(view.contract).toEqual(fromSql.contract);
    // the restricted company has all three kinds, and contract prices: the comparison means something
    for (const access of [0, 1, 2]) expect(view.access).toContain(access);
    expect(view.contract.length).toBeGreaterThan(0);
    // hidden: Acme's excluded category
    const hidden = await all<{ sku: string }>(
      `SELECT sku FROM products WHERE category_path = (SELECT target FROM assortment_rules
       WHERE company_id = 'co_acme' AND effect = 'exclude') OR category_path LIKE (SELECT target FROM
       assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '/%'`,
    );
    expect(hidden.length).toBeGreaterThan(0);
    for (const { sku } of hidden) expect(view.access[index.docIdOf(sku) ?? -1]).toBe(0);
  });

  it('a generation built before the value existed (or with a damaged one) is read from its parts', async () => {
    const pointer = await currentGeneration();
    const expected = await viewFromEntries('auto');
    const key = kvKeys.priceIndexSearchFlags(fingerprint, pointer.generation);
    const stored = await env.PRICE_INDEX.get(key);
    try {
      await env.PRICE_INDEX.delete(key);
      forgetPriceIndex();
      const old = await computedView();
      expect(partCache.size).toBeGreaterThan(0);
      expect(old.access).toEqual(expected.access);
      expect(old.contract).toEqual(expected.contract);
      expect(old.priceGeneration).toBe(pointer.generation);
      expect(old.source).toBe('index');
      // damaged: one char changed
      const text = stored ?? '';
      await env.PRICE_INDEX.put(
        key,
        `${text.slice(0, 10)}${String.fromCharCode(text.charCodeAt(10) ^ 1)}${text.slice(11)}`,
      );
      await currentGeneration();
      const damaged = await computedView();
      expect(damaged.source).toBe('index');
      expect(partCache.size).toBeGreaterThan(0);
      expect(damaged.access).toEqual(expected.access);
    } finally {
      if (stored !== null) await env.PRICE_INDEX.put(key, stored);
    }
  });

  it('is deleted with its generation', async () => {
    const pointer = await currentGeneration();
    const key = kvKeys.priceIndexSearchFlags(fingerprint, pointer.generation);
    expect(await env.PRICE_INDEX.get(key)).not.toBeNull();
    await dropGeneration(env.PRICE_INDEX, fingerprint, {
      generation: pointer.generation,
      parts: pointer.parts.length,
      wide: pointer.wide.length,
      version: pointer.v,
    });
    expect(await env.PRICE_INDEX.get(key)).toBeNull();
  });
});
