import { inArray, min, sql, sum } from 'drizzle-orm';
import type { Database } from '../client';
import { stock } from '../schema';
import { inChunks } from './bulk';

/** On hand over every warehouse and the earliest known next delivery, per SKU. */
export async function stockOf(
  db: Database,
  skus: readonly string[],
): Promise<Map<string, { onHand: number; nextAvailabilityDate: string | null }>> {
  const rows = await inChunks(skus, (part) =>
    db
      .select({
        sku: stock.sku,
        onHand: sql<number>`coalesce(${sum(stock.onHand)}, 0)`.mapWith(Number),
        next: min(stock.nextAvailabilityDate),
      })
      .from(stock)
      .where(inArray(stock.sku, part))
      .groupBy(stock.sku),
  );
  return new Map(rows.map((r) => [r.sku, { onHand: r.onHand, nextAvailabilityDate: r.next }]));
}
