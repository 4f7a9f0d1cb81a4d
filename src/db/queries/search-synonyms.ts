import { and, asc, count, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { searchSynonyms } from '../schema';

export type SynonymRow = typeof searchSynonyms.$inferSelect;
export type NewSynonymRow = typeof searchSynonyms.$inferInsert;

/** The rules of one owner: a company's (its id), or the supplier's catalog-wide ones (null). */
export const ownedBy = (companyId: string | null): SQL =>
  companyId === null ? isNull(searchSynonyms.companyId) : eq(searchSynonyms.companyId, companyId);

/** Every rule of an owner, as search applies them and as a new rule is compared against. */
export const rulesOwnedBy = (db: Database, companyId: string | null) =>
  db
    .select({
      id: searchSynonyms.id,
      kind: searchSynonyms.kind,
      input: searchSynonyms.input,
      terms: searchSynonyms.terms,
    })
    .from(searchSynonyms)
    .where(ownedBy(companyId))
    .orderBy(asc(searchSynonyms.createdAt), asc(searchSynonyms.id));

export async function countRulesOwnedBy(db: Database, companyId: string | null): Promise<number> {
  const [row] = await db.select({ n: count() }).from(searchSynonyms).where(ownedBy(companyId));
  return row?.n ?? 0;
}

export interface SynonymPageQuery {
  companyId: string | null;
  /** a company's list may show the catalog-wide rules too */
  includeCatalog: boolean;
  after?: { createdAt: number; id: string };
  limit: number;
}

/** Oldest first, keyset on (created_at, id). */
export function listSynonymRows(db: Database, q: SynonymPageQuery): Promise<SynonymRow[]> {
  const owners =
    q.includeCatalog && q.companyId !== null ? or(ownedBy(q.companyId), ownedBy(null)) : ownedBy(q.companyId);
  const after = q.after
    ? or(
        gt(searchSynonyms.createdAt, q.after.createdAt),
        and(eq(searchSynonyms.createdAt, q.after.createdAt), gt(searchSynonyms.id, q.after.id)),
      )
    : undefined;
  return db
    .select()
    .from(searchSynonyms)
    .where(and(owners, after))
    .orderBy(asc(searchSynonyms.createdAt), asc(searchSynonyms.id))
    .limit(q.limit);
}

export async function getSynonymRow(
  db: Database,
  companyId: string | null,
  id: string,
): Promise<SynonymRow | undefined> {
  const [row] = await db
    .select()
    .from(searchSynonyms)
    .where(and(eq(searchSynonyms.id, id), ownedBy(companyId)))
    .limit(1);
  return row;
}

export const insertSynonymRow = (db: Database, row: NewSynonymRow) => db.insert(searchSynonyms).values(row);

export const replaceSynonymRow = (
  db: Database,
  companyId: string | null,
  id: string,
  values: Pick<NewSynonymRow, 'kind' | 'input' | 'terms' | 'updatedAt'>,
) =>
  db
    .update(searchSynonyms)
    .set(values)
    .where(and(eq(searchSynonyms.id, id), ownedBy(companyId)));

export const deleteSynonymRow = (db: Database, companyId: string | null, id: string) =>
  db.delete(searchSynonyms).where(and(eq(searchSynonyms.id, id), ownedBy(companyId)));
