import { Hono } from 'hono';
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
import { benchRoutesEnabled } from '../env';
import type { AppContext, AppEnv } from '../http/context';
import { optionalCompanyScope, optionalScopeOf, requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, encodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validParams, validQuery } from '../http/validate';
import { customerProductPage, customerViewOf } from '../services/catalog-view';
import { customerCategoryCounts } from '../services/pricing/category-counts';
import { customerEntries } from '../services/pricing/entries';
import { CatalogProduct, customerFields, presentProduct } from './catalog-schemas';
import { text } from './schemas';

const tags = ['Catalog'];
const Filter = v.optional(text({ max: 200 }));

const ListQuery = v.strictObject({
  category: Filter,
  family: Filter,
  brand: Filter,
  q: Filter,
  status: v.optional(v.picklist(['active', 'obsolete'])),
  sort: v.optional(v.picklist(PRODUCT_SORTS), 'sku'),
  ...PageParams,
});
const Cursor = v.object({ k: v.string(), s: v.string(), o: v.picklist(PRODUCT_SORTS) });
const SkuParam = v.strictObject({ sku: text({ max: 64 }) });

const ProductPage = pageOf(CatalogProduct);
const ProductDetail = v.object({
  ...CatalogProduct.entries,
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

/** The customer view for a customer (or staff acting for one); undefined for the supplier's own view. */
async function viewOf(c: AppContext) {
  const scope = optionalScopeOf(c);
  if (!scope) return undefined;
  // the benchmark's baseline: the same page computed from SQL, never available outside `npm run bench`
  const fromSql = benchRoutesEnabled(c.var.services.config) && c.req.header('x-bench-price-source') === 'sql';
  return customerViewOf(
    c.var.services.pricing,
    scope.companyId,
    c.var.services.now(),
    fromSql ? 'sql' : 'auto',
  );
}

export const catalogRoutes = new Hono<AppEnv>()
  .use(optionalCompanyScope)
  .get(
    '/products',
    doc({
      tags,
      summary: 'Browse the catalog',
      description:
        'Cursor-paged; filters combine with AND. For a customer (or staff naming one with X-Company-Id) only the products of its assortment, with its contract price (`price`, needs prices.view), orderability, lead time and replacement. A page may hold fewer than `limit` items; follow `nextCursor` until it is null.',
      ok: ProductPage,
    }),
    requirePermission('catalog.view'),
    validQuery(ListQuery),
    async (c) => {
      const query = c.req.valid('query');
      const cursor = decodeCursor(Cursor, query.cursor);
      if (cursor && cursor.o !== query.sort) {
        throw new AppError('validation_failed', 'The cursor belongs to another sort order', [
          { path: 'cursor', message: 'Keep the sort of the page the cursor came from' },
        ]);
      }
      const { cursor: _cursor, limit, ...filter } = query;
      const after = cursor ? { key: cursor.k, sku: cursor.s } : undefined;
      const keyOf = (row: ProductRow) => ({ k: sortKeyOf(query.sort, row), s: row.sku, o: query.sort });
      const view = await viewOf(c);
      if (!view) {
        const rows = await listProducts(c.var.services.db, { ...filter, after, limit: limit + 1 });
        const page = keysetPage(rows, limit, keyOf);
        return c.json({ ...page, items: page.items.map(presentProduct) });
      }
      const now = c.var.services.now();
      const page = await customerProductPage(c.var.services.pricing, view, { ...filter, after }, limit, now);
      c.header(
        'x-price-source',
        page.generation === null ? page.source : `${page.source};g=${page.generation}`,
      );
      const showPrices = c.var.principal.permissions.has('prices.view');
      return c.json({
        items: page.items.map(({ product, entry }) => ({
          ...presentProduct(product),
          ...customerFields(entry, page.currency, showPrices),
        })),
        nextCursor: page.continueAfter ? encodeCursor(keyOf(page.continueAfter)) : null,
      });
    },
  )
  .get(
    '/products/:sku',
    doc({ tags, summary: 'One product with its stock availability', ok: ProductDetail }),
    requirePermission('catalog.view'),
    validParams(SkuParam),
    async (c) => {
      const { sku } = c.req.valid('param');
      const view = await viewOf(c);
      const [found, customer] = await Promise.all([
        getProduct(c.var.services.db, sku),
        view
          ? customerEntries(c.var.services.pricing, view.fingerprint, [sku], c.var.services.now())
          : undefined,
      ]);
      const entry = customer?.entries.get(sku);
      // a product outside the customer's assortment does not exist for them
      if (!found || (customer && !entry)) throw notFound('Product');
      const dates = found.stock
        .flatMap((s) => (s.nextAvailabilityDate ? [s.nextAvailabilityDate] : []))
        .sort();
      const showPrices = c.var.principal.permissions.has('prices.view');
      return c.json({
        ...presentProduct(found.product),
        ...(customer && entry ? customerFields(entry, customer.currency, showPrices) : {}),
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
      description:
        'For a customer (or staff naming one with X-Company-Id) the counts are of the products of its assortment, and categories in which it sees none are left out.',
      ok: v.object({ items: v.array(Category) }),
    }),
    requirePermission('catalog.view'),
    async (c) => {
      const view = await viewOf(c);
      if (!view) return c.json({ items: await categoryTree(c.var.services.db) });
      // a customer's counts are of the products it sees; categories where it sees none are not shown
      const { counts, source, generation } = await customerCategoryCounts(
        c.var.services.pricing,
        view.fingerprint,
        c.var.services.now(),
      );
      c.header('x-price-source', generation === null ? source : `${source};g=${generation}`);
      return c.json({ items: await categoryTree(c.var.services.db, { counts, hideEmpty: true }) });
    },
  );
