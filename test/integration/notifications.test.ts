import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../src/db/client';
import worker from '../../src/index';
import { retryDelaySeconds } from '../../src/queues/messages';
import { deliverNotification, type Notification } from '../../src/services/notifications';
import { call, expectProblem, json, loginAs } from './harness';

/**
 * Outbound HTTP never leaves the test. Tests run in the same workerd isolate as the Worker code, so the
 * global `fetch` the queue consumer calls is replaced for this file by a recorder whose answer each test
 * sets; unit-level cases hand the same recorder to `deliverNotification` directly.
 */
interface Captured {
  url: string;
  method: string;
  headers: Headers;
  body: string;
  signal: AbortSignal | null | undefined;
}
let sent: Captured[] = [];
let respond: (req: Captured) => Response | Promise<Response>;
const unexpected = (req: Captured): Response => {
  throw new Error(`unexpected outbound request to ${req.url}`);
};

async function recorder(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  const body = typeof init?.body === 'string' ? init.body : '';
  const req = {
    url,
    method: init?.method ?? 'GET',
    headers: new Headers(init?.headers),
    body,
    signal: init?.signal,
  };
  sent.push(req);
  return respond(req);
}

beforeAll(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(recorder);
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(() => {
  sent = [];
  respond = unexpected;
});

const ACME_HOOK = 'https://hooks.acme.test/b2b?token=abc';
const db = () => createDatabase(env);

async function hmacHex(secret: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return [...new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(data)))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('');
}

interface DeliveryDbRow {
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
}
const deliveryRow = (companyId: string, eventId: string) =>
  env.DB.prepare(
    'SELECT status, attempts, last_status_code, last_error, delivered_at FROM notification_deliveries WHERE company_id = ? AND event_id = ?',
  )
    .bind(companyId, eventId)
    .first<DeliveryDbRow>();
const storedSecret = async (companyId: string) =>
  (
    await env.DB.prepare('SELECT webhook_secret AS s FROM company_settings WHERE company_id = ?')
      .bind(companyId)
      .first<{ s: string | null }>()
  )?.s ?? null;

let seq = 0;
const note = (companyId: string, extra: Partial<Notification> = {}): Notification => ({
  eventId: `evt_test_${Date.now()}_${seq++}`,
  companyId,
  event: 'order.placed',
  payload: { orderId: 'ord_1', totalMinor: 12_300 },
  ...extra,
});

async function runConsumer(queue: string, n: Notification, attempts = 1) {
  const id = `msg_${n.eventId}`;
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body: n }]);
  // getQueueResult does not report the delay a message was retried with: watch the call itself
  const [message] = batch.messages;
  const retry = message ? vi.spyOn(message, 'retry') : undefined;
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { id, result: await getQueueResult(batch, ctx), retriedWith: retry?.mock.calls.map(([o]) => o) };
}

async function putSettings(token: string, body: unknown) {
  return call('/v1/company/notifications/settings', { method: 'PUT', token, body });
}

let acmeSecret = '';

beforeAll(async () => {
  const res = await putSettings(await loginAs('admin@acme.example'), { webhookUrl: ACME_HOOK });
  acmeSecret = (await json<{ secret: string }>(res)).secret;
});

describe('webhook settings', () => {
  it('returns a generated secret once, never again, and audits the change without it', async () => {
    const admin = await loginAs('admin@acme.example');
    expect(acmeSecret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(await storedSecret('co_acme')).toBe(acmeSecret);

    const read = await call('/v1/company/notifications/settings', { token: admin });
    const readText = await read.text();
    expect(JSON.parse(readText)).toEqual({ webhookUrl: ACME_HOOK, hasSecret: true });
    expect(readText).not.toContain(acmeSecret);

    // changing the URL keeps the secret, and does not show it
    const moved = await putSettings(admin, { webhookUrl: 'https://hooks.acme.test/v2' });
    expect(await json(moved)).toEqual({ webhookUrl: 'https://hooks.acme.test/v2', hasSecret: true });
    expect(await storedSecret('co_acme')).toBe(acmeSecret);

    const audit = await json<{ items: { action: string; summary: string; requestId: string }[] }>(
      await call('/v1/audit?action=notifications.settings.update&target=co_acme', { token: admin }),
    );
    expect(audit.items[0]).toMatchObject({
      action: 'notifications.settings.update',
      requestId: moved.headers.get('x-request-id'),
      summary: expect.stringContaining('https://hooks.acme.test'),
    });
    expect(audit.items.some((e) => e.summary.includes('signing secret generated'))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(acmeSecret);
    expect(JSON.stringify(audit)).not.toContain('token=abc');

    const restored = await json(await putSettings(admin, { webhookUrl: ACME_HOOK }));
    expect(restored).not.toHaveProperty('secret');
  });

  it('rotates the secret on request, and keeps it when the webhook is removed', async () => {
    const admin = await loginAs('admin@globex.example');
    const first = await json<{ secret: string }>(
      await putSettings(admin, { webhookUrl: 'http://localhost:8787/hook' }),
    );
    const rotated = await json<{ secret: string; hasSecret: boolean }>(
      await putSettings(admin, { webhookUrl: 'http://127.0.0.1:9000/hook', rotateSecret: true }),
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(first.secret);
    expect(await json(await putSettings(admin, { webhookUrl: null }))).toEqual({
      webhookUrl: null,
      hasSecret: true,
    });
    expect(await storedSecret('co_globex')).toBe(rotated.secret);
  });

  it('rejects a webhook that is not https (except localhost), or carries credentials, on webhookUrl', async () => {
    const admin = await loginAs('admin@acme.example');
    for (const webhookUrl of [
      'http://hooks.acme.test/b2b',
      'ftp://hooks.acme.test/b2b',
      'https://user:pw@hooks.acme.test/b2b',
      'not a url',
    ]) {
      const problem = await expectProblem(await putSettings(admin, { webhookUrl }), 400);
      expect(problem.errors?.map((e) => e.path)).toEqual(['webhookUrl']);
    }
    const unknown = await expectProblem(await putSettings(admin, { webhookUrl: null, secret: 'mine' }), 400);
    expect(unknown.errors?.map((e) => e.path)).toEqual(['secret']);
    expect(await storedSecret('co_acme')).toBe(acmeSecret);
  });

  it('is for company admins only (users.manage)', async () => {
    const buyer = await loginAs('buyer@acme.example');
    await expectProblem(await call('/v1/company/notifications/settings', { token: buyer }), 403);
    await expectProblem(await putSettings(buyer, { webhookUrl: 'https://evil.test/' }), 403);
    await expectProblem(await call('/v1/company/notifications/deliveries', { token: buyer }), 403);
    await expectProblem(await call('/v1/company/notifications/test', { method: 'POST', token: buyer }), 403);
    await expectProblem(await call('/v1/company/notifications/settings'), 401);
    // supplier staff act for a company they name; one that never set a webhook has neither URL nor secret
    const ops = await loginAs('ops@supplier.example');
    const initech = await call('/v1/company/notifications/settings', {
      token: ops,
      headers: { 'x-company-id': 'co_initech' },
    });
    expect(await json(initech)).toEqual({ webhookUrl: null, hasSecret: false });
  });
});

describe('delivery', () => {
  it('POSTs the event, signed with the company secret over "<timestamp>.<body>"', async () => {
    respond = () => new Response('ok', { status: 200 });
    const n = note('co_acme');
    const now = Date.now();
    expect(await deliverNotification(db(), n, now, recorder)).toBe('delivered');

    expect(sent).toHaveLength(1);
    const [req] = sent;
    if (!req) throw new Error('no request');
    expect(req.url).toBe(ACME_HOOK);
    expect(req.method).toBe('POST');
    expect(req.signal).toBeInstanceOf(AbortSignal);
    expect(req.headers.get('content-type')).toBe('application/json');
    expect(req.headers.get('x-b2b-event')).toBe('order.placed');
    expect(req.headers.get('x-b2b-delivery')).toBe(n.eventId);
    const timestamp = req.headers.get('x-b2b-timestamp');
    expect(timestamp).toBe(String(Math.floor(now / 1000)));
    expect(JSON.parse(req.body)).toEqual({
      id: n.eventId,
      event: 'order.placed',
      companyId: 'co_acme',
      occurredAt: new Date(now).toISOString(),
      payload: n.payload,
    });
    expect(req.headers.get('x-b2b-signature')).toBe(
      `sha256=${await hmacHex(acmeSecret, `${timestamp}.${req.body}`)}`,
    );
    expect(JSON.stringify([...req.headers])).not.toContain(acmeSecret);
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      last_error: null,
      delivered_at: now,
    });
  });

  it('a redelivered event already delivered does nothing: one POST', async () => {
    respond = () => new Response(null, { status: 204 });
    const n = note('co_acme');
    const first = await runConsumer('notifications', n);
    expect(first.result.explicitAcks).toEqual([first.id]);
    const again = await runConsumer('notifications', n, 2);
    expect(again.result.explicitAcks).toEqual([again.id]);
    expect(await deliverNotification(db(), n, Date.now(), recorder)).toBe('already_delivered');
    expect(sent).toHaveLength(1);
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('500, network error and timeout are recorded and retried with backoff; the dead letter marks it failed', async () => {
    const n = note('co_acme', { event: 'approval.requested' });

    respond = () => new Response('boom', { status: 500, statusText: 'Internal Server Error' });
    const r1 = await runConsumer('notifications', n, 1);
    expect(r1.result.explicitAcks).toEqual([]);
    expect(r1.result.retryMessages.map((m) => m.msgId)).toEqual([r1.id]);
    expect(r1.retriedWith).toEqual([{ delaySeconds: retryDelaySeconds(1) }]);
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500 Internal Server Error',
    });

    respond = () => {
      throw new TypeError('connection refused');
    };
    const r2 = await runConsumer('notifications', n, 2);
    expect(r2.result.explicitAcks).toEqual([]);
    expect(r2.result.retryMessages.map((m) => m.msgId)).toEqual([r2.id]);
    expect(r2.retriedWith).toEqual([{ delaySeconds: 20 }]);
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({
      status: 'pending',
      attempts: 2,
      last_status_code: null,
      last_error: 'network error: connection refused',
    });

    // what AbortSignal.timeout(10 s) raises, without waiting 10 s
    respond = () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    await expect(deliverNotification(db(), n, Date.now(), recorder)).rejects.toMatchObject({
      code: 'upstream_failed',
    });
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({
      attempts: 3,
      last_error: 'timed out after 10 s',
    });

    // a redirect is not followed: the signed body goes to the configured URL only
    respond = () => new Response(null, { status: 302, headers: { location: 'http://internal/' } });
    await expect(deliverNotification(db(), n, Date.now(), recorder)).rejects.toThrow(/HTTP 302/);
    expect(sent.every((r) => r.url === ACME_HOOK)).toBe(true);

    respond = unexpected;
    const dead = await runConsumer('notifications-dlq', n, 9);
    expect(dead.result.explicitAcks).toEqual([dead.id]);
    expect(await deliveryRow('co_acme', n.eventId)).toMatchObject({
      status: 'failed',
      attempts: 4,
      last_status_code: 302,
    });
    const letter = await env.DB.prepare('SELECT queue FROM dead_letters WHERE message_id = ?')
      .bind(dead.id)
      .first<{ queue: string }>();
    expect(letter?.queue).toBe('notifications-dlq');
  });

  it('a company without a webhook is skipped, visibly, and the message acked', async () => {
    const n = note('co_initech');
    const { id, result } = await runConsumer('notifications', n);
    expect(result.explicitAcks).toEqual([id]);
    expect(result.retryMessages).toEqual([]);
    expect(sent).toEqual([]);
    expect(await deliveryRow('co_initech', n.eventId)).toMatchObject({ status: 'skipped', attempts: 0 });
  });
});

describe('deliveries list and test event', () => {
  interface Page {
    items: { eventId: string; event: string; status: string; attempts: number; createdAt: string }[];
    nextCursor: string | null;
  }

  it('lists newest first with status filter and keyset paging; other companies see none of it', async () => {
    respond = () => new Response(null, { status: 200 });
    const base = Date.now() + 1000;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const n = note('co_acme', { event: 'order.approved' });
      ids.push(n.eventId);
      await deliverNotification(db(), n, base + i, recorder);
    }
    const admin = await loginAs('admin@acme.example');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await json(
        await call(
          `/v1/company/notifications/deliveries?status=delivered&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          { token: admin },
        ),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      expect(page.items.every((d) => d.status === 'delivered')).toBe(true);
      seen.push(...page.items.map((d) => d.eventId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());

    const globex = await call('/v1/company/notifications/deliveries?limit=200', {
      token: await loginAs('admin@globex.example'),
    });
    const text = await globex.text();
    for (const id of ids) expect(text).not.toContain(id);
    expect(text).not.toContain('co_acme');

    await expectProblem(
      await call('/v1/company/notifications/deliveries', {
        token: await loginAs('admin@globex.example'),
        headers: { 'x-company-id': 'co_acme' },
      }),
      404,
    );
    const bad = await expectProblem(
      await call('/v1/company/notifications/deliveries?status=lost&cursor=x', { token: admin }),
      400,
    );
    expect(bad.errors?.map((e) => e.path)).toEqual(['status']);
  });

  it('the test event goes through the real queue to the webhook', async () => {
    respond = () => new Response(null, { status: 200 });
    const admin = await loginAs('admin@acme.example');
    const res = await call('/v1/company/notifications/test', { method: 'POST', token: admin });
    expect(res.status).toBe(202);
    const { eventId } = await json<{ eventId: string }>(res);
    expect(eventId).toMatch(/^evt_/);
    await vi.waitFor(async () => expect((await deliveryRow('co_acme', eventId))?.status).toBe('delivered'), {
      timeout: 15_000,
      interval: 200,
    });
    const req = sent.find((r) => r.headers.get('x-b2b-delivery') === eventId);
    expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ event: 'order.placed', payload: { test: true } });
  });
});
