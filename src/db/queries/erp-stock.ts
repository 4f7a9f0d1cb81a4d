import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { products, stock } from '../schema';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows, runBatch } from './bulk';

export type StockUpsert = Required<Omit<typeof stock.$inferInsert, 'erpVersion'>> & { erpVersion: number };

export interface StoredStock {
  sku: string;
  warehouse: string;
  onHand: number;
  nextAvailabilityDate: string | null;
  erpVersion: number | null;
}

/** What is stored for these (sku, warehouse) keys and which of the SKUs exist: one round trip. */
export async function readStockFor(
  db: Database,
  keys: readonly { sku: string; warehouse: string }[],
): Promise<{ stored: StoredStock[]; knownSkus: Set<string> }> {
  const pairs = JSON.stringify(keys.map((k) => [k.sku, k.warehouse]));
  const skus = JSON.stringify([...new Set(keys.map((k) => k.sku))]);
  const [stored, known] = await db.batch([
    db
      .select({
        sku: stock.sku,
        warehouse: stock.warehouse,
        onHand: stock.onHand,
        nextAvailabilityDate: stock.nextAvailabilityDate,
        erpVersion: stock.erpVersion,
      })
      .from(stock)
      .where(
        sql`(${stock.sku}, ${stock.warehouse}) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(${pairs}))`,
      ),
    db
      .select({ sku: products.sku })
      .from(products)
      .where(sql`${products.sku} IN (SELECT value FROM json_each(${skus}))`),
  ]);
  return { stored, knownSkus: new Set(known.map((k) => k.sku)) };
}

/**
 * Writes stock rows of known SKUs where the stored version is older (or absent), in one atomic batch, and
 * answers the keys actually written: a concurrent chunk with a newer version wins whatever the order of
 * arrival. Rows of unknown SKUs are left out here (the foreign key would fail the whole batch).
 */
export async function upsertNewerStock(
  db: Database,
  rows: readonly StockUpsert[],
): Promise<{ sku: string; warehouse: string }[]> {
  const written = await runBatch<{ sku: string; warehouse: string }[]>(
    db,
    chunks(rows, JSON_ROWS_PER_STATEMENT).map((part) =>
      db
        .insert(stock)
        // jsonRows ends in `WHERE true`; its first column is the SKU
        .select(
          sql`${jsonRows(stock, part)} AND json_extract(value, '$[0]') IN (SELECT ${products.sku} FROM ${products})`,
        )
        .onConflictDoUpdate({
          target: [stock.sku, stock.warehouse],
          set: {
            onHand: sql`excluded.on_hand`,
            nextAvailabilityDate: sql`excluded.next_availability_date`,
            erpVersion: sql`excluded.erp_version`,
            updatedAt: sql`excluded.updated_at`,
          },
          setWhere: sql`${stock.erpVersion} IS NULL OR excluded.erp_version > ${stock.erpVersion}`,
        })
        .returning({ sku: stock.sku, warehouse: stock.warehouse }),
    ),
  );
  return written.flat();
}
