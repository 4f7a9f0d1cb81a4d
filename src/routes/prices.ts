import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import * as v from 'valibot';
import { AppError } from '../domain/errors';
import type { AppEnv } from '../http/context';
import { companyScoped, requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody } from '../http/validate';
import { customerViewOf } from '../services/catalog-view';
import { MAX_PRICE_LINES, priceLines } from '../services/price-lines';
import { LineInputSchema } from './schemas';

const tags = ['Prices'];

const Body = v.strictObject({
  lines: v.pipe(v.array(LineInputSchema), v.minLength(1, 'send at least one line')),
});

const Explanation = v.object({
  ruleId: v.string(),
  contractId: v.string(),
  contractName: v.string(),
  kind: v.picklist(['net_price', 'discount']),
  targetType: v.string(),
  target: v.nullable(v.string()),
  minQuantity: v.number(),
  text: v.string(),
});
const PricedLine = v.object({
  sku: v.string(),
  quantity: v.number(),
  status: v.picklist(['priced', 'not_orderable', 'not_available', 'unknown']),
  reason: v.optional(v.nullable(v.string())),
  nearestValidQuantity: v.optional(v.number()),
  closeMatches: v.optional(v.array(v.string())),
  /** `not_available`: whom to ask about a product outside the assortment (null: no rep assigned) */
  salesRep: v.optional(v.nullable(v.object({ name: v.string(), email: v.string() }))),
  leadTimeDays: v.optional(v.number()),
  replacement: v.optional(v.nullable(v.string())),
  price: v.optional(
    v.nullable(
      v.object({
        currency: v.string(),
        unitMinor: v.number(),
        listMinor: v.nullable(v.number()),
        lineTotalMinor: v.nullable(v.number()),
        ruleId: v.nullable(v.string()),
        tierMinQuantity: v.number(),
        explanation: v.array(Explanation),
      }),
    ),
  ),
});

/** More than 1,000 lines is a size problem (413), told before any line is validated. */
const lineLimit = createMiddleware<AppEnv>(async (c, next) => {
  const body: unknown = await c.req.json().catch(() => undefined);
  const lines = typeof body === 'object' && body !== null && 'lines' in body ? body.lines : undefined;
  if (Array.isArray(lines) && lines.length > MAX_PRICE_LINES) {
    throw new AppError('payload_too_large', `At most ${MAX_PRICE_LINES} lines per call; split the request`, [
      { path: 'lines', message: `${lines.length} lines sent` },
    ]);
  }
  await next();
});

export const priceRoutes = new Hono<AppEnv>().post(
  '/',
  doc({
    tags,
    summary: 'Price up to 1,000 lines for my company',
    description:
      'Each line gets its contract unit price, the tier and rules that produced it ("why this price"), or the reason it cannot be ordered: unknown SKU (with close matches among the products the customer sees), not in the assortment (with the sales rep to ask), obsolete (with replacement), not orderable, below the minimum or not a multiple of the order multiple (with the nearest valid quantity).',
    ok: v.object({
      currency: v.string(),
      source: v.picklist(['index', 'sql']),
      generation: v.nullable(v.number()),
      lines: v.array(PricedLine),
    }),
    errors: { 413: 'More than 1,000 lines' },
  }),
  companyScoped,
  requirePermission('prices.view'),
  lineLimit,
  validBody(Body),
  async (c) => {
    const { services } = c.var;
    const now = services.now();
    const view = await customerViewOf(services.pricing, scopeOf(c).companyId, now);
    return c.json(await priceLines(services.pricing, view, c.req.valid('json').lines, now));
  },
);
