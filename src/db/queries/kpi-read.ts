import { type SQL, sql } from 'drizzle-orm';
import type { DurationMetric } from '../../domain/kpi-buckets';
import type { DayRange } from '../../domain/kpi-periods';
import type { OrderChannel } from '../../domain/order-terms';
import type { Database } from '../client';

/** Whose KPIs: every company, a sales rep's accounts, or one company. */
export type KpiScope =
  | { kind: 'all' }
  | { kind: 'rep'; repId: string }
  | { kind: 'company'; companyId: string };

function scopeSql(scope: KpiScope, column = sql.raw('company_id')): SQL {
  if (scope.kind === 'all') return sql`1 = 1`;
  if (scope.kind === 'company') return sql`${column} = ${scope.companyId}`;
  return sql`${column} IN (SELECT id FROM companies WHERE sales_rep_user_id = ${scope.repId})`;
}

/** The two periods side by side: rows carry `cur` = 1 for the current period, 0 for the previous one. */
export interface Window {
  previous: DayRange;
  current: DayRange;
}

/**
 * Which pre-aggregated rows answer a window: month and quarter periods start and end on month bounds and
 * read the monthly rollups (`month` = `YYYY-MM`); weeks read the daily rows.
 */
export type KpiLevel = 'daily' | 'monthly';

interface LevelTables {
  key: SQL;
  from: string;
  to: string;
  currentFrom: string;
  orders: SQL;
  users: SQL;
  durations: SQL;
  quotes: SQL;
}

function levelOf(level: KpiLevel, w: Window): LevelTables {
  if (level === 'daily')
    return {
      key: sql.raw('day'),
      from: w.previous.from,
      to: w.current.to,
      currentFrom: w.current.from,
      orders: sql.raw('kpi_daily'),
      users: sql.raw('kpi_daily_users'),
      durations: sql.raw('kpi_daily_durations'),
      quotes: sql.raw('kpi_daily_quotes'),
    };
  return {
    key: sql.raw('month'),
    from: w.previous.from.slice(0, 7),
    to: w.current.to.slice(0, 7),
    currentFrom: w.current.from.slice(0, 7),
    orders: sql.raw('kpi_monthly'),
    users: sql.raw('kpi_monthly_users'),
    durations: sql.raw('kpi_monthly_durations'),
    quotes: sql.raw('kpi_monthly_quotes'),
  };
}

const inRange = (t: LevelTables, scope: KpiScope) =>
  sql`${t.key} >= ${t.from} AND ${t.key} <= ${t.to} AND ${scopeSql(scope)}`;
const isCurrentAt = (t: LevelTables) => sql`(${t.key} >= ${t.currentFrom})`;
// cart activity is a recorded fact, written as it happens: always read by day, so it is never behind
const inDays = (w: Window, scope: KpiScope) =>
  sql`day >= ${w.previous.from} AND day <= ${w.current.to} AND ${scopeSql(scope)}`;
const isCurrentDay = (w: Window) => sql`(day >= ${w.current.from})`;

export interface OrderSums {
  companyId: string;
  channel: OrderChannel;
  currency: string;
  cur: number;
  orders: number;
  valueMinor: number;
}

export interface CompanyCount {
  companyId: string;
  cur: number;
  n: number;
}

export interface OriginUse {
  companyId: string;
  origin: 'quick_order' | 'list' | 'reorder';
  cur: number;
}

export interface BucketCount {
  metric: DurationMetric;
  bucket: number;
  cur: number;
  n: number;
}

export interface QuoteSums {
  cur: number;
  decided: number;
  ordered: number;
}

/**
 * The sums a KPI answer needs, from the pre-aggregated rows only (never the orders): five grouped reads over
 * the two periods (monthly rollups for months and quarters, daily rows for weeks), each an index range (the
 * company's primary key prefix, or the period column for every company), summed and counted in SQL.
 */
export async function readKpiSums(db: Database, scope: KpiScope, w: Window, level: KpiLevel) {
  const t = levelOf(level, w);
  const [orders, users, origins, durations, quotes] = await Promise.all([
    db.all<OrderSums>(sql`
      SELECT company_id AS companyId, channel, currency, ${isCurrentAt(t)} AS cur,
        sum(orders) AS orders, sum(value_minor) AS valueMinor
      FROM ${t.orders} WHERE ${inRange(t, scope)} GROUP BY company_id, channel, currency, cur`),
    // people: placed an order, or added lines by quick order, from a list or by reordering
    db.all<CompanyCount>(sql`
      SELECT companyId, cur, count(DISTINCT userId) AS n FROM (
        SELECT company_id AS companyId, user_id AS userId, ${isCurrentAt(t)} AS cur
          FROM ${t.users} WHERE ${inRange(t, scope)}
        UNION ALL
        SELECT company_id, user_id, ${isCurrentDay(w)} FROM cart_activity WHERE ${inDays(w, scope)})
      GROUP BY companyId, cur`),
    db.all<OriginUse>(sql`
      SELECT DISTINCT company_id AS companyId, origin, ${isCurrentDay(w)} AS cur
      FROM cart_activity WHERE ${inDays(w, scope)}`),
    db.all<BucketCount>(sql`
      SELECT metric, bucket, ${isCurrentAt(t)} AS cur, sum(count) AS n
      FROM ${t.durations} WHERE ${inRange(t, scope)} GROUP BY metric, bucket, cur`),
    db.all<QuoteSums>(sql`
      SELECT ${isCurrentAt(t)} AS cur, sum(decided) AS decided, sum(ordered) AS ordered
      FROM ${t.quotes} WHERE ${inRange(t, scope)} GROUP BY cur`),
  ]);
  return { orders, users, origins, durations, quotes };
}

export type KpiSums = Awaited<ReturnType<typeof readKpiSums>>;

/** The companies of a scope, by name. */
export const scopeCompanies = (db: Database, scope: KpiScope) =>
  db.all<{ id: string; name: string }>(
    sql`SELECT id, name FROM companies WHERE ${scopeSql(scope, sql.raw('id'))} ORDER BY name, id`,
  );

/**
 * What the KPI rows are at: the recompute generation (moved in the same batch as any KPI row write) and the
 * newest cart activity row (rows are only ever inserted, so its rowid grows with every new one).
 */
export async function kpiDataVersion(db: Database): Promise<string> {
  const [row] = await db.all<{ g: number | null; a: number | null }>(sql`
    SELECT (SELECT up_to FROM kpi_watermarks WHERE source = 'generation') AS g,
      (SELECT max(rowid) FROM cart_activity) AS a`);
  return `${row?.g ?? 0}:${row?.a ?? 0}`;
}

/** A supplier user (sales rep or other staff), for `?repId=`. */
export async function isSupplierUser(db: Database, userId: string): Promise<boolean> {
  const rows = await db.all<{ id: string }>(
    sql`SELECT id FROM users WHERE id = ${userId} AND company_id IS NULL LIMIT 1`,
  );
  return rows.length > 0;
}

/** Whether the rep is the sales rep of the company. */
export async function isRepOf(db: Database, repId: string, companyId: string): Promise<boolean> {
  const rows = await db.all<{ id: string }>(
    sql`SELECT id FROM companies WHERE id = ${companyId} AND sales_rep_user_id = ${repId} LIMIT 1`,
  );
  return rows.length > 0;
}

export async function companyExists(db: Database, companyId: string): Promise<boolean> {
  const rows = await db.all<{ id: string }>(sql`SELECT id FROM companies WHERE id = ${companyId} LIMIT 1`);
  return rows.length > 0;
}
