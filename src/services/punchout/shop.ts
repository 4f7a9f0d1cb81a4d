import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { stockTotalsQuery } from '../../db/queries/cart-facts';
import {
  type CategoryNode,
  categoryTree,
  getProduct,
  getProductsBySku,
  type ProductRow,
} from '../../db/queries/catalog';
import { loadUserAccess } from '../../db/queries/identity';
import { punchoutSessions } from '../../db/schema';
import { sha256Hex } from '../../domain/api-keys';
import type { CatalogEntry } from '../../domain/pricing/evaluate';
import type { Principal } from '../../domain/principal';
import { type PunchoutLanguage, shopLanguage } from '../../domain/punchout-terms';
import { sessionPrincipal } from '../auth';
import { customerProductPage, customerViewOf } from '../catalog-view';
import { customerCategoryCounts } from '../pricing/category-counts';
import type { PricingDeps } from '../pricing/deps';
import { customerEntries } from '../pricing/entries';
import { type SessionRow, sessionByShopKey } from './sessions';

/**
 * What the start page (routes/punchout/shop.ts) reads: the session behind a shop key and its user as a
 * principal narrowed like the session's token, and the catalog as that customer sees it. The same
 * services as the JSON API, so the shop and `/v1/catalog`, `/v1/prices` never disagree on a price.
 */
export type ShopAccess =
  | { kind: 'live'; session: SessionRow; principal: Principal }
  /** the key was good once: the session was transferred or has expired (410, in its language) */
  | { kind: 'gone'; language: PunchoutLanguage }
  | { kind: 'unknown' };

export async function shopAccess(db: Database, key: string, now: number): Promise<ShopAccess> {
  const session = await sessionByShopKey(db, key, now);
  if (!session) {
    const [earlier] = await db
      .select({ language: punchoutSessions.language })
      .from(punchoutSessions)
      .where(eq(punchoutSessions.shopKeyHash, await sha256Hex(key)))
      .limit(1);
    return earlier ? { kind: 'gone', language: shopLanguage(earlier.language, 'en') } : { kind: 'unknown' };
  }
  const principal = sessionPrincipal(await loadUserAccess(db, session.userId), session);
  return principal ? { kind: 'live', session, principal } : { kind: 'unknown' };
}

export interface ShopItem {
  product: ProductRow;
  entry: CatalogEntry;
  onHand: number;
  nextAvailabilityDate: string | null;
}

export interface ShopListing {
  items: ShopItem[];
  currency: string;
  continueAfter: ProductRow | null;
  categories: CategoryNode[];
}

/** One page of the customer's products (by name), with stock, and the categories in which it sees any. */
export async function shopListing(
  deps: PricingDeps,
  companyId: string,
  filter: { q?: string; category?: string; after?: { key: string; sku: string } },
  limit: number,
  now: number,
): Promise<ShopListing> {
  const view = await customerViewOf(deps, companyId, now);
  const [page, counts] = await Promise.all([
    customerProductPage(deps, view, { ...filter, sort: 'name' }, limit, now),
    customerCategoryCounts(deps, view.fingerprint, now),
  ]);
  const skus = page.items.map((i) => i.product.sku);
  const [stockRows, categories] = await Promise.all([
    skus.length > 0 ? stockTotalsQuery(deps.db, skus) : Promise.resolve([]),
    categoryTree(deps.db, { counts: counts.counts, hideEmpty: true }),
  ]);
  const stock = new Map(stockRows.map((s) => [s.sku, s]));
  return {
    items: page.items.map(({ product, entry }) => ({
      product,
      entry,
      onHand: stock.get(product.sku)?.onHand ?? 0,
      nextAvailabilityDate: stock.get(product.sku)?.next ?? null,
    })),
    currency: page.currency,
    continueAfter: page.continueAfter,
    categories,
  };
}

/** A product the customer sees, with its price ladder and stock; undefined outside its assortment. */
export async function shopProduct(
  deps: PricingDeps,
  companyId: string,
  sku: string,
  now: number,
): Promise<(ShopItem & { currency: string }) | undefined> {
  const view = await customerViewOf(deps, companyId, now);
  const [found, customer] = await Promise.all([
    getProduct(deps.db, sku),
    customerEntries(deps, view.fingerprint, [sku], now),
  ]);
  const entry = customer.entries.get(sku);
  if (!found || !entry) return undefined;
  const dates = found.stock.flatMap((s) => (s.nextAvailabilityDate ? [s.nextAvailabilityDate] : [])).sort();
  return {
    product: found.product,
    entry,
    currency: customer.currency,
    onHand: found.stock.reduce((sum, s) => sum + s.onHand, 0),
    nextAvailabilityDate: dates[0] ?? null,
  };
}

/** Names of some SKUs (the cart shows names, the cart answer carries SKUs). */
export async function productNames(deps: PricingDeps, skus: readonly string[]): Promise<Map<string, string>> {
  if (skus.length === 0) return new Map();
  const rows = await getProductsBySku(deps.db, [...new Set(skus)]);
  return new Map(rows.map((r) => [r.sku, r.name]));
}
