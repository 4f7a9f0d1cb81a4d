import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import type { Env } from '../../src/env';
import worker from '../../src/index';
import { CRONS } from '../../src/queues/cron';
import { all } from './pricing-helpers';

/**
 * Recurring orders under a clock the test drives: requests, cron runs and queue deliveries all see the
 * instant the test sets (the Worker's TEST_CLOCK binding; the cron's scheduledTime), never real time.
 */
export const clock = { now: Date.UTC(2026, 10, 2, 6, 0) };
const timed = (): Env => ({ ...env, TEST_CLOCK: () => clock.now }) as Env;

export async function send(
  path: string,
  o: { method?: string; token: string; body?: unknown } & Record<string, unknown>,
): Promise<Response> {
  const headers = new Headers({ authorization: `Bearer ${o.token}` });
  if (o.body !== undefined) headers.set('content-type', 'application/json');
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, {
      method: o.method ?? 'GET',
      headers,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    }),
    timed(),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export interface DueMessage {
  scheduleId: string;
  occurrence: string;
}

/** Fires the every-minute cron at `at`; answers the messages it sent (held here, not delivered). */
export async function fireCron(at: number): Promise<DueMessage[]> {
  const sent: DueMessage[] = [];
  const queue = {
    send: async (body: DueMessage) => void sent.push(body),
    sendBatch: async (messages: { body: DueMessage }[]) => void sent.push(...messages.map((m) => m.body)),
  };
  clock.now = at;
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron: CRONS.dueWork, scheduledTime: at }),
    { ...timed(), RECURRING_ORDERS_QUEUE: queue } as unknown as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return sent;
}

let delivery = 0;
/** Delivers messages to the `recurring-orders` consumer at `at` (the same message twice is a redelivery). */
export async function deliver(messages: readonly DueMessage[], at = clock.now, attempts = 1) {
  clock.now = at;
  const batch = createMessageBatch(
    'recurring-orders',
    messages.map((body) => ({ id: `msg_${delivery++}`, timestamp: new Date(at), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, timed(), ctx);
  const result = await getQueueResult(batch, ctx);
  await waitOnExecutionContext(ctx);
  return result;
}

/** Cron at `at`, then its messages delivered in batches of 10, as the queue would. */
export async function runDue(at: number) {
  const messages = await fireCron(at);
  for (let i = 0; i < messages.length; i += 10) await deliver(messages.slice(i, i + 10), at);
  return messages;
}

export const ordersOf = (scheduleId: string) =>
  all<{
    id: string;
    status: string;
    channel: string;
    channel_ref: string;
    placed_by: string;
    po_number: string | null;
    created_at: number;
  }>(
    'SELECT id, status, channel, channel_ref, placed_by, po_number, created_at FROM orders WHERE channel_ref = ? ORDER BY created_at',
    scheduleId,
  );

export const occurrencesOf = (scheduleId: string) =>
  all<{
    id: string;
    scheduled_at: number;
    status: string;
    order_id: string | null;
    missed_slots: number;
    lines: string;
    problems: string;
    number: number;
  }>('SELECT * FROM recurring_occurrences WHERE schedule_id = ? ORDER BY scheduled_at', scheduleId);

/** A product Acme can order plainly: active, visible, orderable, no quantity rules, in stock. */
export const acmeSkus = async (n: number) =>
  (
    await all<{ sku: string }>(
      `SELECT p.sku FROM products p JOIN list_prices l ON l.sku = p.sku AND l.price_list_id = 'pl_eur'
       WHERE p.status = 'active' AND p.min_order_qty = 1 AND p.order_multiple = 1 AND l.amount_minor < 2000
       AND p.category_path NOT LIKE (SELECT target FROM assortment_rules WHERE company_id = 'co_acme' AND effect = 'exclude') || '%'
       AND p.family NOT IN (SELECT target FROM assortment_rules WHERE effect = 'not_orderable')
       AND (SELECT sum(on_hand) FROM stock s WHERE s.sku = p.sku) > 50
       ORDER BY p.sku LIMIT ?`,
      n,
    )
  ).map((r) => r.sku);

export const iso = (at: number) => new Date(at).toISOString();
