import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../client';
import {
  companies,
  erpOrderEvents,
  invoices,
  lineProblemReports,
  orderEvents,
  orderLines,
  orders,
  shipments,
  users,
} from '../schema';
import { batchRead } from './bulk';
import { orderDocumentsQuery } from './invoices';

/** The order's life after checkout (docs/erp.md): what the ERP reported and what the buyer answered. */

export type ErpEventRow = typeof erpOrderEvents.$inferSelect;
export type ShipmentRow = typeof shipments.$inferSelect;
export type ProblemReportRow = typeof lineProblemReports.$inferSelect;

/** The company of an order, for the ERP, which names orders without a company. */
export async function companyOfOrder(db: Database, orderId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ companyId: orders.companyId })
    .from(orders)
    .where(eq(orders.id, orderId))
    .limit(1);
  return row?.companyId;
}

/**
 * Everything an ERP event is judged and projected with, in one round trip: the order and its lines, whether
 * it was ever placed, the events it has, the stored event with this id (of any order), our shipment ids and
 * the document the event names (of any order: numbers are unique per kind).
 */
export function erpEventContext(
  db: Database,
  companyId: string,
  orderId: string,
  eventId: string,
  document: { kind: 'invoice' | 'credit_note'; number: string } | null,
) {
  const ofOrder = and(eq(orders.id, orderId), eq(orders.companyId, companyId));
  return batchRead(db, {
    order: db
      .select({
        id: orders.id,
        status: orders.status,
        currency: orders.currency,
        erpOrderNumber: orders.erpOrderNumber,
      })
      .from(orders)
      .where(ofOrder)
      .limit(1),
    lines: db
      .select({ lineNo: orderLines.lineNo, sku: orderLines.sku, quantity: orderLines.quantity })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.lineNo)),
    placed: db
      .select({ id: orderEvents.id })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.type, 'placed')))
      .limit(1),
    events: db.select().from(erpOrderEvents).where(eq(erpOrderEvents.orderId, orderId)),
    same: db.select().from(erpOrderEvents).where(eq(erpOrderEvents.erpEventId, eventId)).limit(1),
    shipments: db
      .select({ id: shipments.id, erpShipmentId: shipments.erpShipmentId })
      .from(shipments)
      .where(eq(shipments.orderId, orderId)),
    document: db
      .select({ id: invoices.id, orderId: invoices.orderId })
      .from(invoices)
      .where(and(eq(invoices.kind, document?.kind ?? 'invoice'), eq(invoices.number, document?.number ?? '')))
      .limit(1),
  });
}

export type ErpEventContext = Awaited<ReturnType<typeof erpEventContext>>;

/** An order with its lines, history, shipments and documents, for the order's answer (one round trip). */
export async function getOrderLife(db: Database, companyId: string, orderId: string) {
  const rows = await batchRead(db, {
    order: db
      .select()
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.companyId, companyId)))
      .limit(1),
    lines: db
      .select()
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.lineNo)),
    events: db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.companyId, companyId)))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
    shipments: db
      .select()
      .from(shipments)
      .where(and(eq(shipments.orderId, orderId), eq(shipments.companyId, companyId)))
      .orderBy(asc(shipments.shippedAt), asc(shipments.id)),
    documents: orderDocumentsQuery(db, companyId, orderId),
  });
  const order = rows.order[0];
  return order ? { ...rows, order } : undefined;
}

export async function getShipment(db: Database, companyId: string, orderId: string, shipmentId: string) {
  const [row] = await db
    .select()
    .from(shipments)
    .where(
      and(eq(shipments.id, shipmentId), eq(shipments.orderId, orderId), eq(shipments.companyId, companyId)),
    )
    .limit(1);
  return row;
}

export async function getProblemReport(db: Database, companyId: string, id: string) {
  const [row] = await db
    .select()
    .from(lineProblemReports)
    .where(and(eq(lineProblemReports.id, id), eq(lineProblemReports.companyId, companyId)))
    .limit(1);
  return row;
}

/** The company's sales rep, whom a problem report is addressed to (null when none is assigned). */
export async function salesRepOf(db: Database, companyId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(companies)
    .innerJoin(users, eq(users.id, companies.salesRepUserId))
    .where(eq(companies.id, companyId))
    .limit(1);
  return row ?? null;
}

/** An order's head and lines, for what a buyer reports about it. */
export async function orderWithLines(db: Database, companyId: string, orderId: string) {
  const rows = await batchRead(db, {
    order: db
      .select({ id: orders.id, status: orders.status, placedBy: orders.placedBy })
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.companyId, companyId)))
      .limit(1),
    lines: db
      .select({
        lineNo: orderLines.lineNo,
        sku: orderLines.sku,
        quantity: orderLines.quantity,
        confirmedQuantity: orderLines.confirmedQuantity,
        substituteSku: orderLines.substituteSku,
      })
      .from(orderLines)
      .where(eq(orderLines.orderId, orderId))
      .orderBy(asc(orderLines.lineNo)),
  });
  const order = rows.order[0];
  return order ? { order, lines: rows.lines } : undefined;
}
