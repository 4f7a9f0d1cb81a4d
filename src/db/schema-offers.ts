import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { TARGET_TYPES } from '../domain/pricing/targets';
import { companies } from './schema-core';
import { customerGroups } from './schema-pricing';

/**
 * Cart-level offers (docs/offers.md): applied when a cart is priced, never part of the price index.
 * Money is integer minor units, percentages basis points, times epoch milliseconds.
 */
export const cartOffers = sqliteTable(
  'cart_offers',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    // shown to the buyer next to the discount
    description: text('description').notNull().default(''),
    // one company, one customer group, or neither: every customer (checked by the service)
    companyId: text('company_id').references(() => companies.id),
    groupId: text('group_id').references(() => customerGroups.id),
    currency: text('currency').notNull(),
    kind: text('kind', { enum: ['spend_threshold', 'buy_x_get_y'] }).notNull(),
    // spend_threshold: discountBp off the subtotal once it reaches thresholdMinor
    thresholdMinor: integer('threshold_minor'),
    discountBp: integer('discount_bp'),
    // buy_x_get_y: for every buyQuantity matching units, freeQuantity more are free
    targetType: text('target_type', { enum: TARGET_TYPES }),
    target: text('target'),
    buyQuantity: integer('buy_quantity'),
    freeQuantity: integer('free_quantity'),
    // null: no limit
    maxApplications: integer('max_applications'),
    priority: integer('priority').notNull().default(0),
    // false: competes alone against the combinable offers together; the larger discount wins
    combinable: integer('combinable', { mode: 'boolean' }).notNull().default(true),
    validFrom: integer('valid_from'),
    validTo: integer('valid_to'),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('cart_offers_company_idx').on(t.companyId),
    index('cart_offers_group_idx').on(t.groupId),
    index('cart_offers_status_currency_idx').on(t.status, t.currency),
  ],
);
