import { env } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import {
  type AdminExport,
  ALERTS,
  adminExports,
  alerts,
  cancellationIdOf,
  ERP,
  exportEvents,
  exportIdOf,
  exportRow,
  fake,
  ok,
  orderView,
  placeOrder,
  redrive,
  run,
  toErp,
  useErpFake,
  withAlerts,
} from './erp-fake';
import { call, expectProblem, json, loginAs } from './harness';
import { all, first } from './pricing-helpers';

/**
 * What people do about ERP exports: platform admins read them and send them again; an approval places an
 * order and starts its export; a cancellation follows the order to the ERP.
 */
useErpFake();

describe('refusals, alerts and re-drive', () => {
  it('a 400 fails at once with the ERP answer, raises an alert, shows in /v1/admin/exports; re-drive sends it again', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    await vi.waitFor(() => expect(fake.queued).toEqual([exportId]));
    fake.queued = [];
    const answer = `{"error":"unknown article","detail":"${'x'.repeat(1_200)}"}`;
    fake.respond = (req) =>
      req.url === ALERTS ? new Response(null, { status: 204 }) : new Response(answer, { status: 400 });
    const refused = await run(exportId, 1, withAlerts);
    expect(refused.acked).toEqual(refused.ids);
    expect(refused.retried).toEqual([]);
    const row = await exportRow(exportId);
    expect(row).toMatchObject({ state: 'failed', attempts: 1, last_status_code: 400 });
    expect(row.last_error).toBe(`HTTP 400: ${answer.slice(0, 1_000)}`);
    expect(alerts()).toEqual([
      expect.objectContaining({
        kind: 'erp_export.failed',
        subject: exportId,
        detail: expect.stringContaining('HTTP 400'),
      }),
    ]);
    expect((await orderView(orderId)).exportState).toBe('failed');
    expect(await exportEvents(orderId)).toEqual(['export.failed']);

    const page = await adminExports('state=failed&companyId=co_acme&kind=order');
    expect(page.erpConfigured).toBe(true);
    expect(page.items.find((e) => e.id === exportId)).toMatchObject({
      orderId,
      companyId: 'co_acme',
      state: 'failed',
      attempts: 1,
      lastStatusCode: 400,
      lastError: row.last_error,
    });
    expect(page.items.every((e) => e.state === 'failed' && e.kind === 'order')).toBe(true);
    await expectProblem(await call('/v1/admin/exports', { token: await loginAs('admin@acme.example') }), 403);
    await expectProblem(
      await call('/v1/admin/exports?state=lost', { token: await loginAs('ops@supplier.example') }),
      400,
    );

    // re-drive: back to pending (in the history, audited) and onto the queue; then sent
    const again = await redrive(orderId);
    expect(again.status).toBe(202);
    expect((await json<{ exports: AdminExport[] }>(again)).exports).toEqual([
      expect.objectContaining({ id: exportId, state: 'pending', lastError: row.last_error }),
    ]);
    expect(fake.queued).toEqual([exportId]);
    // a re-driven export backs off from the first step again (its message is new), attempts keep counting
    fake.respond = () => new Response(null, { status: 503 });
    const retried = await run(exportId, 1);
    expect(retried.delays[0]).toBeLessThanOrEqual(10);
    fake.respond = () => ok({ erpOrderNumber: 'SO-2' });
    await run(exportId, 2);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    const view = await orderView(orderId);
    expect(view.exportState).toBe('sent');
    expect(view.history.filter((h) => h.type.startsWith('export.')).map((h) => [h.type, h.actorId])).toEqual([
      ['export.failed', 'system'],
      ['export.pending', 'usr_ops'],
      ['export.sent', 'system'],
    ]);
    const audit = await first<{ action: string }>(
      "SELECT action FROM audit_log WHERE target_id = ? AND action = 'order.export_redrive'",
      orderId,
    );
    expect(audit.action).toBe('order.export_redrive');

    // sent already: a 409, unless forced (same Idempotency-Key: the ERP answers what it answered before)
    await expectProblem(await redrive(orderId), 409);
    expect((await redrive(orderId, '?force=true')).status).toBe(202);
    await run(exportId, 1);
    expect(toErp().map((r) => r.headers.get('idempotency-key'))).toEqual(Array(4).fill(orderId));
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 4 });
    await expectProblem(await redrive('ord_does_not_exist'), 404);
    await expectProblem(await redrive(orderId, '?force=yes'), 400);
  });
});

describe('approval and cancellation', () => {
  it('an order waiting for approval is exported only once approved', async () => {
    const { orderId, status } = await placeOrder(Math.ceil(700_000 / fake.unit));
    expect(status).toBe('pending_approval');
    expect((await orderView(orderId)).exportState).toBeNull();
    expect(await all('SELECT id FROM erp_exports WHERE order_id = ?', orderId)).toEqual([]);
    expect(
      await all("SELECT id FROM outbox WHERE aggregate_id = ? AND topic LIKE 'order.%'", orderId),
    ).toEqual([]);
    expect(fake.queued).toEqual([]);

    const approved = await call(`/v1/approvals/${orderId}/approve`, {
      method: 'POST',
      token: await loginAs('approver@acme.example'),
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(fake.queued).toEqual([exportIdOf(orderId)]);
    expect((await orderView(orderId)).exportState).toBe('pending');
    fake.respond = () => ok();
    await run(exportIdOf(orderId));
    expect(toErp()).toHaveLength(1);
    expect((await orderView(orderId)).exportState).toBe('sent');
  });

  it('an order cancelled after its export sends the ERP a cancellation', async () => {
    const { orderId } = await placeOrder();
    fake.respond = () => ok();
    await run(exportIdOf(orderId));
    fake.queued = [];
    const buyer = await loginAs('buyer@acme.example');
    const cancel = (body: unknown) =>
      call(`/v1/orders/${orderId}/cancel`, { method: 'POST', token: buyer, body });
    expect((await cancel({ reason: 'ordered twice' })).status).toBe(204);
    const cancellationId = cancellationIdOf(orderId);
    expect(fake.queued).toEqual([cancellationId]);
    expect((await orderView(orderId)).status).toBe('cancelled');
    await expectProblem(await cancel({}), 409);

    fake.sent = [];
    const delivery = await run(cancellationId);
    expect(delivery.acked).toEqual(delivery.ids);
    const [req, ...more] = toErp();
    expect(more).toEqual([]);
    expect(req?.url).toBe(`${ERP}/orders/${orderId}/cancellation`);
    expect(req?.headers.get('idempotency-key')).toBe(cancellationId);
    expect(JSON.parse(req?.body ?? '{}')).toEqual({
      orderId,
      reason: 'ordered twice',
      cancelledAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await exportRow(cancellationId)).toMatchObject({ state: 'sent' });
    const view = await orderView(orderId);
    // the order's own export state stays what it was: the ERP has the order, and now its cancellation
    expect(view.exportState).toBe('sent');
    expect(await exportEvents(orderId)).toEqual(['export.sent', 'export.cancellation.sent']);
  });

  it('an order cancelled before its export went out: the order goes first, then its cancellation', async () => {
    const { orderId } = await placeOrder();
    const buyer = await loginAs('buyer@acme.example');
    expect(
      (await call(`/v1/orders/${orderId}/cancel`, { method: 'POST', token: buyer, body: {} })).status,
    ).toBe(204);
    // the cancellation waits for the order's own export
    await vi.waitFor(() => expect(fake.queued).toEqual([exportIdOf(orderId)]));
    fake.respond = () => ok();
    await run(exportIdOf(orderId));
    expect(fake.queued).toEqual([exportIdOf(orderId), cancellationIdOf(orderId)]);
    await run(cancellationIdOf(orderId));
    expect(toErp().map((r) => r.url)).toEqual([`${ERP}/orders`, `${ERP}/orders/${orderId}/cancellation`]);
  });

  it('a shipped order cannot be cancelled', async () => {
    const { orderId } = await placeOrder();
    await env.DB.prepare("UPDATE orders SET fulfilment_status = 'shipped' WHERE id = ?").bind(orderId).run();
    const buyer = await loginAs('buyer@acme.example');
    const problem = await expectProblem(
      await call(`/v1/orders/${orderId}/cancel`, { method: 'POST', token: buyer, body: {} }),
      409,
    );
    expect(problem.detail).toMatch(/shipped/);
    expect((await orderView(orderId)).status).toBe('placed');
  });
});
