import { Hono } from 'hono';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import { DELIVERY_MODES } from '../domain/order-terms';
import { companyObject, resolveCartId, unwrap } from '../durable/client';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody, validParams, validQuery } from '../http/validate';
import { log } from '../lib/log';
import { type Phase, PhaseClock, serverTiming } from '../lib/timing';
import { ApprovalStepSchema, CalendarDateSchema, CartParam, IdSchema, text } from './schemas';

const tags = ['Checkout and orders'];
export const CheckoutBody = v.strictObject({
  shipToSiteId: v.optional(IdSchema),
  costCenterId: v.optional(v.nullable(IdSchema)),
  poNumber: v.optional(text({ max: 64 })),
  reference: v.optional(text({ max: 100 })),
  deliveryMode: v.optional(v.picklist(DELIVERY_MODES)),
  requestedDeliveryDate: v.optional(CalendarDateSchema),
  instructions: v.optional(text({ max: 1000, multiline: true })),
});

export const CheckoutOutcome = v.object({
  status: v.picklist(['placed', 'pending_approval']),
  orderId: v.string(),
  currency: v.string(),
  // absent without prices.view, like every money field (src/http/prices-visibility.ts)
  totalMinor: v.optional(v.number()),
  lineCount: v.number(),
  priceGeneration: v.nullable(v.number()),
  approvalSteps: v.array(ApprovalStepSchema),
});

/** The client's retry key: the same key always answers with the same order, never a second one. */
export function idempotencyKey(c: AppContext, what = 'Checkout'): string {
  const key = c.req.header('idempotency-key')?.trim() ?? '';
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw new AppError('validation_failed', `${what} needs an Idempotency-Key header`, [
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
export const Preview = v.object({
  cartVersion: v.number(),
  currency: v.string(),
  totalMinor: v.optional(v.number()),
  lineCount: v.number(),
  defaults: v.nullable(v.record(v.string(), v.unknown())),
  problems: v.array(v.object({ path: v.string(), message: v.string() })),
  budget: v.nullable(
    v.object({
      budgetId: v.string(),
      period: v.picklist(['month', 'quarter', 'year']),
      periodKey: v.string(),
      amountMinor: v.optional(v.number()),
      consumedMinor: v.optional(v.number()),
      remainingMinor: v.optional(v.number()),
      onExceed: v.picklist(['finance_approval', 'refuse']),
    }),
  ),
  periodLimit: v.nullable(
    v.object({
      period: v.picklist(['day', 'week', 'month']),
      limitMinor: v.number(),
      spentMinor: v.number(),
      remainingMinor: v.number(),
    }),
  ),
  outcome: v.picklist(['placed', 'pending_approval', 'refused', 'blocked']),
  refusal: v.nullable(v.string()),
  approvalSteps: CheckoutOutcome.entries.approvalSteps,
});

/** A checkout slower than this logs its phases (the Server-Timing header shows them on every answer). */
const SLOW_CHECKOUT_MS = 1_000;

/**
 * `Server-Timing` on every checkout answer: the object's phases, the call to the object beyond them (`rpc`:
 * transport and waiting for the object) and the route's own work. Durations only, nothing about the order.
 */
function answerTimings(c: AppContext, clock: PhaseClock, inObject: readonly Phase[], requestId: string) {
  const objectMs = clock.phases.find((p) => p.name === 'object')?.ms ?? 0;
  const objectOwn = inObject.find((p) => p.name === 'in-object')?.ms ?? 0;
  const phases = [
    ...clock.phases.filter((p) => p.name !== 'object'),
    ...inObject,
    { name: 'rpc', ms: objectMs - objectOwn },
    { name: 'handler', ms: clock.total() },
  ];
  c.header('server-timing', serverTiming(phases));
  if (clock.total() > SLOW_CHECKOUT_MS) {
    log('warn', 'slow checkout', {
      requestId,
      phases: Object.fromEntries(phases.map((p) => [p.name, p.ms])),
    });
  }
}

export const checkoutRoutes = new Hono<AppEnv>()
  .get(
    '/:id/checkout',
    doc({
      tags,
      summary:
        'What checking out would do now: defaults, problems, remaining budget and spending cap, approvals needed',
      ok: Preview,
    }),
    requirePermission('order.place'),
    validParams(CartParam),
    validQuery(PreviewQuery),
    async (c) => {
      const object = companyObject(c.env, scopeOf(c));
      const userId = c.var.principal.id;
      const cartId = await resolveCartId(object, userId, c.req.valid('param').id);
      const preview = await object.checkoutPreview({
        userId,
        isAdmin: c.var.principal.permissions.has('users.manage'),
        cartId,
        input: c.req.valid('query'),
        now: c.var.services.now(),
      });
      return c.json(asSeenBy(c.var.principal, unwrap(preview)));
    },
  )
  .post(
    '/:id/checkout',
    doc({
      tags,
      summary: 'Check a cart out: the order is placed, or waits for approval',
      description:
        'Re-prices the cart from the current price index; the total answered is the total charged. Defaults: the ship-to and cost center of your last order, else the company default ship-to. Requires `Idempotency-Key`: repeating it returns the same order. Only the cart’s owner or a company admin checks a cart out (403 otherwise): copy a colleague’s shared cart first.',
      ok: CheckoutOutcome,
      status: 201,
      errors: {
        409: 'The cart is being (or has been) checked out, or the key belongs to another checkout',
        422: 'Every blocking problem: cart lines, address, cost center, date, budget',
      },
    }),
    requirePermission('order.place'),
    validParams(CartParam),
    validBody(CheckoutBody),
    async (c) => {
      const clock = new PhaseClock();
      const key = idempotencyKey(c);
      const { principal, services, requestId } = c.var;
      const object = companyObject(c.env, scopeOf(c));
      const cartId = await resolveCartId(object, principal.id, c.req.valid('param').id);
      clock.lap('route');
      const result = await object.checkout({
        userId: principal.id,
        isAdmin: principal.permissions.has('users.manage'),
        cartId,
        idempotencyKey: key,
        input: c.req.valid('json'),
        requestId,
        now: services.now(),
      });
      clock.lap('object');
      answerTimings(c, clock, result.phases, requestId);
      const outcome = unwrap(result);
      c.header('location', `/v1/orders/${outcome.orderId}`);
      return c.json(asSeenBy(principal, outcome), 201);
    },
  );
