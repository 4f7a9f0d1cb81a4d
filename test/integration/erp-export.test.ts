import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
} from 'cloudflare:test';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';
import { call, expectProblem, json, loginAs } from './harness';
import { all, buildFor, first, plainAcmeProduct } from './pricing-helpers';

/**
 * The ERP export end to end: checkout (or an approval, or a cancellation) writes the export, the relay hands
 * it to `erp-export`, the consumer POSTs it to the ERP. Outbound HTTP never leaves the test: the global
 * `fetch` is a recorder whose answers each test sets (the ERP at ERP_BASE_URL, set for the test run in
 * vitest.config.ts, and the alert webhook). Messages the Worker puts on `erp-export` are captured, then
 * delivered with `worker.queue` one batch at a time, so every attempt and its retry delay is seen.
 */
interface Captured {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}
let sent: Captured[] = [];
let respond: (req: Captured) => Response | Promise<Response>;

async function recorder(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req = {
    url: input instanceof Request ? input.url : String(input),
    method: init?.method ?? 'GET',
    headers: new Headers(init?.headers),
    body: typeof init?.body === 'string' ? init.body : '',
  };
  sent.push(req);
  return respond(req);
}

const ERP = env.ERP_BASE_URL;
const ALERTS = 'https://alerts.example.test/hook';
/** the Worker's bindings with the supplier's alert webhook set (an optional secret, unset in the suite) */
const withAlerts = { ...env, ALERT_WEBHOOK_URL: ALERTS };
const toErp = () => sent.filter((r) => r.url.startsWith(ERP));
const alerts = () => sent.filter((r) => r.url === ALERTS).map((r) => JSON.parse(r.body));

/** export ids the Worker put on the `erp-export` queue */
let queued: string[] = [];
let capture: MockInstance;

beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(recorder);
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(() => {
  sent = [];
  queued = [];
  respond = (req) => {
    throw new Error(`unexpected outbound request to ${req.url}`);
  };
  capture = vi.spyOn(env.ERP_EXPORT_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
    for (const m of messages) queued.push((m.body as { exportId: string }).exportId);
    return undefined as never;
  });
});
afterEach(() => {
  capture.mockRestore();
});

let sku = '';
let unit = 0;
let seq = 0;

beforeAll(async () => {
  await buildFor('co_acme');
  ({ sku, amount_minor: unit } = await plainAcmeProduct());
  // what the ERP's customer import sets: its customer number and its id of the ship-to address
  await env.DB.batch([
    env.DB.prepare("UPDATE companies SET erp_customer_number = 'C-1001' WHERE id = 'co_acme'"),
    env.DB.prepare("UPDATE sites SET erp_address_id = 'A-77' WHERE id = 'site_acme_usine'"),
  ]);
});

async function placeOrder(quantity = 2, body: Record<string, unknown> = {}, email = 'buyer@acme.example') {
  const token = await loginAs(email);
  const key = `erp-${seq++}`;
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name: key } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku, quantity }] },
  });
  if (added.status !== 200) throw new Error(`lines: ${added.status} ${await added.text()}`);
  const res = await call(`/v1/carts/${cart.id}/checkout`, {
    method: 'POST',
    token,
    body,
    headers: { 'idempotency-key': key },
  });
  if (res.status !== 201) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  return json<{ orderId: string; status: string }>(res);
}

const exportIdOf = (orderId: string) => `obx_${orderId.slice(4)}_export`;
const cancellationIdOf = (orderId: string) => `obx_${orderId.slice(4)}_cancellation`;

let msgSeq = 0;
/** Delivers one batch to the consumer; answers what was acked and each retry's delay. */
async function deliver(queue: string, bodies: unknown[], attempts = 1, bindings: Env = env) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `msg_${msgSeq++}`, timestamp: new Date(), attempts, body })),
  );
  const retries = batch.messages.map((m) => vi.spyOn(m, 'retry'));
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ids: batch.messages.map((m) => m.id),
    acked: result.explicitAcks,
    retried: result.retryMessages.map((m) => m.msgId),
    delays: retries.flatMap((r) => r.mock.calls.map(([o]) => o?.delaySeconds)),
  };
}
const run = (exportId: string, attempts = 1, bindings: Env = env) =>
  deliver('erp-export', [{ exportId }], attempts, bindings);

interface ExportRow {
  state: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  sent_at: number | null;
}
const exportRow = (id: string) =>
  first<ExportRow>(
    'SELECT state, attempts, last_status_code, last_error, sent_at FROM erp_exports WHERE id = ?',
    id,
  );

interface OrderView {
  status: string;
  exportState: string | null;
  erpOrderNumber: string | null;
  lines: {
    lineNo: number;
    sku: string;
    quantity: number;
    unitMinor: number;
    lineTotalMinor: number;
    ruleId: string | null;
    ruleIds: string[];
  }[];
  history: { type: string; actorId: string; note: string | null }[];
  totalMinor: number;
  subtotalMinor: number;
}
const orderView = async (orderId: string) =>
  json<OrderView>(await call(`/v1/orders/${orderId}`, { token: await loginAs('admin@acme.example') }));
const exportEvents = async (orderId: string) =>
  (await orderView(orderId)).history.map((h) => h.type).filter((t) => t.startsWith('export.'));

const ok = (body: unknown = {}, status = 201) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

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
    await vi.waitFor(() => expect(queued).toEqual([exportId]));

    respond = () => ok({ erpOrderNumber: 'SO-88121' });
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
    expect(document.lines[0]).toMatchObject({ sku, quantity: 3, unitMinor: unit, lineTotalMinor: 3 * unit });

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
    capture.mockRestore();
    respond = () => ok({}, 202);
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

    respond = () => new Response('maintenance', { status: 503 });
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

    respond = () => {
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

    respond = () => ok();
    const done = await run(exportId, 3);
    expect(done.acked).toEqual(done.ids);
    expect(toErp().map((r) => r.headers.get('idempotency-key'))).toEqual([orderId, orderId, orderId]);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 3, last_error: null });
    expect(await exportEvents(orderId)).toEqual(['export.sent']);
  });

  it('429 with Retry-After: 120 is retried in 120 s; a Retry-After date is honoured too', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    respond = () => new Response('slow down', { status: 429, headers: { 'retry-after': '120' } });
    const limited = await run(exportId, 1);
    expect(limited.delays).toEqual([120]);

    const at = new Date(Date.now() + 300_000).toUTCString();
    respond = () => new Response(null, { status: 503, headers: { 'retry-after': at } });
    const dated = await run(exportId, 2);
    expect(dated.delays[0]).toBeGreaterThanOrEqual(298);
    expect(dated.delays[0]).toBeLessThanOrEqual(300);

    respond = () => new Response(null, { status: 408 });
    expect((await run(exportId, 3)).retried).toHaveLength(1);
    expect(await exportRow(exportId)).toMatchObject({ state: 'pending', attempts: 3, last_status_code: 408 });
  });

  it('409 from the ERP on the order means it has it already: sent', async () => {
    const { orderId } = await placeOrder();
    respond = () => new Response('{"error":"duplicate"}', { status: 409 });
    const delivery = await run(exportIdOf(orderId));
    expect(delivery.acked).toEqual(delivery.ids);
    expect(await exportRow(exportIdOf(orderId))).toMatchObject({ state: 'sent', last_status_code: 409 });
  });
});

interface AdminExport {
  id: string;
  orderId: string;
  companyId: string;
  kind: string;
  state: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  updatedAt: number;
}
interface AdminPage {
  items: AdminExport[];
  nextCursor: string | null;
  erpConfigured: boolean;
  note: string | null;
}
const adminExports = async (query: string) =>
  json<AdminPage>(await call(`/v1/admin/exports?${query}`, { token: await loginAs('ops@supplier.example') }));
const redrive = async (orderId: string, query = '') =>
  call(`/v1/admin/orders/${orderId}/export${query}`, {
    method: 'POST',
    token: await loginAs('ops@supplier.example'),
  });

describe('refusals, alerts and re-drive', () => {
  it('a 400 fails at once with the ERP answer, raises an alert, shows in /v1/admin/exports; re-drive sends it again', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    await vi.waitFor(() => expect(queued).toEqual([exportId]));
    queued = [];
    const answer = `{"error":"unknown article","detail":"${'x'.repeat(1_200)}"}`;
    respond = (req) =>
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
    expect(queued).toEqual([exportId]);
    respond = () => ok({ erpOrderNumber: 'SO-2' });
    await run(exportId, 1);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 2, last_error: null });
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
    expect(toErp().map((r) => r.headers.get('idempotency-key'))).toEqual([orderId, orderId, orderId]);
    expect(await exportRow(exportId)).toMatchObject({ state: 'sent', attempts: 3 });
    await expectProblem(await redrive('ord_does_not_exist'), 404);
    await expectProblem(await redrive(orderId, '?force=yes'), 400);
  });
});

describe('approval and cancellation', () => {
  it('an order waiting for approval is exported only once approved', async () => {
    const { orderId, status } = await placeOrder(Math.ceil(700_000 / unit));
    expect(status).toBe('pending_approval');
    expect((await orderView(orderId)).exportState).toBeNull();
    expect(await all('SELECT id FROM erp_exports WHERE order_id = ?', orderId)).toEqual([]);
    expect(
      await all("SELECT id FROM outbox WHERE aggregate_id = ? AND topic LIKE 'order.%'", orderId),
    ).toEqual([]);
    expect(queued).toEqual([]);

    const approved = await call(`/v1/approvals/${orderId}/approve`, {
      method: 'POST',
      token: await loginAs('approver@acme.example'),
      body: {},
    });
    expect(approved.status).toBe(200);
    expect(queued).toEqual([exportIdOf(orderId)]);
    expect((await orderView(orderId)).exportState).toBe('pending');
    respond = () => ok();
    await run(exportIdOf(orderId));
    expect(toErp()).toHaveLength(1);
    expect((await orderView(orderId)).exportState).toBe('sent');
  });

  it('an order cancelled after its export sends the ERP a cancellation', async () => {
    const { orderId } = await placeOrder();
    respond = () => ok();
    await run(exportIdOf(orderId));
    queued = [];
    const buyer = await loginAs('buyer@acme.example');
    const cancel = (body: unknown) =>
      call(`/v1/orders/${orderId}/cancel`, { method: 'POST', token: buyer, body });
    expect((await cancel({ reason: 'ordered twice' })).status).toBe(204);
    const cancellationId = cancellationIdOf(orderId);
    expect(queued).toEqual([cancellationId]);
    expect((await orderView(orderId)).status).toBe('cancelled');
    await expectProblem(await cancel({}), 409);

    sent = [];
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
    await vi.waitFor(() => expect(queued).toEqual([exportIdOf(orderId)]));
    respond = () => ok();
    await run(exportIdOf(orderId));
    expect(queued).toEqual([exportIdOf(orderId), cancellationIdOf(orderId)]);
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

describe('duplicates, dead letters and poison', () => {
  it('the same message delivered twice at once: the ERP sees one Idempotency-Key twice, we keep one export', async () => {
    const { orderId } = await placeOrder();
    const exportId = exportIdOf(orderId);
    // both deliveries reach the ERP before it answers either
    let release: () => void = () => undefined;
    const bothThere = new Promise<void>((resolve) => {
      release = resolve;
    });
    respond = async () => {
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
    respond = () => new Response('down', { status: 502 });
    await run(exportId, 9);
    respond = (req) => (req.url === ALERTS ? new Response(null, { status: 200 }) : ok());
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
    respond = () => ok();
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
    await vi.waitFor(() => expect(queued).toEqual([exportId]));
    // as if the send after the answer had been lost, a few minutes ago
    await env.DB.prepare(
      'UPDATE outbox SET dispatched_at = NULL, created_at = created_at - 600000 WHERE id = ?',
    )
      .bind(exportId)
      .run();
    queued = [];
    const sweep = (bindings: Env) =>
      worker.scheduled(
        createScheduledController({ cron: CRONS.outboxRelaySweep }),
        bindings,
        createExecutionContext(),
      );
    await sweep({ ...env, ERP_BASE_URL: '' });
    expect(queued).toEqual([]);
    const waiting = await first<{ dispatched_at: number | null }>(
      'SELECT dispatched_at FROM outbox WHERE id = ?',
      exportId,
    );
    expect(waiting.dispatched_at).toBeNull();
    expect(await exportRow(exportId)).toMatchObject({ state: 'pending', attempts: 0 });

    await sweep(env);
    expect(queued).toContain(exportId);
    const relayed = await first<{ dispatched_at: number | null }>(
      'SELECT dispatched_at FROM outbox WHERE id = ?',
      exportId,
    );
    expect(relayed.dispatched_at).toEqual(expect.any(Number));
  });
});
