import { describe, expect, it } from 'vitest';
import {
  DAY,
  ERP,
  erpCall,
  fakeBackend,
  HOUR,
  MINUTE,
  orderDoc,
  postOrder,
  simWith,
} from './erp-sim-fixtures';

// The reference ERP's order intake: idempotency, validation, and what it holds (GET /orders).

describe('POST /orders', () => {
  it('takes an order once per Idempotency-Key and answers a replay with the first answer', async () => {
    const sim = simWith(fakeBackend());
    const doc = orderDoc('ord_1', [{ sku: 'FAS-000001', quantity: 5 }]);
    const first = await postOrder(sim, doc);
    expect(first.status).toBe(201);
    const { erpOrderNumber } = (await first.json()) as { erpOrderNumber: string };
    expect(erpOrderNumber).toMatch(/^SO-\d+$/);

    for (let i = 0; i < 3; i++) {
      const again = await postOrder(sim, doc);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ erpOrderNumber });
    }
    expect(sim.orders()).toHaveLength(1);
    expect(sim.orders()[0]?.posts).toBe(4);
    const held = (await (await sim.handle(new Request(`${ERP}/orders`))).json()) as {
      total: number;
      counts: Record<string, number>;
      orders: { orderId: string; posts: number; status: string }[];
    };
    expect(held.total).toBe(1);
    expect(held.counts).toEqual({ ord_1: 1 });
    expect(held.orders[0]).toMatchObject({ orderId: 'ord_1', posts: 4, status: 'received' });
  });

  it('counts a second ERP order for the same order id when the keys differ (what exactly-once tests catch)', async () => {
    const sim = simWith(fakeBackend());
    const doc = orderDoc('ord_2', [{ sku: 'FAS-000001', quantity: 1 }]);
    expect((await postOrder(sim, doc, 'key-a')).status).toBe(201);
    expect((await postOrder(sim, doc, 'key-b')).status).toBe(201);
    expect(sim.counts()).toEqual({ ord_2: 2 });
  });

  it('refuses an order without Idempotency-Key (400), broken JSON (400) and a malformed document (422)', async () => {
    const sim = simWith(fakeBackend());
    const noKey = await sim.handle(
      new Request(`${ERP}/orders`, { method: 'POST', body: JSON.stringify(orderDoc('o', [])) }),
    );
    expect(noKey.status).toBe(400);
    expect(await noKey.json()).toMatchObject({ error: 'idempotency_key_required' });

    expect((await postOrder(sim, '{"orderId": "o1", "lines": [', 'k1')).status).toBe(400);

    const bad = await postOrder(
      sim,
      {
        orderId: 'o2',
        currency: 'euro',
        lines: [
          { sku: '', quantity: 0 },
          { lineNo: 1, sku: 'A', quantity: 1.5 },
        ],
      },
      'k2',
    );
    expect(bad.status).toBe(422);
    const { issues } = (await bad.json()) as { issues: { path: string }[] };
    expect(issues.map((i) => i.path)).toEqual([
      'currency',
      'lines.0.sku',
      'lines.0.quantity',
      'lines.1.lineNo',
      'lines.1.quantity',
    ]);
    expect((await postOrder(sim, { orderId: 'o3', lines: [] }, 'k3')).status).toBe(422);
    expect((await postOrder(sim, [], 'k4')).status).toBe(422);
    // nothing was stored for a refused document: the same key with a good one is a new order
    expect((await postOrder(sim, orderDoc('o2', [{ sku: 'A', quantity: 1 }]), 'k2')).status).toBe(201);
    expect(sim.orders()).toHaveLength(1);
  });
});

describe('follow-ups: cancellation, receipts, problem reports', () => {
  it('accepts a cancellation before shipment, sends `cancelled`, and never ships the order', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, orderDoc('ord_c', [{ sku: 'A', quantity: 2 }]));
    await sim.advance(MINUTE); // acknowledged
    const cancel = await erpCall(sim, 'POST', '/orders/ord_c/cancellation', { orderId: 'ord_c' }, 'exp_1');
    expect(cancel.status).toBe(200);
    expect(await cancel.json()).toMatchObject({ status: 'cancelled' });
    await sim.advance(10 * DAY);
    expect(backend.events().map((e) => e.type)).toEqual(['acknowledged', 'cancelled']);
    // the same key again: the stored answer
    expect((await erpCall(sim, 'POST', '/orders/ord_c/cancellation', {}, 'exp_1')).status).toBe(200);
  });

  it('refuses a cancellation once the order has shipped (422, the same on replay)', async () => {
    const sim = simWith(fakeBackend());
    await postOrder(sim, orderDoc('ord_s', [{ sku: 'A', quantity: 1 }]));
    await sim.advance(HOUR);
    for (let i = 0; i < 2; i++) {
      const late = await erpCall(sim, 'POST', '/orders/ord_s/cancellation', { orderId: 'ord_s' }, 'exp_2');
      expect(late.status).toBe(422);
      expect(await late.json()).toMatchObject({ error: 'already_shipped' });
    }
  });

  it('records receipts and problem reports once per key; unknown orders and missing fields are refused', async () => {
    const sim = simWith(fakeBackend());
    await postOrder(sim, orderDoc('ord_r', [{ sku: 'A', quantity: 1 }]));
    const receipt = { orderId: 'ord_r', shipmentId: 'SO-100001-S1', receivedAt: 'x', receivedBy: 'u' };
    const first = await erpCall(sim, 'POST', '/orders/ord_r/receipts', receipt, 'exp_r');
    expect(first.status).toBe(201);
    const again = await erpCall(sim, 'POST', '/orders/ord_r/receipts', receipt, 'exp_r');
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const report = { orderId: 'ord_r', reportId: 'pr_1', lineNo: 1, sku: 'A', kind: 'damaged', quantity: 1 };
    expect((await erpCall(sim, 'POST', '/orders/ord_r/problem-reports', report, 'exp_p')).status).toBe(201);
    expect((await erpCall(sim, 'POST', '/orders/ord_r/problem-reports', report, 'exp_p')).status).toBe(200);
    expect(sim.orders()[0]).toMatchObject({ receipts: [receipt], problemReports: [report] });

    expect((await erpCall(sim, 'POST', '/orders/nope/receipts', receipt, 'exp_x')).status).toBe(404);
    expect((await erpCall(sim, 'POST', '/orders/ord_r/receipts', receipt)).status).toBe(400);
    expect((await erpCall(sim, 'POST', '/orders/ord_r/receipts', { orderId: 'ord_r' }, 'exp_y')).status).toBe(
      422,
    );
    const noLine = await erpCall(sim, 'POST', '/orders/ord_r/problem-reports', { kind: 'damaged' }, 'exp_z');
    expect(noLine.status).toBe(422);
    expect(await erpCall(sim, 'GET', '/orders/ord_r').then((r) => r.status)).toBe(200);
    expect(await erpCall(sim, 'GET', '/orders/nope').then((r) => r.status)).toBe(404);
  });
});
