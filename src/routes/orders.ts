import { Hono } from 'hono';
import * as v from 'valibot';
import { getOrderLife } from '../db/queries/order-life';
import { listOrders } from '../db/queries/orders';
import { EXPORT_STATES, FULFILMENT_STATUSES } from '../domain/erp-terms';
import { notFound } from '../domain/errors';
import { ORDER_CHANNELS, ORDER_STATUSES } from '../domain/order-terms';
import { companyObject, unwrap } from '../durable/client';
import type { AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams, validQuery } from '../http/validate';
import { orderReader, placedByFilter, readableOrder } from './order-access';
import { orderFeedbackRoutes } from './order-feedback';
import {
  DocumentSchema,
  dateOf,
  documentView,
  lineViews,
  OrderLineSchema,
  ShipmentSchema,
  shipmentView,
  TimelineEntrySchema,
  timelineEntry,
} from './order-life-schemas';
import { addToCart } from './quick-order';
import { AddedToCart } from './quick-order-schemas';
import { CartIdSchema, IdParam, InstantSchema, instantWindow, text } from './schemas';

const tags = ['Checkout and orders'];
const ListQuery = v.pipe(
  v.strictObject({
    status: v.optional(v.picklist(ORDER_STATUSES)),
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    mine: v.optional(v.picklist(['true', 'false'])),
    ...PageParams,
  }),
  instantWindow('from', 'to', { strict: false }),
);
const Cursor = v.object({ at: v.number(), id: v.string() });
const CancelBody = v.strictObject({ reason: v.optional(text({ max: 1000, min: 0, multiline: true })) });

const Order = v.object({
  id: v.string(),
  companyId: v.string(),
  placedBy: v.string(),
  status: v.picklist(ORDER_STATUSES),
  currency: v.string(),
  // money fields are absent without prices.view (src/http/prices-visibility.ts)
  subtotalMinor: v.optional(v.number()),
  discountMinor: v.optional(v.number()),
  totalMinor: v.optional(v.number()),
  offers: v.optional(
    v.array(
      v.object({ offerId: v.string(), name: v.string(), discountMinor: v.number(), explanation: v.string() }),
    ),
  ),
  lineCount: v.number(),
  shipToSiteId: v.string(),
  costCenterId: v.nullable(v.string()),
  poNumber: v.nullable(v.string()),
  reference: v.nullable(v.string()),
  deliveryMode: v.string(),
  requestedDeliveryDate: v.nullable(v.string()),
  instructions: v.nullable(v.string()),
  priceGeneration: v.nullable(v.number()),
  erpOrderNumber: v.nullable(v.string()),
  channel: v.picklist(ORDER_CHANNELS),
  // the schedule, partner or quote behind a channel other than web
  channelRef: v.nullable(v.string()),
  // when the cart's first line was added (epoch ms); null for orders without a shopper's cart
  cartStartedAt: v.nullable(v.number()),
  exportState: v.nullable(v.picklist(EXPORT_STATES)),
  fulfilmentStatus: v.picklist(FULFILMENT_STATUSES),
  createdAt: v.number(),
  updatedAt: v.number(),
});

const present = ({
  cartId: _cart,
  idempotencyKey: _key,
  ...order
}: Awaited<ReturnType<typeof listOrders>>[number]) => order;

const ReorderBody = v.strictObject({
  cartId: v.optional(CartIdSchema, 'current'),
  /** add the replacement of an item that became obsolete (default: offered, not added) */
  acceptReplacements: v.optional(v.boolean(), false),
});

export const orderRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .get(
    '/',
    doc({
      tags,
      summary: 'Orders of my company (or mine), newest first',
      ok: pageOf(Order),
    }),
    orderReader,
    validQuery(ListQuery),
    async (c) => {
      const q = c.req.valid('query');
      const before = decodeCursor(Cursor, q.cursor);
      const rows = await listOrders(c.var.services.db, {
        companyId: scopeOf(c).companyId,
        placedBy: placedByFilter(c, q.mine === 'true'),
        status: q.status,
        from: q.from,
        to: q.to,
        before,
        limit: q.limit + 1,
      });
      const page = keysetPage(rows, q.limit, (last) => ({ at: last.createdAt, id: last.id }));
      return c.json({ ...page, items: page.items.map((o) => asSeenBy(c.var.principal, present(o))) });
    },
  )
  .get(
    '/:id',
    doc({
      tags,
      summary:
        'One order with its lines (price, rule and index generation each; what the ERP confirmed and shipped), ' +
        'status history, timeline, shipments and documents',
      description:
        "`timeline` is the history in time order, the ERP's events at the ERP's time included; `documents` are " +
        'the invoices and credit notes of the order with what is open on each (docs/orders.md).',
      ok: v.object({
        ...Order.entries,
        lines: v.array(OrderLineSchema),
        history: v.array(v.record(v.string(), v.unknown())),
        timeline: v.array(TimelineEntrySchema),
        shipments: v.array(ShipmentSchema),
        documents: v.array(DocumentSchema),
      }),
    }),
    orderReader,
    validParams(IdParam),
    async (c) => {
      const { db, now } = c.var.services;
      const found = await getOrderLife(db, scopeOf(c).companyId, c.req.valid('param').id);
      const mineOnly = placedByFilter(c, false);
      if (!found || (mineOnly && found.order.placedBy !== mineOnly)) throw notFound('Order');
      const today = dateOf(now());
      return c.json(
        asSeenBy(c.var.principal, {
          ...present(found.order),
          lines: lineViews(found.lines, found.shipments),
          history: found.events.map(({ orderId: _o, companyId: _c, ...event }) => event),
          timeline: found.events.map(timelineEntry),
          shipments: found.shipments.map(shipmentView),
          documents: found.documents.map((d) => documentView(d, today)),
        }),
      );
    },
  )
  .post(
    '/:id/reorder',
    doc({
      tags,
      summary: 'Put a past order back in a cart, priced now, with the outcome of each line',
      description:
        'Each order line is resolved now as a quick-order line (docs/quick-order.md): `ok`, `adjusted` (at the nearest valid quantity) and `short_stock` are added with their notes; an obsolete item is `replaced` (offered with its replacement; added with `acceptReplacements: true`); the rest is reported.',
      ok: AddedToCart,
      errors: { 409: 'Stale If-Match, or the cart is being checked out' },
    }),
    requirePermission('cart.manage'),
    validParams(IdParam),
    validBody(ReorderBody),
    async (c) => {
      const { order, lines } = await readableOrder(c, c.req.valid('param').id);
      const body = c.req.valid('json');
      return addToCart(c, {
        cartId: body.cartId,
        acceptReplacements: body.acceptReplacements,
        source: `order ${order.id}`,
        origin: 'reorder',
        lines: lines.map((l) => ({
          line: l.lineNo,
          text: `${l.sku} ${l.quantity}`,
          reference: l.sku,
          quantity: { kind: 'value', value: l.quantity },
          note: l.note,
        })),
      });
    },
  )
  .post(
    '/:id/cancel',
    doc({
      tags,
      summary:
        'Cancel an order (requester or company admin): one awaiting approval, or one placed and not shipped',
      description:
        'An order awaiting approval is withdrawn. A placed order can be cancelled until the ERP reports it ' +
        'shipped; the ERP is sent a cancellation after the order itself (docs/erp.md). Either way the budget ' +
        'and spending-cap share it held are released.',
      status: 204,
      errors: { 409: 'Already decided, cancelled or shipped' },
    }),
    requirePermission('order.place'),
    validParams(IdParam),
    validBody(CancelBody),
    async (c) => {
      const { principal, services, requestId } = c.var;
      const scope = scopeOf(c);
      unwrap(
        await companyObject(c.env, scope).cancelOrder(
          { userId: principal.id, isAdmin: principal.permissions.has('users.manage') },
          c.req.valid('param').id,
          c.req.valid('json').reason ?? null,
          requestId,
          services.now(),
        ),
      );
      return c.body(null, 204);
    },
  )
  .route('/', orderFeedbackRoutes);
