import { Hono } from 'hono';
import { validator } from 'hono-openapi';
import * as v from 'valibot';
import {
  categoryTree,
  getProduct,
  listProducts,
  PRODUCT_SORTS,
  type ProductRow,
  sortKeyOf,
} from '../db/queries/catalog';
import { AppError, notFound } from '../domain/errors';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, encodeCursor, LimitSchema } from '../http/paging';
import { onInvalid } from '../http/validate';

const tags = ['Catalog'];
const Filter = v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)));

const ListQuery = v.strictObject({
  category: Filter,
  family: Filter,
  brand: Filter,
  q: Filter,
  status: v.optional(v.picklist(['active', 'obsolete'])),
  sort: v.optional(v.picklist(PRODUCT_SORTS), 'sku'),
  limit: LimitSchema,
  cursor: v.optional(v.string()),
});
const Cursor = v.object({ k: v.string(), s: v.string(), o: v.picklist(PRODUCT_SORTS) });
const SkuParam = v.strictObject({ sku: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) });

const Product = v.object({
  sku: v.string(),
  name: v.string(),
  description: v.string(),
  family: v.string(),
  categoryPath: v.string(),
  brand: v.string(),
  attributes: v.record(v.string(), v.union([v.string(), v.number(), v.boolean()])),
  unitOfMeasure: v.string(),
  packSize: v.number(),
  minOrderQty: v.number(),
  orderMultiple: v.number(),
  status: v.picklist(['active', 'obsolete']),
  replacementSku: v.nullable(v.string()),
  unspsc: v.nullable(v.string()),
  taxClass: v.string(),
});
const ProductPage = v.object({ items: v.array(Product), nextCursor: v.nullable(v.string()) });
const ProductDetail = v.object({
  ...Product.entries,
  availability: v.object({
    onHand: v.number(),
    nextAvailabilityDate: v.nullable(v.string()),
    warehouses: v.array(
      v.object({ warehouse: v.string(), onHand: v.number(), nextAvailabilityDate: v.nullable(v.string()) }),
    ),
  }),
});
interface CategoryDoc {
  path: string;
  name: string;
  depth: number;
  productCount: number;
  children: CategoryDoc[];
}
const Category: v.GenericSchema<CategoryDoc> = v.object({
  path: v.string(),
  name: v.string(),
  depth: v.number(),
  productCount: v.number(),
  children: v.array(v.lazy(() => Category)),
});

const present = ({ updatedAt: _updatedAt, ...product }: ProductRow) => product;

export const catalogRoutes = new Hono<AppEnv>()
  .get(
    '/products',
    doc({
      tags,
      summary: 'Browse the catalog',
      description: 'Cursor-paged; filters combine with AND.',
      ok: ProductPage,
    }),
    requirePermission('catalog.view'),
    validator('query', ListQuery, onInvalid),
    async (c) => {
      const query = c.req.valid('query');
      const cursor = decodeCursor(Cursor, query.cursor);
      if (cursor && cursor.o !== query.sort) {
        throw new AppError('validation_failed', 'The cursor belongs to another sort order', [
          { path: 'cursor', message: 'Keep the sort of the page the cursor came from' },
        ]);
      }
      const rows = await listProducts(c.var.services.db, {
        ...query,
        after: cursor ? { key: cursor.k, sku: cursor.s } : undefined,
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > query.limit && last
          ? encodeCursor({ k: sortKeyOf(query.sort, last), s: last.sku, o: query.sort })
          : null;
      return c.json({ items: page.map(present), nextCursor });
    },
  )
  .get(
    '/products/:sku',
    doc({ tags, summary: 'One product with its stock availability', ok: ProductDetail }),
    requirePermission('catalog.view'),
    validator('param', SkuParam, onInvalid),
    async (c) => {
      const found = await getProduct(c.var.services.db, c.req.valid('param').sku);
      if (!found) throw notFound('Product');
      const dates = found.stock
        .flatMap((s) => (s.nextAvailabilityDate ? [s.nextAvailabilityDate] : []))
        .sort();
      return c.json({
        ...present(found.product),
        availability: {
          onHand: found.stock.reduce((sum, s) => sum + s.onHand, 0),
          nextAvailabilityDate: dates[0] ?? null,
          warehouses: found.stock.map(({ warehouse, onHand, nextAvailabilityDate }) => ({
            warehouse,
            onHand,
            nextAvailabilityDate,
          })),
        },
      });
    },
  )
  .get(
    '/categories',
    doc({
      tags,
      summary: 'Category tree with product counts per subtree',
      ok: v.object({ items: v.array(Category) }),
    }),
    requirePermission('catalog.view'),
    async (c) => c.json({ items: await categoryTree(c.var.services.db) }),
  );
