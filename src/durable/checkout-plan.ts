import type { Database } from '../db/client';
import type { CompanyConfig, UserFacts } from '../db/queries/orders';
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
import type { PhaseClock } from '../lib/timing';
import { type PricedCart, priceCart } from '../services/cart-pricing';
import {
  cachedFingerprintFor,
  freshFingerprint,
  lastKnownFingerprint,
  rememberFingerprint,
} from '../services/pricing/assignments';
import type { PricingDeps } from '../services/pricing/deps';
import { customerEntries } from '../services/pricing/entries';
import type { CartRecord } from './cart-model';
import type { CartPricer } from './cart-pricer';
import type { AgreedLines } from './checkout-record';
import type { CompanyFacts } from './company-facts';

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

export interface ApprovalFacts {
  policies: CompanyConfig['policies'];
  budgets: CompanyConfig['budgets'];
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

/** What planning a checkout works with: the object's caches and the I/O behind them. */
export interface PlanContext {
  companyId: string;
  db: Database;
  deps: PricingDeps;
  pricer: CartPricer;
  facts: CompanyFacts;
}

/**
 * The reads of a checkout, from the object's memory when it can: the cart's product facts and the
 * company's offers (cart-pricer.ts, at most CART_FACTS_MAX_AGE_MS old), the company's configuration and
 * the user's facts (company-facts.ts, kept current by the object and the configuration routes), the index
 * entries (by generation) and the fingerprint (ASSIGNMENT_CACHE_MS). Whatever is missing or too old is read
 * in at most two batches at once, never one after another; a fingerprint past its time is read in the
 * facts' batch while the index lookup starts with the one last seen, and is redone only if it changed.
 */
export async function planCheckout(
  ctx: PlanContext,
  cart: CartRecord,
  req: { userId: string; input: CheckoutInput; now: number; agreed?: AgreedLines },
  clock?: PhaseClock,
): Promise<CheckoutPlan> {
  const { companyId, deps } = ctx;
  const { now } = req;
  const skus = cart.lines.map((l) => l.sku);
  const fresh = freshFingerprint(companyId, now);
  const guess = fresh ?? lastKnownFingerprint(companyId);
  const [known, pricing, early] = await Promise.all([
    measured(clock, 'facts', ctx.facts.read(ctx.db, req.userId, now, fresh === undefined)),
    measured(clock, 'products', ctx.pricer.current(skus, now)),
    guess ? measured(clock, 'index', customerEntries(deps, guess, skus, now)) : null,
  ]);
  const fingerprint = fresh ?? (await fingerprintOf(deps, companyId, known.fingerprint ?? null, now));
  const found =
    early && guess === fingerprint
      ? early
      : await measured(clock, 'index-again', customerEntries(deps, fingerprint, skus, now));
  const agreed = req.agreed ? agreedPrices(cart, req.agreed, found.currency) : null;
  const priced = priceCart(cart, { found, ...pricing, agreedUnitMinor: agreed?.unitMinor }, now);
  const plan = decisionInputs(priced, known.config, known.user, pricing.products, req);
  if (agreed?.issue) plan.issues.push(agreed.issue);
  return plan;
}

/**
 * The agreed unit prices by cart line, when the cart holds exactly the agreed lines in the currency they
 * were agreed in; otherwise an issue, and the lines keep the index's prices (the checkout is refused).
 */
function agreedPrices(
  cart: CartRecord,
  agreed: AgreedLines,
  currency: string,
): { unitMinor?: number[]; issue?: FieldIssue } {
  if (agreed.currency !== currency)
    return {
      issue: {
        path: 'currency',
        message: `agreed in ${agreed.currency}; this company orders in ${currency}`,
      },
    };
  const same =
    cart.lines.length === agreed.lines.length &&
    cart.lines.every((l, i) => l.sku === agreed.lines[i]?.sku && l.quantity === agreed.lines[i]?.quantity);
  if (!same) return { issue: { path: 'lines', message: 'the cart no longer holds the agreed lines' } };
  return { unitMinor: agreed.lines.map((l) => l.unitPriceMinor) };
}

function decisionInputs(
  priced: PricedCart,
  config: CompanyConfig,
  user: UserFacts,
  products: ReadonlyMap<string, { categoryPath: string }>,
  req: { userId: string; input: CheckoutInput; now: number },
): CheckoutPlan {
  const resolved = resolveCheckout(req.input, {
    ...config,
    last: user.last,
    today: new Date(req.now).toISOString().slice(0, 10),
  });
  const issues = [...blockingIssues(priced.lines), ...(resolved.ok ? [] : resolved.issues)];
  const costCenterId = resolved.ok ? resolved.value.costCenterId : null;
  const cap = user.periodLimit;
  const bounds = cap ? spendPeriodBounds(cap.period, req.now) : null;
  return {
    priced,
    resolved: resolved.ok ? resolved.value : null,
    issues,
    approval: {
      policies: config.policies,
      budgets: config.budgets.filter((b) => b.costCenterId === (costCenterId ?? '')),
      // the amount charged: after contract prices and cart-level offers; approvals and budgets judge this
      total: priced.totals.totalMinor,
      currency: priced.currency,
      costCenterId,
      categoryPaths: [...new Set(priced.lines.flatMap((l) => products.get(l.sku)?.categoryPath ?? []))],
      orderLimitMinor: user.orderLimitMinor,
      periodLimit: cap && bounds ? { ...cap, bounds, fromSql: user.capOrders } : null,
      firstOrder: user.last === null,
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
