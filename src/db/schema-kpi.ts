import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DURATION_METRICS } from '../domain/kpi-buckets';
import { ORDER_CHANNELS } from '../domain/order-terms';

/**
 * KPIs (docs/kpis.md). `cart_activity` is a recorded fact, written when it happens; the `kpi_daily*` tables
 * are derived: the cron RECOMPUTES a company's day from the orders and quotes whenever one of them changed
 * (delete and insert in one batch, never incremented), so a replayed run writes the same rows. Days are
 * UTC `YYYY-MM-DD`.
 */

/** Lines added to a cart by quick order, from a list, or by reordering: who, which day, which way. */
export const cartActivity = sqliteTable(
  'cart_activity',
  {
    companyId: text('company_id').notNull(),
    day: text('day').notNull(),
    userId: text('user_id').notNull(),
    origin: text('origin', { enum: ['quick_order', 'list', 'reorder'] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.day, t.userId, t.origin] }),
    index('cart_activity_day_idx').on(t.day),
  ],
);

/** Orders of a company's day by channel and currency (cancelled and rejected orders left out). */
export const kpiDaily = sqliteTable(
  'kpi_daily',
  {
    companyId: text('company_id').notNull(),
    day: text('day').notNull(),
    channel: text('channel', { enum: ORDER_CHANNELS }).notNull(),
    currency: text('currency').notNull(),
    orders: integer('orders').notNull(),
    valueMinor: integer('value_minor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.day, t.channel, t.currency] }),
    index('kpi_daily_day_idx').on(t.day),
  ],
);

/** The people who placed the company's orders that day (distinct counts over a period need the ids). */
export const kpiDailyUsers = sqliteTable(
  'kpi_daily_users',
  {
    companyId: text('company_id').notNull(),
    day: text('day').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.day, t.userId] }),
    index('kpi_daily_users_day_idx').on(t.day),
  ],
);

/** Durations of the company's day in fixed buckets (src/domain/kpi-buckets.ts): percentiles do not add up. */
export const kpiDailyDurations = sqliteTable(
  'kpi_daily_durations',
  {
    companyId: text('company_id').notNull(),
    day: text('day').notNull(),
    metric: text('metric', { enum: DURATION_METRICS }).notNull(),
    bucket: integer('bucket').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.day, t.metric, t.bucket] }),
    index('kpi_daily_durations_day_idx').on(t.day),
  ],
);

/** Quotes decided on the company's day, and how many of those were ordered. */
export const kpiDailyQuotes = sqliteTable(
  'kpi_daily_quotes',
  {
    companyId: text('company_id').notNull(),
    day: text('day').notNull(),
    decided: integer('decided').notNull(),
    ordered: integer('ordered').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day] }), index('kpi_daily_quotes_day_idx').on(t.day)],
);

/**
 * Monthly rollups (`month` is `YYYY-MM`, UTC) of the daily rows above, read for month and quarter periods:
 * the cron rebuilds a company's month from its daily rows whenever one of its days was recomputed (delete
 * and insert, never incremented). Bucket counts add up across days; distinct people do not, so the month
 * keeps its own set of the people who placed orders in it.
 */
export const kpiMonthly = sqliteTable(
  'kpi_monthly',
  {
    companyId: text('company_id').notNull(),
    month: text('month').notNull(),
    channel: text('channel', { enum: ORDER_CHANNELS }).notNull(),
    currency: text('currency').notNull(),
    orders: integer('orders').notNull(),
    valueMinor: integer('value_minor').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.month, t.channel, t.currency] }),
    index('kpi_monthly_month_idx').on(t.month),
  ],
);

export const kpiMonthlyUsers = sqliteTable(
  'kpi_monthly_users',
  {
    companyId: text('company_id').notNull(),
    month: text('month').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.month, t.userId] }),
    index('kpi_monthly_users_month_idx').on(t.month),
  ],
);

export const kpiMonthlyDurations = sqliteTable(
  'kpi_monthly_durations',
  {
    companyId: text('company_id').notNull(),
    month: text('month').notNull(),
    metric: text('metric', { enum: DURATION_METRICS }).notNull(),
    bucket: integer('bucket').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.companyId, t.month, t.metric, t.bucket] }),
    index('kpi_monthly_durations_month_idx').on(t.month),
  ],
);

export const kpiMonthlyQuotes = sqliteTable(
  'kpi_monthly_quotes',
  {
    companyId: text('company_id').notNull(),
    month: text('month').notNull(),
    decided: integer('decided').notNull(),
    ordered: integer('ordered').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.month] }), index('kpi_monthly_quotes_month_idx').on(t.month)],
);

/**
 * How far the recompute has read the orders' and quotes' `updated_at` (epoch ms); `generation` counts the
 * recompute batches that wrote KPI rows (bumped in the same batch), so a cached answer can tell it is current.
 */
export const kpiWatermarks = sqliteTable('kpi_watermarks', {
  source: text('source', { enum: ['orders', 'quotes', 'generation'] }).primaryKey(),
  upTo: integer('up_to').notNull(),
});
