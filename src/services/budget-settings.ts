import { costCenterRuleOf, upsertCostCenterRule } from '../db/queries/budget-settings';
import type { CompanyScope } from '../db/scope';
import type { CostCenterRule } from '../domain/order-terms';
import { type Actor, auditInsert } from './audit';

/**
 * The company's budget settings: when checkout insists on a cost center (`costCenterRequired`). A budget
 * can only be charged, and so kept, when orders name their cost center; `when_budgeted` (the default) asks
 * for one while the company has any active budget.
 */
export interface BudgetSettings {
  costCenterRequired: CostCenterRule;
}

export async function readBudgetSettings(scope: CompanyScope): Promise<BudgetSettings> {
  return { costCenterRequired: await costCenterRuleOf(scope) };
}

export async function updateBudgetSettings(
  scope: CompanyScope,
  actor: Actor,
  input: BudgetSettings,
): Promise<BudgetSettings> {
  const { db, companyId } = scope;
  const before = await costCenterRuleOf(scope);
  await db.batch([
    upsertCostCenterRule(db, companyId, input.costCenterRequired, actor.now),
    auditInsert(db, actor, {
      companyId,
      action: 'budget_settings.update',
      targetType: 'company_settings',
      targetId: companyId,
      summary: `Cost center required: ${before} → ${input.costCenterRequired}`,
    }),
  ]);
  return input;
}
