import { and, asc, count, eq, gt, gte, inArray, max } from 'drizzle-orm';
import type { Database } from '../client';
import { orderLines, orders, products } from '../schema';
import { type BatchRows, chunks } from './bulk';
import { stockTotalsQuery } from './cart-facts';

const REFERENCES_PER_PAGE = 20_000;

export interface CatalogReference {
  sku: string;
  manufacturerPartNumber: string | null;
}

/** Every SKU with its manufacturer part number, in pages (the whole catalog, two short columns). */
export async function catalogReferences(db: Database): Promise<CatalogReference[]> {
  const all: CatalogReference[] = [];
  let after: string | null = null;
  for (;;) {
    const page: CatalogReference[] = await db
      .select({ sku: products.sku, manufacturerPartNumber: products.manufacturerPartNumber })
      .from(products)
      .where(after === null ? undefined : gt(products.sku, after))
      .orderBy(asc(products.sku))
      .limit(REFERENCES_PER_PAGE);
    all.push(...page);
    const last = page.at(-1);
    if (!last || page.length < REFERENCES_PER_PAGE) return all;
    after = last.sku;
  }
}

/** What changes when a product is added, removed or edited: the count and the latest edit. */
export async function catalogStamp(db: Database): Promise<string> {
  const [row] = await db.select({ n: count(), at: max(products.updatedAt) }).from(products);
  return `${row?.n ?? 0}:${row?.at ?? 0}`;
}

/** Name, ordering rules and stock over every warehouse of some SKUs, one product and one stock read per chunk. */
export function lineFactsQueries(db: Database, skus: readonly string[]) {
  const parts = chunks([...new Set(skus)]);
  return {
    products: parts.map((part) =>
      db
        .select({
          sku: products.sku,
          name: products.name,
          minOrderQty: products.minOrderQty,
          orderMultiple: products.orderMultiple,
        })
        .from(products)
        .where(inArray(products.sku, part)),
    ),
    stock: parts.map((part) => stockTotalsQuery(db, part)),
  };
}

export function lineFactsFrom(rows: BatchRows<ReturnType<typeof lineFactsQueries>>) {
  const onHand = new Map(rows.stock.flat().map((s) => [s.sku, s]));
  return new Map(
    rows.products.flat().map((p) => {
      const s = onHand.get(p.sku);
      return [
        p.sku,
        {
          name: p.name,
          minOrderQty: p.minOrderQty,
          orderMultiple: p.orderMultiple,
          onHand: s?.onHand ?? 0,
          nextAvailabilityDate: s?.next ?? null,
        },
      ];
    }),
  );
}

const FREQUENT_ROWS = 20_000;

/**
 * How often each (SKU, quantity) was ordered by the company (or one user) since `since`, in orders that
 * stand (placed or awaiting approval): the rows the "frequently ordered" answer is made of.
 */
export function orderedSince(db: Database, companyId: string, since: number, placedBy?: string) {
  return db
    .select({
      sku: orderLines.sku,
      quantity: orderLines.quantity,
      times: count(),
      last: max(orders.createdAt),
    })
    .from(orderLines)
    .innerJoin(orders, eq(orders.id, orderLines.orderId))
    .where(
      and(
        eq(orders.companyId, companyId),
        gte(orders.createdAt, since),
        inArray(orders.status, ['placed', 'pending_approval']),
        placedBy ? eq(orders.placedBy, placedBy) : undefined,
      ),
    )
    .groupBy(orderLines.sku, orderLines.quantity)
    .limit(FREQUENT_ROWS);
}
