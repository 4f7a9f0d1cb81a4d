import * as v from 'valibot';
import type { DocumentRow } from '../db/queries/invoices';
import type { ShipmentRow } from '../db/queries/order-life';
import type { OrderEventRow, OrderLineRow } from '../db/queries/orders';
import { INVOICE_KINDS, PROBLEM_KINDS } from '../domain/erp-terms';
import { invoiceStanding } from '../domain/order-life';
import { erpTimelineId } from '../services/order-life-writes';

/**
 * How the order's life after checkout is answered (docs/orders.md): lines with what the ERP confirmed,
 * the timeline, shipments, invoices and credit notes, problem reports. Money fields end in `Minor`, so
 * `asSeenBy` takes them out for those without prices.view.
 */

export const OrderLineSchema = v.object({
  lineNo: v.number(),
  sku: v.string(),
  quantity: v.number(),
  unitMinor: v.optional(v.number()),
  listMinor: v.optional(v.nullable(v.number())),
  lineTotalMinor: v.optional(v.number()),
  ruleId: v.optional(v.nullable(v.string())),
  ruleIds: v.optional(v.array(v.string())),
  tierMinQuantity: v.optional(v.number()),
  // the buyer's line note ("pour le chantier Dupont"), kept from the cart
  note: v.nullable(v.string()),
  // what the ERP confirmed (null until it acknowledges the order)
  confirmedQuantity: v.nullable(v.number()),
  substituteSku: v.nullable(v.string()),
  expectedDate: v.nullable(v.string()),
  // over every shipment so far
  shippedQuantity: v.number(),
});

export const TimelineEntrySchema = v.object({
  at: v.number(),
  type: v.string(),
  // erp: reported by the ERP (at the ERP's time); company: done here by the company's people or keys
  source: v.picklist(['erp', 'company']),
  actorId: v.string(),
  actingForId: v.nullable(v.string()),
  note: v.nullable(v.string()),
  erpEventId: v.nullable(v.string()),
});

export const ShipmentSchema = v.object({
  id: v.string(),
  erpShipmentId: v.string(),
  carrier: v.nullable(v.string()),
  trackingNumber: v.nullable(v.string()),
  trackingUrl: v.nullable(v.string()),
  shippedAt: v.number(),
  deliveredAt: v.nullable(v.number()),
  receivedAt: v.nullable(v.number()),
  receivedBy: v.nullable(v.string()),
  lines: v.array(v.object({ lineNo: v.number(), sku: v.string(), quantity: v.number() })),
});

export const DocumentSchema = v.object({
  id: v.string(),
  kind: v.picklist(INVOICE_KINDS),
  number: v.string(),
  orderId: v.nullable(v.string()),
  // a credit note: the invoice it corrects
  creditsNumber: v.nullable(v.string()),
  issueDate: v.string(),
  dueDate: v.nullable(v.string()),
  currency: v.string(),
  netMinor: v.optional(v.number()),
  taxMinor: v.optional(v.number()),
  grossMinor: v.optional(v.number()),
  paidMinor: v.optional(v.number()),
  // invoices: credit notes naming it, and gross − paid − credited (at least 0); null on a credit note
  creditedMinor: v.optional(v.nullable(v.number())),
  openMinor: v.optional(v.nullable(v.number())),
  // invoices: open (something left to pay) or paid; null on a credit note
  status: v.nullable(v.picklist(['open', 'paid'])),
  // open and past its due date
  overdue: v.boolean(),
  documentUrl: v.nullable(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
});

export const ProblemReportSchema = v.object({
  id: v.string(),
  orderId: v.string(),
  lineNo: v.number(),
  sku: v.string(),
  shipmentId: v.nullable(v.string()),
  kind: v.picklist(PROBLEM_KINDS),
  quantity: v.nullable(v.number()),
  note: v.nullable(v.string()),
  reportedBy: v.string(),
  createdAt: v.number(),
});

/** YYYY-MM-DD (UTC) of an instant: what due dates are compared with. */
export const dateOf = (at: number) => new Date(at).toISOString().slice(0, 10);

export const documentView = (row: DocumentRow, today: string) => ({
  ...row,
  ...invoiceStanding(row, today),
});

export const shipmentView = ({ orderId: _o, companyId: _c, ...shipment }: ShipmentRow) => shipment;

export const timelineEntry = (e: OrderEventRow) => ({
  at: e.at,
  type: e.type,
  source: e.actorId === 'erp' ? ('erp' as const) : ('company' as const),
  actorId: e.actorId,
  actingForId: e.actingForId,
  note: e.note,
  // the order event of an ERP event carries its id (services/order-life-writes.ts, erpTimelineId)
  erpEventId:
    e.actorId === 'erp' && e.id.startsWith(erpTimelineId(e.orderId, ''))
      ? e.id.slice(erpTimelineId(e.orderId, '').length)
      : null,
});

export function lineViews(lines: readonly OrderLineRow[], shipments: readonly ShipmentRow[]) {
  const shipped = new Map<number, number>();
  for (const s of shipments)
    for (const l of s.lines) shipped.set(l.lineNo, (shipped.get(l.lineNo) ?? 0) + l.quantity);
  return lines.map(({ orderId: _o, ...line }) => ({
    ...line,
    shippedQuantity: shipped.get(line.lineNo) ?? 0,
  }));
}
