import { arenaFor } from './arena';
import type { IndexData } from './index-data';
import { queryWordsOf, wordsOf } from './normalize';
import { parseQuery } from './query';
import { boostFactor, nameFactor, orderPage } from './rank';
import { scoreText } from './score';
import { queryStemsOf, stemIn } from './stem';
import type { CompanyView, Suggestions } from './types';
import { companyRefsOf } from './view';

/**
 * Suggestions while typing: products (every word, the last one as a prefix or with a typo), categories and
 * brands whose names hold the words, with the number of the company's visible products in them.
 */
const MIN_CHARS = 2;
/** postings the completions of the last word may read per keystroke */
const SUGGEST_PREFIX_BUDGET = 15_000;

/** The folded words (and their English stems) of every category and brand name, per index. */
const namesCache = new WeakMap<IndexData, { categories: string[][]; brands: string[][] }>();
function nameWords(data: IndexData) {
  let cached = namesCache.get(data);
  if (!cached) {
    const words = (name: string) => {
      const list = wordsOf(name);
      return [...new Set([...list, ...list.map((w) => stemIn('en', w))])];
    };
    cached = { categories: data.categoryNames.map(words), brands: data.brands.map(words) };
    namesCache.set(data, cached);
  }
  return cached;
}

/** Visible documents per category (with its subtree) and per brand, per view (the access array). */
const countsCache = new WeakMap<Uint8Array, { categories: Int32Array; brands: Int32Array }>();
function visibleCounts(data: IndexData, access: Uint8Array) {
  let cached = countsCache.get(access);
  if (!cached) {
    const categories = new Int32Array(data.categoryPaths.length);
    const brands = new Int32Array(data.brands.length);
    for (let doc = 0; doc < data.docCount; doc++) {
      if ((access[doc] ?? 0) === 0) continue;
      const brand = data.brandOf[doc] ?? 0;
      brands[brand] = (brands[brand] ?? 0) + 1;
      for (
        let c = data.categoryOf[doc] ?? -1, depth = 0;
        c >= 0 && depth < 64;
        c = data.categoryParent[c] ?? -1, depth++
      )
        categories[c] = (categories[c] ?? 0) + 1;
    }
    cached = { categories, brands };
    countsCache.set(access, cached);
  }
  return cached;
}

/** Every typed word starts a word of the name (or shares its stem). */
function namesMatch(typed: readonly { word: string; stems: string[] }[], name: readonly string[]): boolean {
  return typed.every(({ word, stems }) => name.some((w) => w.startsWith(word) || stems.includes(w)));
}

export function runSuggest(data: IndexData, q: string, view: CompanyView, limit: number): Suggestions {
  const text = typeof q === 'string' ? q : '';
  const words = queryWordsOf(text);
  const empty: Suggestions = { products: [], categories: [], brands: [] };
  const max = Number.isFinite(limit) ? Math.min(50, Math.max(0, Math.floor(limit))) : 8;
  if (words.join('').length < MIN_CHARS || max === 0) return empty;
  const access = view.access;
  const visible = (doc: number) => (access[doc] ?? 0) > 0;

  const parsed = parseQuery(data, view, text);
  const products: Suggestions['products'] = [];
  if (parsed.slots.length > 0) {
    const arena = arenaFor(data, data.docCount);
    const scored = scoreText(data, arena, companyRefsOf(view), parsed, false, SUGGEST_PREFIX_BUDGET);
    const all = parsed.slots.reduce((sum, s) => sum + s.typed.length, 0);
    const docs = arena.ints32();
    let count = 0;
    const scores = arena.floats32();
    for (let i = 0; i < scored.count; i++) {
      const doc = scored.docs[i] ?? 0;
      if (!visible(doc) || (scored.covered[doc] ?? 0) < all) continue;
      docs[count++] = doc;
      scores[doc] = (scored.total[doc] ?? 0) * nameFactor(data, doc) * boostFactor(view, data, doc, null);
    }
    for (const doc of orderPage(data, docs, count, scores, 'relevance', 0, max))
      products.push({ sku: data.skus[doc] ?? '', name: data.names[doc] ?? '' });
  }

  const typed = words.map((word) => ({ word, stems: queryStemsOf(word) }));
  const names = nameWords(data);
  const counts = visibleCounts(data, access);
  const categories: Suggestions['categories'] = [];
  for (const [c, nameList] of names.categories.entries()) {
    const count = counts.categories[c] ?? 0;
    if (count > 0 && namesMatch(typed, nameList))
      categories.push({ path: data.categoryPaths[c] ?? '', name: data.categoryNames[c] ?? '', count });
  }
  const brands: Suggestions['brands'] = [];
  for (const [b, nameList] of names.brands.entries()) {
    const count = counts.brands[b] ?? 0;
    if (count > 0 && namesMatch(typed, nameList)) brands.push({ name: data.brands[b] ?? '', count });
  }
  const byCount = <T extends { count: number }>(a: T, b: T) => b.count - a.count;
  return {
    products,
    categories: categories.sort((a, b) => byCount(a, b) || (a.path < b.path ? -1 : 1)).slice(0, max),
    brands: brands.sort((a, b) => byCount(a, b) || (a.name < b.name ? -1 : 1)).slice(0, max),
  };
}
