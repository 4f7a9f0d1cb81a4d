import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { ExportKind, ExportState } from '../../domain/erp-terms';
import type { Database } from '../client';
import { erpExports } from '../schema';

export type ErpExportRow = typeof erpExports.$inferSelect;

export async function getExport(db: Database, id: string): Promise<ErpExportRow | undefined> {
  const [row] = await db.select().from(erpExports).where(eq(erpExports.id, id)).limit(1);
  return row;
}

/** Every export of one order, oldest first (the order's own export first). */
export const exportsOfOrder = (db: Database, orderId: string) =>
  db
    .select()
    .from(erpExports)
    .where(eq(erpExports.orderId, orderId))
    .orderBy(erpExports.createdAt, erpExports.id);

export interface ExportFilter {
  state?: ExportState;
  companyId?: string;
  kind?: ExportKind;
  orderId?: string;
  /** keyset: strictly before (updatedAt, id) in the newest-first order */
  before?: { at: number; id: string };
  limit: number;
}

/** Across companies (platform admins only: callers decide), most recently changed first. */
export function listExports(db: Database, f: ExportFilter) {
  const conditions: (SQL | undefined)[] = [
    f.state ? eq(erpExports.state, f.state) : undefined,
    f.companyId ? eq(erpExports.companyId, f.companyId) : undefined,
    f.kind ? eq(erpExports.kind, f.kind) : undefined,
    f.orderId ? eq(erpExports.orderId, f.orderId) : undefined,
    f.before
      ? or(
          lt(erpExports.updatedAt, f.before.at),
          and(eq(erpExports.updatedAt, f.before.at), lt(erpExports.id, f.before.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(erpExports)
    .where(and(...conditions))
    .orderBy(desc(erpExports.updatedAt), desc(erpExports.id))
    .limit(f.limit);
}
