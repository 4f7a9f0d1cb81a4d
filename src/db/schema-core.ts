import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are integer milliseconds since the epoch: comparable and range-filterable the same way on D1 and libSQL.
const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const companies = sqliteTable(
  'companies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    parentId: text('parent_id'),
    defaultCurrency: text('default_currency').notNull(),
    country: text('country').notNull(),
    salesRepUserId: text('sales_rep_user_id'),
    // overrides the default price list of the company's currency; inherited by child companies
    priceListId: text('price_list_id'),
    status: text('status', { enum: ['active', 'suspended'] })
      .notNull()
      .default('active'),
    // the ERP's customer number: orders are exported with it, ERP imports address the company by it
    erpCustomerNumber: text('erp_customer_number'),
    // the ERP's version of the record last applied (sequence number or epoch ms); older rows are skipped
    erpVersion: integer('erp_version'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('companies_erp_customer_uq').on(t.erpCustomerNumber),
    index('companies_parent_idx').on(t.parentId),
    index('companies_sales_rep_idx').on(t.salesRepUserId),
  ],
);

export const sites = sqliteTable(
  'sites',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    region: text('region'),
    country: text('country').notNull(),
    isDefaultShipTo: integer('is_default_ship_to', { mode: 'boolean' }).notNull().default(false),
    isBilling: integer('is_billing', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    // the ERP's id of the address, for addresses the ERP manages
    erpAddressId: text('erp_address_id'),
    erpVersion: integer('erp_version'),
    createdAt: createdAt(),
  },
  (t) => [
    index('sites_company_idx').on(t.companyId),
    uniqueIndex('sites_company_erp_uq').on(t.companyId, t.erpAddressId),
  ],
);

export const costCenters = sqliteTable(
  'cost_centers',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('cost_centers_company_code_uq').on(t.companyId, t.code)],
);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    // null for the supplier's own staff (sales reps, platform admins)
    companyId: text('company_id').references(() => companies.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    // per-user "order up to" amount in the company's currency, minor units; null = no personal limit
    orderLimitMinor: integer('order_limit_minor'),
    // per-user spending cap over a calendar period (day/week/month, company time), so an order limit cannot
    // be bypassed by splitting one order into several; both null = no period cap
    periodLimitMinor: integer('period_limit_minor'),
    periodLimitPeriod: text('period_limit_period', { enum: ['day', 'week', 'month'] }),
    createdAt: createdAt(),
    lastLoginAt: integer('last_login_at'),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email), index('users_company_idx').on(t.companyId)],
);

export const roles = sqliteTable(
  'roles',
  {
    id: text('id').primaryKey(),
    // null for built-in roles shared by every company and for supplier-side roles
    companyId: text('company_id').references(() => companies.id),
    key: text('key').notNull(),
    name: text('name').notNull(),
    builtIn: integer('built_in', { mode: 'boolean' }).notNull().default(false),
    audience: text('audience', { enum: ['customer', 'supplier'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('roles_company_idx').on(t.companyId),
    uniqueIndex('roles_company_key_uq').on(t.companyId, t.key),
  ],
);

export const rolePermissions = sqliteTable(
  'role_permissions',
  {
    roleId: text('role_id')
      .notNull()
      .references(() => roles.id),
    permission: text('permission').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.permission] })],
);

export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    roleId: text('role_id')
      .notNull()
      .references(() => roles.id),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    // null = a platform key (ERP integration for the whole supplier)
    companyId: text('company_id').references(() => companies.id),
    name: text('name').notNull(),
    // public, non-secret lookup part of the key
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
    lastUsedAt: integer('last_used_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_prefix_uq').on(t.prefix), index('api_keys_company_idx').on(t.companyId)],
);

export const categories = sqliteTable(
  'categories',
  {
    // slash-separated slug path, e.g. "fasteners/screws/wood-screws"
    path: text('path').primaryKey(),
    parentPath: text('parent_path'),
    name: text('name').notNull(),
    depth: integer('depth').notNull(),
  },
  (t) => [index('categories_parent_idx').on(t.parentPath)],
);

export const products = sqliteTable(
  'products',
  {
    sku: text('sku').primaryKey(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    family: text('family').notNull(),
    categoryPath: text('category_path').notNull(),
    brand: text('brand').notNull(),
    attributes: text('attributes', { mode: 'json' })
      .$type<Record<string, string | number | boolean>>()
      .notNull(),
    unitOfMeasure: text('unit_of_measure').notNull(),
    packSize: integer('pack_size').notNull().default(1),
    minOrderQty: integer('min_order_qty').notNull().default(1),
    orderMultiple: integer('order_multiple').notNull().default(1),
    status: text('status', { enum: ['active', 'obsolete'] })
      .notNull()
      .default('active'),
    replacementSku: text('replacement_sku'),
    unspsc: text('unspsc'),
    manufacturerPartNumber: text('manufacturer_part_number'),
    taxClass: text('tax_class').notNull().default('standard'),
    erpVersion: integer('erp_version'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('products_category_idx').on(t.categoryPath, t.sku),
    index('products_family_idx').on(t.family, t.sku),
    index('products_brand_idx').on(t.brand, t.sku),
    index('products_name_idx').on(t.name, t.sku),
  ],
);

export const stock = sqliteTable(
  'stock',
  {
    sku: text('sku')
      .notNull()
      .references(() => products.sku),
    warehouse: text('warehouse').notNull(),
    onHand: integer('on_hand').notNull(),
    // ISO date (YYYY-MM-DD) of the next inbound delivery, if one is known
    nextAvailabilityDate: text('next_availability_date'),
    erpVersion: integer('erp_version'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.sku, t.warehouse] })],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    actorId: text('actor_id').notNull(),
    actorKind: text('actor_kind', { enum: ['user', 'api_key', 'system', 'anonymous'] }).notNull(),
    // the user on whose behalf the actor acted (delegation); null when acting for oneself
    actingForId: text('acting_for_id'),
    companyId: text('company_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    summary: text('summary').notNull(),
    requestId: text('request_id').notNull(),
  },
  (t) => [
    index('audit_company_at_idx').on(t.companyId, t.at, t.id),
    index('audit_actor_idx').on(t.actorId, t.at),
    index('audit_target_idx').on(t.targetId, t.at),
  ],
);

export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: text('id').primaryKey(),
    queue: text('queue').notNull(),
    messageId: text('message_id').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [uniqueIndex('dead_letters_queue_message_uq').on(t.queue, t.messageId)],
);
