import { and, asc, count, desc, eq, gte, inArray, lt, or, type SQL } from 'drizzle-orm';
import { costCenterRequirement } from '../../domain/checkout';
import type { Database } from '../client';
import {
  approvalPolicies,
  budgets,
  costCenters,
  orderEvents,
  orderLines,
  orders,
  products,
  rolePermissions,
  roles,
  sites,
  userRoles,
  users,
} from '../schema';
import { costCenterRuleQueries } from './budget-settings';
import { inChunks } from './bulk';

export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderEventRow = typeof orderEvents.$inferSelect;

/** What checkout needs to know about the company and the user, in one round trip. */
export async function checkoutFacts(db: Database, companyId: string, userId: string) {
  const [siteRows, centerRows, userRows, lastRows, countRows, ruleRows, budgetRows] = await db.batch([
    db
      .select({ id: sites.id, isDefaultShipTo: sites.isDefaultShipTo })
      .from(sites)
      .where(and(eq(sites.companyId, companyId), eq(sites.status, 'active'))),
    db
      .select({ id: costCenters.id })
      .from(costCenters)
      .where(and(eq(costCenters.companyId, companyId), eq(costCenters.status, 'active'))),
    db
      .select({
        orderLimitMinor: users.orderLimitMinor,
        periodLimitMinor: users.periodLimitMinor,
        periodLimitPeriod: users.periodLimitPeriod,
      })
      .from(users)
      .where(eq(users.id, userId))
      .limit(1),
    db
      .select({ shipToSiteId: orders.shipToSiteId, costCenterId: orders.costCenterId })
      .from(orders)
      .where(and(eq(orders.companyId, companyId), eq(orders.placedBy, userId)))
      .orderBy(desc(orders.createdAt))
      .limit(1),
    db
      .select({ n: count() })
      .from(orders)
      .where(and(eq(orders.companyId, companyId), eq(orders.placedBy, userId))),
    ...costCenterRuleQueries(db, companyId),
  ]);
  return {
    siteIds: new Set(siteRows.map((s) => s.id)),
    defaultShipTo: siteRows.find((s) => s.isDefaultShipTo)?.id ?? null,
    costCenterIds: new Set(centerRows.map((c) => c.id)),
    orderLimitMinor: userRows[0]?.orderLimitMinor ?? null,
    periodLimit: periodLimitOf(userRows[0]),
    last: lastRows[0] ?? null,
    ordersPlaced: countRows[0]?.n ?? 0,
    costCenterRequired: costCenterRequirement(ruleRows[0]?.rule ?? 'when_budgeted', budgetRows[0]?.n ?? 0),
  };
}

/** The user's spending cap over a period; both columns set, or no cap. */
function periodLimitOf(
  row: { periodLimitMinor: number | null; periodLimitPeriod: 'day' | 'week' | 'month' | null } | undefined,
) {
  return row?.periodLimitMinor != null && row.periodLimitPeriod
    ? { limitMinor: row.periodLimitMinor, period: row.periodLimitPeriod }
    : null;
}

/** The user's orders that count against a spending cap: placed or awaiting approval, created in `[start, end)`. */
export const ordersCountingAgainstCap = (
  db: Database,
  companyId: string,
  userId: string,
  bounds: { start: number; end: number },
) =>
  db
    .select({ id: orders.id, totalMinor: orders.totalMinor })
    .from(orders)
    .where(
      and(
        eq(orders.companyId, companyId),
        eq(orders.placedBy, userId),
        inArray(orders.status, ['placed', 'pending_approval']),
        gte(orders.createdAt, bounds.start),
        lt(orders.createdAt, bounds.end),
      ),
    );

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

/** The company's active approval policies (in creation order) and the active budgets of a cost center. */
export async function approvalInputs(db: Database, companyId: string, costCenterId: string | null) {
  const [policies, budgetRows] = await db.batch([
    db
      .select()
      .from(approvalPolicies)
      .where(and(eq(approvalPolicies.companyId, companyId), eq(approvalPolicies.status, 'active')))
      .orderBy(asc(approvalPolicies.createdAt), asc(approvalPolicies.id)),
    db
      .select()
      .from(budgets)
      .where(
        and(
          eq(budgets.companyId, companyId),
          eq(budgets.costCenterId, costCenterId ?? ''),
          eq(budgets.status, 'active'),
        ),
      ),
  ]);
  return { policies, budgets: budgetRows };
}

export async function categoriesOf(db: Database, skus: readonly string[]): Promise<Map<string, string>> {
  const rows = await inChunks(skus, (part) =>
    db
      .select({ sku: products.sku, categoryPath: products.categoryPath })
      .from(products)
      .where(inArray(products.sku, part)),
  );
  return new Map(rows.map((r) => [r.sku, r.categoryPath]));
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
