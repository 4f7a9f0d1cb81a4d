import type { Database } from '../client';
import { companyCartStats } from '../schema-rep';

export interface CartStatsRow {
  companyId: string;
  openCarts: number;
  openValueMinor: number;
  currency: string | null;
  oldestCartAt: number | null;
  updatedAt: number;
}

/** The company's open-cart summary, replaced whole (written by the company's object, cart-stats.ts). */
export const upsertCartStats = (db: Database, row: CartStatsRow) => {
  const { companyId: _id, ...set } = row;
  return db
    .insert(companyCartStats)
    .values(row)
    .onConflictDoUpdate({ target: companyCartStats.companyId, set });
};
