import type { Database } from '../../db/client';
import {
  allCategoryNames,
  inStockBetween,
  productNamesBetween,
  SEARCH_SOURCE_PAGE,
  type SearchSourceProduct,
  searchSourcePage,
} from '../../db/queries/search-index';
import type { SearchDoc } from '../../domain/search/types';

/**
 * The catalog as search documents, a page of SKUs at a time in SKU order: each page's translated names and
 * stock are read for the page's SKU range (two bound parameters, never an IN list). A page is let go once
 * the next is asked for: the build never holds more than one page of documents.
 */
export async function* searchDocPages(db: Database): AsyncGenerator<SearchDoc[]> {
  const categoryName = new Map((await allCategoryNames(db)).map((c) => [c.path, c.name]));
  let after: string | null = null;
  for (;;) {
    const page: SearchSourceProduct[] = await searchSourcePage(db, after);
    const first = page[0];
    const last = page.at(-1);
    if (!first || !last) break;
    const [names, inStock] = await Promise.all([
      productNamesBetween(db, first.sku, last.sku),
      inStockBetween(db, first.sku, last.sku),
    ]);
    const translations = new Map<string, SearchDoc['translations']>();
    for (const n of names) {
      const list = translations.get(n.sku) ?? [];
      list.push({ locale: n.locale, name: n.name, description: n.description });
      translations.set(n.sku, list);
    }
    yield page.map((p) => documentOf(p, translations.get(p.sku) ?? [], inStock.has(p.sku), categoryName));
    if (page.length < SEARCH_SOURCE_PAGE) break;
    after = last.sku;
  }
}

function documentOf(
  p: SearchSourceProduct,
  translations: SearchDoc['translations'],
  inStock: boolean,
  categoryName: ReadonlyMap<string, string>,
): SearchDoc {
  const segments = p.categoryPath.split('/');
  return {
    sku: p.sku,
    name: p.name,
    description: p.description,
    translations,
    brand: p.brand,
    family: p.family,
    categoryPath: p.categoryPath,
    categoryNames: segments.map((_, i) => categoryName.get(segments.slice(0, i + 1).join('/')) ?? ''),
    attributes: p.attributes,
    manufacturerPartNumber: p.manufacturerPartNumber,
    status: p.status,
    inStock,
  };
}
