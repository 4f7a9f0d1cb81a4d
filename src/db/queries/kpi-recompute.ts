import { eq, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { MINUTE_BOUNDS } from '../../domain/kpi-buckets';
import { dayBounds } from '../../domain/kpi-periods';
import type { Database } from '../client';
import {
  kpiDaily,
  kpiDailyDurations,
  kpiDailyQuotes,
  kpiDailyUsers,
  kpiMonthly,
  kpiMonthlyDurations,
  kpiMonthlyQuotes,
  kpiMonthlyUsers,
  kpiWatermarks,
} from '../schema-kpi';

/** A company's UTC day whose KPI rows are recomputed. */
export interface CompanyDay {
  companyId: string;
  day: string;
}

type Source = 'orders' | 'quotes' | 'generation';

/** A company's UTC month (`YYYY-MM`) whose monthly rollup rows are rebuilt from its daily rows. */
export interface CompanyMonth {
  companyId: string;
  month: string;
}

export async function watermarkOf(db: Database, source: Source): Promise<number> {
  const [row] = await db.select().from(kpiWatermarks).where(eq(kpiWatermarks.source, source));
  return row?.upTo ?? 0;
}

export const setWatermark = (db: Database, source: Source, upTo: number) =>
  db
    .insert(kpiWatermarks)
    .values({ source, upTo })
    .onConflictDoUpdate({ target: kpiWatermarks.source, set: { upTo } });

const DAY_SQL = (column: SQL) => sql`strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`;

/** The company-days of orders changed in (since, until]: the day each was created (orders_updated_idx). */
export async function changedOrderDays(db: Database, since: number, until: number): Promise<CompanyDay[]> {
  return db.all<CompanyDay>(sql`
    SELECT DISTINCT company_id AS companyId, ${DAY_SQL(sql`created_at`)} AS day
    FROM orders WHERE updated_at > ${since} AND updated_at <= ${until}`);
}

/** The company-days of quotes changed in (since, until]: the days they were first quoted and decided. */
export async function changedQuoteDays(db: Database, since: number, until: number): Promise<CompanyDay[]> {
  return db.all<CompanyDay>(sql`
    SELECT company_id AS companyId, ${DAY_SQL(sql`first_quoted_at`)} AS day FROM quotes
      WHERE updated_at > ${since} AND updated_at <= ${until} AND first_quoted_at IS NOT NULL
    UNION
    SELECT company_id, ${DAY_SQL(sql`decided_at`)} FROM quotes
      WHERE updated_at > ${since} AND updated_at <= ${until} AND decided_at IS NOT NULL`);
}

/** The bucket of a duration in SQL, from the same bounds as `bucketOf` (numbers only: nothing bound). */
function bucketSql(durationMs: string): SQL {
  const cases = MINUTE_BOUNDS.map((bound, b) => `WHEN ${durationMs} <= ${bound * 60_000} THEN ${b}`);
  return sql.raw(`CASE ${cases.join(' ')} ELSE ${MINUTE_BOUNDS.length} END`);
}

/** The company-days as one JSON parameter, with each day's instants: [start, end). */
function keysOf(days: readonly CompanyDay[]): SQL {
  const rows = days.map((k) => ({ c: k.companyId, d: k.day, ...dayBounds(k.day) }));
  return sql`(SELECT json_extract(value, '$.c') AS c, json_extract(value, '$.d') AS d,
    json_extract(value, '$.start') AS s, json_extract(value, '$.end') AS e
    FROM json_each(${JSON.stringify(rows)}))`;
}

const inKeys = (days: readonly CompanyDay[]) => sql`(company_id, day) IN (SELECT c, d FROM ${keysOf(days)})`;

// orders that count: cancelled and rejected ones never became orders
const COUNTED = sql.raw(`o.status IN ('placed', 'pending_approval')`);

/**
 * The statements that recompute the order KPIs of these company-days from the orders and their events, for
 * ONE batch: each table's rows of those days are deleted and written again, so running it twice writes the
 * same rows and an order cancelled or added late is reflected.
 */
export function orderDayStatements(db: Database, days: readonly CompanyDay[]): BatchItem<'sqlite'>[] {
  const ordersOf = sql`${keysOf(days)} k JOIN orders o ON o.company_id = k.c AND o.created_at >= k.s AND o.created_at < k.e`;
  return [
    db.delete(kpiDaily).where(inKeys(days)),
    db.insert(kpiDaily).select(sql`
      SELECT k.c, k.d, o.channel, o.currency, count(*), sum(o.total_minor) FROM ${ordersOf}
      WHERE ${COUNTED} GROUP BY k.c, k.d, o.channel, o.currency`),
    db.delete(kpiDailyUsers).where(inKeys(days)),
    // people placing orders: not a schedule, not a rep entering it for them, not an API key
    db.insert(kpiDailyUsers).select(sql`
      SELECT DISTINCT k.c, k.d, o.placed_by FROM ${ordersOf}
      WHERE o.placed_by LIKE 'usr!_%' ESCAPE '!' AND o.channel NOT IN ('recurring', 'rep_entered')`),
    db.delete(kpiDailyDurations).where(sql`${inKeys(days)} AND metric IN ('cart_to_order', 'approval_lead')`),
    db.insert(kpiDailyDurations).select(sql`
      SELECT c, d, 'cart_to_order', ${bucketSql('x.ms')}, count(*) FROM (
        SELECT k.c AS c, k.d AS d, o.created_at - o.cart_started_at AS ms FROM ${ordersOf}
        WHERE ${COUNTED} AND o.cart_started_at IS NOT NULL) x
      GROUP BY c, d, ${bucketSql('x.ms')}`),
    // orders that waited for approval (their first event), from that event to the first decision
    db.insert(kpiDailyDurations).select(sql`
      SELECT c, d, 'approval_lead', ${bucketSql('x.ms')}, count(*) FROM (
        SELECT k.c AS c, k.d AS d, (SELECT min(e.at) FROM order_events e
          WHERE e.order_id = o.id AND e.type IN ('placed', 'rejected')) - p.at AS ms
        FROM ${ordersOf} JOIN order_events p ON p.order_id = o.id AND p.type = 'pending_approval') x
      WHERE x.ms IS NOT NULL GROUP BY c, d, ${bucketSql('x.ms')}`),
  ];
}

/** The same for quotes: decided on the day (and of those, ordered), and turnarounds first quoted on it. */
export function quoteDayStatements(db: Database, days: readonly CompanyDay[]): BatchItem<'sqlite'>[] {
  return [
    db.delete(kpiDailyQuotes).where(inKeys(days)),
    db.insert(kpiDailyQuotes).select(sql`
      SELECT k.c, k.d, count(*), sum(q.state = 'ordered') FROM ${keysOf(days)} k
      JOIN quotes q ON q.company_id = k.c AND q.decided_at >= k.s AND q.decided_at < k.e
      GROUP BY k.c, k.d`),
    db.delete(kpiDailyDurations).where(sql`${inKeys(days)} AND metric = 'quote_turnaround'`),
    db.insert(kpiDailyDurations).select(sql`
      SELECT c, d, 'quote_turnaround', ${bucketSql('x.ms')}, count(*) FROM (
        SELECT k.c AS c, k.d AS d, q.first_quoted_at - q.requested_at AS ms FROM ${keysOf(days)} k
        JOIN quotes q ON q.company_id = k.c AND q.first_quoted_at >= k.s AND q.first_quoted_at < k.e) x
      GROUP BY c, d, ${bucketSql('x.ms')}`),
  ];
}

/**
 * Bumps the KPI data generation; put in every batch that writes KPI rows, so the generation moves exactly
 * when (and in the same commit as) the rows do.
 */
export const bumpGeneration = (db: Database) =>
  db
    .insert(kpiWatermarks)
    .values({ source: 'generation', upTo: 1 })
    .onConflictDoUpdate({ target: kpiWatermarks.source, set: { upTo: sql`${kpiWatermarks.upTo} + 1` } });

/** Whether any batch has written KPI rows since the monthly rollups exist (the generation is set). */
export async function hasGeneration(db: Database): Promise<boolean> {
  return (await watermarkOf(db, 'generation')) > 0;
}

/** Every company-month that has daily rows: the monthly rollups' one-time backfill. */
export async function monthsWithDailyRows(db: Database): Promise<CompanyMonth[]> {
  return db.all<CompanyMonth>(sql`
    SELECT company_id AS companyId, substr(day, 1, 7) AS month FROM kpi_daily
    UNION SELECT company_id, substr(day, 1, 7) FROM kpi_daily_users
    UNION SELECT company_id, substr(day, 1, 7) FROM kpi_daily_durations
    UNION SELECT company_id, substr(day, 1, 7) FROM kpi_daily_quotes`);
}

/** The company-months as one JSON parameter, with each month's first and last possible day. */
function monthKeysOf(months: readonly CompanyMonth[]): SQL {
  const rows = months.map((k) => ({ c: k.companyId, m: k.month }));
  return sql`(SELECT json_extract(value, '$.c') AS c, json_extract(value, '$.m') AS m,
    json_extract(value, '$.m') || '-01' AS f, json_extract(value, '$.m') || '-31' AS t
    FROM json_each(${JSON.stringify(rows)}))`;
}

const inMonthKeys = (months: readonly CompanyMonth[]) =>
  sql`(company_id, month) IN (SELECT c, m FROM ${monthKeysOf(months)})`;

/** The daily rows of a table over the company-months, each read by the primary key's (company, day) range. */
const dailyOf = (months: readonly CompanyMonth[], table: string) =>
  sql`${monthKeysOf(months)} k JOIN ${sql.raw(table)} d ON d.company_id = k.c AND d.day >= k.f AND d.day <= k.t`;

/**
 * The statements that rebuild the monthly rollups of these company-months from their daily rows (after the
 * days were recomputed): deleted and summed again, so a late change in a past day changes its month.
 */
export function monthStatements(db: Database, months: readonly CompanyMonth[]): BatchItem<'sqlite'>[] {
  return [
    db.delete(kpiMonthly).where(inMonthKeys(months)),
    db.insert(kpiMonthly).select(sql`
      SELECT k.c, k.m, d.channel, d.currency, sum(d.orders), sum(d.value_minor) FROM ${dailyOf(months, 'kpi_daily')}
      GROUP BY k.c, k.m, d.channel, d.currency`),
    db.delete(kpiMonthlyUsers).where(inMonthKeys(months)),
    db.insert(kpiMonthlyUsers).select(sql`
      SELECT DISTINCT k.c, k.m, d.user_id FROM ${dailyOf(months, 'kpi_daily_users')}`),
    db.delete(kpiMonthlyDurations).where(inMonthKeys(months)),
    db.insert(kpiMonthlyDurations).select(sql`
      SELECT k.c, k.m, d.metric, d.bucket, sum(d.count) FROM ${dailyOf(months, 'kpi_daily_durations')}
      GROUP BY k.c, k.m, d.metric, d.bucket`),
    db.delete(kpiMonthlyQuotes).where(inMonthKeys(months)),
    db.insert(kpiMonthlyQuotes).select(sql`
      SELECT k.c, k.m, sum(d.decided), sum(d.ordered) FROM ${dailyOf(months, 'kpi_daily_quotes')}
      GROUP BY k.c, k.m`),
    bumpGeneration(db),
  ];
}
