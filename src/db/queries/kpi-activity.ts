import type { Database } from '../client';
import { cartActivity } from '../schema-kpi';

export type CartOrigin = (typeof cartActivity.$inferInsert)['origin'];

/** One row per company, day, user and origin: repeating the action the same day adds nothing. */
export const recordCartActivity = (db: Database, row: typeof cartActivity.$inferInsert) =>
  db.insert(cartActivity).values(row).onConflictDoNothing();
