import { describe, expect, it } from 'vitest';
import {
  API_KEY,
  DAY,
  ERP,
  fakeBackend,
  HOUR,
  MINUTE,
  orderDoc,
  postOrder,
  simWith,
  T0,
} from './erp-sim-fixtures';

// The clock-driven life of an order: acknowledged, shipped in parts, delivered, invoiced, as events posted
// to the backend's POST /erp/v1/orders/{id}/events with the simulator's API key.

describe('the order lifecycle on the simulated clock', () => {
  it('acknowledges, ships in two parts, delivers and invoices, each event once and in time order', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(
      sim,
      orderDoc('ord_life', [
        { sku: 'FAS-000001', quantity: 10, unitMinor: 250 },
        { sku: 'FAS-000002', quantity: 4, unitMinor: 1000 },
        { sku: 'FAS-000003', quantity: 1, unitMinor: 5000 },
      ]),
    );

    expect(await sim.advance(59_000)).toMatchObject({ emitted: 0 });
    expect(await sim.advance(1_000)).toMatchObject({ emitted: 1, delivered: 1, pending: 0 });
    const [ack] = backend.events();
    expect(ack).toEqual({
      eventId: 'SO-100001-ack',
      type: 'acknowledged',
      occurredAt: new Date(T0 + MINUTE).toISOString(),
      erpOrderNumber: 'SO-100001',
    });
    const post = backend.received[0];
    expect(post).toMatchObject({
      method: 'POST',
      path: '/erp/v1/orders/ord_life/events',
      contentType: 'application/json',
      authorization: `Bearer ${API_KEY}`,
    });

    await sim.advance(HOUR);
    expect(backend.events().at(-1)).toMatchObject({
      type: 'shipped',
      shipment: {
        id: 'SO-100001-S1',
        carrier: 'DHL',
        lines: [
          { lineNo: 1, quantity: 10 },
          { lineNo: 2, quantity: 4 },
        ],
      },
    });
    const status = async () =>
      ((await (await sim.handle(new Request(`${ERP}/orders`))).json()) as { orders: { status: string }[] })
        .orders[0]?.status;
    expect(await status()).toBe('partially_shipped');

    await sim.advance(2 * DAY);
    const types = backend.events().map((e) => e.type);
    expect(types).toEqual(['acknowledged', 'shipped', 'delivered', 'shipped', 'delivered', 'invoiced']);
    const second = backend.events()[3] as { shipment: { lines: unknown[]; trackingUrl: string } };
    expect(second.shipment.lines).toEqual([{ lineNo: 3, quantity: 1 }]);
    expect(second.shipment.trackingUrl).toMatch(/^https:\/\//);
    expect(backend.events()[5]).toMatchObject({
      invoice: {
        number: 'INV-100001',
        currency: 'EUR',
        netMinor: 2500 + 4000 + 5000,
        taxMinor: 2300,
        grossMinor: 13_800,
        issueDate: '2026-11-04',
        dueDate: '2026-12-04',
      },
    });
    const times = backend.events().map((e) => Date.parse(String(e.occurredAt)));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(backend.events().map((e) => e.eventId)).size).toBe(6);
    expect(await status()).toBe('invoiced');

    // nothing more ever happens to it
    await sim.advance(30 * DAY);
    expect(backend.events()).toHaveLength(6);
  });

  it('ships a single line of several units in two parts, and a single unit in one', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, orderDoc('ord_a', [{ sku: 'A', quantity: 5 }]));
    await postOrder(sim, orderDoc('ord_b', [{ sku: 'B', quantity: 1 }]));
    await sim.advance(3 * DAY);
    const shipments = (orderId: string) =>
      backend.received
        .filter((r) => r.path === `/erp/v1/orders/${orderId}/events`)
        .map((r) => JSON.parse(r.body) as { type: string; shipment?: { lines: unknown[] } })
        .filter((e) => e.type === 'shipped')
        .map((e) => e.shipment?.lines);
    expect(shipments('ord_a')).toEqual([[{ lineNo: 1, quantity: 3 }], [{ lineNo: 1, quantity: 2 }]]);
    expect(shipments('ord_b')).toEqual([[{ lineNo: 1, quantity: 1 }]]);
  });

  it('keeps an event the backend cannot take now and sends it, and what follows, on a later tick', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, orderDoc('ord_r', [{ sku: 'A', quantity: 1 }]));
    backend.respond = () => new Response('unavailable', { status: 503 });
    const report = await sim.advance(HOUR);
    // acknowledged failed, so shipped (same order, later) was not even tried
    expect(report).toMatchObject({ emitted: 2, delivered: 0, pending: 2 });
    expect(backend.received).toHaveLength(1);

    backend.respond = () => Response.json({}, { status: 200 });
    expect(await sim.flush()).toMatchObject({ delivered: 2, pending: 0 });
    expect(backend.events().map((e) => e.type)).toEqual(['acknowledged', 'acknowledged', 'shipped']);
    expect(sim.events({ orderId: 'ord_r' }).map((e) => e.attempts)).toEqual([2, 1]);
  });

  it('marks an event the backend refuses for good (4xx) as rejected, with the answer', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, orderDoc('ord_x', [{ sku: 'A', quantity: 1 }]));
    backend.respond = () => Response.json({ code: 'not_found' }, { status: 404 });
    expect(await sim.advance(MINUTE)).toMatchObject({ rejected: 1, pending: 0 });
    expect(sim.events({ state: 'rejected' })[0]).toMatchObject({ lastStatus: 404, attempts: 1 });
    await sim.flush();
    expect(backend.received).toHaveLength(1);
  });

  it('waits without a backend and delivers once one is configured', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend, { backendUrl: undefined });
    await postOrder(sim, orderDoc('ord_w', [{ sku: 'A', quantity: 1 }]));
    expect(await sim.advance(MINUTE)).toMatchObject({ emitted: 1, pending: 1 });
    sim.configure({ backendUrl: 'https://backend.example.test/' });
    expect(await sim.flush()).toMatchObject({ delivered: 1 });
    expect(backend.received[0]?.path).toBe('/erp/v1/orders/ord_w/events');
  });

  it('moves the clock over the admin HTTP too', async () => {
    const backend = fakeBackend();
    const sim = simWith(backend);
    await postOrder(sim, orderDoc('ord_h', [{ sku: 'A', quantity: 1 }]));
    const tick = await sim.handle(new Request(`${ERP}/admin/clock/tick`, { method: 'POST' }));
    expect(await tick.json()).toMatchObject({ emitted: 1, now: new Date(T0 + MINUTE).toISOString() });
    const advanced = await sim.handle(
      new Request(`${ERP}/admin/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: DAY }) }),
    );
    expect(await advanced.json()).toMatchObject({ emitted: 1 }); // shipped; delivery is a day after
    const bad = await sim.handle(
      new Request(`${ERP}/admin/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: -1 }) }),
    );
    expect(bad.status).toBe(422);
  });
});
