import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { call, json, loginAs } from './harness';
import { all, buildFor } from './pricing-helpers';

/** The ERP posts as a platform administrator here (erp.write); an `erp:write` key behaves the same. */
export const erp = () => loginAs('ops@supplier.example');

/** Cheap, orderable, visible Acme products with no quantity rules, in stock. */
export async function orderableSkus(count: number): Promise<string[]> {
  await buildFor('co_acme');
  const rows = await all<{ sku: string }>(
    `SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
     WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor < 2000
     AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
     AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
     AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 10
     ORDER BY p.sku LIMIT ?`,
    count,
  );
  return rows.map((r) => r.sku);
}

/** Places an order through the real cart and checkout; answers its id. */
export async function placeOrder(
  key: string,
  lines: { sku: string; quantity: number }[],
  options: { token?: string; body?: Record<string, unknown> } = {},
): Promise<string> {
  const token = options.token ?? (await loginAs('buyer@acme.example'));
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name: key } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, { method: 'POST', token, body: { lines } });
  if (added.status !== 200) throw new Error(`lines: ${added.status} ${await added.text()}`);
  const res = await call(`/v1/carts/${cart.id}/checkout`, {
    method: 'POST',
    token,
    body: options.body ?? {},
    headers: { 'idempotency-key': key },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  return (await json<{ orderId: string }>(res)).orderId;
}

const BASE = Date.now();
/** An ERP timestamp `minutes` after the start of this test file, as the ERP writes it. */
export const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
export const msAt = (minutes: number) => Date.parse(at(minutes));

export const postEvent = async (orderId: string, body: Record<string, unknown>, token?: string) =>
  call(`/erp/v1/orders/${orderId}/events`, { method: 'POST', token: token ?? (await erp()), body });

/** The same call with another ENVIRONMENT (production refuses loopback URLs that development allows). */
export async function postEventIn(environment: string, orderId: string, body: unknown): Promise<Response> {
  const request = new Request(`https://api.test/erp/v1/orders/${orderId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await erp()}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ENVIRONMENT: environment }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export interface OrderView {
  status: string;
  fulfilmentStatus: string;
  erpOrderNumber: string | null;
  totalMinor?: number;
  lines: {
    lineNo: number;
    sku: string;
    quantity: number;
    unitMinor?: number;
    confirmedQuantity: number | null;
    substituteSku: string | null;
    expectedDate: string | null;
    shippedQuantity: number;
  }[];
  timeline: { at: number; type: string; source: string; actorId: string; erpEventId: string | null }[];
  shipments: {
    id: string;
    erpShipmentId: string;
    carrier: string | null;
    trackingNumber: string | null;
    trackingUrl: string | null;
    shippedAt: number;
    deliveredAt: number | null;
    receivedAt: number | null;
    receivedBy: string | null;
    lines: { lineNo: number; sku: string; quantity: number }[];
  }[];
  documents: Record<string, unknown>[];
}

export const orderView = async (orderId: string, token?: string, headers?: Record<string, string>) => {
  const res = await call(`/v1/orders/${orderId}`, {
    token: token ?? (await loginAs('buyer@acme.example')),
    headers,
  });
  if (res.status !== 200) throw new Error(`order: ${res.status} ${await res.text()}`);
  return json<OrderView>(res);
};
