import { and, count, eq } from 'drizzle-orm';
import type { CostCenterRule } from '../../domain/order-terms';
import type { Database } from '../client';
import { budgets, companySettings } from '../schema-orders';
import type { CompanyScope } from '../scope';

/** The company's cost-center rule; a company without a settings row has the default, `when_budgeted`. */
export async function costCenterRuleOf(scope: CompanyScope): Promise<CostCenterRule> {
  const [row] = await scope.db
    .select({ rule: companySettings.costCenterRequired })
    .from(companySettings)
    .where(eq(companySettings.companyId, scope.companyId))
    .limit(1);
  return row?.rule ?? 'when_budgeted';
}

/** Builds (does not run) the upsert of the rule alone, for the same batch as its audit row. */
export const upsertCostCenterRule = (db: Database, companyId: string, rule: CostCenterRule, at: number) =>
  db
    .insert(companySettings)
    .values({ companyId, costCenterRequired: rule, updatedAt: at })
    .onConflictDoUpdate({
      target: companySettings.companyId,
      set: { costCenterRequired: rule, updatedAt: at },
    });

/** For checkout, in its batch: the rule row and the number of the company's active budgets. */
export const costCenterRuleQueries = (db: Database, companyId: string) =>
  [
    db
      .select({ rule: companySettings.costCenterRequired })
      .from(companySettings)
      .where(eq(companySettings.companyId, companyId))
      .limit(1),
    db
      .select({ n: count() })
      .from(budgets)
      .where(and(eq(budgets.companyId, companyId), eq(budgets.status, 'active'))),
  ] as const;
