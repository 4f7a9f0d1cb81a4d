import { eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { companies } from '../schema-core';
import { companyCartStats } from '../schema-rep';

const DAY_MS = 86_400_000;
/** How many of a company's latest orders its ordering cadence is measured on (so up to 10 gaps). */
export const CADENCE_ORDERS = 11;

export interface AccountFigures {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  currency: string;
  repUserId: string | null;
  /** the latest placed orders' times, newest first (JSON array), at most CADENCE_ORDERS */
  recentOrders: string;
  /** JSON [orders waiting for approval, the latest one's time or null] */
  pending: string;
  /** JSON [last 30 days, the 30 days before, last 90 days] of placed orders' totals */
  revenue: string;
  quotesWaiting: number;
  failedExports: number;
  recurringProblems: number;
  openCarts: number | null;
  openValueMinor: number | null;
  oldestCartAt: number | null;
  cartStatsAt: number | null;
}

/**
 * Every figure of the rep's workspace for the companies a viewer sees, in one statement: per company,
 * correlated subqueries that each seek an index on (company_id, …), never a scan of all orders.
 * - the latest placed orders are the last CADENCE_ORDERS entries of `orders_company_status_total_idx`;
 *   orders waiting for approval (count, latest) one seek of the same index;
 * - the revenue windows are one pass over `orders_company_status_total_idx` (company, status, created_at,
 *   total), the index alone;
 * - failed exports read `erp_exports_state_idx` (`+company_id` keeps SQLite off the company index, whose
 *   range holds every export the company ever had);
 * - recurring problems go through the company's schedules, then each schedule's recent occurrences;
 * - open carts come from `company_cart_stats`, the summary each company's object keeps.
 */
export function accountFigures(
  db: Database,
  viewer: { repUserId: string | null },
  now: number,
): Promise<AccountFigures[]> {
  const t30 = now - 30 * DAY_MS;
  const t60 = now - 60 * DAY_MS;
  const t90 = now - 90 * DAY_MS;
  const id = companies.id;
  return db
    .select({
      id,
      name: companies.name,
      status: companies.status,
      currency: companies.defaultCurrency,
      repUserId: companies.salesRepUserId,
      // placed orders only: the covering index answers it in CADENCE_ORDERS entries, no table row, no sort
      recentOrders: sql<string>`(SELECT json_group_array(r.created_at) FROM (SELECT o.created_at
        FROM orders o WHERE o.company_id = ${id} AND o.status = 'placed'
        ORDER BY o.created_at DESC LIMIT ${CADENCE_ORDERS}) r)`,
      // one pass over the 90-day range: [last 30 days, the 30 before, all 90]
      revenue: sql<string>`(SELECT json_array(
          coalesce(sum(CASE WHEN o.created_at >= ${t30} THEN o.total_minor END), 0),
          coalesce(sum(CASE WHEN o.created_at >= ${t60} AND o.created_at < ${t30} THEN o.total_minor END), 0),
          coalesce(sum(o.total_minor), 0))
        FROM orders o WHERE o.company_id = ${id} AND o.status = 'placed' AND o.created_at >= ${t90})`,
      // [count, latest]: an order waiting for approval is the company's latest order when it is the newest
      pending: sql<string>`(SELECT json_array(count(*), max(o.created_at)) FROM orders o
        WHERE o.company_id = ${id} AND o.status = 'pending_approval')`,
      quotesWaiting: sql<number>`(SELECT count(*) FROM quotes q
        WHERE q.company_id = ${id} AND q.state IN ('requested', 'countered'))`,
      failedExports: sql<number>`(SELECT count(*) FROM erp_exports e
        WHERE e.state = 'failed' AND +e.company_id = ${id})`,
      recurringProblems: sql<number>`(SELECT count(DISTINCT s.id) FROM recurring_orders s
        JOIN recurring_occurrences x ON x.schedule_id = s.id AND x.scheduled_at >= ${t30}
        WHERE s.company_id = ${id} AND x.status = 'failed')`,
      openCarts: companyCartStats.openCarts,
      openValueMinor: companyCartStats.openValueMinor,
      oldestCartAt: companyCartStats.oldestCartAt,
      cartStatsAt: companyCartStats.updatedAt,
    })
    .from(companies)
    .leftJoin(companyCartStats, eq(companyCartStats.companyId, id))
    .where(viewer.repUserId === null ? undefined : eq(companies.salesRepUserId, viewer.repUserId));
}
