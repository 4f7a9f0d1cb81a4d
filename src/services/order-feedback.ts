import { and, eq, isNull } from 'drizzle-orm';
import { insertAudit } from '../db/queries/audit';
import {
  getProblemReport,
  getShipment,
  orderWithLines,
  type ProblemReportRow,
  salesRepOf,
} from '../db/queries/order-life';
import { lineProblemReports, orderEvents, outbox, shipments } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import type { ProblemKind } from '../domain/erp-terms';
import { AppError, conflict, notFound } from '../domain/errors';
import { newId } from '../lib/ids';
import type { Actor } from './audit';
import { feedbackExport, feedbackExportStatements } from './order-life-writes';
import { notificationRow } from './order-writes';

/**
 * What the buyer tells about an order after it shipped (docs/orders.md): a shipment received, a problem on
 * a line. Each goes to the ERP through the outbox (an `order.export` row with its `erp_exports` row) in the
 * same batch as the record itself; a problem also notifies the company's sales rep (webhook).
 */

/** The caller reads this order: those who see only their own orders name themselves in `onlyPlacedBy`. */
async function readableOrder(scope: CompanyScope, orderId: string, onlyPlacedBy: string | undefined) {
  const found = await orderWithLines(scope.db, scope.companyId, orderId);
  if (!found || (onlyPlacedBy && found.order.placedBy !== onlyPlacedBy)) throw notFound('Order');
  return found;
}

/** Idempotent: a second receipt of the same shipment answers the first and writes nothing. */
export async function confirmReceipt(
  scope: CompanyScope,
  actor: Actor,
  orderId: string,
  shipmentId: string,
  onlyPlacedBy: string | undefined,
) {
  const { db, companyId } = scope;
  await readableOrder(scope, orderId, onlyPlacedBy);
  const shipment = await getShipment(db, companyId, orderId, shipmentId);
  if (!shipment) throw notFound('Shipment');
  if (shipment.receivedAt !== null) return shipment;
  const at = actor.now;
  const tail = `${orderId.slice(4)}_received_${shipmentId.slice(4)}`;
  const exported = feedbackExport(
    'receipt',
    companyId,
    orderId,
    shipmentId,
    {
      shipmentId: shipment.erpShipmentId,
      receivedAt: new Date(at).toISOString(),
      receivedBy: actor.principal.id,
    },
    at,
  );
  await db.batch([
    db
      .update(shipments)
      .set({ receivedAt: at, receivedBy: actor.principal.id })
      .where(and(eq(shipments.id, shipmentId), isNull(shipments.receivedAt))),
    db
      .insert(orderEvents)
      .values({
        id: `evt_${tail}`,
        orderId,
        companyId,
        at,
        type: 'received',
        actorId: actor.principal.id,
        note: `Shipment ${shipment.erpShipmentId} received`,
      })
      .onConflictDoNothing(),
    ...feedbackExportStatements(db, exported),
    insertAudit(db, {
      id: `aud_${tail}`,
      at,
      actorId: actor.principal.id,
      actorKind: actor.principal.kind,
      companyId,
      action: 'order.receipt',
      targetType: 'shipment',
      targetId: shipmentId,
      summary: `Confirmed receipt of shipment ${shipment.erpShipmentId} of order ${orderId}`,
      requestId: actor.requestId,
    }).onConflictDoNothing(),
  ]);
  return (await getShipment(db, companyId, orderId, shipmentId)) ?? shipment;
}

export interface ProblemInput {
  kind: ProblemKind;
  quantity: number;
  note?: string;
  shipmentId?: string;
}

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

/** With an Idempotency-Key the report's id is derived from it, so a retry finds the report it made. */
async function reportIdFor(orderId: string, lineNo: number, userId: string, key: string | undefined) {
  if (key === undefined) return newId('lpr');
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${orderId}|${lineNo}|${userId}|${key}`),
  );
  return `lpr_${hex(digest).slice(0, 24)}`;
}

const sameReport = (r: ProblemReportRow, lineNo: number, input: ProblemInput) =>
  r.lineNo === lineNo &&
  r.kind === input.kind &&
  r.quantity === input.quantity &&
  r.note === (input.note ?? null) &&
  r.shipmentId === (input.shipmentId ?? null);

export async function reportProblem(
  scope: CompanyScope,
  actor: Actor,
  target: { orderId: string; lineNo: number; idempotencyKey: string | undefined },
  input: ProblemInput,
  onlyPlacedBy: string | undefined,
): Promise<{ report: ProblemReportRow; sku: string; created: boolean }> {
  const { db, companyId } = scope;
  const { orderId, lineNo } = target;
  const { order, lines } = await readableOrder(scope, orderId, onlyPlacedBy);
  const line = lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('Line');
  const sku = line.substituteSku ?? line.sku;
  const id = await reportIdFor(orderId, lineNo, actor.principal.id, target.idempotencyKey);
  const earlier = target.idempotencyKey === undefined ? undefined : await getProblemReport(db, companyId, id);
  if (earlier) {
    if (!sameReport(earlier, lineNo, input))
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for another report');
    return { report: earlier, sku, created: false };
  }
  if (order.status !== 'placed')
    throw conflict(`Problems are reported on placed orders; this one is ${order.status}`);
  const most = Math.max(line.quantity, line.confirmedQuantity ?? 0);
  const issues = [
    ...(input.quantity > most
      ? [{ in: 'body', path: 'quantity', message: `line ${lineNo} has ${most} unit(s)` }]
      : []),
    ...(input.shipmentId && !(await getShipment(db, companyId, orderId, input.shipmentId))
      ? [{ in: 'body', path: 'shipmentId', message: 'not a shipment of this order' }]
      : []),
  ];
  if (issues.length > 0) throw new AppError('unprocessable', 'The report does not fit the order', issues);
  const at = actor.now;
  const report: ProblemReportRow = {
    id,
    orderId,
    companyId,
    lineNo,
    shipmentId: input.shipmentId ?? null,
    kind: input.kind,
    quantity: input.quantity,
    note: input.note ?? null,
    reportedBy: actor.principal.id,
    createdAt: at,
  };
  const salesRep = await salesRepOf(db, companyId);
  const announced = notificationRow(
    companyId,
    orderId,
    'order.problem_reported',
    {
      orderId,
      reportId: id,
      lineNo,
      sku,
      kind: input.kind,
      quantity: input.quantity,
      note: report.note,
      reportedBy: report.reportedBy,
      salesRep,
    },
    at,
    id.slice(4),
  );
  await db.batch([
    db.insert(lineProblemReports).values(report).onConflictDoNothing(),
    db
      .insert(orderEvents)
      .values({
        id: `evt_${orderId.slice(4)}_problem_${id.slice(4)}`,
        orderId,
        companyId,
        at,
        type: 'problem_reported',
        actorId: actor.principal.id,
        note: `Line ${lineNo} (${sku}): ${input.kind.replace('_', ' ')}, ${input.quantity} unit(s)`,
      })
      .onConflictDoNothing(),
    ...feedbackExportStatements(
      db,
      feedbackExport(
        'problem_report',
        companyId,
        orderId,
        id,
        {
          reportId: id,
          lineNo,
          sku,
          kind: input.kind,
          quantity: input.quantity,
          note: report.note,
          shipmentId: input.shipmentId ?? null,
          reportedAt: new Date(at).toISOString(),
        },
        at,
      ),
    ),
    db.insert(outbox).values(announced).onConflictDoNothing(),
    insertAudit(db, {
      id: `aud_${orderId.slice(4)}_problem_${id.slice(4)}`,
      at,
      actorId: actor.principal.id,
      actorKind: actor.principal.kind,
      companyId,
      action: 'order.problem_report',
      targetType: 'order',
      targetId: orderId,
      summary: `Reported ${input.kind} on line ${lineNo} (${input.quantity} unit(s))`,
      requestId: actor.requestId,
    }).onConflictDoNothing(),
  ]);
  return { report, sku, created: true };
}
