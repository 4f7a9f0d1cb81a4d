import type { ProductRow } from '../../db/queries/catalog';
import { productsBySkus } from '../../db/queries/search-index';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import { openView } from '../../domain/search/search-index';
import type { SearchRequest, SearchResult, Suggestions } from '../../domain/search/types';
import { customerViewOf } from '../catalog-view';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import type { SearchDeps } from './deps';
import { currentSearchIndex, type OpenedIndex } from './reader';
import { companyViewOf } from './view';

export interface SearchServiceDeps {
  search: SearchDeps;
  pricing: PricingDeps;
}

export interface SearchPageItem {
  product: ProductRow;
  /** the company's entry; undefined for the supplier's own view */
  entry?: CatalogEntry;
  score: number;
  explanation?: string[];
}

export interface SearchPage {
  items: SearchPageItem[];
  total: number;
  facets: SearchResult['facets'];
  unmatched: string[];
  currency: string | null;
  /** the search generation answered from (null: compiled from SQL in this isolate) */
  generation: number | null;
}

/** The current index and the company's view of it (null company: the supplier's own view). */
export async function indexAndView(deps: SearchServiceDeps, companyId: string | null, now: number) {
  const opened: OpenedIndex = await currentSearchIndex(deps.search, now);
  const view = await companyViewOf(deps.pricing, opened, companyId, now);
  return { opened, view };
}

/** One page of results for a company, each hit with its catalog row and (for a company) its price entry. */
export async function searchCatalog(
  deps: SearchServiceDeps,
  companyId: string | null,
  request: SearchRequest,
  now: number,
): Promise<SearchPage> {
  const { opened, view } = await indexAndView(deps, companyId, now);
  const result = opened.index.search(request, view);
  const skus = result.hits.map((h) => h.sku);
  const [rows, customer] = await Promise.all([
    productsBySkus(deps.search.db, skus),
    companyId === null
      ? undefined
      : customerViewOf(deps.pricing, companyId, now).then((v) =>
          customerEntries(deps.pricing, v.fingerprint, skus, now),
        ),
  ]);
  const bySku = new Map(rows.map((r) => [r.sku, r]));
  const items = result.hits.flatMap((hit): SearchPageItem[] => {
    const product = bySku.get(hit.sku);
    const entry = customer?.entries.get(hit.sku) ?? undefined;
    // a product deleted since the build, or hidden since the view was computed, is left out of the page
    if (!product || (customer && !entry)) return [];
    return [{ product, entry, score: hit.score, explanation: hit.explanation }];
  });
  return {
    items,
    total: result.total,
    facets: result.facets,
    unmatched: result.unmatched,
    currency: customer?.currency ?? null,
    generation: opened.generation,
  };
}

export async function suggestCatalog(
  deps: SearchServiceDeps,
  companyId: string | null,
  q: string,
  limit: number,
  now: number,
): Promise<Suggestions> {
  const { opened, view } = await indexAndView(deps, companyId, now);
  return opened.index.suggest(q, view, limit);
}

const facetKeys = new WeakMap<OpenedIndex['index'], { values: Set<string>; ranges: Set<string> }>();

/** The attribute keys the catalog has, as value facets and as numeric range facets (per opened index). */
export async function catalogFacetKeys(deps: SearchServiceDeps, now: number) {
  const { index } = await currentSearchIndex(deps.search, now);
  let keys = facetKeys.get(index);
  if (!keys) {
    const all = index.search(
      { q: '', filters: {}, sort: 'sku', offset: 0, limit: 0, explain: false },
      openView(index),
    ).facets;
    keys = {
      values: new Set(all.attributes.map((a) => a.key)),
      ranges: new Set(all.ranges.map((r) => r.key)),
    };
    facetKeys.set(index, keys);
  }
  return keys;
}
