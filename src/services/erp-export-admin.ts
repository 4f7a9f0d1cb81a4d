import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { type ErpExportRow, exportsOfOrder } from '../db/queries/erp-exports';
import { orders, outbox } from '../db/schema';
import { conflict, notFound } from '../domain/errors';
import type { Env } from '../env';
import { type Actor, auditInsert } from './audit';
import { EXPORT_TOPIC_LIST, exportTransition } from './erp-export-records';
import { markDispatched } from './order-writes';
import { erpConfigured, relayOrderExports } from './outbox-relay';

/** Whether exports can go at all, for the admin answers: without an ERP they wait as `pending`. */
export async function erpLinkStatus(env: Env, db: Database) {
  const configured = erpConfigured(env);
  const [waiting] = await db
    .select({ n: count() })
    .from(outbox)
    .where(and(inArray(outbox.topic, EXPORT_TOPIC_LIST), isNull(outbox.dispatchedAt)));
  return {
    erpConfigured: configured,
    /** export requests not handed to the queue yet (no ERP configured, or waiting for the order's own export) */
    waitingInOutbox: waiting?.n ?? 0,
    note: configured
      ? null
      : 'ERP_BASE_URL is empty: no ERP is configured, exports are not sent and stay pending until one is',
  };
}

/**
 * Sends an order's exports to the ERP again: each failed or pending one goes back to `pending` (an event in
 * the order's history, an audit row, in one batch) and onto the queue. One already sent is only sent again
 * with `force` — with the same Idempotency-Key, so the ERP answers what it answered the first time; this
 * is for an ERP that lost it. One the ERP acknowledged is never sent again.
 */
export async function redriveOrderExports(
  env: Env,
  db: Database,
  actor: Actor,
  orderId: string,
  force: boolean,
): Promise<{ orderId: string; exports: ErpExportRow[] }> {
  const [order] = await db
    .select({ companyId: orders.companyId, status: orders.status })
    .from(orders)
    .where(eq(orders.id, orderId))
    .limit(1);
  if (!order) throw notFound('Order');
  if (order.status !== 'placed' && order.status !== 'cancelled')
    throw conflict(`The order is ${order.status}: it was never placed, so there is nothing to export`);
  if (!erpConfigured(env))
    throw conflict('No ERP is configured (ERP_BASE_URL is empty): exports wait as pending until one is');
  let before = await exportsOfOrder(db, orderId);
  if (!before.some((e) => e.kind === 'order')) {
    // an order placed before the export relay existed has only its outbox row: the relay makes the export
    await relayOrderExports(env, order.companyId, orderId, db);
    before = await exportsOfOrder(db, orderId);
  }
  const targets = before.filter(
    (e) => e.state === 'failed' || e.state === 'pending' || (force && e.state === 'sent'),
  );
  if (targets.length === 0) {
    const acknowledged = before.some((e) => e.state === 'acknowledged');
    throw conflict(
      before.length === 0
        ? 'The order has no export'
        : acknowledged
          ? 'The ERP acknowledged the order: it is not sent again'
          : 'Already sent to the ERP; add ?force=true to send it again (same Idempotency-Key)',
    );
  }
  const statements: BatchItem<'sqlite'>[] = targets
    .filter((e) => e.state !== 'pending')
    .flatMap((e) =>
      exportTransition(db, {
        exportId: e.id,
        orderId,
        companyId: e.companyId,
        kind: e.kind,
        from: [e.state],
        to: 'pending',
        at: actor.now,
        eventKey: `redrive${actor.now}`,
        actorId: actor.principal.id,
        note: `sent again by ${actor.principal.id} (was ${e.state}${e.lastError ? `: ${e.lastError.slice(0, 200)}` : ''})`,
      }),
    );
  statements.push(
    markDispatched(
      db,
      targets.map((e) => e.id),
      actor.now,
    ),
    auditInsert(db, actor, {
      companyId: order.companyId,
      action: 'order.export_redrive',
      targetType: 'order',
      targetId: orderId,
      summary: `Sent ${targets.map((e) => `${e.kind} (${e.state})`).join(', ')} to the ERP again${force ? ' (forced)' : ''}`,
    }),
  );
  await runBatch(db, statements);
  await env.ERP_EXPORT_QUEUE.sendBatch(targets.map((e) => ({ body: { exportId: e.id } })));
  return { orderId, exports: await exportsOfOrder(db, orderId) };
}
