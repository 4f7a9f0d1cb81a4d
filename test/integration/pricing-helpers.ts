import { env } from 'cloudflare:test';
import { fingerprintFor } from '../../src/services/pricing/assignments';
import { buildIndex } from '../../src/services/pricing/build';
import { type PricingDeps, pricingDepsOf } from '../../src/services/pricing/deps';

/** The pricing services wired to the test's real bindings. */
export const deps = (): PricingDeps => pricingDepsOf(env);

export async function fingerprintOf(companyId: string): Promise<string> {
  const fp = await fingerprintFor(deps(), companyId, Date.now());
  if (!fp) throw new Error(`no fingerprint for ${companyId}`);
  return fp;
}

/** Builds a company's index now, as the queue consumer would, and returns the outcome. */
export async function buildFor(companyId: string, now: () => number = () => Date.now()) {
  return buildIndex(deps(), await fingerprintOf(companyId), now);
}

export const first = async <T>(sql: string, ...binds: unknown[]): Promise<T> => {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<T>();
  if (!row) throw new Error(`no row for ${sql}`);
  return row;
};

export const all = async <T>(sql: string, ...binds: unknown[]): Promise<T[]> =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;

/**
 * A plain product Acme can order at its list price: active, visible, orderable, no quantity rules, no
 * contract price on the SKU, 5 to 50 EUR a unit, with more than `minStock` units on hand.
 */
export const plainAcmeProduct = (minStock = 10) =>
  first<{ sku: string; amount_minor: number }>(
    `SELECT p.sku, l.amount_minor FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor BETWEEN 500 AND 5000
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND p.sku NOT IN (SELECT target FROM price_rules WHERE target_type = 'sku')
     AND (SELECT coalesce(sum(on_hand), 0) FROM stock s WHERE s.sku = p.sku) > ?
     ORDER BY p.sku LIMIT 1`,
    minStock,
  );
