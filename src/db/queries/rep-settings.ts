import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { companySettings } from '../schema-orders';

/** What the company lets its sales rep do (docs/rep-workspace.md); both off without a settings row. */
export interface RepSettings {
  repMayPlaceOrders: boolean;
  repSeesCarts: boolean;
}

export async function repSettingsOf(db: Database, companyId: string): Promise<RepSettings> {
  const [row] = await db
    .select({
      repMayPlaceOrders: companySettings.repMayPlaceOrders,
      repSeesCarts: companySettings.repSeesCarts,
    })
    .from(companySettings)
    .where(eq(companySettings.companyId, companyId))
    .limit(1);
  return row ?? { repMayPlaceOrders: false, repSeesCarts: false };
}

/** Builds (does not run) the upsert of the two settings, for the batch of its audit row. */
export const upsertRepSettings = (db: Database, companyId: string, settings: RepSettings, at: number) =>
  db
    .insert(companySettings)
    .values({ companyId, ...settings, updatedAt: at })
    .onConflictDoUpdate({ target: companySettings.companyId, set: { ...settings, updatedAt: at } });
