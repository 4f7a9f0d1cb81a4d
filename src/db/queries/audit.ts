import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { auditLog } from '../schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

/** Builds (does not run) the insert, so callers put it in the same `db.batch` as the change it records. */
export const insertAudit = (db: Database, row: NewAuditRow) => db.insert(auditLog).values(row);

export interface AuditFilter {
  companyId: string | null;
  actorId?: string;
  action?: string;
  targetId?: string;
  from?: number;
  to?: number;
  /** keyset cursor: entries strictly older than (at, id) */
  before?: { at: number; id: string };
  limit: number;
}

/** Newest first; `companyId: null` reads across companies (platform admins only — callers decide). */
export async function listAudit(db: Database, f: AuditFilter): Promise<AuditRow[]> {
  const conditions: (SQL | undefined)[] = [
    f.companyId === null ? undefined : eq(auditLog.companyId, f.companyId),
    f.actorId ? eq(auditLog.actorId, f.actorId) : undefined,
    f.action ? eq(auditLog.action, f.action) : undefined,
    f.targetId ? eq(auditLog.targetId, f.targetId) : undefined,
    f.from !== undefined ? gte(auditLog.at, f.from) : undefined,
    f.to !== undefined ? lte(auditLog.at, f.to) : undefined,
    f.before
      ? or(lt(auditLog.at, f.before.at), and(eq(auditLog.at, f.before.at), lt(auditLog.id, f.before.id)))
      : undefined,
  ];
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.limit);
}
