/**
 * The contract between the search engine (pure, src/domain/search) and the services that feed it
 * (src/services/search): what a product looks like to the index, what a query asks, what one company's view
 * adds, and what comes back. docs/search.md describes the design.
 */

/** A product as the index sees it; built from SQL by the index build, from the generator by tests. */
export interface SearchDoc {
  sku: string;
  /** the catalog's own name (English) */
  name: string;
  description: string;
  /** the name (and description) in other languages: fr, de, … */
  translations: { locale: string; name: string; description: string }[];
  brand: string;
  family: string;
  categoryPath: string;
  /** names of the category and its ancestors, root first ("Fasteners", "Bolts", "Hex bolts") */
  categoryNames: string[];
  /** numbers stay numbers (range facets); strings are value facets; booleans are value facets too */
  attributes: Record<string, string | number | boolean>;
  manufacturerPartNumber: string | null;
  status: 'active' | 'obsolete';
  /** on hand in any warehouse, at build time */
  inStock: boolean;
}

/** A synonym rule as the engine applies it (catalog-wide and company rules alike). */
export type SynonymRule =
  | { kind: 'equivalent'; terms: string[] }
  | { kind: 'one_way'; input: string; terms: string[] };

/** One company's view of the index, per document id of the index it was computed for. */
export interface CompanyView {
  /** 0 = hidden (never returned, never counted), 1 = visible not orderable, 2 = visible and orderable */
  access: Uint8Array;
  /** the company's own part numbers: as typed (the engine normalises), for a document id */
  partNumbers: { partNumber: string; docId: number }[];
  synonyms: SynonymRule[];
  /** how often the company ordered a document in the last year (absent = never) */
  orderCounts: ReadonlyMap<number, number>;
  /** documents priced by one of the company's contracts (not the list price) */
  contractDocs: ReadonlySet<number>;
}

export type SearchSort = 'relevance' | 'name' | '-name' | 'sku' | '-sku';

/** Filters: several values of one facet are OR-ed, different facets AND-ed. */
export interface SearchFilters {
  /** category paths; a path selects its whole subtree */
  category?: string[];
  family?: string[];
  brand?: string[];
  /** string (or boolean, as 'true'/'false') attribute values by attribute key */
  attributes?: Record<string, string[]>;
  /** numeric attribute ranges by key, inclusive bounds, either may be open */
  ranges?: Record<string, { min?: number; max?: number }>;
  inStock?: boolean;
  orderable?: boolean;
}

export interface SearchRequest {
  /** the words as typed; empty means "browse": every visible product matching the filters */
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  offset: number;
  limit: number;
  /** fill `explanation` on every hit (supplier admins' debug) */
  explain: boolean;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface CategoryFacet {
  path: string;
  name: string;
  count: number;
  children: CategoryFacet[];
}

export interface RangeFacet {
  key: string;
  min: number;
  max: number;
  /** a few buckets over [min, max], each with its count; `to` exclusive except in the last bucket */
  buckets: { from: number; to: number; count: number }[];
}

/**
 * Counts for the current query and filters. Each facet's counts apply every OTHER facet's filter (so the
 * values of a facet with a selection still show what adding one more value would give); counts never
 * include hidden documents.
 */
export interface Facets {
  category: CategoryFacet[];
  family: FacetValue[];
  brand: FacetValue[];
  attributes: { key: string; values: FacetValue[] }[];
  ranges: RangeFacet[];
  inStock: { true: number; false: number };
  orderable: { true: number; false: number };
}

export interface SearchHit {
  docId: number;
  sku: string;
  score: number;
  /** why this score: the tier, the terms matched (exact, stem, typo, synonym, reference), the boosts */
  explanation?: string[];
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: Facets;
  /** query words nothing matched (the result then holds what the other words match), lower-cased */
  unmatched: string[];
}

export interface Suggestions {
  products: { sku: string; name: string }[];
  categories: { path: string; name: string; count: number }[];
  brands: { name: string; count: number }[];
}
