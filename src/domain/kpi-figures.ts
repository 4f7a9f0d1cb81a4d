import { type DurationMetric, percentileMinutes } from './kpi-buckets';
import { isAutonomousChannel, type OrderChannel } from './order-terms';

/**
 * The KPI figures of a scope, from the daily rows of two periods (`cur` 1: the current one, 0: the one
 * before). Pure arithmetic: what is counted where is in docs/kpis.md.
 */
export interface KpiInput {
  orders: readonly {
    companyId: string;
    channel: OrderChannel;
    currency: string;
    cur: number;
    orders: number;
    valueMinor: number;
  }[];
  users: readonly { companyId: string; cur: number; n: number }[];
  origins: readonly { companyId: string; origin: 'quick_order' | 'list' | 'reorder'; cur: number }[];
  durations: readonly { metric: DurationMetric; bucket: number; cur: number; n: number }[];
  quotes: readonly { cur: number; decided: number; ordered: number }[];
  companies: readonly { id: string; name: string }[];
}

export type FigureUnit = 'count' | 'ratio' | 'minor' | 'minutes' | 'per_account';

export interface Figure {
  kpi: string;
  unit: FigureUnit;
  /** set for money and for the autonomy rate by value: currencies are never added together */
  currency: string | null;
  current: number | null;
  previous: number | null;
}

export interface AccountPeriod {
  orders: number;
  autonomousOrders: number;
  autonomyRate: number | null;
  activeUsers: number;
  usedQuickOrder: boolean;
  usedLists: boolean;
  usedRecurring: boolean;
}

export interface AccountFigures {
  companyId: string;
  companyName: string;
  current: AccountPeriod;
  previous: AccountPeriod;
}

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

const byCompany = <T extends { companyId: string }>(rows: readonly T[]): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.companyId);
    if (list) list.push(r);
    else out.set(r.companyId, [r]);
  }
  return out;
};

interface CompanyRows {
  orders: KpiInput['orders'];
  users: KpiInput['users'];
  origins: KpiInput['origins'];
}

function accountPeriod(rows: CompanyRows, cur: number): AccountPeriod {
  const orders = rows.orders.filter((r) => r.cur === cur);
  const count = orders.reduce((a, r) => a + r.orders, 0);
  const autonomous = orders.filter((r) => isAutonomousChannel(r.channel)).reduce((a, r) => a + r.orders, 0);
  const used = (origin: string) => rows.origins.some((o) => o.cur === cur && o.origin === origin);
  return {
    orders: count,
    autonomousOrders: autonomous,
    autonomyRate: ratio(autonomous, count),
    activeUsers: rows.users.find((u) => u.cur === cur)?.n ?? 0,
    usedQuickOrder: used('quick_order'),
    usedLists: used('list'),
    usedRecurring: orders.some((r) => r.channel === 'recurring' && r.orders > 0),
  };
}

export function accountFigures(input: KpiInput): AccountFigures[] {
  const orders = byCompany(input.orders);
  const users = byCompany(input.users);
  const origins = byCompany(input.origins);
  return input.companies.map((c) => {
    const rows = {
      orders: orders.get(c.id) ?? [],
      users: users.get(c.id) ?? [],
      origins: origins.get(c.id) ?? [],
    };
    return {
      companyId: c.id,
      companyName: c.name,
      current: accountPeriod(rows, 1),
      previous: accountPeriod(rows, 0),
    };
  });
}

/** An account is active in a period when it ordered or someone in it is recorded adding lines to a cart. */
const isActive = (p: AccountPeriod) => p.orders > 0 || p.activeUsers > 0;

export function figures(input: KpiInput, accounts: readonly AccountFigures[]): Figure[] {
  const both = (kpi: string, unit: FigureUnit, of: (cur: number) => number | null, currency = null) => ({
    kpi,
    unit,
    currency,
    current: of(1),
    previous: of(0),
  });
  const periodOf = (a: AccountFigures, cur: number) => (cur === 1 ? a.current : a.previous);
  const sum = (cur: number, pick: (p: AccountPeriod) => number) =>
    accounts.reduce((n, a) => n + pick(periodOf(a, cur)), 0);
  const active = (cur: number) => accounts.filter((a) => isActive(periodOf(a, cur)));
  const adoption = (pick: (p: AccountPeriod) => boolean) => (cur: number) =>
    ratio(active(cur).filter((a) => pick(periodOf(a, cur))).length, active(cur).length);
  const histogram = (metric: DurationMetric, cur: number) =>
    new Map(
      input.durations
        .filter((d) => d.metric === metric && d.cur === cur)
        .map((d) => [d.bucket, d.n] as const),
    );
  const samples = (metric: DurationMetric) => (cur: number) =>
    [...histogram(metric, cur).values()].reduce((a, b) => a + b, 0);
  const pct = (metric: DurationMetric, p: number) => (cur: number) =>
    percentileMinutes(histogram(metric, cur), p);
  const quotes = (cur: number) => input.quotes.find((q) => q.cur === cur) ?? { decided: 0, ordered: 0 };

  return [
    both('orders', 'count', (cur) => sum(cur, (p) => p.orders)),
    both('autonomous_orders', 'count', (cur) => sum(cur, (p) => p.autonomousOrders)),
    both('autonomy_rate_by_count', 'ratio', (cur) =>
      ratio(
        sum(cur, (p) => p.autonomousOrders),
        sum(cur, (p) => p.orders),
      ),
    ),
    ...valueFigures(input),
    both('active_accounts', 'count', (cur) => active(cur).length),
    both('active_users', 'count', (cur) => sum(cur, (p) => p.activeUsers)),
    both('active_users_per_account', 'per_account', (cur) =>
      ratio(
        sum(cur, (p) => p.activeUsers),
        active(cur).length,
      ),
    ),
    both(
      'adoption_quick_order',
      'ratio',
      adoption((p) => p.usedQuickOrder),
    ),
    both(
      'adoption_lists',
      'ratio',
      adoption((p) => p.usedLists),
    ),
    both(
      'adoption_recurring',
      'ratio',
      adoption((p) => p.usedRecurring),
    ),
    both('approvals_decided', 'count', samples('approval_lead')),
    both('approval_lead_time_p50', 'minutes', pct('approval_lead', 0.5)),
    both('approval_lead_time_p90', 'minutes', pct('approval_lead', 0.9)),
    both('cart_to_order_orders', 'count', samples('cart_to_order')),
    both('cart_to_order_p50', 'minutes', pct('cart_to_order', 0.5)),
    both('cart_to_order_p90', 'minutes', pct('cart_to_order', 0.9)),
    both('quotes_decided', 'count', (cur) => quotes(cur).decided),
    both('quotes_ordered', 'count', (cur) => quotes(cur).ordered),
    both('quote_win_rate', 'ratio', (cur) => ratio(quotes(cur).ordered, quotes(cur).decided)),
    both('quotes_first_quoted', 'count', samples('quote_turnaround')),
    both('quote_turnaround_p50', 'minutes', pct('quote_turnaround', 0.5)),
    both('quote_turnaround_p90', 'minutes', pct('quote_turnaround', 0.9)),
  ];
}

/** Order value and the autonomy rate by value, one row per currency (sorted), never summed across them. */
function valueFigures(input: KpiInput): Figure[] {
  const currencies = [...new Set(input.orders.map((r) => r.currency))].sort();
  return currencies.flatMap((currency) => {
    const value = (cur: number, autonomousOnly: boolean) =>
      input.orders
        .filter((r) => r.currency === currency && r.cur === cur)
        .filter((r) => !autonomousOnly || isAutonomousChannel(r.channel))
        .reduce((a, r) => a + r.valueMinor, 0);
    const row = (kpi: string, unit: FigureUnit, of: (cur: number) => number | null): Figure => ({
      kpi,
      unit,
      currency,
      current: of(1),
      previous: of(0),
    });
    return [
      row('order_value', 'minor', (cur) => value(cur, false)),
      row('autonomous_order_value', 'minor', (cur) => value(cur, true)),
      row('autonomy_rate_by_value', 'ratio', (cur) => ratio(value(cur, true), value(cur, false))),
    ];
  });
}
