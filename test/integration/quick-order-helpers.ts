import { env } from 'cloudflare:test';
import { call, json } from './harness';
import { all, first, plainAcmeProduct } from './pricing-helpers';

export interface QuickLine {
  line: number;
  text: string;
  reference: string;
  note: string | null;
  requestedQuantity: number | null;
  outcome: string;
  sku?: string;
  name?: string;
  matchedBy?: string;
  quantity?: number;
  rules?: string[];
  message?: string;
  reason?: string;
  price?: { currency: string; unitMinor?: number; lineTotalMinor?: number | null } | null;
  replacement?: { sku: string; quantity: number; price: { unitMinor?: number } | null };
  closeMatches?: { sku: string; matchedBy: string; matched: string }[];
  salesRep?: { name: string; email: string } | null;
  availableQuantity?: number;
  nextAvailabilityDate?: string | null;
  mergedInto?: number;
  added?: boolean;
}
export interface Resolution {
  currency: string;
  summary: Record<string, number>;
  lines: QuickLine[];
}

export const resolve = (token: string, body: string, type = 'text/plain') =>
  call('/v1/quick-order/resolve', { method: 'POST', token, body, headers: { 'content-type': type } });

export async function resolved(token: string, body: string, type = 'text/plain'): Promise<Resolution> {
  const res = await resolve(token, body, type);
  if (res.status !== 200) throw new Error(`resolve: ${res.status} ${await res.text()}`);
  return json<Resolution>(res);
}

/** Products of the test catalog in each situation a line can be in, for Acme. */
export async function acmeCases() {
  const excluded =
    "(SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude')";
  const plain = await plainAcmeProduct(40);
  const second = await first<{ sku: string }>(
    `SELECT p.sku FROM products p WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1
     AND p.category_path NOT LIKE ${excluded} || '%' AND p.sku != ? AND p.sku LIKE '%1'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND (SELECT coalesce(sum(on_hand), 0) FROM stock s WHERE s.sku = p.sku) > 100 ORDER BY p.sku LIMIT 1`,
    plain.sku,
  );
  const multiple = await first<{ sku: string; order_multiple: number }>(
    `SELECT sku, order_multiple FROM products WHERE order_multiple > 1 AND min_order_qty <= order_multiple AND status = 'active'
     AND category_path NOT LIKE ${excluded} || '%'
     AND family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable') LIMIT 1`,
  );
  const hidden = await first<{ sku: string }>(
    `SELECT sku FROM products WHERE category_path = ${excluded} OR category_path LIKE ${excluded} || '/%' LIMIT 1`,
  );
  const blocked = await first<{ sku: string }>(
    "SELECT sku FROM products WHERE status = 'active' AND family = (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'not_orderable') LIMIT 1",
  );
  const obsolete = (
    await all<{ sku: string; replacement_sku: string }>(
      `SELECT o.sku, o.replacement_sku FROM products o JOIN products r ON r.sku = o.replacement_sku
       WHERE o.status = 'obsolete' AND r.status = 'active' AND o.category_path NOT LIKE ${excluded} || '%'
       AND r.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable') LIMIT 1`,
    )
  )[0];
  if (!obsolete) throw new Error('no obsolete product with a replacement in the test catalog');
  const stock = await first<{ n: number }>(
    'SELECT coalesce(sum(on_hand), 0) AS n FROM stock WHERE sku = ?',
    plain.sku,
  );
  return {
    plain: plain.sku,
    plainStock: stock.n,
    second: second.sku,
    multiple,
    hidden: hidden.sku,
    blocked: blocked.sku,
    obsolete,
  };
}

export const setMpn = (sku: string, mpn: string) =>
  env.DB.prepare(
    'UPDATE products SET manufacturer_part_number = ?, updated_at = updated_at + 1 WHERE sku = ?',
  )
    .bind(mpn, sku)
    .run();
