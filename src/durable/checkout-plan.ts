import { createDatabase } from '../db/client';
import { approvalInputs, categoriesOf, checkoutFacts, ordersCountingAgainstCap } from '../db/queries/orders';
import {
  type ApprovalDecision,
  approvalChain,
  periodKey,
  type SpendPeriod,
  spendPeriodBounds,
} from '../domain/approvals';
import {
  blockingIssues,
  type CheckoutInput,
  type ResolvedCheckout,
  resolveCheckout,
} from '../domain/checkout';
import type { FieldIssue } from '../domain/errors';
import type { Env } from '../env';
import { pricedCart } from '../services/cart-pricing';
import { customerViewOf } from '../services/catalog-view';
import { pricingDepsOf } from '../services/pricing/deps';
import type { CartRecord } from './cart-model';

/**
 * Everything checkout reads before deciding: the cart re-priced from the current index, the defaults and
 * references resolved, every blocking problem, and the approval inputs. Reads only; the decision and the
 * budget reservation happen afterwards, synchronously, in the object.
 */
export interface CheckoutPlan {
  priced: Awaited<ReturnType<typeof pricedCart>>;
  resolved: ResolvedCheckout | null;
  issues: FieldIssue[];
  approval: ApprovalFacts;
}

/** An order SQL counts against a spending cap: placed or awaiting approval, in the period. */
export interface CountedOrder {
  id: string;
  totalMinor: number;
}

export interface ApprovalFacts {
  policies: Awaited<ReturnType<typeof approvalInputs>>['policies'];
  budgets: Awaited<ReturnType<typeof approvalInputs>>['budgets'];
  total: number;
  currency: string;
  costCenterId: string | null;
  categoryPaths: string[];
  orderLimitMinor: number | null;
  /** the requester's spending cap, its current period and the orders SQL counts in it (read before deciding) */
  periodLimit: {
    limitMinor: number;
    period: SpendPeriod;
    bounds: { start: number; end: number };
    fromSql: CountedOrder[];
  } | null;
  firstOrder: boolean;
}

export async function planCheckout(
  env: Env,
  companyId: string,
  cart: CartRecord,
  req: { userId: string; input: CheckoutInput; now: number },
): Promise<CheckoutPlan> {
  const db = createDatabase(env);
  const deps = pricingDepsOf(env);
  const view = await customerViewOf(deps, companyId, req.now);
  const skus = cart.lines.map((l) => l.sku);
  const [priced, facts, categories] = await Promise.all([
    pricedCart(deps, view, cart, req.now),
    checkoutFacts(db, companyId, req.userId),
    categoriesOf(db, skus),
  ]);
  const resolved = resolveCheckout(req.input, {
    ...facts,
    today: new Date(req.now).toISOString().slice(0, 10),
  });
  const issues = [...blockingIssues(priced.lines), ...(resolved.ok ? [] : resolved.issues)];
  const costCenterId = resolved.ok ? resolved.value.costCenterId : null;
  const cap = facts.periodLimit;
  const bounds = cap ? spendPeriodBounds(cap.period, req.now) : null;
  const [{ policies, budgets }, fromSql] = await Promise.all([
    approvalInputs(db, companyId, costCenterId),
    bounds ? ordersCountingAgainstCap(db, companyId, req.userId, bounds) : [],
  ]);
  return {
    priced,
    resolved: resolved.ok ? resolved.value : null,
    issues,
    approval: {
      policies,
      budgets,
      // the amount charged: after contract prices and cart-level offers; approvals and budgets judge this
      total: priced.totals.totalMinor,
      currency: priced.currency,
      costCenterId,
      categoryPaths: [...new Set(categories.values())],
      orderLimitMinor: facts.orderLimitMinor,
      periodLimit: cap && bounds ? { ...cap, bounds, fromSql } : null,
      firstOrder: facts.ordersPlaced === 0,
    },
  };
}

export interface BudgetState {
  budgetId: string;
  period: 'month' | 'quarter' | 'year';
  periodKey: string;
  amountMinor: number;
  consumedMinor: number;
  remainingMinor: number;
  onExceed: 'finance_approval' | 'refuse';
}

/** The tightest budget of the order's cost center (a month budget can run out before the year's). */
export function tightestBudget(
  facts: ApprovalFacts,
  now: number,
  consumed: (budgetId: string, periodKey: string) => number,
): BudgetState | null {
  let tightest: BudgetState | null = null;
  for (const b of facts.budgets.filter((x) => x.currency === facts.currency)) {
    const key = periodKey(b.period, now);
    const used = consumed(b.id, key);
    const state: BudgetState = {
      budgetId: b.id,
      period: b.period,
      periodKey: key,
      amountMinor: b.amountMinor,
      consumedMinor: used,
      remainingMinor: b.amountMinor - used,
      onExceed: b.onExceed,
    };
    if (!tightest || state.remainingMinor < tightest.remainingMinor) tightest = state;
  }
  return tightest;
}

export interface PeriodLimitState {
  period: SpendPeriod;
  limitMinor: number;
  spentMinor: number;
  remainingMinor: number;
}

/** Where the requester stands against their spending cap now; `spent` reads the object's ledger. */
export function periodLimitState(
  facts: ApprovalFacts,
  spent: (bounds: { start: number; end: number }, fromSql: readonly CountedOrder[]) => number,
): PeriodLimitState | null {
  const cap = facts.periodLimit;
  if (!cap) return null;
  const spentMinor = spent(cap.bounds, cap.fromSql);
  return {
    period: cap.period,
    limitMinor: cap.limitMinor,
    spentMinor,
    remainingMinor: cap.limitMinor - spentMinor,
  };
}

export function decideApproval(
  facts: ApprovalFacts,
  requesterId: string,
  budget: BudgetState | null,
  cap: PeriodLimitState | null,
): ApprovalDecision {
  return approvalChain(facts.policies, {
    totalMinor: facts.total,
    costCenterId: facts.costCenterId,
    categoryPaths: facts.categoryPaths,
    requesterId,
    requesterOrderLimitMinor: facts.orderLimitMinor,
    requesterPeriodLimit: cap,
    isFirstOrderOfRequester: facts.firstOrder,
    budget: budget
      ? { budgetId: budget.budgetId, remainingMinor: budget.remainingMinor, onExceed: budget.onExceed }
      : null,
  });
}
