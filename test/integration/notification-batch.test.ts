import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src/index';
import type { Notification } from '../../src/services/notifications';
import { call, json, loginAs } from './harness';

/**
 * The notifications consumer delivers a queue batch at a time. Counted, not timed: how many calls reach
 * D1 for a batch. One by one it was four per message (record, read back, settings, outcome): 100 sequential
 * calls for a batch of 25, which in local development held every other request up while it ran.
 */
const HOOK = 'https://hooks.acme.test/batch';
const posted: string[] = [];

beforeAll(async () => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    posted.push(input instanceof Request ? input.url : String(input));
    return new Response('ok');
  });
  const admin = await loginAs('admin@acme.example');
  const res = await call('/v1/company/notifications/settings', {
    method: 'PUT',
    token: admin,
    body: { webhookUrl: HOOK },
  });
  expect(res.status).toBe(200);
  await json(res);
});
afterAll(() => {
  vi.restoreAllMocks();
});

/** The test's D1 binding, counting every call that goes to the database (a batch counts once). */
function countingDb() {
  let calls = 0;
  const countStatement = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (typeof value !== 'function') return value;
        if (key === 'bind') return (...args: unknown[]) => countStatement(value.apply(target, args));
        if (['all', 'raw', 'run', 'first'].includes(String(key)))
          return (...args: unknown[]) => {
            calls++;
            return value.apply(target, args);
          };
        return value.bind(target);
      },
    });
  const db = new Proxy(env.DB, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (key === 'prepare') return (sql: string) => countStatement(target.prepare(sql));
      if (key === 'batch')
        return (statements: D1PreparedStatement[]) => {
          calls++;
          return target.batch(statements);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, calls: () => calls };
}

let seq = 0;
const note = (companyId: string, eventId = `evt_batch_${Date.now()}_${seq++}`): Notification => ({
  eventId,
  companyId,
  event: 'order.placed',
  payload: { orderId: `ord_batch_${seq}`, totalMinor: 100 },
});

async function consume(notifications: Notification[]) {
  const counting = countingDb();
  const batch = createMessageBatch(
    'notifications',
    notifications.map((body, i) => ({
      id: `msg_${body.eventId}_${i}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, DB: counting.db }, ctx);
  return { result: await getQueueResult(batch, ctx), d1Calls: counting.calls() };
}

const statusOf = async (n: Notification) =>
  (
    await env.DB.prepare('SELECT status FROM notification_deliveries WHERE company_id = ? AND event_id = ?')
      .bind(n.companyId, n.eventId)
      .first<{ status: string }>()
  )?.status;

describe('the notifications consumer, a batch at a time', () => {
  it('records a batch of 25 without webhooks in two calls to D1, and acks every message', async () => {
    const batch = Array.from({ length: 25 }, (_, i) => note(i % 2 ? 'co_globex' : 'co_initech'));
    const { result, d1Calls } = await consume(batch);
    expect(d1Calls).toBe(2);
    expect(result.explicitAcks).toHaveLength(25);
    expect(result.retryMessages).toEqual([]);
    for (const n of batch) expect(await statusOf(n)).toBe('skipped');
    const stored = await env.DB.prepare(
      'SELECT event, payload, attempts FROM notification_deliveries WHERE company_id = ? AND event_id = ?',
    )
      .bind(batch[0]?.companyId, batch[0]?.eventId)
      .first<{ event: string; payload: string; attempts: number }>();
    expect(stored && { ...stored, payload: JSON.parse(stored.payload) }).toEqual({
      event: 'order.placed',
      payload: batch[0]?.payload,
      attempts: 0,
    });
  });

  it('calls each webhook once per event, also when the batch carries an event twice', async () => {
    posted.length = 0;
    const twice = note('co_acme');
    const batch = [twice, note('co_globex'), note('co_acme'), { ...twice }];
    const { result } = await consume(batch);
    expect(result.explicitAcks).toHaveLength(4);
    expect(posted).toEqual([HOOK, HOOK]);
    expect(await statusOf(twice)).toBe('delivered');
    expect(await statusOf(batch[1] ?? twice)).toBe('skipped');
    // delivered events are not sent again when redelivered
    const again = await consume([twice]);
    expect(again.result.explicitAcks).toHaveLength(1);
    expect(posted).toHaveLength(2);
  });
});
