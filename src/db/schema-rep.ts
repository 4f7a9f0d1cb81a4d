import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { companies } from './schema-core';

/**
 * A small summary of each company's open carts, written by the company's Durable Object (where the carts
 * live) at most once a minute after they change, so the rep's workspace reads one row per company instead
 * of calling every company's object (docs/rep-workspace.md). Money in minor units of the company currency.
 */
export const companyCartStats = sqliteTable('company_cart_stats', {
  companyId: text('company_id')
    .primaryKey()
    .references(() => companies.id),
  // carts holding at least one line
  openCarts: integer('open_carts').notNull(),
  // their priced total (after offers) when the summary was written
  openValueMinor: integer('open_value_minor').notNull(),
  currency: text('currency'),
  // when the oldest line still waiting in an open cart was added; null without open carts
  oldestCartAt: integer('oldest_cart_at'),
  updatedAt: integer('updated_at').notNull(),
});
