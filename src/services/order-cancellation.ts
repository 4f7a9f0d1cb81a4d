import { and, eq, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { guardedRows } from '../db/queries/bulk';
import { auditLog, erpExports, orderEvents, orders, outbox } from '../db/schema';
import { exportOutboxRow } from './erp-export-records';
import type { CancelFacts } from './order-decisions';

/** A placed order may be cancelled until the ERP reports it shipped. */
export const CANCELLABLE_FULFILMENT = ['open', 'acknowledged'] as const;

export const cancellationExportId = (orderId: string) => `obx_${orderId.slice(4)}_cancellation`;

/**
 * The SQL side of cancelling a placed order, for one batch: the status (only from `placed` and before
 * shipping, checked in the statement), then — only if the order is cancelled now — its event, the
 * cancellation export for the ERP (outbox row + tracking row) and the audit row. The order's own export is
 * left alone: the cancellation follows it (the relay holds the cancellation back until the order's export
 * is no longer pending), so the ERP always hears of the order before its cancellation.
 * Ids are derived from the order: running it twice writes nothing twice.
 */
export function cancelPlacedStatements(
  db: Database,
  c: CancelFacts,
): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  const tail = c.orderId.slice(4);
  const cancelled = sql`EXISTS (SELECT 1 FROM ${orders} WHERE ${and(eq(orders.id, c.orderId), eq(orders.status, 'cancelled'))})`;
  const exportId = cancellationExportId(c.orderId);
  const body = { orderId: c.orderId, reason: c.reason, cancelledAt: new Date(c.at).toISOString() };
  return [
    db
      .update(orders)
      .set({ status: 'cancelled', updatedAt: c.at })
      .where(
        and(
          eq(orders.id, c.orderId),
          eq(orders.companyId, c.companyId),
          eq(orders.status, 'placed'),
          inArray(orders.fulfilmentStatus, [...CANCELLABLE_FULFILMENT]),
        ),
      )
      .returning({ id: orders.id }),
    db
      .insert(orderEvents)
      .select(
        guardedRows(
          orderEvents,
          [
            {
              id: `evt_${tail}_cancelled`,
              orderId: c.orderId,
              companyId: c.companyId,
              at: c.at,
              type: 'cancelled',
              actorId: c.actorId,
              note: c.reason,
            },
          ],
          cancelled,
        ),
      )
      .onConflictDoNothing(),
    db
      .insert(outbox)
      .select(
        guardedRows(
          outbox,
          [
            {
              ...exportOutboxRow({
                id: exportId,
                kind: 'cancellation',
                companyId: c.companyId,
                orderId: c.orderId,
                body,
                at: c.at,
              }),
              // every column is written by an INSERT … SELECT, defaults included
              dispatchedAt: null,
              attempts: 0,
            },
          ],
          cancelled,
        ),
      )
      .onConflictDoNothing(),
    db
      .insert(erpExports)
      .select(
        guardedRows(
          erpExports,
          [
            {
              id: exportId,
              orderId: c.orderId,
              companyId: c.companyId,
              kind: 'cancellation',
              state: 'pending',
              attempts: 0,
              createdAt: c.at,
              updatedAt: c.at,
            },
          ],
          cancelled,
        ),
      )
      .onConflictDoNothing(),
    db
      .insert(auditLog)
      .select(
        guardedRows(
          auditLog,
          [
            {
              id: `aud_${tail}_cancelled`,
              at: c.at,
              actorId: c.actorId,
              actorKind: 'user',
              actingForId: null,
              companyId: c.companyId,
              action: 'order.cancel',
              targetType: 'order',
              targetId: c.orderId,
              summary: `Cancelled the placed order; the ERP is sent a cancellation${c.reason ? `: ${c.reason}` : ''}`,
              requestId: c.requestId,
            },
          ],
          cancelled,
        ),
      )
      .onConflictDoNothing(),
  ];
}
