import { and, asc, desc, eq, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { QuoteState } from '../../domain/quote-terms';
import type { Database } from '../client';
import {
  auditLog,
  companies,
  outbox,
  products,
  quoteLines,
  quotes,
  quoteVersions,
  sites,
  users,
} from '../schema';
import { guardedRows } from './bulk';

export type QuoteRow = typeof quotes.$inferSelect;
export type QuoteVersionRow = typeof quoteVersions.$inferSelect;
export type QuoteLineRow = typeof quoteLines.$inferSelect;
type AuditRow = typeof auditLog.$inferInsert;
type OutboxRow = typeof outbox.$inferInsert;

export async function getQuote(db: Database, companyId: string, id: string): Promise<QuoteRow | undefined> {
  const [row] = await db
    .select()
    .from(quotes)
    .where(and(eq(quotes.id, id), eq(quotes.companyId, companyId)))
    .limit(1);
  return row;
}

/** Every version of a quote and every line of each, oldest first: one round trip. */
export async function quoteHistory(db: Database, id: string) {
  const [versions, lines] = await db.batch([
    db.select().from(quoteVersions).where(eq(quoteVersions.quoteId, id)).orderBy(asc(quoteVersions.version)),
    db
      .select()
      .from(quoteLines)
      .where(eq(quoteLines.quoteId, id))
      .orderBy(asc(quoteLines.version), asc(quoteLines.lineNo)),
  ]);
  return { versions, lines };
}

export const linesOfVersion = (db: Database, id: string, version: number) =>
  db
    .select()
    .from(quoteLines)
    .where(and(eq(quoteLines.quoteId, id), eq(quoteLines.version, version)))
    .orderBy(asc(quoteLines.lineNo));

/** The company's sales rep now, and its currency: what a new request goes to and is priced in. */
export async function quoteCompany(db: Database, companyId: string) {
  const [row] = await db
    .select({ salesRepUserId: companies.salesRepUserId, currency: companies.defaultCurrency })
    .from(companies)
    .where(eq(companies.id, companyId))
    .limit(1);
  return row;
}

/** The company's next quote number (`Q-000042`); the unique index refuses a number taken meanwhile. */
export async function nextQuoteNumber(db: Database, companyId: string): Promise<string> {
  const [row] = await db
    .select({ last: sql<number | null>`max(CAST(substr(${quotes.number}, 3) AS INTEGER))` })
    .from(quotes)
    .where(eq(quotes.companyId, companyId));
  return `Q-${String((row?.last ?? 0) + 1).padStart(6, '0')}`;
}

/** A new quote, its first version and lines, its audit row and notification: one batch. */
export function newQuoteStatements(
  db: Database,
  q: typeof quotes.$inferInsert,
  version: typeof quoteVersions.$inferInsert,
  lines: readonly (typeof quoteLines.$inferInsert)[],
  audit: AuditRow,
  notification: OutboxRow,
): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  return [
    db.insert(quotes).values(q),
    db.insert(quoteVersions).values(version),
    ...lines.map((l) => db.insert(quoteLines).values(l)),
    db.insert(auditLog).values(audit),
    db.insert(outbox).values(notification),
  ];
}

/** Where a transition may happen: the quote in one of these states at this version. */
export interface QuoteGuard {
  id: string;
  states: readonly QuoteState[];
  version: number;
}

const guardSql = (g: QuoteGuard) =>
  sql`EXISTS (SELECT 1 FROM ${quotes} WHERE ${quotes.id} = ${g.id} AND ${quotes.state} IN (${sql.join(
    g.states.map((s) => sql`${s}`),
    sql`, `,
  )}) AND ${quotes.currentVersion} = ${g.version})`;

/**
 * A transition as one batch: every row it adds is written only while the guard holds (checked in SQL, in
 * the batch), and the quote's update comes last with the same condition. Two racing transitions: one
 * updates and writes its rows, the other writes nothing and its update returns no row.
 */
export function transitionStatements(
  db: Database,
  guard: QuoteGuard,
  set: Partial<typeof quotes.$inferInsert>,
  adds: {
    version?: typeof quoteVersions.$inferInsert;
    lines?: readonly (typeof quoteLines.$inferInsert)[];
    audit: readonly AuditRow[];
    notifications: readonly OutboxRow[];
  },
) {
  const where = guardSql(guard);
  const inserts: BatchItem<'sqlite'>[] = [
    ...(adds.version
      ? [db.insert(quoteVersions).select(guardedRows(quoteVersions, [adds.version], where))]
      : []),
    ...(adds.lines && adds.lines.length > 0
      ? [db.insert(quoteLines).select(guardedRows(quoteLines, adds.lines, where))]
      : []),
    ...(adds.audit.length > 0 ? [db.insert(auditLog).select(guardedRows(auditLog, adds.audit, where))] : []),
    ...(adds.notifications.length > 0
      ? [db.insert(outbox).select(guardedRows(outbox, adds.notifications, where))]
      : []),
  ];
  const update = db
    .update(quotes)
    .set(set)
    .where(
      and(
        eq(quotes.id, guard.id),
        inArray(quotes.state, [...guard.states]),
        eq(quotes.currentVersion, guard.version),
      ),
    )
    .returning({ id: quotes.id });
  return { inserts, update };
}

export async function runTransition(db: Database, t: ReturnType<typeof transitionStatements>) {
  const results = await db.batch([...t.inserts, t.update] as unknown as [BatchItem<'sqlite'>]);
  const updated = results.at(-1) as unknown as { id: string }[];
  return updated.length === 1;
}

export interface QuoteListFilter {
  companyId?: string;
  /** a rep's accounts: companies whose sales rep they are */
  accountsOf?: string;
  states?: readonly QuoteState[];
  /** keyset: quotes strictly older than (requestedAt, id) */
  before?: { at: number; id: string };
  limit: number;
}

/** Newest request first. */
export function listQuotes(db: Database, f: QuoteListFilter) {
  const conditions: (SQL | undefined)[] = [
    f.companyId ? eq(quotes.companyId, f.companyId) : undefined,
    f.accountsOf ? eq(companies.salesRepUserId, f.accountsOf) : undefined,
    f.states && f.states.length > 0 ? inArray(quotes.state, [...f.states]) : undefined,
    f.before
      ? or(
          lt(quotes.requestedAt, f.before.at),
          and(eq(quotes.requestedAt, f.before.at), lt(quotes.id, f.before.id)),
        )
      : undefined,
  ];
  return db
    .select({ quote: quotes, companyName: companies.name })
    .from(quotes)
    .innerJoin(companies, eq(companies.id, quotes.companyId))
    .where(and(...conditions))
    .orderBy(desc(quotes.requestedAt), desc(quotes.id))
    .limit(f.limit + 1);
}

/** Quoted quotes past their validity, oldest first (index quotes_state_valid_idx). */
export const expiredQuotes = (db: Database, now: number, limit: number) =>
  db
    .select()
    .from(quotes)
    .where(and(eq(quotes.state, 'quoted'), lt(quotes.validUntil, now)))
    .orderBy(asc(quotes.validUntil))
    .limit(limit);

/** The customer on a printed quote: its name and billing address (else its default ship-to). */
export async function customerParty(db: Database, companyId: string) {
  const [company, siteRows] = await db.batch([
    db
      .select({ name: companies.name, country: companies.country })
      .from(companies)
      .where(eq(companies.id, companyId)),
    db
      .select()
      .from(sites)
      .where(and(eq(sites.companyId, companyId), eq(sites.status, 'active')))
      .orderBy(desc(sites.isBilling), desc(sites.isDefaultShipTo), asc(sites.id))
      .limit(1),
  ]);
  return { company: company[0], address: siteRows[0] };
}

export async function userNames(db: Database, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { name: string; email: string }>();
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

export async function productNames(db: Database, skus: readonly string[]) {
  if (skus.length === 0) return new Map<string, string>();
  const rows = await db
    .select({ sku: products.sku, name: products.name })
    .from(products)
    .where(inArray(products.sku, [...new Set(skus)]));
  return new Map(rows.map((r) => [r.sku, r.name]));
}
