import { formatMinor } from './money';

/**
 * Which approvals an order needs, decided from the company's active policies and plain facts about the order.
 * Pure: the caller loads policies, the requester's limit and the budget's remaining amount (docs/approvals.md).
 */
export interface ApprovalPolicy {
  id: string;
  name: string;
  kind: 'amount' | 'two_levels' | 'cost_center' | 'categories' | 'first_order';
  thresholdMinor: number | null;
  secondThresholdMinor: number | null;
  costCenterId: string | null;
  categories: string[] | null;
  steps: { role?: string; userIds?: string[]; required: number }[];
}

export interface OrderFacts {
  totalMinor: number;
  costCenterId: string | null;
  categoryPaths: string[];
  requesterId: string;
  requesterOrderLimitMinor: number | null;
  /** the requester's spending cap over a calendar period and what their orders already took of it */
  requesterPeriodLimit?: { limitMinor: number; spentMinor: number; period: SpendPeriod } | null;
  isFirstOrderOfRequester: boolean;
  budget: { budgetId: string; remainingMinor: number; onExceed: 'finance_approval' | 'refuse' } | null;
}

/** The calendar periods of a user's spending cap (UTC; ISO weeks start on Monday). */
export type SpendPeriod = 'day' | 'week' | 'month';

export interface ApprovalStep {
  key: string;
  reason: string;
  policyId: string | null;
  role: string | null;
  userIds: string[];
  required: number;
}

export type ApprovalDecision =
  | { outcome: 'refused'; reason: string }
  | { outcome: 'approve_automatically' }
  | { outcome: 'needs_approval'; steps: ApprovalStep[] };

type PolicyStep = ApprovalPolicy['steps'][number];

/** "5,000.00": amounts in reasons carry no currency (the order's currency is the company's). */
const amount = (minor: number): string =>
  formatMinor({ minor, currency: 'XXX' }).replace(/^(-?\d+)/, (int) =>
    int.replace(/\B(?=(\d{3})+(?!\d))/g, ','),
  );

function toStep(policy: ApprovalPolicy, index: number, reason: string): ApprovalStep | null {
  const raw: PolicyStep | undefined = policy.steps[index];
  if (!raw) return null;
  const userIds = [...new Set(raw.userIds ?? [])];
  const role = raw.role ?? null;
  // with only named users, more approvals than people could never be collected
  const ceiling = role === null && userIds.length > 0 ? userIds.length : Number.POSITIVE_INFINITY;
  return {
    key: `${policy.id}:${index}`,
    reason,
    policyId: policy.id,
    role,
    userIds,
    required: Math.min(Math.max(1, Math.trunc(raw.required)), ceiling),
  };
}

const under = (path: string, category: string): boolean =>
  path === category || path.startsWith(`${category}/`);

/** The steps one policy contributes to this order, in the policy's own order. */
function stepsOf(policy: ApprovalPolicy, facts: OrderFacts): (ApprovalStep | null)[] {
  const total = facts.totalMinor;
  const all = (reason: string) => policy.steps.map((_, i) => toStep(policy, i, reason));
  switch (policy.kind) {
    case 'amount':
      return policy.thresholdMinor !== null && total > policy.thresholdMinor
        ? [toStep(policy, 0, `Order above ${amount(policy.thresholdMinor)}`)]
        : [];
    case 'two_levels': {
      const { thresholdMinor: first, secondThresholdMinor: second } = policy;
      if (first === null || total <= first) return [];
      const steps = [toStep(policy, 0, `Order above ${amount(first)}`)];
      if (second !== null && total > second) steps.push(toStep(policy, 1, `Order above ${amount(second)}`));
      return steps;
    }
    case 'cost_center':
      return policy.costCenterId !== null && facts.costCenterId === policy.costCenterId
        ? all(`Charged to a cost center that needs approval (${policy.name})`)
        : [];
    case 'categories': {
      const hit = (policy.categories ?? []).filter((c) => facts.categoryPaths.some((p) => under(p, c)));
      return hit.length > 0 ? all(`Contains products of ${hit.join(', ')} (${policy.name})`) : [];
    }
    case 'first_order':
      return facts.isFirstOrderOfRequester ? all(`First order of the requester (${policy.name})`) : [];
  }
}

const signature = (s: ApprovalStep): string => JSON.stringify([s.role, [...s.userIds].sort()]);

/** Steps asking the same people are asked once: first key and position win, reasons join, the most approvals. */
function merge(steps: readonly ApprovalStep[]): ApprovalStep[] {
  const bySignature = new Map<string, ApprovalStep>();
  for (const step of steps) {
    const seen = bySignature.get(signature(step));
    if (!seen) bySignature.set(signature(step), { ...step });
    else {
      if (!seen.reason.split('; ').includes(step.reason)) seen.reason = `${seen.reason}; ${step.reason}`;
      seen.required = Math.max(seen.required, step.required);
    }
  }
  return [...bySignature.values()];
}

/**
 * The approval chain of an order: refused (budget with `refuse` exceeded), approved automatically (no step),
 * or the steps to collect, in policy order, then the order-limit step, then the budget step.
 *
 * @example approvalChain([{ id: 'apr_1', name: 'Big', kind: 'amount', thresholdMinor: 500_000, …,
 *   steps: [{ role: 'approver', required: 1 }] }], { totalMinor: 600_000, … })
 *   // → { outcome: 'needs_approval', steps: [{ key: 'apr_1:0', reason: 'Order above 5,000.00', … }] }
 */
export function approvalChain(policies: readonly ApprovalPolicy[], facts: OrderFacts): ApprovalDecision {
  const { budget, totalMinor: total } = facts;
  const overBudget = budget !== null && total > budget.remainingMinor;
  if (overBudget && budget.onExceed === 'refuse')
    return {
      outcome: 'refused',
      reason: `Order exceeds the remaining budget of ${amount(budget.remainingMinor)}`,
    };
  const steps = policies.flatMap((p) => stepsOf(p, facts)).filter((s): s is ApprovalStep => s !== null);
  // the personal limits ask an approver, unless a policy already does (then that step covers them)
  const approverAsked = steps.some((s) => s.role === 'approver');
  const limitStep = (key: string, reason: string): ApprovalStep => ({
    key,
    reason,
    policyId: null,
    role: 'approver',
    userIds: [],
    required: 1,
  });
  const limit = facts.requesterOrderLimitMinor;
  if (limit !== null && total > limit && !approverAsked)
    steps.push(limitStep('order-limit', `Above your order limit of ${amount(limit)}`));
  const cap = facts.requesterPeriodLimit;
  if (cap && cap.spentMinor + total > cap.limitMinor && !approverAsked)
    steps.push(
      limitStep(
        'period-limit',
        `Above your ${PERIOD_WORD[cap.period]} limit of ${amount(cap.limitMinor)} (${amount(cap.spentMinor)} ordered this ${cap.period})`,
      ),
    );
  if (overBudget)
    steps.push({
      key: `budget:${budget.budgetId}`,
      reason: `Exceeds the remaining budget of ${amount(budget.remainingMinor)}`,
      policyId: null,
      role: 'finance',
      userIds: [],
      required: 1,
    });
  const merged = merge(steps);
  return merged.length === 0
    ? { outcome: 'approve_automatically' }
    : { outcome: 'needs_approval', steps: merged };
}

const PERIOD_WORD: Record<SpendPeriod, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

const DAY_MS = 86_400_000;

/** `[start, end)` in epoch milliseconds of the UTC day, ISO week (Monday 00:00) or month containing `at`. */
export function spendPeriodBounds(period: SpendPeriod, at: number): { start: number; end: number } {
  if (period === 'month') return periodBounds('month', at);
  if (!Number.isFinite(at)) throw new RangeError('a point in time is a finite number of epoch milliseconds');
  const dayStart = Math.floor(at / DAY_MS) * DAY_MS;
  if (period === 'day') return { start: dayStart, end: dayStart + DAY_MS };
  const sinceMonday = (new Date(dayStart).getUTCDay() + 6) % 7;
  const start = dayStart - sinceMonday * DAY_MS;
  return { start, end: start + 7 * DAY_MS };
}

function parts(at: number): { year: number; month: number } {
  if (!Number.isFinite(at)) throw new RangeError('a point in time is a finite number of epoch milliseconds');
  const d = new Date(at);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

const year4 = (year: number): string => String(year).padStart(4, '0');

/** The budget period containing `at`, in UTC: `'2026-11'`, `'2026-Q4'` or `'2026'`. */
export function periodKey(period: 'month' | 'quarter' | 'year', at: number): string {
  const { year, month } = parts(at);
  if (period === 'year') return year4(year);
  if (period === 'quarter') return `${year4(year)}-Q${Math.floor(month / 3) + 1}`;
  return `${year4(year)}-${String(month + 1).padStart(2, '0')}`;
}

/** `[start, end)` in epoch milliseconds of the UTC budget period containing `at`. */
export function periodBounds(
  period: 'month' | 'quarter' | 'year',
  at: number,
): { start: number; end: number } {
  const { year, month } = parts(at);
  const first = period === 'year' ? 0 : period === 'quarter' ? month - (month % 3) : month;
  const length = period === 'year' ? 12 : period === 'quarter' ? 3 : 1;
  return { start: utc(year, first), end: utc(year, first + length) };
}

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
function utc(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  return d.getTime();
}
