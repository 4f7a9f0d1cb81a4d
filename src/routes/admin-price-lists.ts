import { Hono } from 'hono';
import * as v from 'valibot';
import { getPriceList, listPriceLists, pricesPage } from '../db/queries/pricing-admin';
import { notFound } from '../domain/errors';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  archivePriceList,
  createPriceList,
  deletePrice,
  setPrices,
  updatePriceList,
} from '../services/pricing-admin/price-lists';
import {
  CurrencySchema,
  IdParam,
  IdSchema,
  MoneyMinorSchema,
  NameSchema,
  patchOf,
  StatusSchema,
  text,
} from './schemas';

const tags = ['Price lists'];
const SkuSchema = text({ max: 64 });
const fields = { name: NameSchema, currency: CurrencySchema, isDefault: v.optional(v.boolean()) };
const PriceList = v.object({
  id: v.string(),
  name: v.string(),
  currency: v.string(),
  isDefault: v.boolean(),
  status: StatusSchema,
  createdAt: v.number(),
  updatedAt: v.number(),
});
const Price = v.object({ sku: v.string(), amountMinor: v.number(), updatedAt: v.number() });
const PricesBody = v.strictObject({
  prices: v.pipe(
    v.array(v.strictObject({ sku: SkuSchema, amountMinor: MoneyMinorSchema })),
    v.minLength(1),
    v.maxLength(5000),
  ),
});
const PageQuery = v.strictObject(PageParams);
const Cursor = v.object({ s: v.string() });
const PriceParams = v.strictObject({ id: IdSchema, sku: SkuSchema });

const manage = requirePermission('pricing.manage');
const admin = requirePermission('platform.admin');
const ARCHIVED = 'The price list is archived';

/** Base prices per currency; every pricing.manage holder reads them, platform admins change them. */
export const priceListRoutes = new Hono<AppEnv>()
  .get(
    '/price-lists',
    doc({ tags, summary: 'Price lists, by currency and name', ok: v.object({ items: v.array(PriceList) }) }),
    manage,
    async (c) => c.json({ items: await listPriceLists(c.var.services.db) }),
  )
  .post(
    '/price-lists',
    doc({
      tags,
      summary: 'Create a price list',
      description:
        'Making a list the default of its currency clears the flag on the other lists of that currency.',
      ok: PriceList,
      status: 201,
    }),
    manage,
    admin,
    validBody(v.strictObject(fields)),
    async (c) => c.json(await createPriceList(c.var.services.pricing, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/price-lists/:id',
    doc({ tags, summary: 'One price list', ok: PriceList }),
    manage,
    validParams(IdParam),
    async (c) => {
      const list = await getPriceList(c.var.services.db, c.req.valid('param').id);
      if (!list) throw notFound('Price list');
      return c.json(list);
    },
  )
  .patch(
    '/price-lists/:id',
    doc({
      tags,
      summary: 'Rename a price list, change its currency or default flag',
      ok: PriceList,
      errors: { 409: ARCHIVED },
    }),
    manage,
    admin,
    validParams(IdParam),
    validBody(patchOf(fields)),
    async (c) =>
      c.json(
        await updatePriceList(
          c.var.services.pricing,
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      ),
  )
  .delete(
    '/price-lists/:id',
    doc({ tags, summary: 'Archive a price list', status: 204, errors: { 409: ARCHIVED } }),
    manage,
    admin,
    validParams(IdParam),
    async (c) => {
      await archivePriceList(c.var.services.pricing, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .get(
    '/price-lists/:id/prices',
    doc({
      tags,
      summary: 'Prices of a list, by SKU',
      ok: pageOf(Price),
    }),
    manage,
    validParams(IdParam),
    validQuery(PageQuery),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(Cursor, cursor)?.s;
      if (!(await getPriceList(c.var.services.db, id))) throw notFound('Price list');
      const rows = await pricesPage(c.var.services.db, id, after, limit + 1);
      return c.json(keysetPage(rows, limit, (last) => ({ s: last.sku })));
    },
  )
  .put(
    '/price-lists/:id/prices',
    doc({
      tags,
      summary: 'Set 1–5,000 prices (insert or replace), all or nothing',
      description: 'A SKU twice in one body is a 400; every unknown SKU is listed as `prices.N.sku` (422).',
      ok: v.object({ priceListId: v.string(), count: v.number() }),
      errors: { 409: ARCHIVED, 422: 'Unknown SKUs' },
    }),
    manage,
    admin,
    validParams(IdParam),
    validBody(PricesBody),
    async (c) => {
      const { id } = c.req.valid('param');
      const { count } = await setPrices(c.var.services.pricing, actorOf(c), id, c.req.valid('json').prices);
      return c.json({ priceListId: id, count });
    },
  )
  .delete(
    '/price-lists/:id/prices/:sku',
    doc({ tags, summary: 'Remove the price of one SKU from a list', status: 204, errors: { 409: ARCHIVED } }),
    manage,
    admin,
    validParams(PriceParams),
    async (c) => {
      const { id, sku } = c.req.valid('param');
      await deletePrice(c.var.services.pricing, actorOf(c), id, sku);
      return c.body(null, 204);
    },
  );
