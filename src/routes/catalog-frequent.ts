import { Hono } from 'hono';
import * as v from 'valibot';
import { orderedSince } from '../db/queries/quick-order';
import { frequentlyOrdered } from '../domain/quick-order/frequent';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validQuery } from '../http/validate';
import { customerViewOf } from '../services/catalog-view';
import { customerEntries } from '../services/pricing/entries';

const tags = ['Quick order and lists'];
const YEAR_MS = 365 * 86_400_000;
const Query = v.strictObject({
  /** `mine` (default): what I ordered; `company`: what my company ordered */
  scope: v.optional(v.picklist(['mine', 'company']), 'mine'),
  limit: v.optional(
    v.pipe(v.string(), v.toNumber(), v.integer('limit must be an integer'), v.minValue(1), v.maxValue(200)),
    '50',
  ),
});
const Item = v.object({
  sku: v.string(),
  orderCount: v.number(),
  totalQuantity: v.number(),
  usualQuantity: v.number(),
  lastOrderedAt: v.number(),
  orderable: v.boolean(),
  replacement: v.nullable(v.string()),
});

export const catalogFrequentRoutes = new Hono<AppEnv>().get(
  '/frequently-ordered',
  doc({
    tags,
    summary: 'What I (or my company) ordered most in the last 12 months, with the usual quantity',
    description:
      'Placed orders and orders awaiting approval of the last 365 days, per SKU: how many orders, the quantity ordered in all, the usual quantity (ordered most often), the last order date. Only products the company still sees; `orderable` and `replacement` say whether it can be ordered again as is.',
    ok: v.object({ since: v.number(), items: v.array(Item) }),
  }),
  requirePermission('catalog.view'),
  validQuery(Query),
  async (c) => {
    const { services, principal } = c.var;
    const q = c.req.valid('query');
    const now = services.now();
    const since = now - YEAR_MS;
    const companyId = scopeOf(c).companyId;
    const rows = await orderedSince(
      services.db,
      companyId,
      since,
      q.scope === 'mine' ? principal.id : undefined,
    );
    const ranked = frequentlyOrdered(rows);
    // hidden products never appear, even if once ordered: the assortment may have changed since
    const view = await customerViewOf(services.pricing, companyId, now);
    const seen = await customerEntries(
      services.pricing,
      view.fingerprint,
      ranked.map((r) => r.sku),
      now,
    );
    const items = ranked.flatMap((r) => {
      const entry = seen.entries.get(r.sku);
      return entry ? [{ ...r, orderable: entry.orderable, replacement: entry.replacementSku }] : [];
    });
    return c.json({ since, items: items.slice(0, q.limit) });
  },
);
