import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { insertAudit } from '../db/queries/audit';
import { orderEvents, orders, outbox } from '../db/schema';
import { exportRow, notificationRow, orderExportRecord } from './order-writes';

/**
 * The SQL side of an approval decision, for one batch. Ids are derived from the order, the step and the
 * approver, so replaying a decision after a crash writes nothing twice.
 */
export interface Decision {
  companyId: string;
  orderId: string;
  actorId: string;
  /** the approver the actor stood in for (delegation), if any */
  actingForId: string | null;
  stepKey: string;
  verdict: 'approve' | 'reject';
  /** what the decision did to the order: nothing yet (more approvals needed), placed, or rejected */
  effect: 'pending' | 'placed' | 'rejected';
  comment: string | null;
  summary: { totalMinor: number; currency: string; requesterId: string };
  requestId: string;
  at: number;
}

const slug = (s: string) => s.replace(/[^0-9a-z]/gi, '');

export function decisionStatements(db: Database, d: Decision): BatchItem<'sqlite'>[] {
  const tail = `${d.orderId.slice(4)}_${slug(d.stepKey)}_${slug(d.actingForId ?? d.actorId)}`;
  const items: BatchItem<'sqlite'>[] = [
    db
      .insert(orderEvents)
      .values({
        id: `evt_${tail}_${d.verdict}`,
        orderId: d.orderId,
        companyId: d.companyId,
        at: d.at,
        type: d.verdict === 'approve' ? 'approval' : 'rejection',
        actorId: d.actorId,
        actingForId: d.actingForId,
        note: d.comment,
      })
      .onConflictDoNothing(),
    insertAudit(db, {
      id: `aud_${tail}_${d.verdict}`,
      at: d.at,
      actorId: d.actorId,
      actorKind: 'user',
      actingForId: d.actingForId,
      companyId: d.companyId,
      action: d.verdict === 'approve' ? 'order.approve' : 'order.reject',
      targetType: 'order',
      targetId: d.orderId,
      summary: `${d.verdict === 'approve' ? 'Approved' : 'Rejected'} step ${d.stepKey}${d.actingForId ? ` for ${d.actingForId}` : ''}${d.comment ? `: ${d.comment}` : ''}`,
      requestId: d.requestId,
    }).onConflictDoNothing(),
  ];
  if (d.effect === 'pending') return items;
  const payload = { orderId: d.orderId, ...d.summary };
  items.push(
    db
      .update(orders)
      // placed now: its ERP export starts (written below, in this batch); it was never sent before
      .set({ status: d.effect, exportState: d.effect === 'placed' ? 'pending' : null, updatedAt: d.at })
      .where(and(eq(orders.id, d.orderId), eq(orders.status, 'pending_approval'))),
    db
      .insert(orderEvents)
      .values({
        id: `evt_${d.orderId.slice(4)}_${d.effect}`,
        orderId: d.orderId,
        companyId: d.companyId,
        at: d.at,
        type: d.effect,
        actorId: d.actorId,
        actingForId: d.actingForId,
      })
      .onConflictDoNothing(),
    db
      .insert(outbox)
      .values(
        d.effect === 'placed'
          ? [
              exportRow(d.companyId, d.orderId, d.at),
              notificationRow(d.companyId, d.orderId, 'order.approved', payload, d.at),
            ]
          : [notificationRow(d.companyId, d.orderId, 'order.rejected', payload, d.at)],
      )
      .onConflictDoNothing(),
  );
  if (d.effect === 'placed') items.push(orderExportRecord(db, d.companyId, d.orderId, d.at));
  return items;
}

/** Who cancels which order, why, and when: what every cancellation writes. */
export interface CancelFacts {
  companyId: string;
  orderId: string;
  actorId: string;
  reason: string | null;
  requestId: string;
  at: number;
}

/** A pending order withdrawn by its requester (or a company admin): cancelled, with event and audit. */
export function cancelStatements(
  db: Database,
  c: CancelFacts,
): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  return [
    db
      .update(orders)
      .set({ status: 'cancelled', updatedAt: c.at })
      .where(and(eq(orders.id, c.orderId), eq(orders.status, 'pending_approval'))),
    db
      .insert(orderEvents)
      .values({
        id: `evt_${c.orderId.slice(4)}_cancelled`,
        orderId: c.orderId,
        companyId: c.companyId,
        at: c.at,
        type: 'cancelled',
        actorId: c.actorId,
        note: c.reason,
      })
      .onConflictDoNothing(),
    insertAudit(db, {
      id: `aud_${c.orderId.slice(4)}_cancelled`,
      at: c.at,
      actorId: c.actorId,
      actorKind: 'user',
      companyId: c.companyId,
      action: 'order.cancel',
      targetType: 'order',
      targetId: c.orderId,
      summary: `Cancelled the order while it awaited approval${c.reason ? `: ${c.reason}` : ''}`,
      requestId: c.requestId,
    }).onConflictDoNothing(),
  ];
}
