import { sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Database } from '../db/client';
import { insertAudit } from '../db/queries/audit';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows } from '../db/queries/bulk';
import { orderEvents, orderLines, orders, outbox } from '../db/schema';
import type { PricedCartLine } from '../domain/carts';
import type { ResolvedCheckout } from '../domain/checkout';
import type { OrderChannel } from '../domain/order-terms';
import type { PricedCart } from './cart-pricing';
import { exportOutboxRow, exportRecord, orderExportId } from './erp-export-records';

/**
 * The SQL side of an order: row, lines, first event, outbox rows and audit row, as statements for ONE batch.
 * Every id is derived from the order id and every insert ignores a row that is already there, so running
 * the batch again after a crash (same Idempotency-Key, same order id) changes nothing.
 */
export interface NewOrder {
  id: string;
  companyId: string;
  placedBy: string;
  cartId: string;
  idempotencyKey: string;
  status: 'placed' | 'pending_approval';
  currency: string;
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
  offers: { offerId: string; name: string; discountMinor: number; explanation: string }[];
  checkout: ResolvedCheckout;
  priceGeneration: number | null;
  lines: readonly (PricedCartLine & { note?: string | null })[];
  requestId: string;
  at: number;
  /** how it was placed (`web` unless a schedule, partner or quote placed it) and what is behind it */
  channel: OrderChannel;
  channelRef: string | null;
  /** when the cart's first line was added (the KPI "cart to order"); absent for orders without a cart */
  cartStartedAt?: number | null;
}

/**
 * The order a checkout writes, from the cart as priced and the resolved checkout: the total charged is the
 * cart's total after its offers, the one approvals and budgets judged.
 */
export function pricedOrder(
  head: Pick<
    NewOrder,
    | 'id'
    | 'companyId'
    | 'placedBy'
    | 'cartId'
    | 'idempotencyKey'
    | 'status'
    | 'requestId'
    | 'at'
    | 'channel'
    | 'channelRef'
  >,
  priced: PricedCart,
  checkout: ResolvedCheckout,
): NewOrder {
  return {
    ...head,
    currency: priced.currency,
    subtotalMinor: priced.totals.subtotalMinor,
    discountMinor: priced.totals.offerDiscountMinor,
    totalMinor: priced.totals.totalMinor,
    offers: priced.offers.applied.map((o) => ({
      offerId: o.offerId,
      name: o.name,
      discountMinor: o.discountMinor,
      explanation: o.explanation,
    })),
    checkout,
    priceGeneration: priced.priceGeneration,
    lines: priced.lines,
  };
}

export type NotificationEvent =
  | 'approval.requested'
  | 'order.approved'
  | 'order.rejected'
  | 'order.placed'
  | 'order.shipped'
  | 'order.delivered'
  | 'order.invoiced'
  | 'order.problem_reported';

/**
 * An outbox row that asks the relay to emit a notification; its id doubles as the event id. Events that
 * happen once per order need no `instance`; those that repeat (a shipment, an invoice) name theirs.
 */
export function notificationRow(
  companyId: string,
  orderId: string,
  event: NotificationEvent,
  payload: Record<string, unknown>,
  at: number,
  instance?: string,
) {
  const id = `obx_${orderId.slice(4)}_${event.replace('.', '_')}${instance === undefined ? '' : `_${instance}`}`;
  return {
    id,
    topic: 'notification',
    companyId,
    aggregateId: orderId,
    payload: { eventId: id, companyId, event, payload },
    createdAt: at,
  };
}

/** Placed orders go to the ERP through the outbox: the relay sends the row to `erp-export`. */
export const exportRow = (companyId: string, orderId: string, at: number) =>
  exportOutboxRow({ id: orderExportId(orderId), kind: 'order', companyId, orderId, at });

/**
 * What placing an order adds for its ERP export, in the batch that places it: the export's tracking row,
 * `pending` from the start (so it is visible in /v1/admin/exports even before the relay, or without an ERP).
 */
export const orderExportRecord = (db: Database, companyId: string, orderId: string, at: number) =>
  exportRecord(db, { id: orderExportId(orderId), kind: 'order', companyId, orderId, at });

/** The outbox rows a new order writes: the ERP export once placed, and its notification. */
export function orderOutbox(o: NewOrder) {
  // the channel says who placed it (web, punchout, partner_api, recurring…) and channelRef what is behind it
  const summary = {
    orderId: o.id,
    totalMinor: o.totalMinor,
    currency: o.currency,
    placedBy: o.placedBy,
    channel: o.channel,
    channelRef: o.channelRef,
    poNumber: o.checkout.poNumber,
  };
  return o.status === 'placed'
    ? [exportRow(o.companyId, o.id, o.at), notificationRow(o.companyId, o.id, 'order.placed', summary, o.at)]
    : [notificationRow(o.companyId, o.id, 'approval.requested', summary, o.at)];
}

export function orderStatements(db: Database, o: NewOrder): BatchItem<'sqlite'>[] {
  const lineRows = o.lines.map((l, i) => ({
    orderId: o.id,
    lineNo: i + 1,
    sku: l.sku,
    quantity: l.quantity,
    unitMinor: l.unitMinor ?? 0,
    listMinor: l.listMinor,
    lineTotalMinor: l.lineTotalMinor ?? 0,
    ruleId: l.ruleId,
    ruleIds: l.ruleIds,
    tierMinQuantity: l.tierMinQuantity ?? 1,
    note: l.note ?? null,
  }));
  const outboxRows = orderOutbox(o);
  return [
    db
      .insert(orders)
      .values({
        id: o.id,
        companyId: o.companyId,
        placedBy: o.placedBy,
        cartId: o.cartId,
        idempotencyKey: o.idempotencyKey,
        status: o.status,
        currency: o.currency,
        subtotalMinor: o.subtotalMinor,
        discountMinor: o.discountMinor,
        totalMinor: o.totalMinor,
        offers: o.offers,
        lineCount: o.lines.length,
        ...o.checkout,
        priceGeneration: o.priceGeneration,
        // an order waiting for approval has nothing to export yet (null); a placed one waits for the relay
        exportState: o.status === 'placed' ? 'pending' : null,
        channel: o.channel,
        channelRef: o.channelRef,
        cartStartedAt: o.cartStartedAt ?? null,
        createdAt: o.at,
        updatedAt: o.at,
      })
      .onConflictDoNothing(),
    ...chunks(lineRows, JSON_ROWS_PER_STATEMENT).map((part) =>
      db.insert(orderLines).select(jsonRows(orderLines, part)).onConflictDoNothing(),
    ),
    db
      .insert(orderEvents)
      .values({
        id: `evt_${o.id.slice(4)}_created`,
        orderId: o.id,
        companyId: o.companyId,
        at: o.at,
        type: o.status,
        actorId: o.placedBy,
      })
      .onConflictDoNothing(),
    db.insert(outbox).values(outboxRows).onConflictDoNothing(),
    ...(o.status === 'placed' ? [orderExportRecord(db, o.companyId, o.id, o.at)] : []),
    insertAudit(db, {
      id: `aud_${o.id.slice(4)}_checkout`,
      at: o.at,
      actorId: o.placedBy,
      actorKind: 'user',
      companyId: o.companyId,
      action: o.status === 'placed' ? 'order.place' : 'order.request_approval',
      targetType: 'order',
      targetId: o.id,
      summary: `Checked out ${o.lines.length} line(s), ${o.totalMinor} ${o.currency} minor units`,
      requestId: o.requestId,
    }).onConflictDoNothing(),
  ];
}

/** Marks outbox rows as sent. */
export const markDispatched = (db: Database, ids: readonly string[], at: number) =>
  db
    .update(outbox)
    .set({ dispatchedAt: at, attempts: sql`${outbox.attempts} + 1` })
    .where(sql`${outbox.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);

/**
 * The order with the time its cart's first line was added. Lines built for a schedule, partner or quote
 * carry no time (0): such an order has no cart start.
 */
export function withCartStart(order: NewOrder, lines: readonly { addedAt: number }[]): NewOrder {
  const times = lines.map((l) => l.addedAt).filter((t) => t > 0);
  return { ...order, cartStartedAt: times.length > 0 ? Math.min(...times) : null };
}
