import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { ApprovalPolicy } from '../../domain/approvals';
import { categories, costCenters, users } from '../schema';
import { approvalPolicies, budgets } from '../schema-orders';
import type { CompanyScope } from '../scope';

export type ApprovalPolicyRow = typeof approvalPolicies.$inferSelect;
export type BudgetRow = typeof budgets.$inferSelect;
type Status = 'active' | 'archived';

/**
 * Creation order is evaluation order: it decides the order of the approval steps (docs/approvals.md). Ties on
 * the millisecond fall back to `rowid`, the insertion order, never to the random id.
 */
export const listApprovalPolicies = (scope: CompanyScope, status?: Status) =>
  scope.db
    .select()
    .from(approvalPolicies)
    .where(
      and(
        eq(approvalPolicies.companyId, scope.companyId),
        status ? eq(approvalPolicies.status, status) : undefined,
      ),
    )
    .orderBy(asc(approvalPolicies.createdAt), sql`rowid`);

export async function getApprovalPolicy(
  scope: CompanyScope,
  id: string,
): Promise<ApprovalPolicyRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(approvalPolicies)
    .where(and(eq(approvalPolicies.companyId, scope.companyId), eq(approvalPolicies.id, id)))
    .limit(1);
  return row;
}

/** The active policies as `approvalChain` takes them, in evaluation order (for checkout). */
export async function activeApprovalPolicies(scope: CompanyScope): Promise<ApprovalPolicy[]> {
  const rows = await listApprovalPolicies(scope, 'active');
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    thresholdMinor: r.thresholdMinor,
    secondThresholdMinor: r.secondThresholdMinor,
    costCenterId: r.costCenterId,
    categories: r.categories,
    steps: r.steps,
  }));
}

export const listBudgets = (scope: CompanyScope, filter: { status?: Status; costCenterId?: string } = {}) =>
  scope.db
    .select()
    .from(budgets)
    .where(
      and(
        eq(budgets.companyId, scope.companyId),
        filter.status ? eq(budgets.status, filter.status) : undefined,
        filter.costCenterId ? eq(budgets.costCenterId, filter.costCenterId) : undefined,
      ),
    )
    .orderBy(asc(budgets.costCenterId), asc(budgets.period), asc(budgets.id));

export async function getBudget(scope: CompanyScope, id: string): Promise<BudgetRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(budgets)
    .where(and(eq(budgets.companyId, scope.companyId), eq(budgets.id, id)))
    .limit(1);
  return row;
}

/** The budget of a cost center for a period, archived or not: the unique key covers both. */
export async function budgetOf(
  scope: CompanyScope,
  costCenterId: string,
  period: BudgetRow['period'],
): Promise<BudgetRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(budgets)
    .where(
      and(
        eq(budgets.companyId, scope.companyId),
        eq(budgets.costCenterId, costCenterId),
        eq(budgets.period, period),
      ),
    )
    .limit(1);
  return row;
}

export async function activeCostCenter(scope: CompanyScope, id: string) {
  const [row] = await scope.db
    .select({ id: costCenters.id, code: costCenters.code })
    .from(costCenters)
    .where(
      and(
        eq(costCenters.companyId, scope.companyId),
        eq(costCenters.id, id),
        eq(costCenters.status, 'active'),
      ),
    )
    .limit(1);
  return row;
}

/** Which of these category paths exist (the catalog tree is the supplier's, shared by every company). */
export async function existingCategoryPaths(
  scope: CompanyScope,
  paths: readonly string[],
): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const rows = await scope.db
    .select({ path: categories.path })
    .from(categories)
    .where(inArray(categories.path, [...paths]));
  return new Set(rows.map((r) => r.path));
}

/** Which of these ids are active users of the scope's company. */
export async function activeUserIds(scope: CompanyScope, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await scope.db
    .select({ id: users.id })
    .from(users)
    .where(
      and(eq(users.companyId, scope.companyId), eq(users.status, 'active'), inArray(users.id, [...ids])),
    );
  return new Set(rows.map((r) => r.id));
}
