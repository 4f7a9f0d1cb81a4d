import { inArray, min, sql, sum } from 'drizzle-orm';
import type { Database } from '../client';
import { products, stock } from '../schema';
import { type BatchRows, chunks } from './bulk';

/**
 * What a cart line needs of its product besides its price index entry: the ordering rules (minimum and
 * multiple), what cart-level offers target (family, category, brand) and the stock over every warehouse.
 */
export interface SkuFacts {
  sku: string;
  family: string;
  categoryPath: string;
  brand: string;
  minOrderQty: number;
  orderMultiple: number;
  /** on hand over every warehouse (0 without a stock row) and the earliest known next delivery */
  onHand: number;
  nextAvailabilityDate: string | null;
}

/** Stock of some SKUs over every warehouse (0 without a row) and the earliest known next delivery. */
export const stockTotalsQuery = (db: Database, skus: readonly string[]) =>
  db
    .select({
      sku: stock.sku,
      onHand: sql<number>`coalesce(${sum(stock.onHand)}, 0)`.mapWith(Number),
      next: min(stock.nextAvailabilityDate),
    })
    .from(stock)
    .where(inArray(stock.sku, [...skus]))
    .groupBy(stock.sku);

/** The reads behind `skuFactsFrom`, one product and one stock query per chunk of SKUs, for a `batchRead`. */
export function skuFactsQueries(db: Database, skus: readonly string[]) {
  const parts = chunks([...new Set(skus)]);
  return {
    products: parts.map((part) =>
      db
        .select({
          sku: products.sku,
          family: products.family,
          categoryPath: products.categoryPath,
          brand: products.brand,
          minOrderQty: products.minOrderQty,
          orderMultiple: products.orderMultiple,
        })
        .from(products)
        .where(inArray(products.sku, part)),
    ),
    stock: parts.map((part) => stockTotalsQuery(db, part)),
  };
}

/** Facts per SKU; a SKU without a product row is absent: it does not exist. */
export function skuFactsFrom(rows: BatchRows<ReturnType<typeof skuFactsQueries>>): Map<string, SkuFacts> {
  const onHand = new Map(rows.stock.flat().map((s) => [s.sku, s]));
  return new Map(
    rows.products.flat().map((p) => {
      const s = onHand.get(p.sku);
      return [p.sku, { ...p, onHand: s?.onHand ?? 0, nextAvailabilityDate: s?.next ?? null }];
    }),
  );
}
