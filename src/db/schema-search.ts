import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { companies, products } from './schema-core';

/**
 * Catalog search: product names in other languages, synonyms (catalog-wide or one company's), and the
 * bookkeeping of the search index kept in KV. Times are epoch milliseconds.
 */
const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** A product's name (and description) in a language other than the catalog's own (English). */
export const productNames = sqliteTable(
  'product_names',
  {
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    // BCP 47 primary language: 'fr', 'de', …
    locale: text('locale').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.locale] }), index('product_names_updated_idx').on(t.updatedAt)],
);

/**
 * A synonym rule. `equivalent`: every term stands for every other ("inox" ↔ "stainless" ↔ "A2").
 * `one_way`: `input` (an abbreviation, a trade word) also searches the `terms`, not the reverse
 * ("VIS TH" → "vis tête hexagonale"). `company_id` null: the supplier's, for every company.
 */
export const searchSynonyms = sqliteTable(
  'search_synonyms',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').references(() => companies.id),
    kind: text('kind', { enum: ['equivalent', 'one_way'] }).notNull(),
    input: text('input'),
    // JSON array of the terms (phrases allowed), as written
    terms: text('terms', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('search_synonyms_company_idx').on(t.companyId, t.updatedAt)],
);

/** One row per search index (the catalog's: id 'catalog'): requested and current generations in KV. */
export const searchIndexes = sqliteTable('search_indexes', {
  id: text('id').primaryKey(),
  // bumped by every catalog change that the index must follow; a build compiles this generation
  requestedGeneration: integer('requested_generation').notNull().default(1),
  requestedAt: integer('requested_at'),
  currentGeneration: integer('current_generation'),
  buildingGeneration: integer('building_generation'),
  buildStartedAt: integer('build_started_at'),
  // the pointer exactly as written to KV
  pointer: text('pointer'),
  builtAt: integer('built_at'),
  buildMs: integer('build_ms'),
  sizeBytes: integer('size_bytes'),
  docCount: integer('doc_count'),
  lastError: text('last_error'),
  updatedAt: integer('updated_at').notNull(),
});
