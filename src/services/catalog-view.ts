import { listProducts, type ProductFilter, type ProductRow } from '../db/queries/catalog';
import type { CatalogEntry } from '../domain/pricing/evaluate';
import { cachedFingerprintFor } from './pricing/assignments';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';

/** A customer company's view of the catalog: which index it reads and whether prices are shown. */
export interface CustomerView {
  companyId: string;
  fingerprint: string;
  source: 'auto' | 'sql';
}

export async function customerViewOf(
  deps: PricingDeps,
  companyId: string,
  now: number,
  source: 'auto' | 'sql' = 'auto',
): Promise<CustomerView> {
  const fingerprint = await cachedFingerprintFor(deps, companyId, now);
  if (!fingerprint) throw new Error(`company ${companyId} has no pricing inputs`);
  return { companyId, fingerprint, source };
}

/**
 * Catalog rows are the supplier's, the same for every customer, and browsed far more often than they
 * change: an isolate keeps a listing for CATALOG_ROWS_CACHE_MS. Product data edits reach the listing
 * within that time; prices, visibility and orderability come from the price index, not from these rows.
 */
export const CATALOG_ROWS_CACHE_MS = 30_000;
const MAX_CACHED_LISTINGS = 100;
const listings = new Map<string, { rows: ProductRow[]; at: number }>();

async function cachedProductRows(
  deps: PricingDeps,
  filter: ProductFilter,
  now: number,
): Promise<ProductRow[]> {
  const key = JSON.stringify(filter);
  const hit = listings.get(key);
  if (hit && now - hit.at < CATALOG_ROWS_CACHE_MS && now >= hit.at) return hit.rows;
  const rows = await listProducts(deps.db, filter);
  listings.delete(key);
  if (listings.size >= MAX_CACHED_LISTINGS) {
    const oldest = listings.keys().next().value;
    if (oldest !== undefined) listings.delete(oldest);
  }
  listings.set(key, { rows, at: now });
  return rows;
}

export const clearListingCache = () => listings.clear();

// Hidden products are filtered after the SQL page; a heavily restricted assortment may need more rounds.
const MAX_ROUNDS = 4;
const MAX_ROWS_PER_ROUND = 200;

export interface CustomerPage {
  items: { product: ProductRow; entry: CatalogEntry }[];
  /** the row to continue after, or null at the end */
  continueAfter: ProductRow | null;
  currency: string;
  source: 'index' | 'sql';
  generation: number | null;
}

/**
 * A page of the products this customer can see, in the requested order. A page can hold fewer than
 * `limit` items when the assortment hides many products in a row; `continueAfter` then still points on.
 */
export async function customerProductPage(
  deps: PricingDeps,
  view: CustomerView,
  filter: Omit<ProductFilter, 'limit'>,
  limit: number,
  now: number,
): Promise<CustomerPage> {
  const items: CustomerPage['items'] = [];
  let after = filter.after;
  let lastSeen: ProductRow | null = null;
  let more = false;
  let meta: Pick<CustomerPage, 'currency' | 'source' | 'generation'> = {
    currency: '',
    source: 'index',
    generation: null,
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const want = Math.min(MAX_ROWS_PER_ROUND, round === 0 ? limit + 1 : (limit + 1) * 2);
    const rows = await cachedProductRows(deps, { ...filter, after, limit: want }, now);
    const found = await customerEntries(
      deps,
      view.fingerprint,
      rows.map((r) => r.sku),
      now,
      { source: view.source },
    );
    meta = { currency: found.currency, source: found.source, generation: found.generation };
    for (const product of rows) {
      lastSeen = product;
      const entry = found.entries.get(product.sku);
      if (entry) items.push({ product, entry });
      if (items.length > limit) break;
    }
    more = rows.length === want;
    if (items.length > limit || !more || !lastSeen) break;
    after = {
      key: filter.sort === 'name' || filter.sort === '-name' ? lastSeen.name : lastSeen.sku,
      sku: lastSeen.sku,
    };
  }
  if (items.length > limit) {
    const page = items.slice(0, limit);
    return { items: page, continueAfter: page.at(-1)?.product ?? null, ...meta };
  }
  return { items, continueAfter: more ? lastSeen : null, ...meta };
}
