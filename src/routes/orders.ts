import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import { getOrder, listOrders } from '../db/queries/orders';
import { notFound } from '../domain/errors';
import { ORDER_STATUSES } from '../domain/order-terms';
import type { Permission } from '../domain/permissions';
import { organizationStub } from '../durable/organization-stub';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, encodeCursor, LimitSchema } from '../http/paging';
import { onInvalid } from '../http/validate';
import { unwrap } from '../services/carts';
import { IdParam, text } from './schemas';

const tags = ['Checkout and orders'];
const Instant = v.pipe(v.string(), v.isoTimestamp('an ISO 8601 timestamp'), v.transform(Date.parse));
const ListQuery = v.strictObject({
  status: v.optional(v.picklist(ORDER_STATUSES)),
  from: v.optional(Instant),
  to: v.optional(Instant),
  mine: v.optional(v.picklist(['true', 'false'])),
  limit: LimitSchema,
  cursor: v.optional(v.string()),
});
const Cursor = v.object({ at: v.number(), id: v.string() });
const CancelBody = v.strictObject({ reason: v.optional(text({ max: 1000, min: 0, multiline: true })) });

const Order = v.object({
  id: v.string(),
  companyId: v.string(),
  placedBy: v.string(),
  status: v.picklist(ORDER_STATUSES),
  currency: v.string(),
  subtotalMinor: v.number(),
  discountMinor: v.number(),
  totalMinor: v.number(),
  offers: v.array(
    v.object({ offerId: v.string(), name: v.string(), discountMinor: v.number(), explanation: v.string() }),
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
  createdAt: v.number(),
  updatedAt: v.number(),
});

/** Approvers, finance and admins see the company's orders; everyone else their own. */
function placedByFilter(c: AppContext, mineOnly: boolean): string | undefined {
  const p = c.var.principal;
  const broad: Permission[] = ['order.approve', 'invoices.view', 'users.manage'];
  const seesAll = p.audience === 'supplier' || broad.some((x) => p.permissions.has(x));
  return mineOnly || !seesAll ? p.id : undefined;
}

const present = ({
  cartId: _cart,
  idempotencyKey: _key,
  ...order
}: Awaited<ReturnType<typeof listOrders>>[number]) => order;

export const orderRoutes = new Hono<AppEnv>()
  .use(companyScoped)
  .get(
    '/',
    doc({
      tags,
      summary: 'Orders of my company (or mine), newest first',
      ok: v.object({ items: v.array(Order), nextCursor: v.nullable(v.string()) }),
    }),
    requirePermission('catalog.view'),
    validator('query', ListQuery, onInvalid),
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
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return c.json({
        items: page.map(present),
        nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
      });
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
    requirePermission('catalog.view'),
    validator('param', IdParam, onInvalid),
    async (c) => {
      const found = await getOrder(c.var.services.db, scopeOf(c).companyId, c.req.valid('param').id);
      const mineOnly = placedByFilter(c, false);
      if (!found || (mineOnly && found.order.placedBy !== mineOnly)) throw notFound('Order');
      return c.json({
        ...present(found.order),
        lines: found.lines.map(({ orderId: _o, ...line }) => line),
        history: found.events.map(({ orderId: _o, companyId: _c, ...event }) => event),
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
    validator('param', IdParam, onInvalid),
    validator('json', CancelBody, onInvalid),
    async (c) => {
      const { principal, services, requestId } = c.var;
      const scope = scopeOf(c);
      const stub = organizationStub(c.env, scope.companyId);
      unwrap(
        await stub.cancelOrder(
          scope.companyId,
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
