import { createExecutionContext, createScheduledController, env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';
import {
  ALERTS,
  adminExports,
  alerts,
  deliver,
  ERP,
  exportEvents,
  exportIdOf,
  exportRow,
  fake,
  ok,
  orderView,
  placeOrder,
  run,
  toErp,
  useErpFake,
  withAlerts,
} from './erp-fake';
import { all, first } from './pricing-helpers';

/**
 * The ERP export end to end: checkout writes the export with the order, the relay hands it to `erp-export`,
 * the consumer POSTs it to the ERP (test/integration/erp-fake.ts stands in for the ERP and the queue).
 * Re-drive, approvals and cancellations: erp-export-admin.test.ts.
 */
useErpFake();

describe('an order placed is exported', () => {
  it('one POST of its document to {ERP}/orders with the order id as Idempotency-Key; then sent', async () => {
    const { orderId, status } = await placeOrder(3, {
      poNumber: 'PO-2026-17',
      reference: 'Line 3 retrofit',
      costCenterId: 'cc_acme_it',
      deliveryMode: 'express',
    });
    expect(status).toBe('placed');
    const exportId = exportIdOf(orderId);
    // written with the order, and handed to the queue after the answer
    expect((await orderView(orderId)).exportState).toBe('pending');
    expect(await exportRow(exportId)).toMatchObject({ state: 'pending', attempts: 0 });
    await vi.waitFor(() => expect(fake.queued).toEqual([exportId]));

    fake.respond = () => ok({ erpOrderNumber: 'SO-88121' });
    const delivery = await run(exportId, 1, { ...env, ERP_API_TOKEN: 'erp-token-1' });
    expect(delivery.acked).toEqual(delivery.ids);
    const [req, ...more] = toErp();
    expect(more).toEqual([]);
    expect(req?.url).toBe(`${ERP}/orders`);
    expect(req?.method).toBe('POST');
    expect(req?.headers.get('idempotency-key')).toBe(orderId);
    expect(req?.headers.get('authorization')).toBe('Bearer erp-token-1');
    expect(req?.headers.get('content-type')).toBe('application/json');

    const order = await orderView(orderId);
    const document = JSON.parse(req?.body ?? '{}');
    expect(document).toMatchObject({
      orderId,
      customer: { companyId: 'co_acme', erpCustomerNumber: 'C-1001' },
      poNumber: 'PO-2026-17',
      reference: 'Line 3 retrofit',
      shipTo: { siteId: 'site_acme_usine', erpAddressId: 'A-77', postalCode: '69100', country: 'FR' },
      costCenter: { id: 'cc_acme_it', code: 'CC-IT' },
      delivery: { mode: 'express' },
      channel: 'web',
      currency: 'EUR',
      subtotalMinor: order.subtotalMinor,
      totalMinor: order.totalMinor,
    });
    expect(document.lines).toEqual(
      order.lines.map((l) => ({
        lineNo: l.lineNo,
        sku: l.sku,
        quantity: l.quantity,
        unitMinor: l.unitMinor,
        listMinor: expect.anything(),
        lineTotalMinor: l.lineTotalMinor,
        tierMinQuantity: 1,
        ruleId: l.ruleId,
        ruleIds: l.ruleIds,
      })),
    );
    expect(document.lines[0]).toMatchObject({
      sku: fake.sku,
      quantity: 3,
      unitMinor: fake.unit,
      lineTotalMinor: 3 * fake.unit,
    });

    expect(await exportRow(exportId)).toMatchObject({
      state: 'sent',
      attempts: 1,
      last_status_code: 201,
      last_error: null,
    });
    expect(order).toMatchObject({ exportState: 'sent', erpOrderNumber: 'SO-88121' });
    const event = order.history.find((h) => h.type === 'export.sent');
    expect(event).toMatchObject({ actorId: 'system', note: 'HTTP 201, ERP order SO-88121' });
  });

  it('through the real queue: checkout → relay → erp-export consumer → the ERP', async () => {
    fake.capture?.mockRestore();
    fake.respond = () => ok({}, 202);
    const { orderId } = await placeOrder();
    await vi.waitFor(async () => expect((await orderView(orderId)).exportState).toBe('sent'), {
      timeout: 15_000,
      interval: 200,
    });
    expect(toErp().map((r) => r.headers.get('idempotency-key'))).toEqual([orderId]);
    // the outbox row is marked sent (with the company's next order write, or the object's alarm)
    const next = await placeOrder();
    await vi.waitFor(async () => expect((await orderView(next.orderId)).exportState).toBe('sent'), {
      timeout: 15_000,
      interval: 200,
    });
    const row = await first<{ dispatched_at: number | null }>(
      'SELECT dispatched_at FROM outbox WHERE id = ?',
      exportIdOf(orderId),
    );
    expect(row.dispatched_at).toEqual(expect.any(Number));
  });
});

describe('retries', () => {
  it('503, then a network error, then 200: retried with exponential backoff and jitter, then sent', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);

    fake.respond = () => new Response('maintenance', { status: 503 });
    const first503 = await run(exportId, 1);
    expect(first503.retried).toEqual(first503.ids);
    // first step 10 s: half fixed, half random
    expect(first503.delays[0]).toBeGreaterThanOrEqual(5);
    expect(first503.delays[0]).toBeLessThanOrEqual(10);
    expect(await exportRow(exportId)).toMatchObject({
      state: 'pending',
      attempts: 1,
      last_status_code: 503,
      last_error: 'HTTP 503: maintenance',
    });

    fake.respond = () => {
      throw new TypeError('connection reset');
    };
    const network = await run(exportId, 2);
    expect(network.retried).toEqual(network.ids);
    expect(network.delays[0]).toBeGreaterThanOrEqual(10);
    expect(network.delays[0]).toBeLessThanOrEqual(20);
    expect(await exportRow(exportId)).toMatchObject({
      state: 'pending',
      attempts: 2,
      last_status_code: null,
      last_error: 'network error: connection reset',
    });
    expect(await exportEvents(orderId)).toEqual([]);

    fake.respond = () => ok();
    const done = await run(exportId, 3);
    expect(done.acked).toEqual(done.ids);
    expect(toErp().map((r) => r.headers.get('idempotency-key'))).toEqual([orderId, orderId, orderId]);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect(await exportEvents(orderId)).toEqual(['export.sent']);
  });

  it('429 with Retry-After: 120 is retried in 120 s; a Retry-After date is honoured too', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    fake.respond = () => new Response('slow down', { status: 429, headers: { 'retry-after': '120' } });
    const limited = await run(exportId, 1);
    expect(limited.delays).toEqual([120]);

    const at = new Date(Date.now() + 300_000).toUTCString();
    fake.respond = () => new Response(null, { status: 503, headers: { 'retry-after': at } });
    const dated = await run(exportId, 2);
    expect(dated.delays[0]).toBeGreaterThanOrEqual(298);
    expect(dated.delays[0]).toBeLessThanOrEqual(300);

    fake.respond = () => new Response(null, { status: 408 });
    expect((await run(exportId, 3)).retried).toHaveLength(1);
    expect(await exportRow(exportId)).toMatchObject({ state: 'pending', attempts: 3, last_status_code: 408 });
  });

  it('409 from the ERP on the order means it has it already: sent', async () => {
    const { orderId } = await placeOrder();
    fake.respond = () => new Response('{"error":"duplicate"}', { status: 409 });
    const delivery = await run(exportIdOf(orderId));
    expect(delivery.acked).toEqual(delivery.ids);
    expect(await exportRow(exportIdOf(orderId))).toMatchObject({ state: 'sent', last_status_code: 409 });
  });
});

describe('duplicates, dead letters and poison', () => {
  it('the same message delivered twice at once: the ERP sees one Idempotency-Key twice, we keep one export', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    // both deliveries reach the ERP before it answers either
    let release: () => void = () => undefined;
    const bothThere = new Promise<void>((resolve) => {
      release = resolve;
    });
    fake.respond = async () => {
      if (toErp().length === 2) release();
      await bothThere;
      return ok({ erpOrderNumber: 'SO-7' });
    };
    const twice = await deliver('erp-export', [{ exportId }, { exportId }]);
    expect(twice.acked.sort()).toEqual([...twice.ids].sort());
    const posts = toErp();
    expect(posts).toHaveLength(2);
    expect(posts.map((r) => r.headers.get('idempotency-key'))).toEqual([orderId, orderId]);
    expect(posts[0]?.body).toBe(posts[1]?.body);
    expect(await all('SELECT id FROM erp_exports WHERE order_id = ?', orderId)).toHaveLength(1);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(await exportEvents(orderId)).toEqual(['export.sent']);

    // delivered again later: it is sent already, nothing goes out
    const late = await run(exportId, 2);
    expect(late.acked).toEqual(late.ids);
    expect(toErp()).toHaveLength(2);
  });

  it('retries exhausted: the dead letter makes it failed, raises an alert once, and shows in admin', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    fake.respond = () => new Response('down', { status: 502 });
    await run(exportId, 9);
    fake.respond = (req) => (req.url === ALERTS ? new Response(null, { status: 200 }) : ok());
    const dead = await deliver('erp-export-dlq', [{ exportId }], 1, withAlerts);
    expect(dead.acked).toEqual(dead.ids);
    expect(await exportRow(exportId)).toMatchObject({
      state: 'failed',
      last_error: 'retries exhausted after 1 attempts; last: HTTP 502: down',
    });
    expect((await orderView(orderId)).exportState).toBe('failed');
    expect(await exportEvents(orderId)).toEqual(['export.failed']);
    expect(alerts()).toEqual([
      expect.objectContaining({ kind: 'erp_export.dead_lettered', subject: exportId }),
    ]);
    const letter = await first<{ n: number }>(
      "SELECT count(*) AS n FROM dead_letters WHERE queue = 'erp-export-dlq' AND message_id = ?",
      dead.ids[0],
    );
    expect(letter.n).toBe(1);
    const page = await adminExports(`orderId=${orderId}`);
    expect(page.items).toEqual([expect.objectContaining({ id: exportId, state: 'failed' })]);

    // the same dead letter again: recorded once, no second alert, still failed
    await deliver('erp-export-dlq', [{ exportId }], 2, withAlerts);
    expect(alerts()).toHaveLength(1);
    expect(toErp()).toHaveLength(1);
  });

  it('a poison message is dead-lettered with its reason; the others in the batch are unaffected', async () => {
    const { orderId } = await placeOrder();
    fake.respond = () => ok();
    const batch = await deliver('erp-export', [
      { exportId: 'obx_missing_export' },
      { exportId: exportIdOf(orderId) },
      { orderId },
    ]);
    expect(batch.acked.sort()).toEqual([...batch.ids].sort());
    expect(batch.retried).toEqual([]);
    const letters = await all<{ message_id: string; body: string }>(
      "SELECT message_id, body FROM dead_letters WHERE queue = 'erp-export' AND message_id IN (?, ?)",
      batch.ids[0],
      batch.ids[2],
    );
    expect(letters.map((l) => JSON.parse(l.body).reason).sort()).toEqual([
      expect.stringMatching(/^invalid body: exportId/),
      'no export obx_missing_export',
    ]);
    expect(toErp()).toHaveLength(1);
    expect(await exportRow(exportIdOf(orderId))).toMatchObject({ state: 'sent' });
  });
});

describe('the relay', () => {
  it('without an ERP nothing is relayed (exports stay pending); with one the cron sweep relays stragglers', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    await vi.waitFor(() => expect(fake.queued).toEqual([exportId]));
    // as if the send after the answer had been lost, a few minutes ago
    await env.DB.prepare(
      'UPDATE outbox SET dispatched_at = NULL, created_at = created_at - 600000 WHERE id = ?',
    )
      .bind(exportId)
      .run();
    fake.queued = [];
    const sweep = (bindings: Env) =>
      worker.scheduled(
        createScheduledController({ cron: CRONS.outboxRelaySweep }),
        bindings,
        createExecutionContext(),
      );
    await sweep({ ...env, ERP_BASE_URL: '' });
    expect(fake.queued).toEqual([]);
    const waiting = await first<{ dispatched_at: number | null }>(
      'SELECT dispatched_at FROM outbox WHERE id = ?',
      exportId,
    );
    expect(waiting.dispatched_at).toBeNull();
    expect(await exportRow(exportId)).toMatchObject({ state: 'pending', attempts: 0 });

    await sweep(env);
    expect(fake.queued).toContain(exportId);
    const relayed = await first<{ dispatched_at: number | null }>(
      'SELECT dispatched_at FROM outbox WHERE id = ?',
      exportId,
    );
    expect(relayed.dispatched_at).toEqual(expect.any(Number));
  });
});
