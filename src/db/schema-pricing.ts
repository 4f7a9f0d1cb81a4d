import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { APPLIES_TO } from '../domain/pricing/engine';
import { TARGET_TYPES } from '../domain/pricing/targets';
import { companies, products } from './schema-core';

/**
 * Contract pricing and assortments (the inputs of the price index) and the bookkeeping of the index itself.
 * Money is integer minor units, percentages basis points, times epoch milliseconds.
 */
const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () => integer('updated_at').notNull();

export const priceLists = sqliteTable(
  'price_lists',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    // the list a company of this currency prices from unless it (or an ancestor) names another
    isDefault: integer('is_default', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('price_lists_currency_idx').on(t.currency, t.isDefault)],
);

export const listPrices = sqliteTable(
  'list_prices',
  {
    priceListId: text('price_list_id')
      .notNull()
      .references(() => priceLists.id),
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    amountMinor: integer('amount_minor').notNull(),
    erpVersion: integer('erp_version'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.priceListId, t.sku] }), index('list_prices_sku_idx').on(t.sku)],
);

export const customerGroups = sqliteTable('customer_groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const customerGroupMembers = sqliteTable(
  'customer_group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => customerGroups.id),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.companyId] }),
    index('customer_group_members_company_idx').on(t.companyId),
  ],
);

export const contracts = sqliteTable(
  'contracts',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    currency: text('currency').notNull(),
    // exactly one of company / group (checked by the service)
    companyId: text('company_id').references(() => companies.id),
    groupId: text('group_id').references(() => customerGroups.id),
    // best_price: competes with the other contracts, the lowest price wins;
    // stackable: its discount applies on top of the price the other contracts give
    combination: text('combination', { enum: ['best_price', 'stackable'] })
      .notNull()
      .default('best_price'),
    // order in which stackable contracts apply, highest first
    priority: integer('priority').notNull().default(0),
    validFrom: integer('valid_from'),
    validTo: integer('valid_to'),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    // set on the one contract per customer that ERP contract-price imports manage
    erpCustomerNumber: text('erp_customer_number'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contracts_company_idx').on(t.companyId),
    index('contracts_group_idx').on(t.groupId),
    uniqueIndex('contracts_erp_customer_uq').on(t.erpCustomerNumber),
  ],
);

export const priceRules = sqliteTable(
  'price_rules',
  {
    id: text('id').primaryKey(),
    contractId: text('contract_id')
      .notNull()
      .references(() => contracts.id),
    targetType: text('target_type', { enum: TARGET_TYPES }).notNull(),
    // SKU, family name, category path or brand; null when targetType is "all"
    target: text('target'),
    kind: text('kind', { enum: ['net_price', 'discount'] }).notNull(),
    amountMinor: integer('amount_minor'),
    discountBp: integer('discount_bp'),
    // what a discount is taken off: the list price, or the price the contract's other rules give
    // (a quantity tier on a net price); always 'list' for a net price
    appliesTo: text('applies_to', { enum: APPLIES_TO }).notNull().default('list'),
    // quantity tier: the rule applies from this quantity up
    minQuantity: integer('min_quantity').notNull().default(1),
    priority: integer('priority').notNull().default(0),
    validFrom: integer('valid_from'),
    validTo: integer('valid_to'),
    label: text('label'),
    // ERP-managed rules: the ERP's key of the price row and its version
    erpKey: text('erp_key'),
    erpVersion: integer('erp_version'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('price_rules_contract_idx').on(t.contractId, t.targetType, t.target),
    index('price_rules_target_idx').on(t.targetType, t.target),
    uniqueIndex('price_rules_erp_key_uq').on(t.erpKey),
  ],
);

export const assortmentRules = sqliteTable(
  'assortment_rules',
  {
    id: text('id').primaryKey(),
    // who the rule is for: one company (and its children), a customer group, or every company of a country
    scopeType: text('scope_type', { enum: ['company', 'group', 'region'] }).notNull(),
    companyId: text('company_id').references(() => companies.id),
    groupId: text('group_id').references(() => customerGroups.id),
    region: text('region'),
    effect: text('effect', { enum: ['include', 'exclude', 'not_orderable', 'lead_time'] }).notNull(),
    targetType: text('target_type', { enum: TARGET_TYPES }).notNull(),
    target: text('target'),
    leadTimeDays: integer('lead_time_days'),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('assortment_rules_company_idx').on(t.companyId),
    index('assortment_rules_group_idx').on(t.groupId),
    index('assortment_rules_region_idx').on(t.region),
  ],
);

/** Which price index a company reads: the fingerprint of its pricing inputs. */
export const companyPricing = sqliteTable(
  'company_pricing',
  {
    companyId: text('company_id')
      .primaryKey()
      .references(() => companies.id),
    fingerprint: text('fingerprint').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [index('company_pricing_fingerprint_idx').on(t.fingerprint)],
);

/** One row per fingerprint: its inputs and the state of its KV generations. */
export const priceIndexes = sqliteTable(
  'price_indexes',
  {
    fingerprint: text('fingerprint').primaryKey(),
    // PricingInputs as JSON: currency, price list, contract ids, assortment rule ids
    inputs: text('inputs').notNull(),
    // bumped by every change of inputs; a build compiles this generation
    requestedGeneration: integer('requested_generation').notNull().default(1),
    // the generation the KV pointer names, null before the first build
    currentGeneration: integer('current_generation'),
    buildingGeneration: integer('building_generation'),
    buildStartedAt: integer('build_started_at'),
    // the pointer exactly as written to KV, so a late writer can restore the newest one
    pointer: text('pointer'),
    builtAt: integer('built_at'),
    buildMs: integer('build_ms'),
    sizeBytes: integer('size_bytes'),
    productCount: integer('product_count'),
    partCount: integer('part_count'),
    // the next time a rule or contract window opens or closes: the index is stale from then on
    validUntil: integer('valid_until'),
    staleSince: integer('stale_since'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('price_indexes_valid_until_idx').on(t.validUntil)],
);
