import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { setFaultHook } from '../../src/durable/faults';
import { call, expectProblem, json, loginAs } from './harness';
import {
  at,
  msAt,
  type OrderView,
  orderableSkus,
  orderView,
  placeOrder,
  postEvent,
  postEventIn,
} from './order-life-helpers';
import { all, first } from './pricing-helpers';

let skus: string[] = [];

beforeAll(async () => {
  skus = await orderableSkus(12);
});

const sku = (i: number) => skus[i] ?? '';
const threeLines = (offset: number) => [
  { sku: sku(offset), quantity: 10 },
  { sku: sku(offset + 1), quantity: 4 },
  { sku: sku(offset + 2), quantity: 2 },
];

/** The ERP's story of a three-line order: ack with changes, two partial shipments, delivery, invoice, credit. */
const story = (prefix: string) => ({
  ack: {
    eventId: `${prefix}-ack`,
    type: 'acknowledged',
    occurredAt: at(10),
    erpOrderNumber: `SO-${prefix}`,
    lines: [
      { lineNo: 1, quantity: 8 },
      { lineNo: 2, quantity: 4, substituteSku: 'SUB-4711', expectedDate: '2030-01-15' },
    ],
  },
  ship1: {
    eventId: `${prefix}-ship-1`,
    type: 'shipped',
    occurredAt: at(20),
    shipment: {
      id: `${prefix}-SH1`,
      carrier: 'DHL',
      trackingNumber: 'JD0001',
      trackingUrl: 'https://track.carrier.example/JD0001',
      lines: [
        { lineNo: 1, quantity: 5 },
        { lineNo: 2, quantity: 4 },
      ],
    },
  },
  ship2: {
    eventId: `${prefix}-ship-2`,
    type: 'shipped',
    occurredAt: at(30),
    shipment: {
      id: `${prefix}-SH2`,
      lines: [
        { lineNo: 1, quantity: 3 },
        { lineNo: 3, quantity: 2 },
      ],
    },
  },
  delivered: { eventId: `${prefix}-delivered`, type: 'delivered', occurredAt: at(40) },
});

const fulfilment = async (orderId: string) =>
  first<{ fulfilment_status: string; erp_order_number: string | null; status: string; export_state: string }>(
    'SELECT fulfilment_status, erp_order_number, status, export_state FROM orders WHERE id = ?',
    orderId,
  );

const sent = async (orderId: string, body: Record<string, unknown>) => {
  const res = await postEvent(orderId, body);
  if (res.status !== 200) throw new Error(`${String(body.eventId)}: ${res.status} ${await res.text()}`);
  return json<{ order: { fulfilmentStatus: string } }>(res);
};

/** What a buyer sees of an order, without ids and timestamps that differ between two orders. */
const comparable = (o: OrderView) => ({
  status: o.status,
  fulfilmentStatus: o.fulfilmentStatus,
  lines: o.lines.map((l) => [
    l.lineNo,
    l.confirmedQuantity,
    l.substituteSku,
    l.expectedDate,
    l.shippedQuantity,
  ]),
  shipments: o.shipments.map((s) => [s.erpShipmentId.split('-').at(-1), s.shippedAt, s.deliveredAt, s.lines]),
});

describe('ERP order events', () => {
  it('acknowledged with changes, two partial shipments, delivered, invoiced and credited', async () => {
    const orderId = await placeOrder('life-full', threeLines(0));
    const s = story('full');
    expect((await sent(orderId, s.ack)).order.fulfilmentStatus).toBe('acknowledged');
    // the ERP's acknowledgement is the export's too, whatever our own POST's answer was
    expect(await fulfilment(orderId)).toMatchObject({
      erp_order_number: 'SO-full',
      status: 'placed',
      export_state: 'acknowledged',
    });
    expect((await sent(orderId, s.ship1)).order.fulfilmentStatus).toBe('partially_shipped');
    expect((await sent(orderId, s.ship2)).order.fulfilmentStatus).toBe('shipped');
    expect((await sent(orderId, s.delivered)).order.fulfilmentStatus).toBe('delivered');
    await sent(orderId, {
      eventId: 'full-inv',
      type: 'invoiced',
      occurredAt: at(50),
      invoice: {
        number: 'INV-full',
        issueDate: '2030-01-20',
        dueDate: '2030-02-19',
        currency: 'EUR',
        netMinor: 10_000,
        taxMinor: 2_000,
        grossMinor: 12_000,
        documentUrl: 'https://docs.erp.example/INV-full.pdf',
      },
    });
    await sent(orderId, {
      eventId: 'full-credit',
      type: 'credited',
      occurredAt: at(60),
      creditNote: {
        number: 'CN-full',
        creditsNumber: 'INV-full',
        issueDate: '2030-01-25',
        currency: 'EUR',
        netMinor: 1_000,
        taxMinor: 200,
        grossMinor: 1_200,
      },
    });

    const order = await orderView(orderId);
    expect(order.erpOrderNumber).toBe('SO-full');
    expect(
      order.lines.map((l) => [l.confirmedQuantity, l.substituteSku, l.expectedDate, l.shippedQuantity]),
    ).toEqual([
      [8, null, null, 8],
      [4, 'SUB-4711', '2030-01-15', 4],
      [2, null, null, 2],
    ]);
    // the substitute is what was shipped on line 2
    expect(order.shipments[0]?.lines).toEqual([
      { lineNo: 1, sku: sku(0), quantity: 5 },
      { lineNo: 2, sku: 'SUB-4711', quantity: 4 },
    ]);
    expect(order.shipments.map((x) => x.deliveredAt)).toEqual([msAt(40), msAt(40)]);
    expect(order.documents.map((d) => [d.kind, d.number, d.openMinor])).toEqual([
      ['invoice', 'INV-full', 10_800],
      ['credit_note', 'CN-full', null],
    ]);
    expect(order.timeline.filter((t) => t.source === 'erp').map((t) => t.type)).toEqual([
      'acknowledged',
      'shipped',
      'shipped',
      'delivered',
      'invoiced',
      'credited',
    ]);
    const notified = await all<{ id: string }>(
      "SELECT id FROM outbox WHERE aggregate_id = ? AND topic = 'notification' ORDER BY created_at, id",
      orderId,
    );
    expect(notified.map((n) => n.id.split('_').slice(2, 4).join('.')).sort()).toEqual(
      ['order.delivered', 'order.invoiced', 'order.placed', 'order.shipped', 'order.shipped'].sort(),
    );
    const audited = await all<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = ? AND action LIKE 'order.erp_%'",
      orderId,
    );
    expect(audited).toHaveLength(6);
  });

  it('the same event twice changes nothing the second time; the same id with another body is a 409', async () => {
    const orderId = await placeOrder('life-twice', threeLines(3));
    const s = story('twice');
    await sent(orderId, s.ack);
    const firstAnswer = await postEvent(orderId, s.ship1);
    const again = await postEvent(orderId, s.ship1);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(await json(firstAnswer));
    const count = async (sql: string) => (await first<{ n: number }>(sql, orderId)).n;
    expect(await count('SELECT count(*) AS n FROM shipments WHERE order_id = ?')).toBe(1);
    expect(
      await count("SELECT count(*) AS n FROM order_events WHERE order_id = ? AND actor_id = 'erp'"),
    ).toBe(2);
    expect(
      await count("SELECT count(*) AS n FROM outbox WHERE aggregate_id = ? AND id LIKE '%order_shipped%'"),
    ).toBe(1);
    const changed = { ...s.ship1, shipment: { ...s.ship1.shipment, carrier: 'UPS' } };
    await expectProblem(await postEvent(orderId, changed), 409);
    // an event id belongs to one order
    const other = await placeOrder('life-twice-other', [{ sku: sku(3), quantity: 1 }]);
    await expectProblem(await postEvent(other, s.ack), 409);
  });

  it('events out of order end in the same state as in order; no status goes back', async () => {
    const inOrder = await placeOrder('life-in-order', threeLines(6));
    const shuffled = await placeOrder('life-shuffled', threeLines(6));
    const a = story('ordered');
    const b = story('shuffled');
    for (const e of [a.ack, a.ship1, a.ship2, a.delivered]) await sent(inOrder, e);
    // delivered first (no shipment known yet: kept, applied when they arrive), then shipped before acknowledged
    const early = await json<{ waiting: boolean }>(await postEvent(shuffled, b.delivered));
    expect(early.waiting).toBe(true);
    expect((await sent(shuffled, b.ship2)).order.fulfilmentStatus).toBe('partially_shipped');
    await sent(shuffled, b.ship1);
    // the acknowledgement arrives last: it records the ERP number and confirmations, and moves nothing back
    expect((await sent(shuffled, b.ack)).order.fulfilmentStatus).toBe('delivered');
    expect(await fulfilment(shuffled)).toMatchObject({ erp_order_number: 'SO-shuffled' });
    expect(comparable(await orderView(shuffled))).toEqual(comparable(await orderView(inOrder)));
  });

  it('refuses shipping more than was ordered or confirmed, with the path of the quantity', async () => {
    const orderId = await placeOrder('life-over', threeLines(9));
    await sent(orderId, {
      eventId: 'over-ack',
      type: 'acknowledged',
      occurredAt: at(1),
      erpOrderNumber: 'SO-over',
      lines: [{ lineNo: 1, quantity: 6 }],
    });
    await sent(orderId, {
      eventId: 'over-ship-1',
      type: 'shipped',
      occurredAt: at(2),
      shipment: { id: 'over-SH1', lines: [{ lineNo: 1, quantity: 4 }] },
    });
    const over = await expectProblem(
      await postEvent(orderId, {
        eventId: 'over-ship-2',
        type: 'shipped',
        occurredAt: at(3),
        shipment: {
          id: 'over-SH2',
          lines: [
            { lineNo: 2, quantity: 1 },
            { lineNo: 1, quantity: 3 },
          ],
        },
      }),
      422,
    );
    expect(over.errors?.map((e) => e.path)).toEqual(['shipment.lines.1.quantity']);
    const unknownLine = await expectProblem(
      await postEvent(orderId, {
        eventId: 'over-ship-3',
        type: 'shipped',
        occurredAt: at(3),
        shipment: { id: 'over-SH3', lines: [{ lineNo: 9, quantity: 1 }] },
      }),
      422,
    );
    expect(unknownLine.errors?.map((e) => e.path)).toEqual(['shipment.lines.0.lineNo']);
    // a late acknowledgement may not confirm less than already went out
    const late = await expectProblem(
      await postEvent(orderId, {
        eventId: 'over-ack-2',
        type: 'acknowledged',
        occurredAt: at(4),
        erpOrderNumber: 'SO-over',
        lines: [{ lineNo: 1, quantity: 3 }],
      }),
      422,
    );
    expect(late.errors?.map((e) => e.path)).toEqual(['lines.0.quantity']);
    expect(
      (await first<{ n: number }>('SELECT count(*) AS n FROM erp_order_events WHERE order_id = ?', orderId))
        .n,
    ).toBe(2);
  });

  it('two events of one order at once are taken one after the other: no overshipping slips between them', async () => {
    const orderId = await placeOrder('life-racing', [{ sku: sku(10), quantity: 4 }]);
    const shipped = (n: number) => ({
      eventId: `race-ship-${n}`,
      type: 'shipped',
      occurredAt: at(n),
      shipment: { id: `race-SH${n}`, lines: [{ lineNo: 1, quantity: 3 }] },
    });
    // the first event is held after it judged the order, until the second one is either queued behind it
    // (taken one at a time) or has judged the order itself (a race: both would see no shipment yet)
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let held: () => void = () => {};
    const firstIsHeld = new Promise<void>((resolve) => {
      held = resolve;
    });
    await runInDurableObject(env.ORGANIZATION.getByName('co_acme'), () =>
      setFaultHook((point, site) => {
        if (site.eventId === 'race-ship-1' && point === 'erp-event.judged') {
          held();
          return gate;
        }
        if (site.eventId === 'race-ship-2') open();
        return undefined;
      }),
    );
    try {
      const firstAnswer = postEvent(orderId, shipped(1));
      await firstIsHeld;
      const answers = await Promise.all([firstAnswer, postEvent(orderId, shipped(2))]);
      expect(answers.map((r) => r.status)).toEqual([200, 422]);
    } finally {
      await runInDurableObject(env.ORGANIZATION.getByName('co_acme'), () => setFaultHook(null));
    }
    expect(
      (await first<{ n: number }>('SELECT count(*) AS n FROM shipments WHERE order_id = ?', orderId)).n,
    ).toBe(1);
  });

  it('an API key with the erp:write scope posts events; the audit trail names it', async () => {
    const ops = await loginAs('ops@supplier.example');
    const made = await json<{ id: string; key: string }>(
      await call('/v1/admin/api-keys', {
        method: 'POST',
        token: ops,
        body: { name: 'ERP link', companyId: null, scopes: ['erp:write'] },
      }),
    );
    const orderId = await placeOrder('life-key', [{ sku: sku(9), quantity: 1 }]);
    const res = await postEvent(
      orderId,
      { eventId: 'key-ack', type: 'acknowledged', occurredAt: at(1), erpOrderNumber: 'SO-key' },
      made.key,
    );
    expect(res.status).toBe(200);
    const audit = await first<{ actor_id: string; actor_kind: string }>(
      "SELECT actor_id, actor_kind FROM audit_log WHERE target_id = ? AND action = 'order.erp_acknowledged'",
      orderId,
    );
    expect(audit).toEqual({ actor_id: made.id, actor_kind: 'api_key' });
  });

  it('refuses tracking and document URLs to private or loopback hosts', async () => {
    const orderId = await placeOrder('life-urls', [{ sku: sku(0), quantity: 2 }]);
    const shipped = (url: string, id: string) => ({
      eventId: `urls-${id}`,
      type: 'shipped',
      occurredAt: at(5),
      shipment: { id, trackingUrl: url, lines: [{ lineNo: 1, quantity: 1 }] },
    });
    const loopback = await expectProblem(
      await postEventIn('production', orderId, shipped('https://127.0.0.1/t', 'a')),
      400,
    );
    expect(loopback.errors?.map((e) => e.path)).toEqual(['shipment.trackingUrl']);
    const plainHttp = await expectProblem(
      await postEventIn('production', orderId, shipped('http://track.carrier.example/t', 'b')),
      400,
    );
    expect(plainHttp.errors?.map((e) => e.path)).toEqual(['shipment.trackingUrl']);
    const privateNet = await expectProblem(await postEvent(orderId, shipped('https://10.0.0.1/t', 'c')), 400);
    expect(privateNet.errors?.map((e) => e.path)).toEqual(['shipment.trackingUrl']);
    const invoice = await expectProblem(
      await postEvent(orderId, {
        eventId: 'urls-inv',
        type: 'invoiced',
        occurredAt: at(6),
        invoice: {
          number: 'INV-urls',
          issueDate: '2030-01-01',
          dueDate: '2030-01-31',
          currency: 'EUR',
          netMinor: 100,
          taxMinor: 20,
          grossMinor: 120,
          documentUrl: 'https://192.168.1.5/inv.pdf',
        },
      }),
      400,
    );
    expect(invoice.errors?.map((e) => e.path)).toEqual(['invoice.documentUrl']);
    expect(
      (await first<{ n: number }>('SELECT count(*) AS n FROM erp_order_events WHERE order_id = ?', orderId))
        .n,
    ).toBe(0);
  });

  it('validates each type’s fields with their paths', async () => {
    const orderId = await placeOrder('life-bad', [{ sku: sku(1), quantity: 2 }]);
    const missing = await expectProblem(
      await postEvent(orderId, { eventId: 'bad-1', type: 'shipped', occurredAt: at(1) }),
      400,
    );
    expect(missing.errors?.map((e) => e.path)).toEqual(['shipment']);
    const foreign = await expectProblem(
      await postEvent(orderId, {
        eventId: 'bad-2',
        type: 'delivered',
        occurredAt: at(1),
        erpOrderNumber: 'X',
      }),
      400,
    );
    expect(foreign.errors?.map((e) => e.path)).toEqual(['erpOrderNumber']);
    const wrong = await expectProblem(
      await postEvent(orderId, { eventId: 'bad 3', type: 'sent', occurredAt: '2030-01-01', extra: 1 }),
      400,
    );
    expect(wrong.errors?.map((e) => e.path).sort()).toEqual(['eventId', 'extra', 'occurredAt', 'type']);
    const sums = await expectProblem(
      await postEvent(orderId, {
        eventId: 'bad-4',
        type: 'invoiced',
        occurredAt: at(1),
        invoice: {
          number: 'INV-bad',
          issueDate: '2030-02-01',
          dueDate: '2030-01-01',
          currency: 'EUR',
          netMinor: 100,
          taxMinor: 20,
          grossMinor: 100,
        },
      }),
      400,
    );
    expect(sums.errors?.map((e) => e.path).sort()).toEqual(['invoice.dueDate', 'invoice.grossMinor']);
  });

  it('answers 404 for an unknown order, 409 for one never placed, 403 without erp.write', async () => {
    const ack = { eventId: 'who-1', type: 'acknowledged', occurredAt: at(1), erpOrderNumber: 'SO-who' };
    await expectProblem(await postEvent('ord_doesnotexist', ack), 404);
    const unit = await first<{ amount_minor: number }>(
      "SELECT amount_minor FROM list_prices WHERE sku = ? AND price_list_id = 'pl_eur'",
      sku(2),
    );
    // above the buyer's 5,000.00 EUR order limit: it waits for an approver
    const quantity = Math.ceil(1_000_000 / unit.amount_minor);
    const pending = await placeOrder('life-pending', [{ sku: sku(2), quantity }]);
    expect((await fulfilment(pending)).status).toBe('pending_approval');
    await expectProblem(await postEvent(pending, ack), 409);
    await expectProblem(await postEvent(pending, ack, await loginAs('admin@acme.example')), 403);
  });

  it('cancelled: the order is cancelled and the budget it held is given back, once', async () => {
    const admin = await loginAs('admin@acme.example');
    const buyer = await loginAs('buyer@acme.example');
    await call('/v1/company/budgets', {
      method: 'POST',
      token: admin,
      body: { costCenterId: 'cc_acme_maint', period: 'year', amountMinor: 100_000_000, currency: 'EUR' },
    });
    const cart = await json<{ id: string }>(
      await call('/v1/carts', { method: 'POST', token: buyer, body: { name: 'Probe' } }),
    );
    await call(`/v1/carts/${cart.id}/lines`, {
      method: 'POST',
      token: buyer,
      body: { lines: [{ sku: sku(4), quantity: 1 }] },
    });
    const remaining = async () =>
      (
        await json<{ budget: { remainingMinor: number } }>(
          await call(`/v1/carts/${cart.id}/checkout?costCenterId=cc_acme_maint`, { token: buyer }),
        )
      ).budget.remainingMinor;
    const before = await remaining();
    const orderId = await placeOrder('life-cancel', [{ sku: sku(5), quantity: 3 }], {
      body: { costCenterId: 'cc_acme_maint' },
    });
    const total = (
      await first<{ total_minor: number }>('SELECT total_minor FROM orders WHERE id = ?', orderId)
    ).total_minor;
    expect(await remaining()).toBe(before - total);
    const cancel = {
      eventId: 'cancel-1',
      type: 'cancelled',
      occurredAt: at(3),
      reason: 'Out of stock at the mill',
    };
    await sent(orderId, cancel);
    await sent(orderId, cancel);
    expect(await fulfilment(orderId)).toMatchObject({ status: 'cancelled' });
    expect(await remaining()).toBe(before);
    // later news about the cancelled order is recorded, the status stays cancelled
    await sent(orderId, {
      eventId: 'cancel-2',
      type: 'acknowledged',
      occurredAt: at(1),
      erpOrderNumber: 'SO-cancel',
    });
    expect(await fulfilment(orderId)).toMatchObject({ status: 'cancelled', erp_order_number: 'SO-cancel' });
    expect(await remaining()).toBe(before);
  });
});
