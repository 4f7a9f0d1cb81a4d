import type { CartRecord } from './cart-model';
import {
  decideApproval,
  type PlanContext,
  periodLimitState,
  planCheckout,
  tightestBudget,
} from './checkout-plan';
import type { PreviewRequest } from './checkout-record';
import type { OrderHolds } from './user-spend';

/**
 * What checking out would do now, without doing it: the defaults filled in, every problem, what the
 * budget and the user's spending cap have left and the approvals the order would need. Reads only; nothing is reserved.
 */
export async function previewCheckout(
  ctx: PlanContext,
  cart: CartRecord,
  req: PreviewRequest,
  holds: OrderHolds,
) {
  const plan = await planCheckout(ctx, cart, req);
  const budget = tightestBudget(plan.approval, req.now, (id, key) => holds.budgets.consumed(id, key));
  const periodLimit = periodLimitState(plan.approval, (bounds, fromSql) =>
    holds.spend.spent(req.userId, bounds, fromSql, ''),
  );
  const chain = decideApproval(plan.approval, req.userId, budget, periodLimit);
  return {
    cartVersion: cart.version,
    currency: plan.priced.currency,
    totalMinor: plan.approval.total,
    lineCount: plan.priced.lines.length,
    defaults: plan.resolved,
    problems: plan.issues,
    budget,
    periodLimit,
    outcome:
      plan.issues.length > 0
        ? ('blocked' as const)
        : chain.outcome === 'refused'
          ? ('refused' as const)
          : chain.outcome === 'needs_approval'
            ? ('pending_approval' as const)
            : ('placed' as const),
    refusal: chain.outcome === 'refused' ? chain.reason : null,
    approvalSteps: chain.outcome === 'needs_approval' ? chain.steps : [],
  };
}
