import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as v from 'valibot';
import { getOrder, listOrders } from '../db/queries/orders';
import { EXPORT_STATES, FULFILMENT_STATUSES } from '../domain/erp-terms';
import { forbidden, notFound } from '../domain/errors';
import { ORDER_CHANNELS, ORDER_STATUSES } from '../domain/order-terms';
import { readsOrders, seesCompanyOrders } from '../domain/principal';
import { companyObject, unwrap } from '../durable/client';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams, validQuery } from '../http/validate';
import { readableOrder } from './order-access';
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
  exportState: v.nullable(v.picklist(EXPORT_STATES)),
  fulfilmentStatus: v.picklist(FULFILMENT_STATUSES),
  createdAt: v.number(),
  updatedAt: v.number(),
});

/** Those who see the company's orders (domain/principal.ts) may ask for their own; everyone else gets theirs. */
function placedByFilter(c: AppContext, mineOnly: boolean): string | undefined {
  const p = c.var.principal;
  return mineOnly || !seesCompanyOrders(p) ? p.id : undefined;
}

const orderReader = createMiddleware<AppEnv>(async (c, next) => {
  if (!readsOrders(c.var.principal))
    throw forbidden(
      'Reading orders needs catalog.view, or for an API key the orders:read or orders:write scope',
    );
  await next();
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
      summary: 'One order with its lines (price, rule and index generation each) and status history',
      ok: v.object({
        ...Order.entries,
        lines: v.array(v.record(v.string(), v.unknown())),
        history: v.array(v.record(v.string(), v.unknown())),
      }),
    }),
    orderReader,
    validParams(IdParam),
    async (c) => {
      const found = await getOrder(c.var.services.db, scopeOf(c).companyId, c.req.valid('param').id);
      const mineOnly = placedByFilter(c, false);
      if (!found || (mineOnly && found.order.placedBy !== mineOnly)) throw notFound('Order');
      return c.json(
        asSeenBy(c.var.principal, {
          ...present(found.order),
          lines: found.lines.map(({ orderId: _o, ...line }) => line),
          history: found.events.map(({ orderId: _o, companyId: _c, ...event }) => event),
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
      summary: 'Withdraw an order that awaits approval (requester or company admin); its budget is released',
      status: 204,
      errors: { 409: 'Already decided' },
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
  );
