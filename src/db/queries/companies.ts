import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { companies, users } from '../schema';

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

export interface SalesRepContact {
  name: string;
  email: string;
}

// a child company without its own rep is served by its parent's; the chain is short (a few levels)
const MAX_PARENT_HOPS = 5;

/** The sales rep who looks after a company (or its nearest ancestor), as a buyer may contact them. */
export async function salesRepContact(db: Database, companyId: string): Promise<SalesRepContact | null> {
  let id: string | null = companyId;
  for (let hop = 0; id !== null && hop <= MAX_PARENT_HOPS; hop++) {
    const [row] = await db
      .select({ parentId: companies.parentId, name: users.name, email: users.email, status: users.status })
      .from(companies)
      .leftJoin(users, eq(users.id, companies.salesRepUserId))
      .where(eq(companies.id, id))
      .limit(1);
    if (!row) return null;
    if (row.name !== null && row.email !== null && row.status === 'active')
      return { name: row.name, email: row.email };
    id = row.parentId;
  }
  return null;
}
