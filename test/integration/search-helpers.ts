import { env } from 'cloudflare:test';
import { searchDepsOf } from '../../src/services/search/deps';
import { clearSearchIsolateCache } from '../../src/services/search/reader';
import { clearViewCache } from '../../src/services/search/view';
import { call, json } from './harness';

export interface SearchItem {
  sku: string;
  name: string;
  brand: string;
  family: string;
  categoryPath: string;
  attributes: Record<string, string | number | boolean>;
  orderable?: boolean;
  price?: unknown;
  score?: number;
  explanation?: string[];
}
export interface FacetValue {
  value: string;
  count: number;
}
export interface SearchAnswer {
  items: SearchItem[];
  total: number;
  facets: {
    category: { path: string; count: number; children: unknown[] }[];
    family: FacetValue[];
    brand: FacetValue[];
    attributes: { key: string; values: FacetValue[] }[];
    ranges: { key: string; min: number; max: number }[];
    inStock: { true: number; false: number };
    orderable: { true: number; false: number };
  };
  unmatched: string[];
  nextCursor: string | null;
}
export interface Suggestions {
  products: { sku: string; name: string }[];
  categories: { path: string; name: string; count: number }[];
  brands: { name: string; count: number }[];
}

export const searchDeps = () => searchDepsOf(env);

/** Search messages the Worker sends, recorded instead of delivered (a test delivers them itself). */
export const searchSent: unknown[] = [];
export const searchRecorder = {
  send: async (body: unknown) => {
    searchSent.push(body);
  },
  sendBatch: async (messages: Iterable<{ body: unknown }>) => {
    for (const m of messages) searchSent.push(m.body);
  },
} as unknown as Queue;

/** The next request of this isolate reads the pointer and the views afresh. */
export function forgetSearchCaches(): void {
  clearSearchIsolateCache();
  clearViewCache();
}

export async function search(token: string, query: string, headers: Record<string, string> = {}) {
  const res = await call(`/v1/search${query ? `?${query}` : ''}`, { token, headers });
  if (res.status !== 200) throw new Error(`search ${query}: ${res.status} ${await res.text()}`);
  return json<SearchAnswer>(res);
}

export async function suggest(token: string, q: string) {
  const res = await call(`/v1/search/suggest?q=${encodeURIComponent(q)}`, { token });
  if (res.status !== 200) throw new Error(`suggest ${q}: ${res.status} ${await res.text()}`);
  return json<Suggestions>(res);
}

/** Every item of a search, following nextCursor. */
export async function everyHit(token: string, query: string): Promise<SearchItem[]> {
  const items: SearchItem[] = [];
  let cursor: string | null = null;
  do {
    const page: SearchAnswer = await search(
      token,
      `${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
