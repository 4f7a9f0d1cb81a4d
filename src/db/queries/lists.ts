import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { listItems, lists } from '../schema';
import type { CompanyScope } from '../scope';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows } from './bulk';

export type ListRow = typeof lists.$inferSelect;
export type ListItemRow = typeof listItems.$inferSelect;

/** The lists a user sees: their own and the ones shared with the company, with their item counts. */
export function listsVisibleTo(scope: CompanyScope, userId: string, kind?: ListRow['kind']) {
  return scope.db
    .select({
      id: lists.id,
      ownerId: lists.ownerId,
      name: lists.name,
      kind: lists.kind,
      shared: lists.shared,
      note: lists.note,
      shipToSiteId: lists.shipToSiteId,
      costCenterId: lists.costCenterId,
      createdAt: lists.createdAt,
      updatedAt: lists.updatedAt,
      itemCount:
        sql<number>`(SELECT ${count()} FROM ${listItems} WHERE ${listItems.listId} = ${lists.id})`.mapWith(
          Number,
        ),
    })
    .from(lists)
    .where(
      and(
        eq(lists.companyId, scope.companyId),
        or(eq(lists.ownerId, userId), eq(lists.shared, true)),
        kind ? eq(lists.kind, kind) : undefined,
      ),
    )
    .orderBy(asc(lists.name), asc(lists.id))
    .limit(500);
}

export async function getList(scope: CompanyScope, id: string): Promise<ListRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(lists)
    .where(and(eq(lists.id, id), eq(lists.companyId, scope.companyId)))
    .limit(1);
  return row;
}

export const itemsOf = (db: Database, listId: string) =>
  db
    .select()
    .from(listItems)
    .where(eq(listItems.listId, listId))
    .orderBy(asc(listItems.position), asc(listItems.id));

/** Inserts items, or sets the quantity and note of a SKU already in the list, as batch statements. */
export function upsertItems(db: Database, rows: readonly (typeof listItems.$inferInsert)[]) {
  return chunks(rows, JSON_ROWS_PER_STATEMENT).map((part) =>
    db
      .insert(listItems)
      .select(jsonRows(listItems, part))
      .onConflictDoUpdate({
        target: [listItems.listId, listItems.sku],
        set: { quantity: sql`excluded.quantity`, note: sql`coalesce(excluded.note, ${listItems.note})` },
      }),
  );
}

export async function maxPosition(db: Database, listId: string): Promise<number> {
  const [row] = await db
    .select({ p: sql<number | null>`max(${listItems.position})` })
    .from(listItems)
    .where(eq(listItems.listId, listId));
  return row?.p ?? 0;
}
