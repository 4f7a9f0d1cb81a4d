import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { companyPartNumbers } from '../schema';
import type { CompanyScope } from '../scope';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows } from './bulk';

export type PartNumberRow = typeof companyPartNumbers.$inferSelect;
export type NewPartNumber = typeof companyPartNumbers.$inferInsert;

/** Every part number of a company (the resolver keeps them per isolate). */
export const partNumbersOf = (db: Database, companyId: string) =>
  db
    .select({
      partNumber: companyPartNumbers.partNumber,
      partKey: companyPartNumbers.partKey,
      sku: companyPartNumbers.sku,
      packQuantity: companyPartNumbers.packQuantity,
      preferredQuantity: companyPartNumbers.preferredQuantity,
    })
    .from(companyPartNumbers)
    .where(eq(companyPartNumbers.companyId, companyId));

export function listPartNumbers(scope: CompanyScope, page: { after?: string; limit: number; sku?: string }) {
  return scope.db
    .select()
    .from(companyPartNumbers)
    .where(
      and(
        eq(companyPartNumbers.companyId, scope.companyId),
        page.sku ? eq(companyPartNumbers.sku, page.sku) : undefined,
        page.after ? gt(companyPartNumbers.partKey, page.after) : undefined,
      ),
    )
    .orderBy(asc(companyPartNumbers.partKey))
    .limit(page.limit);
}

export async function getPartNumber(scope: CompanyScope, id: string): Promise<PartNumberRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(companyPartNumbers)
    .where(and(eq(companyPartNumbers.id, id), eq(companyPartNumbers.companyId, scope.companyId)))
    .limit(1);
  return row;
}

export async function partKeyTaken(
  scope: CompanyScope,
  partKey: string,
  exceptId?: string,
): Promise<boolean> {
  const [row] = await scope.db
    .select({ id: companyPartNumbers.id })
    .from(companyPartNumbers)
    .where(and(eq(companyPartNumbers.companyId, scope.companyId), eq(companyPartNumbers.partKey, partKey)))
    .limit(1);
  return row !== undefined && row.id !== exceptId;
}

/** Inserts or replaces (by normalised reference) many part numbers, as statements for one batch. */
export function upsertPartNumbers(db: Database, rows: readonly NewPartNumber[]) {
  return chunks(rows, JSON_ROWS_PER_STATEMENT).map((part) =>
    db
      .insert(companyPartNumbers)
      .select(jsonRows(companyPartNumbers, part))
      .onConflictDoUpdate({
        target: [companyPartNumbers.companyId, companyPartNumbers.partKey],
        set: {
          partNumber: sql`excluded.part_number`,
          sku: sql`excluded.sku`,
          description: sql`excluded.description`,
          preferredQuantity: sql`excluded.preferred_quantity`,
          packQuantity: sql`excluded.pack_quantity`,
          updatedAt: sql`excluded.updated_at`,
        },
      }),
  );
}
