import type { IndexData } from './index-data';
import type { CompanyView, SearchSort } from './types';

/**
 * Ranking beyond words: the company's habits (what it ordered in the last year, what its contracts price)
 * multiply the text score by at most MAX_BOOST — enough to reorder close matches, never to lift a match on
 * the description above one on the name — and a short name beats a long one a little.
 */
const MAX_BOOST = 1.4;
export const EXACT_REFERENCE_TIER = 1_000_000;

export interface Boost {
  factor: number;
  lines: string[];
}

export function boostOf(view: CompanyView, data: IndexData, doc: number, explain: boolean): Boost {
  const lines: string[] = [];
  const factor = boostFactor(view, data, doc, explain ? lines : null);
  return { factor, lines };
}

/** The boost alone, without allocating (it runs for every hit of a query). */
export function boostFactor(view: CompanyView, data: IndexData, doc: number, lines: string[] | null): number {
  let factor = 1;
  const ordered = view.orderCounts.size > 0 ? (view.orderCounts.get(doc) ?? 0) : 0;
  if (ordered > 0) {
    const f = 1 + Math.min(0.3, 0.1 * Math.log2(1 + ordered));
    factor *= f;
    lines?.push(`boost ordered ${ordered}× in 12 months: ×${f.toFixed(2)}`);
  }
  if (view.contractDocs.size > 0 && view.contractDocs.has(doc)) {
    factor *= 1.1;
    lines?.push('boost contract price: ×1.10');
  }
  factor = Math.min(MAX_BOOST, factor);
  if (data.obsolete[doc] === 1) {
    factor *= 0.8;
    lines?.push('obsolete: ×0.80');
  }
  return factor;
}

/** Short names are more specific: 1.3 for a one-word name, towards 1 for long ones. */
export const nameFactor = (data: IndexData, doc: number): number =>
  1 + 0.3 / (1 + (data.nameLength[doc] ?? 0) / 3);

/**
 * The hits page: `docs` (count of them) in the requested order, from offset, limit long. Relevance keeps
 * only the best offset + limit (partial selection), ties by SKU (= document id).
 */
export function orderPage(
  data: IndexData,
  docs: Int32Array,
  count: number,
  scores: Float32Array,
  sort: SearchSort,
  offset: number,
  limit: number,
): number[] {
  const end = offset + limit;
  if (limit <= 0 || offset >= count) return [];
  if (sort === 'sku' || sort === '-sku') {
    const sorted = docs.slice(0, count).sort();
    if (sort === '-sku') sorted.reverse();
    return Array.from(sorted.subarray(offset, end));
  }
  if (sort === 'name' || sort === '-name') {
    const member = new Uint8Array(data.docCount);
    for (let i = 0; i < count; i++) member[docs[i] ?? 0] = 1;
    const out: number[] = [];
    const order = data.nameOrder;
    const step = sort === 'name' ? 1 : -1;
    let seen = 0;
    for (
      let i = step > 0 ? 0 : order.length - 1;
      i >= 0 && i < order.length && out.length < limit;
      i += step
    ) {
      const doc = order[i] ?? 0;
      if (!member[doc]) continue;
      if (seen++ >= offset) out.push(doc);
    }
    return out;
  }
  const better = (a: number, b: number) => {
    const sa = scores[a] ?? 0;
    const sb = scores[b] ?? 0;
    return sa > sb || (sa === sb && a < b);
  };
  // a bounded insertion into the best `end` so far: cheap when pages are near the top, full sort otherwise
  if (end > 512) {
    const all = Array.from(docs.subarray(0, count));
    all.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
    return all.slice(offset, end);
  }
  const top: number[] = [];
  for (let i = 0; i < count; i++) {
    const doc = docs[i] ?? 0;
    if (top.length === end && !better(doc, top[end - 1] ?? 0)) continue;
    let at = top.length === end ? end - 1 : top.length;
    while (at > 0 && better(doc, top[at - 1] ?? 0)) {
      top[at] = top[at - 1] ?? 0;
      at--;
    }
    top[at] = doc;
    if (top.length > end) top.length = end;
  }
  return top.slice(offset, end);
}
