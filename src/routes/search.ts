import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AppError, forbidden } from '../domain/errors';
import type { AppContext, AppEnv } from '../http/context';
import { optionalCompanyScope, optionalScopeOf, requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, encodeCursor } from '../http/paging';
import { validQuery } from '../http/validate';
import {
  catalogFacetKeys,
  type SearchServiceDeps,
  searchCatalog,
  suggestCatalog,
} from '../services/search/search';
import { customerFields, presentProduct } from './catalog-schemas';
import {
  filtersOf,
  MAX_SEARCH_OFFSET,
  queryFingerprint,
  SearchAnswer,
  SearchCursor,
  SearchQuery,
  type SearchQueryInput,
  SuggestAnswer,
  SuggestQuery,
} from './search-schemas';

const tags = ['Catalog'];
const MIN_SUGGEST_CHARS = 2;

const depsOf = (c: AppContext): SearchServiceDeps => ({
  search: c.var.services.search,
  pricing: c.var.services.pricing,
});
/** the company searched for; null: supplier staff without X-Company-Id (everything, no customer fields) */
const companyOf = (c: AppContext) => optionalScopeOf(c)?.companyId ?? null;

const invalid = (path: string, message: string) =>
  new AppError('validation_failed', message, [{ in: 'query', path, message }]);

/** attr and range keys must be attributes of the catalog: a typo is an error, not an empty page */
async function checkFacetKeys(c: AppContext, query: SearchQueryInput) {
  if (!query.attr && !query.range) return;
  const keys = await catalogFacetKeys(depsOf(c), c.var.services.now());
  for (const [i, pair] of (query.attr ?? []).entries()) {
    const key = pair.slice(0, pair.indexOf(':'));
    if (!keys.values.has(key)) throw invalid(`attr.${i}`, `"${key}" is not a value attribute of the catalog`);
  }
  for (const [i, spec] of (query.range ?? []).entries()) {
    const key = spec.slice(0, spec.indexOf(':'));
    if (!keys.ranges.has(key))
      throw invalid(`range.${i}`, `"${key}" is not a numeric attribute of the catalog`);
  }
}

/**
 * A percent-encoded byte sequence that is not UTF-8 (%ED%A0%80 would be a lone surrogate) is kept as its
 * literal text by the query parser, which would then be searched for: refused instead, naming the parameter.
 */
const undecodableQuery = createMiddleware<AppEnv>(async (c, next) => {
  const search = new URL(c.req.url).search.slice(1);
  for (const pair of search ? search.split('&') : []) {
    const [name = '', value = ''] = pair.split('=', 2);
    try {
      decodeURIComponent(value.replaceAll('+', ' '));
    } catch {
      throw invalid(
        safeName(name),
        'must be UTF-8 text (percent-encoded bytes that are not UTF-8, or a lone surrogate)',
      );
    }
  }
  await next();
});
const safeName = (name: string) => {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

export const searchRoutes = new Hono<AppEnv>()
  .use(optionalCompanyScope)
  .use(undecodableQuery)
  .get(
    '/',
    doc({
      tags,
      summary: 'Search the catalog: ranked, typo-tolerant, with facet counts',
      description:
        'Words in any order, with typos (one edit from 4 letters, two from 8), accents and case ignored, singular or plural (English, French, German); references whole or in part (SKU, manufacturer part number, the company’s own part numbers); the catalog’s and the company’s synonyms. Ranking: an exact reference first, then what the company orders often and its contract items, then text relevance. Filters: `category` (a subtree), `family`, `brand`, `attr=key:value`, `range=key:min..max` (either side open), `inStock`, `orderable`; several values of one filter are OR-ed, different filters AND-ed. `facets` count the matches for the query and the other filters. For a customer (or staff naming one with X-Company-Id) only its assortment, never counted otherwise, priced as in the catalog (`price` needs prices.view). `cursor` pages on within the same query, filters and sort. `debug=true` (platform admins) adds each result’s score and its explanation. The index follows catalog changes within its staleness bound (docs/search.md).',
      ok: SearchAnswer,
      errors: { 403: 'debug=true without platform.admin' },
    }),
    requirePermission('catalog.view'),
    validQuery(SearchQuery),
    async (c) => {
      const query = c.req.valid('query');
      const { principal, services } = c.var;
      const debug = query.debug === 'true';
      if (debug && !principal.permissions.has('platform.admin'))
        throw forbidden('debug=true is for the platform administrators');
      await checkFacetKeys(c, query);
      const filters = filtersOf(query);
      const fingerprint = queryFingerprint(query.q, filters, query.sort);
      const cursor = decodeCursor(SearchCursor, query.cursor);
      if (cursor && cursor.h !== fingerprint)
        throw invalid('cursor', 'The cursor belongs to another query, filters or sort: start without it');
      const offset = cursor?.o ?? 0;
      const page = await searchCatalog(
        depsOf(c),
        companyOf(c),
        { q: query.q, filters, sort: query.sort, offset, limit: query.limit, explain: debug },
        services.now(),
      );
      c.header('x-search-source', page.generation === null ? 'sql' : `index;g=${page.generation}`);
      const showPrices = principal.permissions.has('prices.view');
      const next = offset + query.limit;
      return c.json({
        items: page.items.map(({ product, entry, score, explanation }) => ({
          ...presentProduct(product),
          ...(entry ? customerFields(entry, page.currency ?? '', showPrices) : {}),
          ...(debug ? { score, explanation: explanation ?? [] } : {}),
        })),
        total: page.total,
        facets: page.facets,
        unmatched: page.unmatched,
        nextCursor:
          next < page.total && next <= MAX_SEARCH_OFFSET ? encodeCursor({ o: next, h: fingerprint }) : null,
      });
    },
  )
  .get(
    '/suggest',
    doc({
      tags,
      summary: 'Suggestions while typing: products, categories and brands',
      description: `From ${MIN_SUGGEST_CHARS} characters on (fewer: empty lists). Only what the company sees; category and brand counts are of its products.`,
      ok: SuggestAnswer,
    }),
    requirePermission('catalog.view'),
    validQuery(SuggestQuery),
    async (c) => {
      const { q, limit } = c.req.valid('query');
      if ([...q].length < MIN_SUGGEST_CHARS) return c.json({ products: [], categories: [], brands: [] });
      return c.json(await suggestCatalog(depsOf(c), companyOf(c), q, limit, c.var.services.now()));
    },
  );
