import { beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, expectProblem, json, loginAs } from './harness';
import { at, orderableSkus, orderView, placeOrder, postEvent } from './order-life-helpers';
import { all, first } from './pricing-helpers';

let skus: string[] = [];
let orderId = '';
let shipmentId = '';
let warehouse = '';

const invoiceEvent = (n: string, issueDate: string, dueDate: string, grossMinor: number, paidMinor = 0) => ({
  eventId: `inv-${n}-${paidMinor}`,
  type: 'invoiced',
  occurredAt: at(50 + paidMinor / 1000),
  invoice: {
    number: n,
    issueDate,
    dueDate,
    currency: 'EUR',
    netMinor: grossMinor - 1000,
    taxMinor: 1000,
    grossMinor,
    paidMinor,
    documentUrl: `https://docs.erp.example/${n}.pdf`,
  },
});

const ok = async (res: Response) => {
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return json(res);
};

beforeAll(async () => {
  skus = await orderableSkus(4);
  orderId = await placeOrder('buyer-life', [
    { sku: skus[0] ?? '', quantity: 5 },
    { sku: skus[1] ?? '', quantity: 2 },
  ]);
  await ok(
    await postEvent(orderId, {
      eventId: 'b-ack',
      type: 'acknowledged',
      occurredAt: at(10),
      erpOrderNumber: 'SO-B',
      lines: [{ lineNo: 2, quantity: 2, substituteSku: 'SUB-B', expectedDate: '2030-03-01' }],
    }),
  );
  await ok(
    await postEvent(orderId, {
      eventId: 'b-ship',
      type: 'shipped',
      occurredAt: at(20),
      shipment: {
        id: 'B-SH1',
        carrier: 'DPD',
        trackingNumber: 'T-1',
        trackingUrl: 'https://track.carrier.example/T-1',
        lines: [{ lineNo: 1, quantity: 5 }],
      },
    }),
  );
  // overdue, partly paid and credited; paid in full; open and not yet due
  await ok(await postEvent(orderId, invoiceEvent('INV-B1', '2025-01-10', '2025-02-09', 50_000, 10_000)));
  await ok(
    await postEvent(orderId, {
      eventId: 'b-credit',
      type: 'credited',
      occurredAt: at(70),
      creditNote: {
        number: 'CN-B1',
        creditsNumber: 'INV-B1',
        issueDate: '2025-01-20',
        currency: 'EUR',
        netMinor: 4_000,
        taxMinor: 1_000,
        grossMinor: 5_000,
      },
    }),
  );
  await ok(await postEvent(orderId, invoiceEvent('INV-B2', '2025-03-01', '2025-03-31', 20_000, 20_000)));
  await ok(await postEvent(orderId, invoiceEvent('INV-B3', '2099-01-01', '2099-01-31', 30_000)));
  shipmentId = (await orderView(orderId)).shipments[0]?.id ?? '';
  const admin = await loginAs('admin@acme.example');
  const role = await json<{ id: string }>(
    await call('/v1/company/roles', {
      method: 'POST',
      token: admin,
      body: { key: 'goods_in', name: 'Goods in', permissions: ['catalog.view', 'invoices.view'] },
    }),
  );
  await createUser(admin, { email: 'goods-in@acme.example', name: 'Gus Goods', roleIds: [role.id] });
  warehouse = await loginAs('goods-in@acme.example');
});

describe("the buyer's view of the order's life", () => {
  it('the order shows its timeline, shipments with tracking, documents, and the ERP’s confirmations', async () => {
    const order = await orderView(orderId);
    expect(order).toMatchObject({ erpOrderNumber: 'SO-B', fulfilmentStatus: 'partially_shipped' });
    expect(order.lines[1]).toMatchObject({
      confirmedQuantity: 2,
      substituteSku: 'SUB-B',
      expectedDate: '2030-03-01',
      shippedQuantity: 0,
    });
    expect(order.shipments).toEqual([
      expect.objectContaining({
        erpShipmentId: 'B-SH1',
        carrier: 'DPD',
        trackingNumber: 'T-1',
        trackingUrl: 'https://track.carrier.example/T-1',
        receivedAt: null,
      }),
    ]);
    expect(order.documents.map((d) => [d.number, d.openMinor, d.status, d.overdue])).toEqual([
      ['INV-B1', 35_000, 'open', true],
      ['CN-B1', null, null, false],
      ['INV-B2', 0, 'paid', false],
      ['INV-B3', 30_000, 'open', false],
    ]);
    // the shipment's notification names our shipment id, what a receipt is confirmed for
    const shipped = await first<{ payload: string }>(
      "SELECT payload FROM outbox WHERE aggregate_id = ? AND id LIKE '%order_shipped%'",
      orderId,
    );
    expect(JSON.parse(shipped.payload)).toMatchObject({
      event: 'order.shipped',
      payload: { erpOrderNumber: 'SO-B', shipment: { id: shipmentId, trackingNumber: 'T-1' } },
    });
    const times = order.timeline.map((t) => t.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(order.timeline[0]).toMatchObject({ type: 'placed', source: 'company' });
    expect(order.timeline.filter((t) => t.source === 'erp').map((t) => t.erpEventId)).toContain('b-ship');
  });

  it('without prices.view the order and invoices show no amounts', async () => {
    const order = await orderView(orderId, warehouse);
    const text = JSON.stringify(order);
    expect(text).not.toMatch(/Minor/);
    expect(order.documents[0]).toMatchObject({ number: 'INV-B1', status: 'open', overdue: true });
    const list = await ok(await call('/v1/invoices', { token: warehouse }));
    expect(JSON.stringify(list)).not.toMatch(/Minor/);
  });

  it('lists invoices with open amount, due date, overdue flag, filters and paging', async () => {
    const finance = await loginAs('finance@acme.example');
    type Page = {
      items: {
        id: string;
        number: string;
        openMinor: number | null;
        overdue: boolean;
        dueDate: string | null;
        orderId: string;
      }[];
      nextCursor: string | null;
    };
    const page = async (query: string) => json<Page>(await call(`/v1/invoices${query}`, { token: finance }));
    const everything = await page('');
    expect(everything.items.map((i) => i.number)).toEqual(['INV-B3', 'INV-B2', 'CN-B1', 'INV-B1']);
    expect(everything.items[3]).toMatchObject({
      openMinor: 35_000,
      overdue: true,
      dueDate: '2025-02-09',
      orderId,
    });
    expect((await page('?status=open')).items.map((i) => i.number)).toEqual(['INV-B3', 'INV-B1']);
    expect((await page('?status=overdue')).items.map((i) => i.number)).toEqual(['INV-B1']);
    expect((await page('?status=paid')).items.map((i) => i.number)).toEqual(['INV-B2']);
    expect((await page('?from=2025-01-15&to=2025-03-01')).items.map((i) => i.number)).toEqual([
      'INV-B2',
      'CN-B1',
    ]);
    const first2 = await page('?limit=2');
    const next = await page(`?limit=2&cursor=${first2.nextCursor}`);
    expect([...first2.items, ...next.items].map((i) => i.number)).toEqual(
      everything.items.map((i) => i.number),
    );
    expect(next.nextCursor).toBeNull();
    const one = everything.items[3];
    expect(await json(await call(`/v1/invoices/${one?.id}`, { token: finance }))).toMatchObject({
      number: 'INV-B1',
      openMinor: 35_000,
    });
    await expectProblem(
      await call(`/v1/invoices/${one?.id}`, { token: await loginAs('admin@globex.example') }),
      404,
    );
    await expectProblem(await call('/v1/invoices', { token: await loginAs('buyer@acme.example') }), 403);
    await expectProblem(await call('/v1/invoices?status=late&from=2025-02-30', { token: finance }), 400);
    // supplier staff name the company, as elsewhere
    const ops = await loginAs('ops@supplier.example');
    expect((await call('/v1/invoices', { token: ops, headers: { 'x-company-id': 'co_acme' } })).status).toBe(
      200,
    );
  });

  it('confirming receipt twice records one receipt and one message to the ERP', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const path = `/v1/orders/${orderId}/shipments/${shipmentId}/receipt`;
    const firstAnswer = await ok(await call(path, { method: 'POST', token: buyer, body: {} }));
    const second = await ok(await call(path, { method: 'POST', token: buyer, body: {} }));
    expect(second).toEqual(firstAnswer);
    expect(firstAnswer).toMatchObject({ id: shipmentId, receivedBy: 'usr_acme_buyer' });
    const exports = await all<{ id: string; kind: string; state: string }>(
      "SELECT id, kind, state FROM erp_exports WHERE order_id = ? AND kind = 'receipt'",
      orderId,
    );
    expect(exports).toEqual([
      { id: `obx_${orderId.slice(4)}_receipt_${shipmentId.slice(4)}`, kind: 'receipt', state: 'pending' },
    ]);
    const outbox = await first<{ topic: string; payload: string }>(
      'SELECT topic, payload FROM outbox WHERE id = ?',
      exports[0]?.id,
    );
    // the relay POSTs `body` to the ERP's receipts (docs/erp.md): the ERP's own shipment id
    expect(outbox.topic).toBe('order.receipt_export');
    expect(JSON.parse(outbox.payload)).toEqual({
      orderId,
      body: {
        orderId,
        shipmentId: expect.not.stringMatching(/^shp_/),
        receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        receivedBy: 'usr_acme_buyer',
      },
    });
    const events = await all(
      'SELECT id FROM order_events WHERE order_id = ? AND type = ?',
      orderId,
      'received',
    );
    expect(events).toHaveLength(1);
    // another company, or a shipment that is not this order's: 404
    await expectProblem(
      await call(path, { method: 'POST', token: await loginAs('buyer@globex.example'), body: {} }),
      404,
    );
    await expectProblem(
      await call(`/v1/orders/${orderId}/shipments/shp_nope/receipt`, {
        method: 'POST',
        token: buyer,
        body: {},
      }),
      404,
    );
  });

  it('a problem on a line goes to the ERP and to the sales rep; a retry with the same key reports once', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const path = `/v1/orders/${orderId}/lines/1/problems`;
    const body = { kind: 'damaged', quantity: 2, note: 'Two boxes crushed', shipmentId };
    const headers = { 'idempotency-key': 'damage-1' };
    const created = await call(path, { method: 'POST', token: buyer, body, headers });
    expect(created.status).toBe(201);
    const report = await json<{ id: string; lineNo: number; sku: string }>(created);
    expect(report).toMatchObject({ lineNo: 1, sku: skus[0], kind: 'damaged', quantity: 2 });
    const replay = await call(path, { method: 'POST', token: buyer, body, headers });
    expect(replay.status).toBe(201);
    expect(await json(replay)).toEqual(report);
    await expectProblem(
      await call(path, { method: 'POST', token: buyer, body: { ...body, quantity: 1 }, headers }),
      422,
    );
    const exportId = `obx_${orderId.slice(4)}_problem_${report.id.slice(4)}`;
    const rows = await all<{ id: string; topic: string; payload: string }>(
      "SELECT id, topic, payload FROM outbox WHERE aggregate_id = ? AND (id = ? OR id LIKE '%problem_reported%')",
      orderId,
      exportId,
    );
    expect(rows.map((r) => r.topic).sort()).toEqual(['notification', 'order.problem_report_export']);
    const exported = JSON.parse(rows.find((r) => r.id === exportId)?.payload ?? '{}');
    expect(exported.body).toMatchObject({
      orderId,
      reportId: report.id,
      lineNo: 1,
      sku: skus[0],
      kind: 'damaged',
      quantity: 2,
      note: 'Two boxes crushed',
    });
    const notification = JSON.parse(rows.find((r) => r.topic === 'notification')?.payload ?? '{}');
    expect(notification).toMatchObject({
      event: 'order.problem_reported',
      payload: {
        orderId,
        reportId: report.id,
        lineNo: 1,
        kind: 'damaged',
        salesRep: { id: 'usr_rep', email: 'rep@supplier.example' },
      },
    });
    expect(
      await all("SELECT id FROM erp_exports WHERE kind = 'problem_report' AND order_id = ?", orderId),
    ).toEqual([{ id: exportId }]);
  });

  it('validates problem reports', async () => {
    const buyer = await loginAs('buyer@acme.example');
    const post = (lineNo: string, b: unknown) =>
      call(`/v1/orders/${orderId}/lines/${lineNo}/problems`, { method: 'POST', token: buyer, body: b });
    const bad = await expectProblem(await post('1', { kind: 'lost', quantity: 0 }), 400);
    expect(bad.errors?.map((e) => e.path).sort()).toEqual(['kind', 'quantity']);
    const noNote = await expectProblem(await post('1', { kind: 'other', quantity: 1 }), 400);
    expect(noNote.errors?.map((e) => e.path)).toEqual(['note']);
    const tooMany = await expectProblem(await post('2', { kind: 'missing', quantity: 3 }), 422);
    expect(tooMany.errors?.map((e) => e.path)).toEqual(['quantity']);
    await expectProblem(await post('7', { kind: 'missing', quantity: 1 }), 404);
    await expectProblem(await post('x', { kind: 'missing', quantity: 1 }), 400);
    await expectProblem(await post('1', { kind: 'missing', quantity: 1, shipmentId: 'shp_nope' }), 422);
    const viewer = await call(`/v1/orders/${orderId}/lines/1/problems`, {
      method: 'POST',
      token: warehouse,
      body: { kind: 'missing', quantity: 1 },
    });
    expect(viewer.status).toBe(403);
  });
});
