import { Hono } from 'hono';
import * as v from 'valibot';
import { getOrder } from '../db/queries/orders';
import { packsOf } from '../db/queries/recurring';
import { AppError, type FieldIssue, forbidden } from '../domain/errors';
import { ORDER_CHANNELS, ORDER_STATUSES } from '../domain/order-terms';
import { partnerLineIssues } from '../domain/partner-lines';
import { companyObject, unwrap } from '../durable/client';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { asSeenBy } from '../http/prices-visibility';
import { validBody } from '../http/validate';
import { idempotencyKey } from './checkout';
import {
  ApprovalStepSchema,
  CalendarDateSchema,
  IdSchema,
  MoneyMinorSchema,
  NoteSchema,
  QuantitySchema,
  text,
} from './schemas';

/**
 * The partner order API (docs/api.md, "Partner orders"): a partner's system posts a purchase order as
 * lines with an API key (`orders:write`) and an Idempotency-Key. The lines are checked like a cXML
 * OrderRequest's (assortment, and a unit price the partner states must equal ours) and the order is
 * placed through the company's object, the same checkout as a person's, with channel `partner_api`.
 */
const MAX_PARTNER_LINES = 500;

const PartnerOrderBody = v.strictObject({
  poNumber: text({ max: 64 }),
  lines: v.pipe(
    v.array(
      v.strictObject({
        sku: text({ max: 64 }),
        quantity: QuantitySchema,
        // what the partner's system expects to pay per unit, in minor units of the company's currency
        unitPriceMinor: v.optional(MoneyMinorSchema),
        note: v.optional(v.nullable(NoteSchema)),
      }),
    ),
    v.minLength(1, 'at least one line'),
    v.maxLength(MAX_PARTNER_LINES, `at most ${MAX_PARTNER_LINES} lines`),
  ),
  shipToSiteId: v.optional(IdSchema),
  costCenterId: v.optional(v.nullable(IdSchema)),
  reference: v.optional(text({ max: 100 })),
  requestedDeliveryDate: v.optional(CalendarDateSchema),
  instructions: v.optional(text({ max: 1000, multiline: true })),
});
type PartnerOrderInput = v.InferOutput<typeof PartnerOrderBody>;

const PartnerOrder = v.object({
  id: v.string(),
  status: v.picklist(ORDER_STATUSES),
  channel: v.picklist(ORDER_CHANNELS),
  channelRef: v.nullable(v.string()),
  poNumber: v.nullable(v.string()),
  reference: v.nullable(v.string()),
  shipToSiteId: v.string(),
  costCenterId: v.nullable(v.string()),
  currency: v.string(),
  subtotalMinor: v.optional(v.number()),
  discountMinor: v.optional(v.number()),
  totalMinor: v.optional(v.number()),
  lineCount: v.number(),
  approvalSteps: v.array(ApprovalStepSchema),
  lines: v.array(
    v.object({
      lineNo: v.number(),
      sku: v.string(),
      quantity: v.number(),
      unitMinor: v.optional(v.number()),
      lineTotalMinor: v.optional(v.number()),
      note: v.nullable(v.string()),
    }),
  ),
  createdAt: v.number(),
});

async function contentHash(body: PartnerOrderInput): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(body)));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Refusals of the lines: a line we cannot supply is a 422, a price other than ours a 409. */
function refuseLines(issues: ReturnType<typeof partnerLineIssues>): never {
  const fields: FieldIssue[] = issues.map((i) => ({
    path: `lines.${i.index}.${i.field === 'unitPrice' ? 'unitPriceMinor' : i.field}`,
    message: i.message,
  }));
  if (issues.some((i) => i.kind === 'unorderable'))
    throw new AppError('unprocessable', 'Some lines cannot be ordered', fields);
  throw new AppError('conflict', 'Some unit prices are not our current prices', fields);
}

export const partnerOrderRoutes = new Hono<AppEnv>().post(
  '/orders',
  doc({
    tags: ['Partner orders'],
    summary: 'A partner system places a purchase order from lines (API key with orders:write)',
    description:
      'Requires `Idempotency-Key`: the same key and body answer the same order; the same key with another body is a 422. Lines naming a product the company cannot order are a 422 (`lines.N.sku`, `lines.N.quantity`); a `unitPriceMinor` other than our current price for that quantity is a 409 (`lines.N.unitPriceMinor`). The order goes through the company’s checkout (approval policies, budgets) with channel `partner_api`; status changes reach the company’s webhook.',
    ok: PartnerOrder,
    status: 201,
    errors: {
      403: 'Not an API key with orders:write',
      409: 'A unit price differs from ours, or the key is being used by a request in progress',
      422: 'Lines that cannot be ordered, checkout problems (address, cost center, budget), or a reused key',
    },
  }),
  requirePermission('order.place'),
  validBody(PartnerOrderBody),
  async (c) => {
    const { principal, services, requestId } = c.var;
    if (principal.kind !== 'api_key')
      throw forbidden('The partner order API is for API keys; people check out carts');
    const requestKey = idempotencyKey(c, 'A partner order');
    const body = c.req.valid('json');
    const scope = scopeOf(c);
    const object = companyObject(c.env, scope);
    const now = services.now();
    const { lines, poNumber, ...rest } = body;
    const placement = {
      key: `partner_api:${principal.id}:${requestKey}`,
      ownerId: principal.id,
      input: { ...rest, poNumber },
      content: await contentHash(body),
    };
    const earlier = await object.linesPlaced(placement);
    let outcome = earlier ? unwrap(earlier) : null;
    if (!outcome) {
      const asked = lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
      const [priced, packs] = await Promise.all([
        object.priceLines(principal.id, asked, now),
        packsOf(
          services.db,
          asked.map((l) => l.sku),
        ),
      ]);
      const issues = partnerLineIssues(
        lines.map((l) => ({ ...l, unitPriceMinor: l.unitPriceMinor ?? null, unit: null })),
        priced.lines.map((l) => ({ ...l, unit: packs.get(l.sku)?.unit ?? null })),
        priced.currency,
        0,
      );
      if (issues.length > 0) refuseLines(issues);
      outcome = unwrap(
        await object.placeLines({
          ...placement,
          name: `Partner order ${poNumber}`,
          lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, note: l.note ?? null })),
          channel: { channel: 'partner_api', ref: principal.id },
          requestId,
          now,
        }),
      );
    }
    const found = await getOrder(services.db, scope.companyId, outcome.orderId);
    if (!found) throw new Error(`order ${outcome.orderId} was placed but cannot be read`);
    const { order } = found;
    c.header('location', `/v1/orders/${order.id}`);
    return c.json(
      asSeenBy(principal, {
        id: order.id,
        status: order.status,
        channel: order.channel,
        channelRef: order.channelRef,
        poNumber: order.poNumber,
        reference: order.reference,
        shipToSiteId: order.shipToSiteId,
        costCenterId: order.costCenterId,
        currency: order.currency,
        subtotalMinor: order.subtotalMinor,
        discountMinor: order.discountMinor,
        totalMinor: order.totalMinor,
        lineCount: order.lineCount,
        approvalSteps: outcome.approvalSteps,
        lines: found.lines.map((l) => ({
          lineNo: l.lineNo,
          sku: l.sku,
          quantity: l.quantity,
          unitMinor: l.unitMinor,
          lineTotalMinor: l.lineTotalMinor,
          note: l.note,
        })),
        createdAt: order.createdAt,
      }),
      201,
    );
  },
);
