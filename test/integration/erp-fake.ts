import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterAll, afterEach, beforeAll, beforeEach, type MockInstance, vi } from 'vitest';
import worker from '../../src/index';
import { call, json, loginAs } from './harness';
import { buildFor, first, plainAcmeProduct } from './pricing-helpers';

/**
 * A stand-in for the ERP and the alert webhook, for the ERP export tests. Outbound HTTP never leaves the
 * test: the global `fetch` is a recorder whose answers each test sets (`fake.respond`). Messages the Worker
 * puts on `erp-export` are captured (`fake.queued`), then delivered with `worker.queue` one batch at a time
 * (`deliver`, `run`), so every attempt and its retry delay is seen.
 */
export interface Captured {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

export const fake: {
  sent: Captured[];
  respond: (req: Captured) => Response | Promise<Response>;
  /** export ids the Worker put on the `erp-export` queue */
  queued: string[];
  capture?: MockInstance;
  sku: string;
  unit: number;
} = { sent: [], respond: unexpected, queued: [], sku: '', unit: 0 };

function unexpected(req: Captured): Response {
  throw new Error(`unexpected outbound request to ${req.url}`);
}

async function recorder(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req = {
    url: input instanceof Request ? input.url : String(input),
    method: init?.method ?? 'GET',
    headers: new Headers(init?.headers),
    body: typeof init?.body === 'string' ? init.body : '',
  };
  fake.sent.push(req);
  return fake.respond(req);
}

export const ERP = env.ERP_BASE_URL;
export const ALERTS = 'https://alerts.example.test/hook';
/** the Worker's bindings with the supplier's alert webhook set (an optional secret, unset in the suite) */
export const withAlerts = { ...env, ALERT_WEBHOOK_URL: ALERTS };
export const toErp = () => fake.sent.filter((r) => r.url.startsWith(ERP));
export const alerts = () => fake.sent.filter((r) => r.url === ALERTS).map((r) => JSON.parse(r.body));

/** Installs the fake for the calling test file, and gives Acme what the ERP's customer import sets. */
export function useErpFake(): void {
  beforeAll(async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(recorder);
    await buildFor('co_acme');
    ({ sku: fake.sku, amount_minor: fake.unit } = await plainAcmeProduct());
    await env.DB.batch([
      env.DB.prepare("UPDATE companies SET erp_customer_number = 'C-1001' WHERE id = 'co_acme'"),
      env.DB.prepare("UPDATE sites SET erp_address_id = 'A-77' WHERE id = 'site_acme_usine'"),
    ]);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  beforeEach(() => {
    fake.sent = [];
    fake.queued = [];
    fake.respond = unexpected;
    fake.capture = vi.spyOn(env.ERP_EXPORT_QUEUE, 'sendBatch').mockImplementation(async (messages) => {
      for (const m of messages) fake.queued.push((m.body as { exportId: string }).exportId);
      return undefined as never;
    });
  });
  afterEach(() => {
    fake.capture?.mockRestore();
  });
}

let seq = 0;
export async function placeOrder(
  quantity = 2,
  body: Record<string, unknown> = {},
  email = 'buyer@acme.example',
) {
  const token = await loginAs(email);
  const key = `erp-${seq++}`;
  const cart = await json<{ id: string }>(
    await call('/v1/carts', { method: 'POST', token, body: { name: key } }),
  );
  const added = await call(`/v1/carts/${cart.id}/lines`, {
    method: 'POST',
    token,
    body: { lines: [{ sku: fake.sku, quantity }] },
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

export const exportIdOf = (orderId: string) => `obx_${orderId.slice(4)}_export`;
export const cancellationIdOf = (orderId: string) => `obx_${orderId.slice(4)}_cancellation`;

let msgSeq = 0;
/** Delivers one batch to the consumer; answers what was acked and each retry's delay. */
export async function deliver(queue: string, bodies: unknown[], attempts = 1, bindings: Env = env) {
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
export const run = (exportId: string, attempts = 1, bindings: Env = env) =>
  deliver('erp-export', [{ exportId }], attempts, bindings);

export interface ExportRow {
  state: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  sent_at: number | null;
}
export const exportRow = (id: string) =>
  first<ExportRow>(
    'SELECT state, attempts, last_status_code, last_error, sent_at FROM erp_exports WHERE id = ?',
    id,
  );

export interface OrderView {
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
export const orderView = async (orderId: string) =>
  json<OrderView>(await call(`/v1/orders/${orderId}`, { token: await loginAs('admin@acme.example') }));
export const exportEvents = async (orderId: string) =>
  (await orderView(orderId)).history.map((h) => h.type).filter((t) => t.startsWith('export.'));

export const ok = (body: unknown = {}, status = 201) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export interface AdminExport {
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
export interface AdminPage {
  items: AdminExport[];
  nextCursor: string | null;
  erpConfigured: boolean;
  note: string | null;
}
export const adminExports = async (query: string) =>
  json<AdminPage>(await call(`/v1/admin/exports?${query}`, { token: await loginAs('ops@supplier.example') }));
export const redrive = async (orderId: string, query = '') =>
  call(`/v1/admin/orders/${orderId}/export${query}`, {
    method: 'POST',
    token: await loginAs('ops@supplier.example'),
  });
