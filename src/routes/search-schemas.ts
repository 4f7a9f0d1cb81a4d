import * as v from 'valibot';
import type { SearchFilters, SearchSort } from '../domain/search/types';
import { CatalogProduct } from './catalog-schemas';
import { text } from './schemas';

/** The query string of GET /v1/search and /v1/search/suggest, and the shape of their answers. */
export const SEARCH_SORTS = ['relevance', 'name', '-name', 'sku', '-sku'] as const satisfies SearchSort[];
export const MAX_FILTER_VALUES = 50;
export const MAX_SEARCH_OFFSET = 10_000;

const Q = v.optional(text({ max: 200, min: 0 }), '');
/** one value, or the parameter repeated: always a list here */
const repeatable = (item: v.GenericSchema<string, string>) =>
  v.optional(
    v.pipe(
      v.union([
        item,
        v.pipe(v.array(item), v.maxLength(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} values`)),
      ]),
      v.transform((value: string | string[]): string[] => (Array.isArray(value) ? value : [value])),
    ),
  );
const Value = text({ max: 200 });
const Attr = v.pipe(text({ max: 200 }), v.regex(/^[^:]+:.+$/, 'key:value, e.g. material:steel'));
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const RANGE = new RegExp(`^([^:]+):(${NUMBER})?\\.\\.(${NUMBER})?$`);
const Range = v.pipe(
  text({ max: 200 }),
  v.regex(RANGE, 'key:min..max, either side may be left open, e.g. length_mm:20..40'),
);
const Bool = v.optional(v.picklist(['true', 'false'], 'true or false'));

export const SearchQuery = v.strictObject({
  q: Q,
  category: repeatable(Value),
  family: repeatable(Value),
  brand: repeatable(Value),
  attr: repeatable(Attr),
  range: repeatable(Range),
  inStock: Bool,
  orderable: Bool,
  sort: v.optional(v.picklist(SEARCH_SORTS), 'relevance'),
  limit: v.optional(
    v.pipe(v.string(), v.toNumber(), v.integer('limit must be an integer'), v.minValue(1), v.maxValue(100)),
    '24',
  ),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(500))),
  debug: Bool,
});
export type SearchQueryInput = v.InferOutput<typeof SearchQuery>;

export const SuggestQuery = v.strictObject({
  q: Q,
  limit: v.optional(
    v.pipe(v.string(), v.toNumber(), v.integer('limit must be an integer'), v.minValue(1), v.maxValue(20)),
    '8',
  ),
});

/** The engine's filters from the query string (the keys are checked against the catalog by the route). */
export function filtersOf(query: SearchQueryInput): SearchFilters {
  const attributes: Record<string, string[]> = {};
  for (const pair of query.attr ?? []) {
    const at = pair.indexOf(':');
    const key = pair.slice(0, at);
    attributes[key] = [...(attributes[key] ?? []), pair.slice(at + 1)];
  }
  const ranges: Record<string, { min?: number; max?: number }> = {};
  for (const spec of query.range ?? []) {
    const [, key = '', min, max] = RANGE.exec(spec) ?? [];
    ranges[key] = {
      ...(min === undefined ? {} : { min: Number(min) }),
      ...(max === undefined ? {} : { max: Number(max) }),
    };
  }
  const bool = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');
  return {
    ...(query.category ? { category: query.category } : {}),
    ...(query.family ? { family: query.family } : {}),
    ...(query.brand ? { brand: query.brand } : {}),
    ...(query.attr ? { attributes } : {}),
    ...(query.range ? { ranges } : {}),
    ...(query.inStock ? { inStock: bool(query.inStock) } : {}),
    ...(query.orderable ? { orderable: bool(query.orderable) } : {}),
  };
}

/** What a cursor is bound to: the words, the filters and the order (FNV-1a, hex: not a secret, a fingerprint). */
export function queryFingerprint(q: string, filters: SearchFilters, sort: SearchSort): string {
  const text = JSON.stringify([q.trim().toLowerCase(), canonical(filters), sort]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return [...value].map(canonical).sort();
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, inner]) => [k, canonical(inner)]),
    );
  return value;
};

export const SearchCursor = v.object({
  o: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEARCH_OFFSET)),
  h: v.string(),
});

const FacetValue = v.object({ value: v.string(), count: v.number() });
interface CategoryFacetDoc {
  path: string;
  name: string;
  count: number;
  children: CategoryFacetDoc[];
}
const CategoryFacet: v.GenericSchema<CategoryFacetDoc> = v.object({
  path: v.string(),
  name: v.string(),
  count: v.number(),
  children: v.array(v.lazy(() => CategoryFacet)),
});
const Counts = v.object({ true: v.number(), false: v.number() });

export const Facets = v.object({
  category: v.array(CategoryFacet),
  family: v.array(FacetValue),
  brand: v.array(FacetValue),
  attributes: v.array(v.object({ key: v.string(), values: v.array(FacetValue) })),
  ranges: v.array(
    v.object({
      key: v.string(),
      min: v.number(),
      max: v.number(),
      buckets: v.array(v.object({ from: v.number(), to: v.number(), count: v.number() })),
    }),
  ),
  inStock: Counts,
  orderable: Counts,
});

export const SearchItem = v.object({
  ...CatalogProduct.entries,
  /** debug only (platform admins): the score and why */
  score: v.optional(v.number()),
  explanation: v.optional(v.array(v.string())),
});

export const SearchAnswer = v.object({
  items: v.array(SearchItem),
  total: v.number(),
  facets: Facets,
  unmatched: v.array(v.string()),
  nextCursor: v.nullable(v.string()),
});

export const SuggestAnswer = v.object({
  products: v.array(v.object({ sku: v.string(), name: v.string() })),
  categories: v.array(v.object({ path: v.string(), name: v.string(), count: v.number() })),
  brands: v.array(v.object({ name: v.string(), count: v.number() })),
});
