import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import { DELIVERY_MODES } from '../domain/order-terms';
import type { AppContext, AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { onInvalid } from '../http/validate';
import { cartsOf, unwrap } from '../services/carts';
import { IdSchema, text } from './schemas';

const tags = ['Checkout and orders'];
const IsoDate = v.pipe(
  v.string(),
  v.isoDate('a date as YYYY-MM-DD'),
  // Date.parse rolls 2026-02-30 over to March; a real calendar date survives the round trip unchanged
  v.check((d) => {
    const parsed = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === d;
  }, 'not a calendar date'),
);
const CheckoutBody = v.strictObject({
  shipToSiteId: v.optional(IdSchema),
  costCenterId: v.optional(v.nullable(IdSchema)),
  poNumber: v.optional(text({ max: 64 })),
  reference: v.optional(text({ max: 100 })),
  deliveryMode: v.optional(v.picklist(DELIVERY_MODES)),
  requestedDeliveryDate: v.optional(IsoDate),
  instructions: v.optional(text({ max: 1000, multiline: true })),
});
const CartParam = v.strictObject({ id: v.union([v.literal('current'), IdSchema]) });

export const CheckoutOutcome = v.object({
  status: v.picklist(['placed', 'pending_approval']),
  orderId: v.string(),
  currency: v.string(),
  totalMinor: v.number(),
  lineCount: v.number(),
  priceGeneration: v.nullable(v.number()),
  approvalSteps: v.array(
    v.object({
      key: v.string(),
      reason: v.string(),
      policyId: v.nullable(v.string()),
      role: v.nullable(v.string()),
      userIds: v.array(v.string()),
      required: v.number(),
    }),
  ),
});

/** The client's retry key: the same key always answers with the same order, never a second one. */
function idempotencyKey(c: AppContext): string {
  const key = c.req.header('idempotency-key')?.trim() ?? '';
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError('validation_failed', 'Checkout needs an Idempotency-Key header', [
      {
        path: 'idempotency-key',
        message: '1 to 200 visible ASCII characters, unique per order attempt (e.g. a UUID)',
      },
    ]);
  }
  return key;
}

const PreviewQuery = v.strictObject({
  shipToSiteId: v.optional(IdSchema),
  costCenterId: v.optional(IdSchema),
});
const Preview = v.object({
  cartVersion: v.number(),
  currency: v.string(),
  totalMinor: v.number(),
  lineCount: v.number(),
  defaults: v.nullable(v.record(v.string(), v.unknown())),
  problems: v.array(v.object({ path: v.string(), message: v.string() })),
  budget: v.nullable(
    v.object({
      budgetId: v.string(),
      period: v.picklist(['month', 'quarter', 'year']),
      periodKey: v.string(),
      amountMinor: v.number(),
      consumedMinor: v.number(),
      remainingMinor: v.number(),
      onExceed: v.picklist(['finance_approval', 'refuse']),
    }),
  ),
  outcome: v.picklist(['placed', 'pending_approval', 'refused', 'blocked']),
  refusal: v.nullable(v.string()),
  approvalSteps: CheckoutOutcome.entries.approvalSteps,
});

export const checkoutRoutes = new Hono<AppEnv>()
  .get(
    '/:id/checkout',
    companyScoped,
    doc({
      tags,
      summary: 'What checking out would do now: defaults, problems, remaining budget, approvals needed',
      ok: Preview,
    }),
    requirePermission('order.place'),
    validator('param', CartParam, onInvalid),
    validator('query', PreviewQuery, onInvalid),
    async (c) => {
      const carts = cartsOf(c.env, { scope: scopeOf(c), userId: c.var.principal.id });
      const param = c.req.valid('param').id;
      const cartId =
        param === 'current' ? (await carts.stub.currentCart(carts.companyId, carts.userId)).id : param;
      const preview = await carts.stub.checkoutPreview({
        companyId: carts.companyId,
        userId: carts.userId,
        cartId,
        input: c.req.valid('query'),
        now: c.var.services.now(),
      });
      return c.json(unwrap(preview));
    },
  )
  .post(
    '/:id/checkout',
    companyScoped,
    doc({
      tags,
      summary: 'Check a cart out: the order is placed, or waits for approval',
      description:
        'Re-prices the cart from the current price index; the total answered is the total charged. Defaults: the ship-to and cost center of your last order, else the company default ship-to. Requires `Idempotency-Key`: repeating it returns the same order.',
      ok: CheckoutOutcome,
      status: 201,
      errors: {
        409: 'The cart is being (or has been) checked out, or the key belongs to another checkout',
        422: 'Every blocking problem: cart lines, address, cost center, date, budget',
      },
    }),
    requirePermission('order.place'),
    validator('param', CartParam, onInvalid),
    validator('json', CheckoutBody, onInvalid),
    async (c) => {
      const key = idempotencyKey(c);
      const { principal, services, requestId } = c.var;
      const carts = cartsOf(c.env, { scope: scopeOf(c), userId: principal.id });
      const param = c.req.valid('param').id;
      const cartId =
        param === 'current' ? (await carts.stub.currentCart(carts.companyId, carts.userId)).id : param;
      const outcome = unwrap(
        await carts.stub.checkout({
          companyId: carts.companyId,
          userId: carts.userId,
          cartId,
          idempotencyKey: key,
          input: c.req.valid('json'),
          requestId,
          now: services.now(),
        }),
      );
      c.header('location', `/v1/orders/${outcome.orderId}`);
      return c.json(outcome, 201);
    },
  );
