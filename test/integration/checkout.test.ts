import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { setFaultHook } from '../../src/durable/faults';
import type { OrganizationDO } from '../../src/durable/organization';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first } from './pricing-helpers';

interface Outcome {
  status: 'placed' | 'pending_approval';
  orderId: string;
  currency: string;
  totalMinor: number;
  lineCount: number;
  priceGeneration: number | null;
  approvalSteps: { role: string | null; required: number }[];
}
interface CartLine {
  sku: string;
  unitMinor: number;
  lineTotalMinor: number;
  ruleId: string | null;
}

let buyer: string;
let cheap: string[];

beforeAll(async () => {
  buyer = await loginAs('buyer@acme.example');
  await buildFor('co_acme');
  // orderable, visible, cheap products with no quantity constraints, in stock
  cheap = (
    await all<{ sku: string }>(
      `SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
       WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor < 2000
       AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
       AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
       AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 10
       ORDER BY p.sku LIMIT 60`,
    )
  ).map((r) => r.sku);
});

const savedCart = async (token: string, name: string, lines: { sku: string; quantity: number }[]) => {
  const cart = await json<{ id: string }>(await call('/v1/carts', { method: 'POST', token, body: { name } }));
  const added = await call(`/v1/carts/${cart.id}/lines`, { method: 'POST', token, body: { lines } });
  if (added.status !== 200) throw new Error(`add lines: ${added.status} ${await added.text()}`);
  return cart.id;
};

const checkout = (token: string, cartId: string, key: string | null, body: Record<string, unknown> = {}) =>
  call(`/v1/carts/${cartId}/checkout`, {
    method: 'POST',
    token,
    body,
    headers: key ? { 'idempotency-key': key } : {},
  });

/** Makes the object crash right after the order's SQL batch, before its own bookkeeping (or stop doing so). */
const crashAfterOrderWrite = (on: boolean) =>
  runInDurableObject(env.ORGANIZATION.getByName('co_acme'), () =>
    setFaultHook(
      on
        ? (point) => {
            if (point === 'checkout.order-written') throw new Error('injected failure after the order write');
          }
        : null,
    ),
  );

const ordersOf = async (cartId: string) =>
  (await all<{ id: string }>('SELECT id FROM orders WHERE cart_id = ?', cartId)).map((r) => r.id);

describe('checkout', () => {
  it('places the order at the prices shown, records rule and generation per line, and consumes the cart', async () => {
    const cartId = await savedCart(buyer, 'Simple order', [
      { sku: cheap[0] ?? '', quantity: 2 },
      { sku: cheap[1] ?? '', quantity: 3 },
    ]);
    const shown = await json<{ lines: CartLine[]; totals: { subtotalMinor: number; totalMinor: number } }>(
      await call(`/v1/carts/${cartId}`, { token: buyer }),
    );
    const res = await checkout(buyer, cartId, 'simple-1', { poNumber: 'PO-4711', deliveryMode: 'express' });
    expect(res.status).toBe(201);
    const outcome = await json<Outcome>(res);
    expect(outcome).toMatchObject({
      status: 'placed',
      totalMinor: shown.totals.subtotalMinor,
      lineCount: 2,
      currency: 'EUR',
    });
    expect(res.headers.get('location')).toBe(`/v1/orders/${outcome.orderId}`);

    const order = await json<{
      status: string;
      poNumber: string;
      shipToSiteId: string;
      deliveryMode: string;
      priceGeneration: number | null;
      lines: { sku: string; unitMinor: number; lineTotalMinor: number; ruleId: string | null }[];
      history: { type: string }[];
    }>(await call(`/v1/orders/${outcome.orderId}`, { token: buyer }));
    expect(order).toMatchObject({
      status: 'placed',
      poNumber: 'PO-4711',
      deliveryMode: 'express',
      shipToSiteId: 'site_acme_usine',
    });
    expect(order.priceGeneration).toEqual(outcome.priceGeneration);
    expect(order.lines.map((l) => [l.sku, l.unitMinor, l.lineTotalMinor, l.ruleId])).toEqual(
      shown.lines.map((l) => [l.sku, l.unitMinor, l.lineTotalMinor, l.ruleId]),
    );
    expect(order.history.map((h) => h.type)).toEqual(['placed']);
    const outbox = await all<{ topic: string }>(
      'SELECT topic FROM outbox WHERE aggregate_id = ? ORDER BY topic',
      outcome.orderId,
    );
    expect(outbox.map((o) => o.topic)).toEqual(['notification', 'order.export']);
    await expectProblem(await call(`/v1/carts/${cartId}`, { token: buyer }), 404);

    // the same key answers the same order, and no second one is made
    const again = await checkout(buyer, cartId, 'simple-1', { poNumber: 'PO-4711', deliveryMode: 'express' });
    expect(again.status).toBe(201);
    expect((await json<Outcome>(again)).orderId).toBe(outcome.orderId);
    expect(await ordersOf(cartId)).toEqual([outcome.orderId]);
  });

  it('50 parallel checkouts of one cart with different keys make exactly one order; the others get 409', async () => {
    const cartId = await savedCart(buyer, 'Raced', [{ sku: cheap[2] ?? '', quantity: 1 }]);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => checkout(buyer, cartId, `race-${i}`).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 201)).toHaveLength(1);
    expect(answers.filter((s) => s === 409)).toHaveLength(49);
    expect(await ordersOf(cartId)).toHaveLength(1);
  });

  it('a crash between the order write and the object’s bookkeeping leaves exactly one order after the retry', async () => {
    const cartId = await savedCart(buyer, 'Crashy', [{ sku: cheap[3] ?? '', quantity: 1 }]);
    await crashAfterOrderWrite(true);
    const crashed = await checkout(buyer, cartId, 'crash-1');
    expect(crashed.status).toBe(500);
    await crashAfterOrderWrite(false);
    expect(await ordersOf(cartId)).toHaveLength(1);
    const retried = await checkout(buyer, cartId, 'crash-1');
    expect(retried.status).toBe(201);
    const outcome = await json<Outcome>(retried);
    expect(await ordersOf(cartId)).toEqual([outcome.orderId]);
    // another key now finds the cart consumed
    expect((await checkout(buyer, cartId, 'crash-2')).status).toBe(409);
  });

  it('another key recovers an interrupted checkout of the same cart instead of ordering twice', async () => {
    const cartId = await savedCart(buyer, 'Crashy again', [{ sku: cheap[4] ?? '', quantity: 1 }]);
    await crashAfterOrderWrite(true);
    expect((await checkout(buyer, cartId, 'first-key')).status).toBe(500);
    await crashAfterOrderWrite(false);
    const second = await checkout(buyer, cartId, 'second-key');
    expect(second.status).toBe(409);
    expect(await ordersOf(cartId)).toHaveLength(1);
  });

  it('lists every blocking problem with its path, and writes nothing', async () => {
    const blocked = await first<{ sku: string }>(
      "SELECT sku FROM products WHERE status = 'active' AND family = (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'not_orderable') LIMIT 1",
    );
    const cartId = await savedCart(buyer, 'Blocked', [
      { sku: cheap[5] ?? '', quantity: 1 },
      { sku: blocked.sku, quantity: 1 },
    ]);
    const problem = await expectProblem(
      await checkout(buyer, cartId, 'blocked-1', {
        shipToSiteId: 'site_globex_werk',
        costCenterId: 'cc_nope',
        requestedDeliveryDate: '2020-01-01',
      }),
      422,
    );
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'costCenterId',
      'lines.1',
      'requestedDeliveryDate',
      'shipToSiteId',
    ]);
    expect(await ordersOf(cartId)).toEqual([]);
    // nothing was kept: the same key can try again once the problems are fixed
    const fixed = await json<{ lines: { id: string; sku: string }[] }>(
      await call(`/v1/carts/${cartId}`, { token: buyer }),
    );
    const line = fixed.lines.find((l) => l.sku === blocked.sku);
    await call(`/v1/carts/${cartId}/lines/${line?.id}`, { method: 'DELETE', token: buyer });
    expect((await checkout(buyer, cartId, 'blocked-1')).status).toBe(201);
  });

  it('refuses bad input: no Idempotency-Key, a bad date, unknown fields; needs order.place', async () => {
    const cartId = await savedCart(buyer, 'Bad input', [{ sku: cheap[6] ?? '', quantity: 1 }]);
    const noKey = await expectProblem(await checkout(buyer, cartId, null), 400);
    expect(noKey.errors?.[0]?.path).toBe('idempotency-key');
    const badDate = await expectProblem(
      await checkout(buyer, cartId, 'k', { requestedDeliveryDate: '2026-02-30' }),
      400,
    );
    expect(badDate.errors?.[0]?.path).toBe('requestedDeliveryDate');
    const unknown = await expectProblem(await checkout(buyer, cartId, 'k', { colour: 'red' }), 400);
    expect(unknown.errors?.[0]?.path).toBe('colour');
    const approver = await loginAs('approver@acme.example');
    await expectProblem(await checkout(approver, cartId, 'k'), 403);
    expect(await ordersOf(cartId)).toEqual([]);
  });

  it('above the buyer’s order limit the order waits for an approver', async () => {
    const { amount_minor } = await first<{ amount_minor: number }>(
      "SELECT amount_minor FROM list_prices WHERE price_list_id = 'pl_eur' AND sku = ?",
      cheap[7] ?? '',
    );
    const quantity = Math.ceil(600_000 / Math.max(1, amount_minor)); // over 5,000.00 EUR even after discounts
    const cartId = await savedCart(buyer, 'Big one', [{ sku: cheap[7] ?? '', quantity }]);
    const res = await checkout(buyer, cartId, 'big-1');
    expect(res.status).toBe(201);
    const outcome = await json<Outcome>(res);
    expect(outcome.status).toBe('pending_approval');
    expect(outcome.approvalSteps.some((s) => s.role === 'approver')).toBe(true);
    const outbox = await all<{ topic: string }>(
      'SELECT topic FROM outbox WHERE aggregate_id = ?',
      outcome.orderId,
    );
    expect(outbox.map((o) => o.topic)).toEqual(['notification']);
  });
});

describe('notifications of placed orders', () => {
  it('are sent after the answer and their outbox rows marked once, by a later order write or the alarm', async () => {
    const orderIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const cartId = await savedCart(buyer, `Notify ${i}`, [{ sku: cheap[20 + i] ?? '', quantity: 1 }]);
      const res = await checkout(buyer, cartId, `notify-${i}`);
      expect(res.status).toBe(201);
      orderIds.push((await json<Outcome>(res)).orderId);
    }
    // what no order write has marked yet, the object's alarm marks (once the sends under way are over)
    await runInDurableObject(env.ORGANIZATION.getByName('co_acme'), (instance: OrganizationDO) =>
      instance.alarm(),
    );
    const rows = await all<{ aggregate_id: string; dispatched_at: number | null; attempts: number }>(
      `SELECT aggregate_id, dispatched_at, attempts FROM outbox WHERE topic = 'notification'
       AND aggregate_id IN (?, ?, ?) ORDER BY aggregate_id`,
      ...orderIds,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ dispatched_at: expect.any(Number), attempts: 1 });
  });
});

describe('budgets', () => {
  it('50 parallel orders against one budget never overspend it', async () => {
    const admin = await loginAs('admin@acme.example');
    const price = await first<{ amount_minor: number }>(
      "SELECT amount_minor FROM list_prices WHERE price_list_id = 'pl_eur' AND sku = ?",
      cheap[8] ?? '',
    );
    // through the API, as budgets change: it tells the company's object, which decides with its own copy
    const created = await call('/v1/company/budgets', {
      method: 'POST',
      token: admin,
      body: {
        costCenterId: 'cc_acme_it',
        period: 'month',
        amountMinor: price.amount_minor * 10,
        currency: 'EUR',
        onExceed: 'refuse',
      },
    });
    expect(created.status).toBe(201);
    const budget = await json<{ id: string }>(created);
    const carts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        savedCart(admin, `Budget ${i}`, [{ sku: cheap[8] ?? '', quantity: 1 }]),
      ),
    );
    const shown = await json<{ totals: { totalMinor: number } }>(
      await call(`/v1/carts/${carts[0]}`, { token: admin }),
    );
    const answers = await Promise.all(
      carts.map((id, i) =>
        checkout(admin, id, `budget-${i}`, { costCenterId: 'cc_acme_it' }).then((r) => r.status),
      ),
    );
    const placed = answers.filter((s) => s === 201).length;
    expect(placed).toBe(Math.floor((price.amount_minor * 10) / shown.totals.totalMinor));
    expect(answers.filter((s) => s === 422)).toHaveLength(50 - placed);
    const spent = await first<{ total: number }>(
      "SELECT coalesce(sum(total_minor), 0) AS total FROM orders WHERE company_id = 'co_acme' AND cost_center_id = 'cc_acme_it' AND idempotency_key LIKE 'budget-%'",
    );
    expect(spent.total).toBeLessThanOrEqual(price.amount_minor * 10);
    // later tests order without a cost center, which a company with an active budget asks for
    const archived = await call(`/v1/company/budgets/${budget.id}`, { method: 'DELETE', token: admin });
    expect(archived.status).toBe(204);
  });
});

describe('cart-level offers', () => {
  it('a spend threshold shows on the cart, and the order charges exactly the total shown', async () => {
    const offer = await first<{ threshold_minor: number; discount_bp: number }>(
      "SELECT threshold_minor, discount_bp FROM cart_offers WHERE id = 'off_spend_1000'",
    );
    const sku = cheap[9] ?? '';
    const { amount_minor } = await first<{ amount_minor: number }>(
      "SELECT amount_minor FROM list_prices WHERE price_list_id = 'pl_eur' AND sku = ?",
      sku,
    );
    const quantity = Math.ceil((offer.threshold_minor * 1.5) / amount_minor);
    const cartId = await savedCart(buyer, 'Over the threshold', [{ sku, quantity }]);
    const cart = await json<{
      totals: { subtotalMinor: number; offerDiscountMinor: number; totalMinor: number };
      offers: { applied: { offerId: string; discountMinor: number; explanation: string }[] };
    }>(await call(`/v1/carts/${cartId}`, { token: buyer }));
    const applied = cart.offers.applied.find((o) => o.offerId === 'off_spend_1000');
    expect(applied?.discountMinor).toBe(Math.round((cart.totals.subtotalMinor * offer.discount_bp) / 10_000));
    expect(cart.totals.totalMinor).toBe(cart.totals.subtotalMinor - cart.totals.offerDiscountMinor);
    const outcome = await json<Outcome>(await checkout(buyer, cartId, 'offer-1'));
    expect(outcome.totalMinor).toBe(cart.totals.totalMinor);
    const order = await first<{
      subtotal_minor: number;
      discount_minor: number;
      total_minor: number;
      offers: string;
    }>(
      'SELECT subtotal_minor, discount_minor, total_minor, offers FROM orders WHERE id = ?',
      outcome.orderId,
    );
    expect(order).toMatchObject({
      subtotal_minor: cart.totals.subtotalMinor,
      discount_minor: cart.totals.offerDiscountMinor,
      total_minor: cart.totals.totalMinor,
    });
    expect(JSON.parse(order.offers)[0]).toMatchObject({ offerId: 'off_spend_1000' });
  });
});
