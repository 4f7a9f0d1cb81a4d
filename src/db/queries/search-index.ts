import { and, asc, count, eq, gt, gte, inArray, isNull, lt, or, sql, sum } from 'drizzle-orm';
import type { Database } from '../client';
import { categories, companyPartNumbers, productNames, products, searchIndexes, stock } from '../schema';
import { inChunks } from './bulk';

/**
 * What the catalog search index is built from, read a page at a time in SKU order (keyset paging binds two
 * parameters, whatever the catalog's size), and the bookkeeping row of the index (id 'catalog').
 */
export const SEARCH_INDEX_ID = 'catalog';
export const SEARCH_SOURCE_PAGE = 2_000;

export type SearchSourceProduct = Pick<
  typeof products.$inferSelect,
  | 'sku'
  | 'name'
  | 'description'
  | 'brand'
  | 'family'
  | 'categoryPath'
  | 'attributes'
  | 'manufacturerPartNumber'
  | 'status'
>;

export function searchSourcePage(db: Database, after: string | null, limit = SEARCH_SOURCE_PAGE) {
  return db
    .select({
      sku: products.sku,
      name: products.name,
      description: products.description,
      brand: products.brand,
      family: products.family,
      categoryPath: products.categoryPath,
      attributes: products.attributes,
      manufacturerPartNumber: products.manufacturerPartNumber,
      status: products.status,
    })
    .from(products)
    .where(after === null ? undefined : gt(products.sku, after))
    .orderBy(asc(products.sku))
    .limit(limit);
}

/** Names in other languages of SKUs in [from, to] (one page of products). */
export function productNamesBetween(db: Database, from: string, to: string) {
  return db
    .select({
      sku: productNames.sku,
      locale: productNames.locale,
      name: productNames.name,
      description: productNames.description,
    })
    .from(productNames)
    .where(and(gte(productNames.sku, from), sql`${productNames.sku} <= ${to}`))
    .orderBy(asc(productNames.sku), asc(productNames.locale));
}

/** SKUs in [from, to] with stock on hand in any warehouse. */
export async function inStockBetween(db: Database, from: string, to: string): Promise<Set<string>> {
  const rows = await db
    .select({ sku: stock.sku, onHand: sum(stock.onHand) })
    .from(stock)
    .where(and(gte(stock.sku, from), sql`${stock.sku} <= ${to}`))
    .groupBy(stock.sku);
  return new Set(rows.filter((r) => Number(r.onHand ?? 0) > 0).map((r) => r.sku));
}

export const allCategoryNames = (db: Database) =>
  db.select({ path: categories.path, name: categories.name }).from(categories);

/** Catalog rows of some SKUs (a page of search results), any order. */
export const productsBySkus = (db: Database, skus: readonly string[]) =>
  inChunks(skus, (part) => db.select().from(products).where(inArray(products.sku, part)));

/** A company's own part numbers, as typed. */
export const partNumbersOf = (db: Database, companyId: string) =>
  db
    .select({ partNumber: companyPartNumbers.partNumber, sku: companyPartNumbers.sku })
    .from(companyPartNumbers)
    .where(eq(companyPartNumbers.companyId, companyId));

export async function searchIndexRow(db: Database) {
  const [row] = await db.select().from(searchIndexes).where(eq(searchIndexes.id, SEARCH_INDEX_ID)).limit(1);
  return row;
}

/** Asks for a newer generation: creates the row on the first request. Returns the requested generation. */
export async function bumpRequestedGeneration(db: Database, now: number): Promise<number> {
  const [row] = await db
    .insert(searchIndexes)
    .values({ id: SEARCH_INDEX_ID, requestedGeneration: 1, requestedAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: searchIndexes.id,
      set: {
        requestedGeneration: sql`${searchIndexes.requestedGeneration} + 1`,
        requestedAt: now,
        updatedAt: now,
      },
    })
    .returning({ requested: searchIndexes.requestedGeneration });
  return row?.requested ?? 1;
}

/** Marks a build of `generation` as started (the row exists: a build runs only after a request). */
export const markBuilding = (db: Database, generation: number, now: number) =>
  db
    .update(searchIndexes)
    .set({
      requestedGeneration: generation,
      buildingGeneration: generation,
      buildStartedAt: now,
      updatedAt: now,
    })
    .where(eq(searchIndexes.id, SEARCH_INDEX_ID));

/**
 * Records a finished build, only when no newer generation switched first. Returns the generation requested
 * meanwhile, or undefined when this build lost the race.
 */
export async function claimGeneration(
  db: Database,
  built: {
    generation: number;
    pointer: string;
    builtAt: number;
    buildMs: number;
    sizeBytes: number;
    docCount: number;
  },
  now: number,
): Promise<number | undefined> {
  const claimed = await db
    .update(searchIndexes)
    .set({
      currentGeneration: built.generation,
      pointer: built.pointer,
      builtAt: built.builtAt,
      buildMs: built.buildMs,
      sizeBytes: built.sizeBytes,
      docCount: built.docCount,
      buildingGeneration: null,
      buildStartedAt: null,
      lastError: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(searchIndexes.id, SEARCH_INDEX_ID),
        or(isNull(searchIndexes.currentGeneration), lt(searchIndexes.currentGeneration, built.generation)),
      ),
    )
    .returning({ requested: searchIndexes.requestedGeneration });
  return claimed[0]?.requested;
}

export const clearBuilding = (db: Database, generation: number) =>
  db
    .update(searchIndexes)
    .set({ buildingGeneration: null, buildStartedAt: null })
    .where(and(eq(searchIndexes.id, SEARCH_INDEX_ID), eq(searchIndexes.buildingGeneration, generation)));

export const recordBuildError = (db: Database, message: string, now: number) =>
  db
    .update(searchIndexes)
    .set({ buildingGeneration: null, buildStartedAt: null, lastError: message.slice(0, 500), updatedAt: now })
    .where(eq(searchIndexes.id, SEARCH_INDEX_ID));

/** How many products the catalog holds (whether an index may be compiled inside a request). */
export async function catalogProductCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(products);
  return row?.n ?? 0;
}
