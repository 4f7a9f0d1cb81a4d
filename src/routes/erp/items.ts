import { Hono } from 'hono';
import * as v from 'valibot';
import { actorOf } from '../../http/actor';
import type { AppEnv } from '../../http/context';
import { doc } from '../../http/openapi';
import { validBody, validParams } from '../../http/validate';
import { parseInstant } from '../../services/erp-import/kinds/cells';
import { putListPrice, putStock } from '../../services/erp-items';
import { catalogChangedForSearch } from '../../services/search/queue';
import { CalendarDateSchema, IdSchema, text } from '../schemas';

const tags = ['ERP'];
const SkuParam = v.strictObject({ sku: text({ max: 64 }) });

/** The ERP's version of the record: a sequence number, or its `updatedAt` as an ISO-8601 instant. */
const VersionSchema = v.union(
  [
    v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    v.pipe(
      v.string(),
      v.transform((s) => parseInstant(s.trim())),
      v.number('an ISO-8601 instant with its offset, e.g. 2026-11-22T10:00:00+01:00'),
    ),
  ],
  'a whole number ≥ 0 or an ISO-8601 instant with its offset',
);
const Outcome = v.pipe(
  v.picklist(['applied', 'unchanged', 'skipped_older']),
  v.description(
    '`applied`: stored now; `unchanged`: this version was already stored (a repeated call); `skipped_older`: a newer version is stored, which the answer shows.',
  ),
);

const StockBody = v.strictObject({
  warehouse: text({ max: 40 }),
  onHand: v.pipe(v.number(), v.safeInteger('a whole number of units'), v.minValue(0), v.maxValue(1e9)),
  nextAvailabilityDate: v.optional(v.nullable(CalendarDateSchema)),
  version: VersionSchema,
});
const StockAnswer = v.object({
  sku: v.string(),
  warehouse: v.string(),
  onHand: v.number(),
  nextAvailabilityDate: v.nullable(v.string()),
  version: v.nullable(v.number()),
  updatedAt: v.number(),
  outcome: Outcome,
});

const ListPriceBody = v.strictObject({
  priceList: IdSchema,
  amount: v.union(
    [
      v.pipe(v.number(), v.minValue(0), v.maxValue(1e10)),
      v.pipe(v.string(), v.trim(), v.regex(/^\d{1,15}([.,]\d{1,9})?$/)),
    ],
    'a non-negative decimal in the list currency: 12.5, "12.50" or "12,50"',
  ),
  version: VersionSchema,
});
const ListPriceAnswer = v.object({
  sku: v.string(),
  priceList: v.string(),
  currency: v.string(),
  amountMinor: v.number(),
  version: v.nullable(v.number()),
  updatedAt: v.number(),
  outcome: Outcome,
});

const ORDERED =
  'Idempotent and ordered by `version`: an older version than the stored one is not applied (200, `skipped_older`, with the stored record), the same version again changes nothing (`unchanged`); the same version with other content is a 409.';

/** PUT /erp/v1/stock/{sku} and PUT /erp/v1/list-prices/{sku}. */
export const erpItemRoutes = new Hono<AppEnv>()
  .put(
    '/stock/:sku',
    doc({
      tags,
      summary: "Set one warehouse's stock of a product",
      description: `${ORDERED} An unknown SKU is a 404. Visible on the next product read anywhere (stock is read from SQL); carts within 5 s.`,
      ok: StockAnswer,
      errors: { 409: 'This version is stored with other content' },
    }),
    validParams(SkuParam),
    validBody(StockBody),
    async (c) => {
      const stored = await putStock(
        c.var.services.db,
        actorOf(c),
        c.req.valid('param').sku,
        c.req.valid('json'),
      );
      // in stock or not is a search facet: the search index follows within its staleness bound
      if (stored.outcome === 'applied')
        await catalogChangedForSearch(c.var.services.search, `stock of ${stored.sku}`, c.var.services.now());
      return c.json(stored);
    },
  )
  .put(
    '/list-prices/:sku',
    doc({
      tags,
      summary: 'Set the list price of a product on one price list',
      description: `${ORDERED} An unknown SKU is a 404. The amount is in the list's currency, with at most its decimals. A changed price rebuilds the price indexes of that list only; the instance that served the write prices from SQL until they are rebuilt, others follow within the staleness bound (docs/erp.md).`,
      ok: ListPriceAnswer,
      errors: {
        409: 'This version is stored with other content',
        422: 'Unknown or archived price list, or more decimals than its currency has',
      },
    }),
    validParams(SkuParam),
    validBody(ListPriceBody),
    async (c) =>
      c.json(
        await putListPrice(c.var.services.pricing, actorOf(c), c.req.valid('param').sku, c.req.valid('json')),
      ),
  );
