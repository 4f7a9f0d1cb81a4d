import { and, asc, desc, eq, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { spendPeriodBounds } from '../../domain/approvals';
import { costCenterRequirement } from '../../domain/checkout';
import type { Database } from '../client';
import {
  approvalPolicies,
  budgets,
  costCenters,
  orderEvents,
  orderLines,
  orders,
  rolePermissions,
  roles,
  sites,
  userRoles,
  users,
} from '../schema';
import { costCenterRuleQueries } from './budget-settings';
import { type BatchRows, inChunks } from './bulk';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;

/**
 * The company's checkout configuration, as named queries for a `batchRead`: active addresses and cost
 * centers, the cost-center rule with the number of active budgets, the active approval policies (in
 * evaluation order) and every active budget (narrowed to the order's cost center in code, since that is
 * only known once the defaults are resolved). No query waits for another's answer.
 */
export function companyConfigQueries(db: Database, companyId: string) {
  const [rule, activeBudgets] = costCenterRuleQueries(db, companyId);
  return {
    sites: db
      .select({ id: sites.id, isDefaultShipTo: sites.isDefaultShipTo })
      .from(sites)
      .where(and(eq(sites.companyId, companyId), eq(sites.status, 'active'))),
    centers: db
      .select({ id: costCenters.id })
      .from(costCenters)
      .where(and(eq(costCenters.companyId, companyId), eq(costCenters.status, 'active'))),
    rule,
    activeBudgets,
    policies: db
      .select()
      .from(approvalPolicies)
      .where(and(eq(approvalPolicies.companyId, companyId), eq(approvalPolicies.status, 'active')))
      .orderBy(asc(approvalPolicies.createdAt), asc(approvalPolicies.id)),
    budgets: db
      .select()
      .from(budgets)
      .where(and(eq(budgets.companyId, companyId), eq(budgets.status, 'active'))),
  };
}

export function companyConfigFrom(rows: BatchRows<ReturnType<typeof companyConfigQueries>>) {
  return {
    siteIds: new Set(rows.sites.map((s) => s.id)),
    defaultShipTo: rows.sites.find((s) => s.isDefaultShipTo)?.id ?? null,
    costCenterIds: new Set(rows.centers.map((c) => c.id)),
    costCenterRequired: costCenterRequirement(
      rows.rule[0]?.rule ?? 'when_budgeted',
      rows.activeBudgets[0]?.n ?? 0,
    ),
    policies: rows.policies,
    /** every active budget of the company */
    budgets: rows.budgets,
  };
}

export type CompanyConfig = ReturnType<typeof companyConfigFrom>;

/**
 * What checkout needs of the user, as named queries for a `batchRead`: their limits, their last order in
 * the company, and the orders counting against their spending cap in its period at `now` (the period is
 * chosen in SQL from the user's row, so nothing waits for the limits to be read first).
 */
export function userFactQueries(db: Database, companyId: string, userId: string, now: number) {
  const mine = and(eq(orders.companyId, companyId), eq(orders.placedBy, userId));
  return {
    user: db
      .select({
        orderLimitMinor: users.orderLimitMinor,
        periodLimitMinor: users.periodLimitMinor,
        periodLimitPeriod: users.periodLimitPeriod,
      })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1),
    last: db
      .select({
        shipToSiteId: orders.shipToSiteId,
        costCenterId: orders.costCenterId,
        createdAt: orders.createdAt,
      })
      .from(orders)
      .where(mine)
      .orderBy(desc(orders.createdAt))
      .limit(1),
    capOrders: db
      .select({ id: orders.id, totalMinor: orders.totalMinor })
      .from(orders)
      .where(
        and(
          mine,
          inArray(orders.status, ['placed', 'pending_approval']),
          gte(orders.createdAt, capBound(userId, now, 'start')),
          lt(orders.createdAt, capBound(userId, now, 'end')),
        ),
      ),
  };
}

/** One edge of the user's spending-cap period at `now`, chosen in SQL by the user's period (no rows without one). */
function capBound(userId: string, now: number, edge: 'start' | 'end') {
  const [day, week, month] = (['day', 'week', 'month'] as const).map((p) => spendPeriodBounds(p, now)[edge]);
  return sql`CASE (SELECT ${users.periodLimitPeriod} FROM ${users} WHERE ${users.id} = ${userId}) WHEN 'day' THEN ${day} WHEN 'week' THEN ${week} WHEN 'month' THEN ${month} END`;
}

export function userFactsFrom(rows: BatchRows<ReturnType<typeof userFactQueries>>, now: number) {
  const last = rows.last[0];
  const periodLimit = periodLimitOf(rows.user[0]);
  return {
    orderLimitMinor: rows.user[0]?.orderLimitMinor ?? null,
    periodLimit,
    /** the user's newest order in the company (any status): the defaults of the next one */
    last: last ? { shipToSiteId: last.shipToSiteId, costCenterId: last.costCenterId } : null,
    lastAt: last?.createdAt ?? null,
    /** the orders SQL counts against the cap, in the period `capBounds` (null without a cap) */
    capOrders: rows.capOrders,
    capBounds: periodLimit ? spendPeriodBounds(periodLimit.period, now) : null,
  };
}

export type UserFacts = ReturnType<typeof userFactsFrom>;

/** The user's spending cap over a period; both columns set, or no cap. */
function periodLimitOf(
  row: { periodLimitMinor: number | null; periodLimitPeriod: 'day' | 'week' | 'month' | null } | undefined,
) {
  return row?.periodLimitMinor != null && row.periodLimitPeriod
    ? { limitMinor: row.periodLimitMinor, period: row.periodLimitPeriod }
    : null;
}

export async function getOrder(db: Database, companyId: string, id: string) {
  const [orderRows, lineRows, eventRows] = await db.batch([
    db
      .select()
      .from(orders)
      .where(and(eq(orders.id, id), eq(orders.companyId, companyId)))
      .limit(1),
    db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.lineNo)),
    db
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, id), eq(orderEvents.companyId, companyId)))
      .orderBy(asc(orderEvents.at), asc(orderEvents.id)),
  ]);
  const order = orderRows[0];
  return order ? { order, lines: lineRows, events: eventRows } : undefined;
}

export interface OrderFilter {
  companyId: string;
  placedBy?: string;
  status?: OrderRow['status'];
  from?: number;
  to?: number;
  /** keyset: strictly older than (createdAt, id) */
  before?: { at: number; id: string };
  limit: number;
}

export function listOrders(db: Database, f: OrderFilter) {
  const conditions: (SQL | undefined)[] = [
    eq(orders.companyId, f.companyId),
    f.placedBy ? eq(orders.placedBy, f.placedBy) : undefined,
    f.status ? eq(orders.status, f.status) : undefined,
    f.from !== undefined ? gte(orders.createdAt, f.from) : undefined,
    f.to !== undefined ? lt(orders.createdAt, f.to) : undefined,
    f.before
      ? or(
          lt(orders.createdAt, f.before.at),
          and(eq(orders.createdAt, f.before.at), lt(orders.id, f.before.id)),
        )
      : undefined,
  ];
  return db
    .select()
    .from(orders)
    .where(and(...conditions))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(f.limit);
}

/** Role keys of some users of a company (delegators whose approvals a substitute may give). */
export async function roleKeysOf(db: Database, companyId: string, userIds: readonly string[]) {
  const rows = await inChunks(userIds, (part) =>
    db
      .select({ userId: userRoles.userId, key: roles.key })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(
        and(inArray(userRoles.userId, part), eq(users.companyId, companyId), eq(users.status, 'active')),
      ),
  );
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.userId, (out.get(r.userId) ?? new Set()).add(r.key));
  return out;
}

/** Active users of the company holding a permission (for delegation targets). */
export async function activeUserWithPermission(
  db: Database,
  companyId: string,
  userId: string,
  permission: string,
) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
    .where(
      and(
        eq(users.id, userId),
        eq(users.companyId, companyId),
        eq(users.status, 'active'),
        eq(rolePermissions.permission, permission),
      ),
    )
    .limit(1);
  return row !== undefined;
}
