import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { EXPORT_STATES, FULFILMENT_STATUSES } from '../domain/erp-terms';
import {
  APPROVAL_POLICY_KINDS,
  BUDGET_PERIODS,
  DELIVERY_MODES,
  DELIVERY_STATUSES,
  ORDER_CHANNELS,
  ORDER_STATUSES,
} from '../domain/order-terms';
import { companies } from './schema-core';

/**
 * Orders (written by the company's Durable Object in one batch with their outbox row), approval policies,
 * budgets and notification settings. Money in minor units, times in epoch milliseconds.
 */
const createdAt = () => integer('created_at').notNull().default(sql`(unixepoch('subsec') * 1000)`);
const updatedAt = () => integer('updated_at').notNull();

export const orders = sqliteTable(
  'orders',
  {
    // deterministic: derived from the company and the checkout's Idempotency-Key, so a retry cannot make a second
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    placedBy: text('placed_by').notNull(),
    cartId: text('cart_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency').notNull(),
    subtotalMinor: integer('subtotal_minor').notNull(),
    // cart-level offers taken off the subtotal; total = subtotal − discount, the amount charged
    discountMinor: integer('discount_minor').notNull().default(0),
    totalMinor: integer('total_minor').notNull().default(0),
    offers: text('offers', { mode: 'json' })
      .$type<{ offerId: string; name: string; discountMinor: number; explanation: string }[]>()
      .notNull()
      .default(sql`'[]'`),
    lineCount: integer('line_count').notNull(),
    shipToSiteId: text('ship_to_site_id').notNull(),
    costCenterId: text('cost_center_id'),
    poNumber: text('po_number'),
    reference: text('reference'),
    deliveryMode: text('delivery_mode', { enum: DELIVERY_MODES }).notNull(),
    requestedDeliveryDate: text('requested_delivery_date'),
    instructions: text('instructions'),
    // the price index generation the order was priced from (null: priced from SQL)
    priceGeneration: integer('price_generation'),
    erpOrderNumber: text('erp_order_number'),
    // how the order was placed (docs/orders.md#channels); with the schedule, partner or quote behind it
    channel: text('channel', { enum: ORDER_CHANNELS }).notNull().default('web'),
    channelRef: text('channel_ref'),
    // when the cart's first line was added (epoch ms): the KPI "cart to order"; null without a shopper's cart
    cartStartedAt: integer('cart_started_at'),
    // the ERP export of the order itself (erp_exports keeps every attempt); null until placed
    exportState: text('export_state', { enum: EXPORT_STATES }),
    fulfilmentStatus: text('fulfilment_status', { enum: FULFILMENT_STATUSES }).notNull().default('open'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('orders_company_key_uq').on(t.companyId, t.idempotencyKey),
    index('orders_company_created_idx').on(t.companyId, t.createdAt, t.id),
    index('orders_company_status_idx').on(t.companyId, t.status, t.createdAt),
    // covers the rep workspace's revenue windows per company (docs/rep-workspace.md): index-only sums
    index('orders_company_status_total_idx').on(t.companyId, t.status, t.createdAt, t.totalMinor),
    index('orders_export_state_idx').on(t.exportState, t.updatedAt),
    // the KPI recompute's watermark scan (orders changed since its last run)
    index('orders_updated_idx').on(t.updatedAt),
  ],
);

export const orderLines = sqliteTable(
  'order_lines',
  {
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    sku: text('sku').notNull(),
    quantity: integer('quantity').notNull(),
    unitMinor: integer('unit_minor').notNull(),
    listMinor: integer('list_minor'),
    lineTotalMinor: integer('line_total_minor').notNull(),
    ruleId: text('rule_id'),
    ruleIds: text('rule_ids', { mode: 'json' }).$type<string[]>().notNull(),
    tierMinQuantity: integer('tier_min_quantity').notNull(),
    // the buyer's line note ("pour le chantier Dupont"), kept from the cart line
    note: text('note'),
    // what the ERP confirmed (acknowledged event): quantity, substitute and expected date
    confirmedQuantity: integer('confirmed_quantity'),
    substituteSku: text('substitute_sku'),
    expectedDate: text('expected_date'),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })],
);

/** Status history and approval decisions of an order; `actingForId` when a delegate acted. */
export const orderEvents = sqliteTable(
  'order_events',
  {
    id: text('id').primaryKey(),
    orderId: text('order_id')
      .notNull()
      .references(() => orders.id),
    companyId: text('company_id').notNull(),
    at: integer('at').notNull(),
    type: text('type').notNull(),
    actorId: text('actor_id').notNull(),
    actingForId: text('acting_for_id'),
    note: text('note'),
  },
  (t) => [index('order_events_order_idx').on(t.orderId, t.at)],
);

/** Written in the same batch as the change it announces; a relay sends it on (ERP export, notifications). */
export const outbox = sqliteTable(
  'outbox',
  {
    id: text('id').primaryKey(),
    topic: text('topic').notNull(),
    companyId: text('company_id').notNull(),
    aggregateId: text('aggregate_id').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: integer('created_at').notNull(),
    dispatchedAt: integer('dispatched_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (t) => [index('outbox_pending_idx').on(t.dispatchedAt, t.createdAt)],
);

/**
 * A company's approval rules, standard shapes (docs/approvals.md). `steps` lists who approves, in order:
 * `[{ role?: string, userIds?: string[], required: number }]`.
 */
export const approvalPolicies = sqliteTable(
  'approval_policies',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: APPROVAL_POLICY_KINDS }).notNull(),
    thresholdMinor: integer('threshold_minor'),
    secondThresholdMinor: integer('second_threshold_minor'),
    costCenterId: text('cost_center_id'),
    categories: text('categories', { mode: 'json' }).$type<string[]>(),
    steps: text('steps', { mode: 'json' })
      .$type<{ role?: string; userIds?: string[]; required: number }[]>()
      .notNull(),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('approval_policies_company_idx').on(t.companyId, t.status)],
);

export const budgets = sqliteTable(
  'budgets',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    costCenterId: text('cost_center_id').notNull(),
    period: text('period', { enum: BUDGET_PERIODS }).notNull(),
    amountMinor: integer('amount_minor').notNull(),
    currency: text('currency').notNull(),
    // what an order that would exceed the budget does: wait for finance, or be refused
    onExceed: text('on_exceed', { enum: ['finance_approval', 'refuse'] })
      .notNull()
      .default('finance_approval'),
    status: text('status', { enum: ['active', 'archived'] })
      .notNull()
      .default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('budgets_company_cc_period_uq').on(t.companyId, t.costCenterId, t.period)],
);

/** Per-company settings that are not part of the company's identity: notification webhook. */
export const companySettings = sqliteTable('company_settings', {
  companyId: text('company_id')
    .primaryKey()
    .references(() => companies.id),
  webhookUrl: text('webhook_url'),
  // HMAC-SHA256 key for the X-Signature header of webhook deliveries
  webhookSecret: text('webhook_secret'),
  // when checkout insists on a cost center: 'when_budgeted' (any active budget exists), 'always' or 'never'
  costCenterRequired: text('cost_center_required', { enum: ['when_budgeted', 'always', 'never'] })
    .notNull()
    .default('when_budgeted'),
  // what the company's sales rep may do for it (docs/rep-workspace.md): place orders on a buyer's behalf
  // (otherwise a rep prepares carts the buyer reviews and orders), and read the company's carts
  repMayPlaceOrders: integer('rep_may_place_orders', { mode: 'boolean' }).notNull().default(false),
  repSeesCarts: integer('rep_sees_carts', { mode: 'boolean' }).notNull().default(false),
  updatedAt: updatedAt(),
});

export const notificationDeliveries = sqliteTable(
  'notification_deliveries',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    // the event's own id: one delivery record per event, however often the message is redelivered
    eventId: text('event_id').notNull(),
    event: text('event').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    lastAttemptAt: integer('last_attempt_at'),
    deliveredAt: integer('delivered_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_event_uq').on(t.companyId, t.eventId),
    index('notification_deliveries_company_idx').on(t.companyId, t.createdAt),
  ],
);
