import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { companies } from '../schema';

export type CompanyRow = typeof companies.$inferSelect;

export async function getCompany(db: Database, id: string): Promise<CompanyRow | undefined> {
  const [row] = await db.select().from(companies).where(eq(companies.id, id)).limit(1);
  return row;
}

export const childCompanies = (db: Database, parentId: string) =>
  db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(eq(companies.parentId, parentId))
    .orderBy(asc(companies.name));

/** The accounts a supplier user may see: all for platform admins, their assigned companies for sales reps. */
export function listAccounts(db: Database, viewer: { userId: string; all: boolean }, id?: string) {
  const conditions: (SQL | undefined)[] = [
    viewer.all ? undefined : eq(companies.salesRepUserId, viewer.userId),
    id ? eq(companies.id, id) : undefined,
  ];
  return db
    .select()
    .from(companies)
    .where(and(...conditions))
    .orderBy(asc(companies.name));
}
