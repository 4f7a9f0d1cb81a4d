import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { companies, costCenters, sites } from './schema-core';

/**
 * Re-buying: a company's own part numbers for the supplier's SKUs, and saved lists (favourites and order
 * templates). Times are epoch milliseconds.
 */
const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

/**
 * A company's own reference for a SKU ("VIS-INOX-6x40" → FAS-000123), with the quantity it usually orders
 * and the pack its reference stands for (one "box" of its reference = `pack_quantity` units of the SKU).
 * `part_key` is the reference normalised (case, spaces, dashes, dots, leading zeros): unique per company.
 */
export const companyPartNumbers = sqliteTable(
  'company_part_numbers',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    partNumber: text('part_number').notNull(),
    partKey: text('part_key').notNull(),
    sku: text('sku').notNull(),
    description: text('description'),
    preferredQuantity: integer('preferred_quantity'),
    packQuantity: integer('pack_quantity').notNull().default(1),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('company_part_numbers_key_uq').on(t.companyId, t.partKey),
    index('company_part_numbers_sku_idx').on(t.companyId, t.sku),
  ],
);

/** A saved list: private to its owner or shared with the company; favourites or an order template. */
export const lists = sqliteTable(
  'lists',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['favourites', 'template'] })
      .notNull()
      .default('favourites'),
    shared: integer('shared', { mode: 'boolean' }).notNull().default(false),
    note: text('note'),
    shipToSiteId: text('ship_to_site_id').references(() => sites.id),
    costCenterId: text('cost_center_id').references(() => costCenters.id),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('lists_company_idx').on(t.companyId, t.shared, t.ownerId)],
);

/** One SKU of a list (a SKU appears once), with its default quantity and a line note. */
export const listItems = sqliteTable(
  'list_items',
  {
    id: text('id').primaryKey(),
    listId: text('list_id')
      .notNull()
      .references(() => lists.id),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    note: text('note'),
    position: integer('position').notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [
    uniqueIndex('list_items_sku_uq').on(t.listId, t.sku),
    index('list_items_list_idx').on(t.listId, t.position),
  ],
);
