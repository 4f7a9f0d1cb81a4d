import { and, desc, eq, inArray, lt, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { companySettings, notificationDeliveries } from '../schema';
import type { CompanyScope } from '../scope';
import { chunks, JSON_ROWS_PER_STATEMENT, jsonRows } from './bulk';

export type CompanySettingsRow = typeof companySettings.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type DeliveryStatus = DeliveryRow['status'];

export async function getCompanySettings(
  db: Database,
  companyId: string,
): Promise<CompanySettingsRow | undefined> {
  const [row] = await db
    .select()
    .from(companySettings)
    .where(eq(companySettings.companyId, companyId))
    .limit(1);
  return row;
}

/** Builds (does not run) the upsert, so callers put it in the same `db.batch` as its audit row. */
export const upsertCompanySettings = (
  db: Database,
  row: { companyId: string; webhookUrl: string | null; webhookSecret: string | null; updatedAt: number },
) =>
  db
    .insert(companySettings)
    .values(row)
    .onConflictDoUpdate({
      target: companySettings.companyId,
      set: { webhookUrl: row.webhookUrl, webhookSecret: row.webhookSecret, updatedAt: row.updatedAt },
    });

/** The settings of several companies (a queue batch's), for a `batchRead`. */
export const settingsOfCompanies = (db: Database, companyIds: string[]) =>
  db.select().from(companySettings).where(inArray(companySettings.companyId, companyIds));

/** Builds the insert of a delivery row that does nothing when the (company, event) row exists. */
export const insertDeliveryOnce = (db: Database, row: typeof notificationDeliveries.$inferInsert) =>
  db.insert(notificationDeliveries).values(row).onConflictDoNothing();

/** The same for many rows, as few statements (one JSON parameter per JSON_ROWS_PER_STATEMENT rows). */
export const insertDeliveriesOnce = (
  db: Database,
  rows: readonly (typeof notificationDeliveries.$inferInsert)[],
) =>
  chunks(rows, JSON_ROWS_PER_STATEMENT).map((part) =>
    db
      .insert(notificationDeliveries)
      .select(
        jsonRows(
          notificationDeliveries,
          part.map((r) => ({ attempts: 0, ...r })),
        ),
      )
      .onConflictDoNothing(),
  );

/** Records that these deliveries were skipped (their company has no webhook), in one statement. */
export const markSkipped = (db: Database, ids: readonly string[]) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'skipped' })
    .where(sql`${notificationDeliveries.id} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);

/**
 * The delivery rows of some (company, event) pairs, for a `batchRead`: both columns of the unique index as
 * IN lists (callers keep at most ~40 pairs per query and match the pairs in code).
 */
export const deliveriesOf = (db: Database, pairs: readonly { companyId: string; eventId: string }[]) =>
  db
    .select()
    .from(notificationDeliveries)
    .where(
      and(
        inArray(notificationDeliveries.companyId, [...new Set(pairs.map((p) => p.companyId))]),
        inArray(notificationDeliveries.eventId, [...new Set(pairs.map((p) => p.eventId))]),
      ),
    );

/** One row per (company, event), however often the message is redelivered: a second insert does nothing. */
export async function recordDeliveryOnce(db: Database, row: typeof notificationDeliveries.$inferInsert) {
  await insertDeliveryOnce(db, row);
  const [stored] = await db
    .select()
    .from(notificationDeliveries)
    .where(
      and(
        eq(notificationDeliveries.companyId, row.companyId),
        eq(notificationDeliveries.eventId, row.eventId),
      ),
    )
    .limit(1);
  if (!stored) throw new Error(`delivery ${row.companyId}/${row.eventId} vanished after its insert`);
  return stored;
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  /** false for a decision that made no HTTP request (skipped, failed for good) */
  attempted: boolean;
  lastStatusCode?: number | null;
  lastError?: string | null;
  at: number;
}

/** Records the outcome of one attempt; `attempts` is counted in SQL so concurrent redeliveries do not lose one. */
export const recordAttempt = (db: Database, id: string, o: AttemptOutcome) =>
  db
    .update(notificationDeliveries)
    .set({
      status: o.status,
      ...(o.attempted ? { attempts: sql`${notificationDeliveries.attempts} + 1`, lastAttemptAt: o.at } : {}),
      ...(o.lastStatusCode !== undefined ? { lastStatusCode: o.lastStatusCode } : {}),
      ...(o.lastError !== undefined ? { lastError: o.lastError } : {}),
      ...(o.status === 'delivered' ? { deliveredAt: o.at } : {}),
    })
    .where(eq(notificationDeliveries.id, id));

/** Retries are exhausted: the delivery is given up on, unless a concurrent attempt delivered it meanwhile. */
export const markDeliveryFailed = (db: Database, companyId: string, eventId: string) =>
  db
    .update(notificationDeliveries)
    .set({ status: 'failed' })
    .where(
      and(
        eq(notificationDeliveries.companyId, companyId),
        eq(notificationDeliveries.eventId, eventId),
        ne(notificationDeliveries.status, 'delivered'),
      ),
    );

export interface DeliveryFilter {
  status?: DeliveryStatus;
  /** keyset cursor: deliveries strictly older than (createdAt, id) */
  before?: { at: number; id: string };
  limit: number;
}

/** The company's deliveries, newest first. */
export function listDeliveries(scope: CompanyScope, f: DeliveryFilter): Promise<DeliveryRow[]> {
  const t = notificationDeliveries;
  const conditions: (SQL | undefined)[] = [
    eq(t.companyId, scope.companyId),
    f.status ? eq(t.status, f.status) : undefined,
    f.before
      ? or(lt(t.createdAt, f.before.at), and(eq(t.createdAt, f.before.at), lt(t.id, f.before.id)))
      : undefined,
  ];
  return scope.db
    .select()
    .from(t)
    .where(and(...conditions))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(f.limit);
}
