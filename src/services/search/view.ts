import { orderedSince } from '../../db/queries/quick-order';
import { partNumbersOf } from '../../db/queries/search-index';
import {
  SEARCH_FLAG_CONTRACT,
  SEARCH_FLAG_ORDERABLE,
  searchFlagsOf,
} from '../../domain/pricing/search-flags';
import { openView, type SearchIndex } from '../../domain/search/search-index';
import type { CompanyView } from '../../domain/search/types';
import { customerViewOf } from '../catalog-view';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import { readPointer, usablePointer } from '../pricing/reader';
import { readSearchFlags } from '../pricing/search-flags';
import { synonymRulesFor } from '../search-synonyms';
import { DocFlags } from './doc-flags';
import type { OpenedIndex } from './reader';

/**
 * One company's view of the search index, in two halves cached per isolate:
 * - what its price index says (access per document, contract-priced documents): read from the generation's
 *   search flags value (one KV read of about 100 KB for 50,000 products, 25–40 ms), or for a
 *   generation built before that value existed from every document's price entry (0.1–0.4 s for 50,000,
 *   and most of the price part cache), so it is kept per price index
 *   (fingerprint: companies with the same pricing inputs share it), valid for the price index generation and
 *   search generation it was computed from; one computed from SQL, before the price index exists, for
 *   SQL_VIEW_MS. Up to PRICED_VIEW_ENTRIES, least recently used out (about 100 KB each for 50,000 documents);
 * - the company's own facts (part numbers, what it ordered in the last year), two small queries, kept
 *   COMPANY_FACTS_MS per company and search generation.
 * Synonyms are not cached here: their loader has its own cache.
 */
export const PRICED_VIEW_ENTRIES = 32;
export const SQL_VIEW_MS = 10_000;
export const COMPANY_FACTS_ENTRIES = 256;
export const COMPANY_FACTS_MS = 30_000;
const YEAR_MS = 365 * 86_400_000;

type PricedView = Pick<CompanyView, 'access' | 'contractDocs'>;
type CompanyFacts = Pick<CompanyView, 'partNumbers' | 'orderCounts'>;
const priced = new Map<string, { view: PricedView; priceGeneration: number | null; at: number }>();
const facts = new Map<string, { facts: CompanyFacts; at: number }>();

export function clearViewCache(): void {
  priced.clear();
  facts.clear();
}

/** Least recently used first out: a hit moves to the end. */
function remember<V>(cache: Map<string, V>, key: string, value: V, limit: number): void {
  cache.delete(key);
  while (cache.size >= limit) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  cache.set(key, value);
}

/** The view for a company (null: the supplier's own, everything visible), synonyms applied. */
export async function companyViewOf(
  pricing: PricingDeps,
  opened: OpenedIndex,
  companyId: string | null,
  now: number,
): Promise<CompanyView> {
  const synonyms = await synonymRulesFor(pricing.db, companyId, now);
  if (companyId === null) return { ...openView(opened.index), synonyms };
  const [view, own] = await Promise.all([
    pricedViewOf(pricing, opened, companyId, now),
    companyFactsOf(pricing, opened, companyId, now),
  ]);
  return { ...view, ...own, synonyms };
}

async function pricedViewOf(
  pricing: PricingDeps,
  opened: OpenedIndex,
  companyId: string,
  now: number,
): Promise<PricedView> {
  const { fingerprint } = await customerViewOf(pricing, companyId, now);
  const pointer = await readPointer(pricing.kv, fingerprint, now);
  const key = `${fingerprint}|${opened.key}`;
  const hit = priced.get(key);
  const fresh =
    hit &&
    (hit.priceGeneration !== null
      ? hit.priceGeneration === (pointer?.generation ?? null)
      : now - hit.at < SQL_VIEW_MS && now >= hit.at);
  if (hit && fresh) {
    remember(priced, key, hit, PRICED_VIEW_ENTRIES);
    return hit.view;
  }
  const computed = await computePricedView(pricing, opened.index, fingerprint, now);
  remember(priced, key, { ...computed, at: now }, PRICED_VIEW_ENTRIES);
  return computed.view;
}

async function companyFactsOf(
  pricing: PricingDeps,
  opened: OpenedIndex,
  companyId: string,
  now: number,
): Promise<CompanyFacts> {
  const key = `${companyId}|${opened.key}`;
  const hit = facts.get(key);
  if (hit && now - hit.at < COMPANY_FACTS_MS && now >= hit.at) return hit.facts;
  const { index } = opened;
  const [partNumbers, ordered] = await Promise.all([
    partNumbersOf(pricing.db, companyId),
    orderedSince(pricing.db, companyId, now - YEAR_MS),
  ]);
  const orderCounts = new Map<number, number>();
  for (const row of ordered) {
    const id = index.docIdOf(row.sku);
    if (id !== undefined) orderCounts.set(id, (orderCounts.get(id) ?? 0) + row.times);
  }
  const own: CompanyFacts = {
    orderCounts,
    partNumbers: partNumbers.flatMap((p) => {
      const docId = index.docIdOf(p.sku);
      return docId === undefined ? [] : [{ partNumber: p.partNumber, docId }];
    }),
  };
  remember(facts, key, { facts: own, at: now }, COMPANY_FACTS_ENTRIES);
  return own;
}

/** Access and contract documents from a price index (exported for measuring a view's cost: no cache). */
export async function computePricedView(
  pricing: PricingDeps,
  index: SearchIndex,
  fingerprint: string,
  now: number,
): Promise<{ view: PricedView; priceGeneration: number | null; source: 'search_flags' | 'index' | 'sql' }> {
  const pointer = await usablePointer(pricing, fingerprint, now);
  const flags = pointer ? await readSearchFlags(pricing.kv, pointer) : null;
  if (pointer && flags) {
    const access = new Uint8Array(index.docCount);
    const contractDocs = new DocFlags(index.docCount);
    // a product of the price index that the search index does not hold (yet) has no document to flag
    flags.forEach((sku, bits) => {
      const id = index.docIdOf(sku);
      if (id === undefined) return;
      access[id] = bits & SEARCH_FLAG_ORDERABLE ? 2 : 1;
      if (bits & SEARCH_FLAG_CONTRACT) contractDocs.add(id);
    });
    return { view: { access, contractDocs }, priceGeneration: pointer.generation, source: 'search_flags' };
  }
  // a generation built before the flags value existed, or no usable index: every entry, as the catalog reads them
  const skus: string[] = new Array(index.docCount);
  for (let id = 0; id < index.docCount; id++) skus[id] = index.stored(id)?.sku ?? '';
  const found = await customerEntries(pricing, fingerprint, skus, now);
  const access = new Uint8Array(index.docCount);
  const contractDocs = new DocFlags(index.docCount);
  for (let id = 0; id < index.docCount; id++) {
    const entry = found.entries.get(skus[id] ?? '');
    if (!entry) continue;
    const bits = searchFlagsOf(entry);
    access[id] = bits & SEARCH_FLAG_ORDERABLE ? 2 : 1;
    if (bits & SEARCH_FLAG_CONTRACT) contractDocs.add(id);
  }
  return { view: { access, contractDocs }, priceGeneration: found.generation, source: found.source };
}
