import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { insertAudit } from '../db/queries/audit';
import { chunks } from '../db/queries/bulk';
import { erpOrderEvents, invoices, orderEvents, orderLines, orders, outbox, shipments } from '../db/schema';
import type { ErpEvent, OrderLife } from '../domain/order-life';
import { documentKey } from '../domain/order-life';
import { newId } from '../lib/ids';
import { exportOutboxRow, exportRecord, exportTransition, orderExportId } from './erp-export-records';

/**
 * The SQL side of the order's life after checkout, as statements for ONE batch each: an ERP event with
 * everything it changes, and what the buyer sends back (receipt, problem report) with its way to the ERP.
 */

export interface ErpEventWrite {
  companyId: string;
  orderId: string;
  event: ErpEvent;
  /** a sentence for the order's timeline and the audit trail (no amounts) */
  note: string;
  life: OrderLife;
  /** our id of every projected shipment (the stored one's, or a new one), by the ERP's shipment id */
  shipmentIds: ReadonlyMap<string, string>;
  /** outbox rows announcing the event (notifications) */
  announcements: (typeof outbox.$inferInsert)[];
  actor: { id: string; kind: 'user' | 'api_key' };
  requestId: string;
  receivedAt: number;
}

/** 12 columns a row, under D1's 100 bound parameters a statement. */
const SHIPMENTS_PER_STATEMENT = 8;
const fromExcluded = (column: string): SQL => sql.raw(`excluded.${column}`);

/** The order event row of an ERP event: its id carries the ERP's event id (the timeline shows it). */
export const erpTimelineId = (orderId: string, eventId: string) => `evt_${orderId.slice(4)}_erp_${eventId}`;

export function erpEventStatements(db: Database, w: ErpEventWrite): BatchItem<'sqlite'>[] {
  const { body, eventId, occurredAt } = w.event;
  const { type, ...payload } = body;
  const items: BatchItem<'sqlite'>[] = [
    // no "ignore": a second insert of the id (a race across orders) must fail the whole batch
    db.insert(erpOrderEvents).values({
      erpEventId: eventId,
      orderId: w.orderId,
      companyId: w.companyId,
      type,
      occurredAt,
      payload,
      receivedAt: w.receivedAt,
    }),
    db.insert(orderEvents).values({
      id: erpTimelineId(w.orderId, eventId),
      orderId: w.orderId,
      companyId: w.companyId,
      at: occurredAt,
      type,
      actorId: 'erp',
      note: w.note,
    }),
    db
      .update(orders)
      .set({
        ...(w.life.erpOrderNumber === null ? {} : { erpOrderNumber: w.life.erpOrderNumber }),
        fulfilmentStatus: w.life.fulfilmentStatus,
        updatedAt: w.receivedAt,
      })
      .where(and(eq(orders.id, w.orderId), eq(orders.companyId, w.companyId))),
    insertAudit(db, {
      id: newId('aud'),
      at: w.receivedAt,
      actorId: w.actor.id,
      actorKind: w.actor.kind,
      companyId: w.companyId,
      action: `order.erp_${type}`,
      targetType: 'order',
      targetId: w.orderId,
      summary: `ERP event ${eventId}: ${w.note}`,
      requestId: w.requestId,
    }),
  ];
  if (w.life.cancelled)
    items.push(
      db
        .update(orders)
        .set({ status: 'cancelled' })
        .where(and(eq(orders.id, w.orderId), eq(orders.status, 'placed'))),
    );
  if (type === 'acknowledged') items.push(confirmationsUpdate(db, w));
  // an ERP that acknowledges the order has it, whatever became of our export's own answer
  if (w.life.erpOrderNumber !== null)
    items.push(
      ...exportTransition(db, {
        exportId: orderExportId(w.orderId),
        orderId: w.orderId,
        companyId: w.companyId,
        kind: 'order',
        from: ['pending', 'sent', 'failed'],
        to: 'acknowledged',
        at: w.receivedAt,
        eventKey: eventId,
        note: `The ERP acknowledged the order as ${w.life.erpOrderNumber}`,
        set: { acknowledgedAt: w.receivedAt },
      }),
    );
  items.push(...shipmentUpserts(db, w));
  if (type === 'invoiced' || type === 'credited') items.push(documentUpsert(db, w));
  if (w.announcements.length > 0) items.push(db.insert(outbox).values(w.announcements).onConflictDoNothing());
  return items;
}

/** Every line gets what the latest acknowledgement says of it, in one statement. */
function confirmationsUpdate(db: Database, w: ErpEventWrite) {
  const rows = JSON.stringify(
    [...w.life.confirmations].map(([lineNo, c]) => [lineNo, c.quantity, c.substituteSku, c.expectedDate]),
  );
  const field = (i: number) =>
    sql`(SELECT json_extract(value, ${`$[${i}]`}) FROM json_each(${rows}) WHERE json_extract(value, '$[0]') = ${orderLines.lineNo})`;
  return db
    .update(orderLines)
    .set({ confirmedQuantity: field(1), substituteSku: field(2), expectedDate: field(3) })
    .where(eq(orderLines.orderId, w.orderId));
}

function missingId(erpShipmentId: string): never {
  throw new Error(`no id for shipment ${erpShipmentId}`);
}

/** Every shipment as projected: a late acknowledgement (substitutes) or delivery touches stored ones too. */
function shipmentUpserts(db: Database, w: ErpEventWrite): BatchItem<'sqlite'>[] {
  const rows = [...w.life.shipments.values()].map((s) => ({
    id: w.shipmentIds.get(s.erpShipmentId) ?? missingId(s.erpShipmentId),
    orderId: w.orderId,
    companyId: w.companyId,
    erpShipmentId: s.erpShipmentId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    trackingUrl: s.trackingUrl,
    shippedAt: s.shippedAt,
    deliveredAt: s.deliveredAt,
    lines: s.lines,
  }));
  return chunks(rows, SHIPMENTS_PER_STATEMENT).map((part) =>
    db
      .insert(shipments)
      .values(part)
      .onConflictDoUpdate({
        target: [shipments.orderId, shipments.erpShipmentId],
        // the buyer's receipt (received_at, received_by) is theirs: never overwritten here
        set: {
          carrier: fromExcluded('carrier'),
          trackingNumber: fromExcluded('tracking_number'),
          trackingUrl: fromExcluded('tracking_url'),
          shippedAt: fromExcluded('shipped_at'),
          deliveredAt: fromExcluded('delivered_at'),
          lines: fromExcluded('lines'),
        },
      }),
  );
}

/** The document the event is about, as its latest (by the ERP's time) `invoiced` or `credited` says. */
function documentUpsert(db: Database, w: ErpEventWrite) {
  const body = w.event.body;
  const key =
    body.type === 'invoiced'
      ? documentKey('invoice', body.invoice.number)
      : body.type === 'credited'
        ? documentKey('credit_note', body.creditNote.number)
        : '';
  const d = w.life.documents.get(key);
  if (!d) throw new Error(`the projection lost document ${key}`);
  const fields = {
    creditsNumber: d.creditsNumber,
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    currency: d.currency,
    netMinor: d.netMinor,
    taxMinor: d.taxMinor,
    grossMinor: d.grossMinor,
    paidMinor: d.paidMinor,
    documentUrl: d.documentUrl ?? null,
    updatedAt: w.receivedAt,
  };
  return db
    .insert(invoices)
    .values({
      id: newId('inv'),
      companyId: w.companyId,
      orderId: w.orderId,
      kind: d.kind,
      number: d.number,
      createdAt: w.receivedAt,
      ...fields,
    })
    .onConflictDoUpdate({
      target: [invoices.kind, invoices.number],
      set: fields,
      setWhere: eq(invoices.orderId, w.orderId),
    });
}

/**
 * What goes back to the ERP after a receipt or a problem report: an export (outbox row + tracking row, same
 * id) whose body is the one docs/erp.md's wire table gives, POSTed by the export relay.
 */
export function feedbackExport(
  kind: 'receipt' | 'problem_report',
  companyId: string,
  orderId: string,
  subjectId: string,
  body: Record<string, unknown>,
  at: number,
) {
  const id = `obx_${orderId.slice(4)}_${kind === 'receipt' ? 'receipt' : 'problem'}_${subjectId.slice(4)}`;
  return { id, kind, companyId, orderId, body: { orderId, ...body }, at };
}

export function feedbackExportStatements(db: Database, e: ReturnType<typeof feedbackExport>) {
  return [db.insert(outbox).values(exportOutboxRow(e)).onConflictDoNothing(), exportRecord(db, e)] as const;
}
