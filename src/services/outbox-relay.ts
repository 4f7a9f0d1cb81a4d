import { and, asc, eq, inArray, isNull, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import { createDatabase, type Database } from '../db/client';
import { chunks, runBatch } from '../db/queries/bulk';
import { orders, outbox } from '../db/schema';
import type { Env } from '../env';
import { EXPORT_TOPIC_LIST, EXPORT_TOPICS, exportRecord, kindOfTopic } from './erp-export-records';
import { markDispatched } from './order-writes';

/**
 * Sends outbox rows on: notification rows to `notifications`, ERP export rows to `erp-export`. Checkout
 * (through the company's object), approval decisions and cancellations call it right after their write;
 * the five-minute cron calls it for whatever that missed (a failed send, a crash), so every row is sent at
 * least once. Consumers record each event or export once, so a second send is harmless.
 *
 * ERP exports are sent only with an ERP configured (`ERP_BASE_URL`); without one they wait, `pending`.
 * What follows an order (its cancellation, a receipt, a problem report) waits until the order's own export
 * is no longer pending, so the ERP never hears of a cancellation before the order.
 */
const RELAY_BATCH = 100;
const QUEUE_SEND_MAX = 100;

type OutboxRow = typeof outbox.$inferSelect;

export const erpConfigured = (env: Pick<Env, 'ERP_BASE_URL'>): boolean => (env.ERP_BASE_URL ?? '') !== '';

async function sendNotifications(env: Env, db: Database, rows: readonly OutboxRow[], at: number) {
  if (rows.length === 0) return 0;
  await env.NOTIFICATIONS_QUEUE.sendBatch(rows.map((r) => ({ body: r.payload })));
  await markDispatched(
    db,
    rows.map((r) => r.id),
    at,
  );
  return rows.length;
}

/** Export rows the ERP may be sent now: the order's own, or what follows an order already exported. */
const exportReady: SQL = or(
  eq(outbox.topic, EXPORT_TOPICS.order),
  and(
    inArray(outbox.topic, EXPORT_TOPIC_LIST),
    sql`EXISTS (SELECT 1 FROM ${orders} WHERE ${orders.id} = ${outbox.aggregateId} AND ${orders.exportState} IN ('sent', 'acknowledged', 'failed'))`,
  ),
) as SQL;

/** Tracking rows first (insert-or-ignore: usually written with the order), then the messages, then the mark. */
async function sendExports(env: Env, db: Database, rows: readonly OutboxRow[], at: number) {
  const known = rows.flatMap((r) => {
    const kind = kindOfTopic(r.topic);
    return kind ? [{ row: r, kind }] : [];
  });
  if (known.length === 0) return 0;
  await runBatch(
    db,
    known.map(({ row, kind }) =>
      exportRecord(db, { id: row.id, kind, companyId: row.companyId, orderId: row.aggregateId, at }),
    ),
  );
  for (const part of chunks(known, QUEUE_SEND_MAX)) {
    await env.ERP_EXPORT_QUEUE.sendBatch(part.map(({ row }) => ({ body: { exportId: row.id } })));
  }
  await markDispatched(
    db,
    known.map(({ row }) => row.id),
    at,
  );
  return known.length;
}

/** Everything of one order not sent yet (notifications, and ERP exports when an ERP is configured). */
export async function enqueueOutbox(env: Env, companyId: string, aggregateId: string): Promise<number> {
  const db = createDatabase(env);
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.companyId, companyId), eq(outbox.aggregateId, aggregateId), isNull(outbox.dispatchedAt)),
    );
  const now = Date.now();
  const notifications = rows.filter((r) => r.topic === 'notification');
  const sent = await sendNotifications(env, db, notifications, now);
  return sent + (await relayOrderExports(env, companyId, aggregateId, db));
}

/**
 * The ERP exports of one order that may go now: after its write, or (`followUpsOnly`) what waited for the
 * order's own export, whose row the company's object may not have marked sent yet (it marks them lazily).
 */
export async function relayOrderExports(
  env: Env,
  companyId: string,
  orderId: string,
  db: Database = createDatabase(env),
  followUpsOnly = false,
): Promise<number> {
  if (!erpConfigured(env)) return 0;
  const rows = await db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.companyId, companyId),
        eq(outbox.aggregateId, orderId),
        isNull(outbox.dispatchedAt),
        exportReady,
        followUpsOnly ? ne(outbox.topic, EXPORT_TOPICS.order) : undefined,
      ),
    );
  return sendExports(env, db, rows, Date.now());
}

/** Rows still unsent a minute after they were written: notifications, and exports when they may go. */
export async function relayOutbox(env: Env, now: number): Promise<number> {
  const db = createDatabase(env);
  const stale = and(isNull(outbox.dispatchedAt), lt(outbox.createdAt, now - 60_000));
  const [notifications, exports] = await Promise.all([
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.topic, 'notification'), stale))
      .orderBy(asc(outbox.createdAt))
      .limit(RELAY_BATCH),
    erpConfigured(env)
      ? db
          .select()
          .from(outbox)
          .where(and(exportReady, stale))
          .orderBy(asc(outbox.createdAt))
          .limit(RELAY_BATCH)
      : Promise.resolve([]),
  ]);
  return (await sendNotifications(env, db, notifications, now)) + (await sendExports(env, db, exports, now));
}
