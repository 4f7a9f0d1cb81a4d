import { orderedSince } from '../../db/queries/quick-order';
import { partNumbersOf } from '../../db/queries/search-index';
import { openView, type SearchIndex } from '../../domain/search/search-index';
import type { CompanyView } from '../../domain/search/types';
import { customerViewOf } from '../catalog-view';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import { readPointer } from '../pricing/reader';
import { synonymRulesFor } from '../search-synonyms';
import type { OpenedIndex } from './reader';

/**
 * One company's view of the search index: which documents it sees and may order (from its price index),
 * its contract-priced documents, its own part numbers and what it ordered in the last year. Computing it
 * reads every document's price entry, so an isolate keeps up to VIEW_CACHE_ENTRIES views, least recently
 * used first out, each valid for the price index generation and search generation it was computed from
 * (a view computed from SQL, before the company's price index exists, for SQL_VIEW_MS). Synonyms are not
 * cached here: their loader has its own cache, so a synonym change needs no new view.
 */
export const VIEW_CACHE_ENTRIES = 64;
export const SQL_VIEW_MS = 10_000;
const YEAR_MS = 365 * 86_400_000;

type CachedView = Omit<CompanyView, 'synonyms'>;
const views = new Map<string, { view: CachedView; priceGeneration: number | null; at: number }>();

export const clearViewCache = () => views.clear();
export const cachedViewCount = () => views.size;

/** The view for a company (null: the supplier's own, everything visible), synonyms applied. */
export async function companyViewOf(
  pricing: PricingDeps,
  opened: OpenedIndex,
  companyId: string | null,
  now: number,
): Promise<CompanyView> {
  const synonyms = await synonymRulesFor(pricing.db, companyId, now);
  if (companyId === null) return { ...openView(opened.index), synonyms };
  const { fingerprint } = await customerViewOf(pricing, companyId, now);
  const pointer = await readPointer(pricing.kv, fingerprint, now);
  const key = `${companyId}|${opened.key}`;
  const hit = views.get(key);
  const fresh =
    hit &&
    (hit.priceGeneration !== null
      ? hit.priceGeneration === (pointer?.generation ?? null)
      : now - hit.at < SQL_VIEW_MS && now >= hit.at);
  if (hit && fresh) {
    views.delete(key);
    views.set(key, hit);
    return { ...hit.view, synonyms };
  }
  const computed = await computeView(pricing, opened.index, companyId, fingerprint, now);
  views.delete(key);
  while (views.size >= VIEW_CACHE_ENTRIES) {
    const oldest = views.keys().next().value;
    if (oldest === undefined) break;
    views.delete(oldest);
  }
  views.set(key, { view: computed.view, priceGeneration: computed.priceGeneration, at: now });
  return { ...computed.view, synonyms };
}

/** Exported for the measurement of a view's cost (scripts and tests): no cache involved. */
export async function computeView(
  pricing: PricingDeps,
  index: SearchIndex,
  companyId: string,
  fingerprint: string,
  now: number,
): Promise<{ view: CachedView; priceGeneration: number | null }> {
  const skus: string[] = new Array(index.docCount);
  for (let id = 0; id < index.docCount; id++) skus[id] = index.stored(id)?.sku ?? '';
  const [found, partNumbers, ordered] = await Promise.all([
    customerEntries(pricing, fingerprint, skus, now),
    partNumbersOf(pricing.db, companyId),
    orderedSince(pricing.db, companyId, now - YEAR_MS),
  ]);
  const access = new Uint8Array(index.docCount);
  const contractDocs = new Set<number>();
  for (let id = 0; id < index.docCount; id++) {
    const entry = found.entries.get(skus[id] ?? '');
    if (!entry) continue;
    access[id] = entry.orderable ? 2 : 1;
    if ((entry.ladder[0]?.ruleIds.length ?? 0) > 0) contractDocs.add(id);
  }
  const orderCounts = new Map<number, number>();
  for (const row of ordered) {
    const id = index.docIdOf(row.sku);
    if (id !== undefined) orderCounts.set(id, (orderCounts.get(id) ?? 0) + row.times);
  }
  return {
    view: {
      access,
      contractDocs,
      orderCounts,
      partNumbers: partNumbers.flatMap((p) => {
        const docId = index.docIdOf(p.sku);
        return docId === undefined ? [] : [{ partNumber: p.partNumber, docId }];
      }),
    },
    priceGeneration: found.generation,
  };
}
