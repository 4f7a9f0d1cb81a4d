import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { guardedRows } from '../db/queries/bulk';
import { erpExports, orderEvents, orders } from '../db/schema';
import type { ExportKind, ExportState } from '../domain/erp-terms';

/**
 * The records of what goes to the ERP about an order (docs/erp.md): the outbox row that asks for it, the
 * `erp_exports` row that tracks it (same id, so a relay or a re-drive never makes a second), and its state
 * changes, each written with its `order_events` row in one batch. The other parts of the ERP link (receipts,
 * problem reports) write their exports through `exportOutboxRow` + `exportRecord` too.
 */

/** The outbox topic of each export kind; the relay sends exactly these to `erp-export`. */
export const EXPORT_TOPICS: Record<ExportKind, string> = {
  order: 'order.export',
  cancellation: 'order.cancellation_export',
  receipt: 'order.receipt_export',
  problem_report: 'order.problem_report_export',
};
export const EXPORT_TOPIC_LIST = Object.values(EXPORT_TOPICS);

export const kindOfTopic = (topic: string): ExportKind | undefined =>
  (Object.keys(EXPORT_TOPICS) as ExportKind[]).find((k) => EXPORT_TOPICS[k] === topic);

/** The id of an order's own export: its outbox row, its `erp_exports` row. */
export const orderExportId = (orderId: string) => `obx_${orderId.slice(4)}_export`;

/**
 * An outbox row asking for an export. `body` is what is POSTed for the kinds other than the order itself
 * (whose document is built from SQL when it is sent, docs/erp.md).
 */
export function exportOutboxRow(e: {
  id: string;
  kind: ExportKind;
  companyId: string;
  orderId: string;
  body?: Record<string, unknown>;
  at: number;
}) {
  return {
    id: e.id,
    topic: EXPORT_TOPICS[e.kind],
    companyId: e.companyId,
    aggregateId: e.orderId,
    payload: e.body ? { orderId: e.orderId, body: e.body } : { orderId: e.orderId },
    createdAt: e.at,
  };
}

/** The tracking row of an export, `pending`; an existing one is left as it is. */
export const exportRecord = (
  db: Database,
  e: { id: string; kind: ExportKind; companyId: string; orderId: string; at: number },
) =>
  db
    .insert(erpExports)
    .values({
      id: e.id,
      orderId: e.orderId,
      companyId: e.companyId,
      kind: e.kind,
      state: 'pending',
      createdAt: e.at,
      updatedAt: e.at,
    })
    .onConflictDoNothing();

/** How a state change reads in the order's history: `export.sent`, `export.cancellation.failed`, … */
export const exportEventType = (kind: ExportKind, state: ExportState) =>
  kind === 'order' ? `export.${state}` : `export.${kind}.${state}`;

export interface ExportTransition {
  exportId: string;
  orderId: string;
  companyId: string;
  kind: ExportKind;
  /** only an export in one of these states changes */
  from: readonly ExportState[];
  to: ExportState;
  at: number;
  /** makes the event id unique per change: the attempt number, or the re-drive's instant */
  eventKey: string | number;
  note: string | null;
  /** `system` unless a person did it (a re-drive) */
  actorId?: string;
  /** the columns that change with the state (last status, error, timestamps) */
  set?: Partial<typeof erpExports.$inferInsert>;
}

/**
 * A state change of an export, as statements for one batch: the history event (first, while the old state
 * is still there to check), the export row, and for the order's own export the order's `export_state`,
 * copied from the export row so the two never disagree. Nothing happens when the export is not in a `from`
 * state: a redelivered or concurrent message cannot write a second event or move a state back.
 */
export function exportTransition(db: Database, t: ExportTransition): BatchItem<'sqlite'>[] {
  const inFrom: SQL = and(eq(erpExports.id, t.exportId), inArray(erpExports.state, [...t.from])) as SQL;
  const statements: BatchItem<'sqlite'>[] = [
    db
      .insert(orderEvents)
      .select(
        guardedRows(
          orderEvents,
          [
            {
              id: `evt_${t.exportId.slice(4)}_${t.to}_${t.eventKey}`,
              orderId: t.orderId,
              companyId: t.companyId,
              at: t.at,
              type: exportEventType(t.kind, t.to),
              actorId: t.actorId ?? 'system',
              actingForId: null,
              note: t.note,
            },
          ],
          sql`EXISTS (SELECT 1 FROM ${erpExports} WHERE ${inFrom})`,
        ),
      )
      .onConflictDoNothing(),
    db
      .update(erpExports)
      .set({ ...t.set, state: t.to, updatedAt: t.at })
      .where(inFrom),
  ];
  if (t.kind === 'order') statements.push(syncOrderExportState(db, t.orderId, t.at));
  return statements;
}

/** The order's `export_state` follows its own export's row (set in the same batch as any change of it). */
export function syncOrderExportState(db: Database, orderId: string, at: number) {
  const current = sql`(SELECT ${erpExports.state} FROM ${erpExports} WHERE ${erpExports.id} = ${orderExportId(orderId)})`;
  return db
    .update(orders)
    .set({ exportState: sql`${current}`, updatedAt: at })
    .where(and(eq(orders.id, orderId), sql`${orders.exportState} IS NOT ${current}`));
}
