import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { createDatabase } from '../db/client';
import { outbox } from '../db/schema';
import type { Env } from '../env';
import { markDispatched } from './order-writes';

/**
 * Sends notification rows of the outbox to the `notifications` queue. Checkout calls it right after the
 * order is written; the five-minute cron calls it for whatever that missed (a failed send, a crash), so a
 * notification is sent at least once. The consumer records each event once, so a second send is harmless.
 */
const RELAY_BATCH = 100;

type OutboxRow = typeof outbox.$inferSelect;

async function send(env: Env, rows: readonly OutboxRow[], at: number): Promise<number> {
  if (rows.length === 0) return 0;
  await env.NOTIFICATIONS_QUEUE.sendBatch(rows.map((r) => ({ body: r.payload })));
  await markDispatched(
    createDatabase(env),
    rows.map((r) => r.id),
    at,
  );
  return rows.length;
}

export async function enqueueOutbox(env: Env, companyId: string, aggregateId: string): Promise<number> {
  const rows = await createDatabase(env)
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.topic, 'notification'),
        eq(outbox.companyId, companyId),
        eq(outbox.aggregateId, aggregateId),
        isNull(outbox.dispatchedAt),
      ),
    );
  return send(env, rows, Date.now());
}

/** Notification rows still unsent a minute after they were written. */
export async function relayOutbox(env: Env, now: number): Promise<number> {
  const rows = await createDatabase(env)
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.topic, 'notification'), isNull(outbox.dispatchedAt), lt(outbox.createdAt, now - 60_000)),
    )
    .orderBy(asc(outbox.createdAt))
    .limit(RELAY_BATCH);
  return send(env, rows, now);
}
