import type { Database } from '../db/client';
import { runBatch } from '../db/queries/bulk';
import { type ErpEventContext, type ErpEventRow, erpEventContext } from '../db/queries/order-life';
import type { ErpEventType, FulfilmentStatus } from '../domain/erp-terms';
import { AppError, conflict, notFound } from '../domain/errors';
import {
  type ErpEvent,
  type ErpEventBody,
  type OrderLife,
  projectOrderLife,
  refusedBy,
} from '../domain/order-life';
import type { OrderStatus } from '../domain/order-terms';
import { newId } from '../lib/ids';
import { erpEventStatements } from './order-life-writes';
import { notificationRow } from './order-writes';

/**
 * Records one ERP event about an order and applies it (docs/erp.md#the-orders-life-after-checkout): once per
 * ERP event id, in the ERP's timestamp order whatever order events arrive in. The caller (the company's
 * object) runs one event per order at a time, so the projection is never raced by another event's write.
 */

export interface ErpEventAnswer {
  eventId: string;
  orderId: string;
  type: ErpEventType;
  occurredAt: number;
  receivedAt: number;
  /** kept, not applied yet: a delivery naming a shipment that has not arrived */
  waiting: boolean;
  order: { status: OrderStatus; fulfilmentStatus: FulfilmentStatus; erpOrderNumber: string | null };
}

export interface ErpEventOutcome {
  answer: ErpEventAnswer;
  /** the order stands cancelled by the ERP: what it holds in the company's ledgers is to be given back */
  cancelled: boolean;
  /** false for a repeat of an event already recorded (nothing was written) */
  recorded: boolean;
}

export interface ErpEventRequest {
  companyId: string;
  orderId: string;
  event: ErpEvent;
  actor: { id: string; kind: 'user' | 'api_key' };
  requestId: string;
  now: number;
}

/** JSON with object keys sorted, so that two bodies are compared by content, not by key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const storedEvent = (row: ErpEventRow): ErpEvent => ({
  eventId: row.erpEventId,
  occurredAt: row.occurredAt,
  body: { type: row.type, ...row.payload } as ErpEventBody,
});

const documentOf = (body: ErpEventBody) =>
  body.type === 'invoiced'
    ? {
        kind: 'invoice' as const,
        number: body.invoice.number,
        currency: body.invoice.currency,
        path: 'invoice',
      }
    : body.type === 'credited'
      ? {
          kind: 'credit_note' as const,
          number: body.creditNote.number,
          currency: body.creditNote.currency,
          path: 'creditNote',
        }
      : null;

/** Refuses what the order cannot take: never placed, a reused event id, another order's document number. */
function checkAdmissible(ctx: ErpEventContext, req: ErpEventRequest) {
  const order = ctx.order[0];
  if (!order) throw notFound('Order');
  const placed = order.status === 'placed' || (order.status === 'cancelled' && ctx.placed.length > 0);
  if (!placed) throw conflict(`The order was never placed (it is ${order.status}); the ERP cannot know it`);
  const same = ctx.same[0];
  if (same) {
    const identical =
      same.orderId === req.orderId &&
      same.occurredAt === req.event.occurredAt &&
      canonical(storedEvent(same).body) === canonical(req.event.body);
    if (!identical)
      throw conflict(
        `Event ${req.event.eventId} was received before with another content or for another order`,
      );
  }
  const doc = documentOf(req.event.body);
  if (doc && ctx.document[0] && ctx.document[0].orderId !== req.orderId)
    throw conflict(
      `${doc.kind === 'invoice' ? 'Invoice' : 'Credit note'} ${doc.number} belongs to another order`,
    );
  if (doc && doc.currency !== order.currency)
    throw new AppError('unprocessable', 'The document is not in the order’s currency', [
      { in: 'body', path: `${doc.path}.currency`, message: `the order is in ${order.currency}` },
    ]);
  return { order, repeat: same !== undefined };
}

function noteOf(event: ErpEvent, life: OrderLife): string {
  const b = event.body;
  switch (b.type) {
    case 'acknowledged':
      return `Acknowledged as ${b.erpOrderNumber}${b.lines?.length ? `, ${b.lines.length} line(s) confirmed with changes` : ''}`;
    case 'shipped':
      return `Shipment ${b.shipment.id}${b.shipment.carrier ? ` by ${b.shipment.carrier}` : ''}: ${b.shipment.lines.length} line(s)`;
    case 'delivered':
      return `${b.shipmentId ? `Shipment ${b.shipmentId}` : 'All shipments'} delivered${life.waiting.has(event.eventId) ? ' (waiting for the shipment to be reported)' : ''}`;
    case 'invoiced':
      return `Invoice ${b.invoice.number}, due ${b.invoice.dueDate}`;
    case 'credited':
      return `Credit note ${b.creditNote.number} for invoice ${b.creditNote.creditsNumber}`;
    case 'cancelled':
      return `Cancelled by the ERP${b.reason ? `: ${b.reason}` : ''}`;
  }
}

/** The webhook notifications an event sends (shipped, delivered, invoiced), each once per thing it is about. */
function announcements(req: ErpEventRequest, life: OrderLife, shipmentIds: ReadonlyMap<string, string>) {
  const { companyId, orderId, event, now } = req;
  const b = event.body;
  const head = { orderId, erpOrderNumber: life.erpOrderNumber, fulfilmentStatus: life.fulfilmentStatus };
  if (b.type === 'shipped') {
    // our shipment id: what the buyer confirms receipt of
    const s = { id: shipmentIds.get(b.shipment.id), ...life.shipments.get(b.shipment.id) };
    return [
      notificationRow(companyId, orderId, 'order.shipped', { ...head, shipment: s }, now, b.shipment.id),
    ];
  }
  if (b.type === 'delivered')
    return [
      notificationRow(
        companyId,
        orderId,
        'order.delivered',
        { ...head, shipmentId: b.shipmentId ?? null },
        now,
        event.eventId,
      ),
    ];
  if (b.type === 'invoiced') {
    const { number, issueDate, dueDate, currency, grossMinor, documentUrl } = b.invoice;
    const invoice = { number, issueDate, dueDate, currency, grossMinor, documentUrl: documentUrl ?? null };
    return [
      notificationRow(
        companyId,
        orderId,
        'order.invoiced',
        { ...head, invoice },
        now,
        encodeURIComponent(number),
      ),
    ];
  }
  return [];
}

const isUniqueViolation = (err: unknown) => /UNIQUE constraint failed/i.test(String(err));

/** `judged` runs after the event is read and checked, before anything is written (a test seam). */
export async function recordErpEvent(
  db: Database,
  req: ErpEventRequest,
  judged: () => Promise<void> = async () => {},
): Promise<ErpEventOutcome> {
  const { event, orderId, companyId } = req;
  const doc = documentOf(event.body);
  const ctx = await erpEventContext(db, companyId, orderId, event.eventId, doc);
  const { order, repeat } = checkAdmissible(ctx, req);
  const stored = ctx.events.map(storedEvent);
  const life = projectOrderLife(ctx.lines, repeat ? stored : [...stored, event]);
  const receivedAt = repeat ? (ctx.same[0]?.receivedAt ?? req.now) : req.now;
  if (!repeat) {
    const issues = refusedBy(event, ctx.lines, life);
    if (issues.length > 0)
      throw new AppError(
        'unprocessable',
        'The event does not fit the order',
        issues.map((i) => ({ in: 'body', ...i })),
      );
    // stored shipments keep their id; new ones get theirs here, so that the notification can name it
    const known = new Map(ctx.shipments.map((s) => [s.erpShipmentId, s.id]));
    const shipmentIds = new Map(
      [...life.shipments.keys()].map((erpId) => [erpId, known.get(erpId) ?? newId('shp')]),
    );
    const statements = erpEventStatements(db, {
      companyId,
      orderId,
      event,
      note: noteOf(event, life),
      life,
      shipmentIds,
      announcements: announcements(req, life, shipmentIds),
      actor: req.actor,
      requestId: req.requestId,
      receivedAt,
    });
    await judged();
    try {
      await runBatch(db, statements);
    } catch (err) {
      if (isUniqueViolation(err))
        throw conflict(`Event ${event.eventId} or its document was recorded meanwhile`);
      throw err;
    }
  }
  const status: OrderStatus = life.cancelled && order.status === 'placed' ? 'cancelled' : order.status;
  return {
    answer: {
      eventId: event.eventId,
      orderId,
      type: event.body.type,
      occurredAt: event.occurredAt,
      receivedAt,
      waiting: life.waiting.has(event.eventId),
      order: {
        status,
        fulfilmentStatus: life.fulfilmentStatus,
        erpOrderNumber: life.erpOrderNumber ?? order.erpOrderNumber,
      },
    },
    cancelled: life.cancelled !== null,
    recorded: !repeat,
  };
}
