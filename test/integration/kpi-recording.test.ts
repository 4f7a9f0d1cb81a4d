import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';
import { call, json, loginAs } from './harness';
import { orderableSkus, placeOrder } from './order-life-helpers';
import { first } from './pricing-helpers';

describe('what the KPIs read is recorded as it happens', () => {
  it("keeps the cart's first line time on the order at checkout", async () => {
    const before = Date.now();
    const [sku] = await orderableSkus(1);
    const orderId = await placeOrder('kpi-cart-start', [{ sku: sku ?? '', quantity: 1 }]);
    const row = await first<{ cart_started_at: number | null; created_at: number }>(
      'SELECT cart_started_at, created_at FROM orders WHERE id = ?',
      orderId,
    );
    expect(row.cart_started_at).toBeGreaterThanOrEqual(before);
    expect(row.cart_started_at).toBeLessThanOrEqual(row.created_at);
  });

  it('records who added lines by quick order, from a list and by reordering, once per day and way', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const [sku] = await orderableSkus(1);
    const cart = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: buyer, body: { name: 'kpi' } }),
    );
    for (let i = 0; i < 2; i++) {
      const res = await call('/v1/quick-order/add-to-cart', {
        method: 'POST',
        token: buyer,
        body: { cartId: cart.id, lines: [{ sku, quantity: 1, line: 1 }] },
      });
      expect(res.status).toBe(200);
    }
    const list = await json<{ id: string }>(
      await call('/v1/lists', {
        method: 'POST',
        token: buyer,
        body: { name: 'KPI list', items: [{ sku, quantity: 1 }] },
      }),
    );
    const fromList = await call(`/v1/lists/${list.id}/add-to-cart`, {
      method: 'POST',
      token: buyer,
      body: { cartId: cart.id },
    });
    expect(fromList.status).toBe(200);
    const { results } = await env.DB.prepare(
      "SELECT origin, user_id FROM cart_activity WHERE company_id = 'co_acme' ORDER BY origin",
    ).all();
    expect(results).toEqual([
      { origin: 'list', user_id: 'usr_acme_buyer' },
      { origin: 'quick_order', user_id: 'usr_acme_buyer' },
    ]);
  });

  it('the 5-minute cron recomputes the days whose orders changed and moves its watermark', async () => {
    const [sku] = await orderableSkus(1);
    const orderId = await placeOrder('kpi-cron', [{ sku: sku ?? '', quantity: 1 }]);
    const order = await first<{ created_at: number }>('SELECT created_at FROM orders WHERE id = ?', orderId);
    const day = new Date(order.created_at).toISOString().slice(0, 10);
    const ctx = createExecutionContext();
    const scheduledTime = Date.now() + 1_000;
    await worker.scheduled(
      createScheduledController({ cron: CRONS.outboxRelaySweep, scheduledTime }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const daily = await first<{ orders: number }>(
      "SELECT sum(orders) AS orders FROM kpi_daily WHERE company_id = 'co_acme' AND day = ?",
      day,
    );
    const counted = await first<{ n: number }>(
      `SELECT count(*) AS n FROM orders WHERE company_id = 'co_acme' AND status IN ('placed', 'pending_approval')
       AND strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') = ?`,
      day,
    );
    expect(daily.orders).toBe(counted.n);
    const mark = await first<{ up_to: number }>("SELECT up_to FROM kpi_watermarks WHERE source = 'orders'");
    expect(mark.up_to).toBe(scheduledTime);
  });
});
