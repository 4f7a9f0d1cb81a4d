import { createDatabase } from '../db/client';
import { batchRead } from '../db/queries/bulk';
import { skuFactsFrom, skuFactsQueries } from '../db/queries/cart-facts';
import { companyOfferQueries, companyOffersFrom } from '../db/queries/offers';
import { checkoutFactQueries, checkoutFactsFrom } from '../db/queries/orders';
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
import type { PhaseClock } from '../lib/timing';
import { type PricedCart, priceCart } from '../services/cart-pricing';
import {
  cachedFingerprintFor,
  lastKnownFingerprint,
  rememberFingerprint,
} from '../services/pricing/assignments';
import { type PricingDeps, pricingDepsOf } from '../services/pricing/deps';
import { customerEntries } from '../services/pricing/entries';
import type { CartRecord } from './cart-model';
import type { CartPricer } from './cart-pricer';

/**
 * Everything checkout reads before deciding: the cart re-priced from the current index, the defaults and
 * references resolved, every blocking problem, and the approval inputs. Reads only; the decision and the
 * budget reservation happen afterwards, synchronously, in the object.
 */
export interface CheckoutPlan {
  priced: PricedCart;
  resolved: ResolvedCheckout | null;
  issues: FieldIssue[];
  approval: ApprovalFacts;
}

/** An order SQL counts against a spending cap: placed or awaiting approval, in the period. */
export interface CountedOrder {
  id: string;
  totalMinor: number;
}

type Facts = ReturnType<typeof checkoutFactsFrom>;

export interface ApprovalFacts {
  policies: Facts['policies'];
  budgets: ReturnType<Facts['budgetsOf']>;
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

/**
 * The reads of a checkout, all fresh, in ONE round trip to SQL: the cart's products and stock, the
 * company's offers, the checkout facts (addresses, cost centers, the user's limits and last order, rules,
 * policies, budgets, the orders counting against the cap) and the company's fingerprint. The index lookup
 * runs meanwhile with the fingerprint this isolate last saw; if the batch names another one (the company's
 * pricing inputs changed), the lookup is done again with it. Product facts and offers read here also serve
 * the object's next cart answers.
 */
export async function planCheckout(
  env: Env,
  companyId: string,
  cart: CartRecord,
  req: { userId: string; input: CheckoutInput; now: number },
  pricer: CartPricer,
  clock?: PhaseClock,
): Promise<CheckoutPlan> {
  const db = createDatabase(env);
  const deps = pricingDepsOf(env);
  const skus = cart.lines.map((l) => l.sku);
  const guess = lastKnownFingerprint(companyId);
  const reads = batchRead(db, {
    ...skuFactsQueries(db, skus),
    ...companyOfferQueries(db, companyId, req.now),
    ...checkoutFactQueries(db, companyId, req.userId, req.now),
  });
  const [rows, early] = await Promise.all([
    clock ? clock.measure('d1-read', reads) : reads,
    guess ? measured(clock, 'index', customerEntries(deps, guess, skus, req.now)) : null,
  ]);
  const facts = checkoutFactsFrom(rows);
  const fingerprint = await fingerprintOf(deps, companyId, facts.fingerprint, req.now);
  const found =
    early && guess === fingerprint
      ? early
      : await measured(clock, 'index-again', customerEntries(deps, fingerprint, skus, req.now));
  const products = skuFactsFrom(rows);
  const offers = companyOffersFrom(companyId, rows);
  pricer.absorb(skus, products, offers, req.now);
  const priced = priceCart(cart, { found, products, offers }, req.now);
  const resolved = resolveCheckout(req.input, {
    ...facts,
    today: new Date(req.now).toISOString().slice(0, 10),
  });
  const issues = [...blockingIssues(priced.lines), ...(resolved.ok ? [] : resolved.issues)];
  const costCenterId = resolved.ok ? resolved.value.costCenterId : null;
  const cap = facts.periodLimit;
  const bounds = cap ? spendPeriodBounds(cap.period, req.now) : null;
  return {
    priced,
    resolved: resolved.ok ? resolved.value : null,
    issues,
    approval: {
      policies: facts.policies,
      budgets: facts.budgetsOf(costCenterId),
      // the amount charged: after contract prices and cart-level offers; approvals and budgets judge this
      total: priced.totals.totalMinor,
      currency: priced.currency,
      costCenterId,
      categoryPaths: [...new Set([...products.values()].map((p) => p.categoryPath))],
      orderLimitMinor: facts.orderLimitMinor,
      periodLimit: cap && bounds ? { ...cap, bounds, fromSql: facts.capOrders } : null,
      firstOrder: facts.firstOrder,
    },
  };
}

const measured = <T>(clock: PhaseClock | undefined, name: string, work: Promise<T>): Promise<T> =>
  clock ? clock.measure(name, work) : work;

/** The fingerprint the batch read, remembered for the isolate; on a company's first use, resolved now. */
async function fingerprintOf(
  deps: PricingDeps,
  companyId: string,
  read: string | null,
  now: number,
): Promise<string> {
  if (read) {
    rememberFingerprint(companyId, read, now);
    return read;
  }
  const resolved = await cachedFingerprintFor(deps, companyId, now);
  if (!resolved) throw new Error(`company ${companyId} has no pricing inputs`);
  return resolved;
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
