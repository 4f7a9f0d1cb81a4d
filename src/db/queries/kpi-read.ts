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

const inWindow = (w: Window, scope: KpiScope) =>
  sql`day >= ${w.previous.from} AND day <= ${w.current.to} AND ${scopeSql(scope)}`;
const isCurrent = (w: Window) => sql`(day >= ${w.current.from})`;

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
 * Everything a KPI answer needs, from the daily rows only (never the orders): five grouped reads over the
 * two periods' days, each an index range (the company's primary key prefix, or `day` for every company).
 */
export async function readKpiRows(db: Database, scope: KpiScope, w: Window) {
  const [orders, users, origins, durations, quotes, companies] = await Promise.all([
    db.all<OrderSums>(sql`
      SELECT company_id AS companyId, channel, currency, ${isCurrent(w)} AS cur,
        sum(orders) AS orders, sum(value_minor) AS valueMinor
      FROM kpi_daily WHERE ${inWindow(w, scope)} GROUP BY company_id, channel, currency, cur`),
    // people: placed an order, or added lines by quick order, from a list or by reordering
    db.all<CompanyCount>(sql`
      SELECT companyId, cur, count(DISTINCT userId) AS n FROM (
        SELECT company_id AS companyId, user_id AS userId, ${isCurrent(w)} AS cur
          FROM kpi_daily_users WHERE ${inWindow(w, scope)}
        UNION ALL
        SELECT company_id, user_id, ${isCurrent(w)} FROM cart_activity WHERE ${inWindow(w, scope)})
      GROUP BY companyId, cur`),
    db.all<OriginUse>(sql`
      SELECT DISTINCT company_id AS companyId, origin, ${isCurrent(w)} AS cur
      FROM cart_activity WHERE ${inWindow(w, scope)}`),
    db.all<BucketCount>(sql`
      SELECT metric, bucket, ${isCurrent(w)} AS cur, sum(count) AS n
      FROM kpi_daily_durations WHERE ${inWindow(w, scope)} GROUP BY metric, bucket, cur`),
    db.all<QuoteSums>(sql`
      SELECT ${isCurrent(w)} AS cur, sum(decided) AS decided, sum(ordered) AS ordered
      FROM kpi_daily_quotes WHERE ${inWindow(w, scope)} GROUP BY cur`),
    db.all<{ id: string; name: string }>(sql`
      SELECT id, name FROM companies WHERE ${scopeSql(scope, sql.raw('id'))} ORDER BY name, id`),
  ]);
  return { orders, users, origins, durations, quotes, companies };
}

export type KpiRows = Awaited<ReturnType<typeof readKpiRows>>;

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
