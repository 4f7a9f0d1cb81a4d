import type { Database } from '../../db/client';
import { type AccountFigures, accountFigures } from '../../db/queries/rep-accounts';

const DAY_MS = 86_400_000;

/**
 * The reactivation rule (docs/rep-workspace.md): an account is overdue when the time since its last order
 * exceeds twice its usual cadence and is at least two weeks; a cadence needs at least three orders.
 */
export const REACTIVATION_FACTOR = 2;
export const REACTIVATION_MIN_DAYS = 14;
const MIN_ORDERS_FOR_CADENCE = 3;

export const ACCOUNT_SORTS = ['name', 'lastOrderAt', 'revenue30d', 'revenue90d', 'trend'] as const;
export type AccountSort = (typeof ACCOUNT_SORTS)[number];

export interface AccountQuery {
  /** null: every company (platform admins); else the companies whose sales rep is this user */
  repUserId: string | null;
  q?: string;
  alert?: 'reactivation';
  hasPending?: boolean;
  sort: AccountSort;
  order: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface Account {
  id: string;
  name: string;
  status: 'active' | 'suspended';
  currency: string;
  repUserId: string | null;
  lastOrderAt: number | null;
  daysSinceLastOrder: number | null;
  revenue30dMinor: number;
  revenuePrevious30dMinor: number;
  revenue90dMinor: number;
  /** revenue of the last 30 days against the 30 before, in percent (+25 = a quarter more); null: nothing before */
  trendPercent: number | null;
  /** median days between the latest orders; null with fewer than three orders */
  cadenceDays: number | null;
  alerts: 'reactivation'[];
  openCarts: { count: number; valueMinor: number; oldestAt: number | null; asOf: number | null };
  pendingApprovals: number;
  quotesWaiting: number;
  failedExports: number;
  recurringProblems: number;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The account as the rep sees it: the SQL figures and what follows from them at `now`. */
export function accountOf(f: AccountFigures, now: number): Account {
  const times = (JSON.parse(f.recentOrders ?? '[]') as number[]).map(Number);
  const last = times[0] ?? null;
  const gaps = times.slice(1).map((t, i) => ((times[i] ?? t) - t) / DAY_MS);
  const cadence = times.length >= MIN_ORDERS_FOR_CADENCE ? median(gaps) : null;
  const since = last === null ? null : (now - last) / DAY_MS;
  const overdue =
    cadence !== null &&
    since !== null &&
    since > REACTIVATION_FACTOR * cadence &&
    since >= REACTIVATION_MIN_DAYS;
  return {
    id: f.id,
    name: f.name,
    status: f.status,
    currency: f.currency,
    repUserId: f.repUserId,
    lastOrderAt: last,
    daysSinceLastOrder: since === null ? null : Math.floor(since),
    revenue30dMinor: f.revenue30,
    revenuePrevious30dMinor: f.revenuePrev30,
    revenue90dMinor: f.revenue90,
    trendPercent:
      f.revenuePrev30 > 0 ? round1(((f.revenue30 - f.revenuePrev30) / f.revenuePrev30) * 100) : null,
    cadenceDays: cadence === null ? null : round1(cadence),
    alerts: overdue ? ['reactivation'] : [],
    openCarts: {
      count: f.openCarts ?? 0,
      valueMinor: f.openValueMinor ?? 0,
      oldestAt: f.oldestCartAt,
      asOf: f.cartStatsAt,
    },
    pendingApprovals: f.pendingApprovals,
    quotesWaiting: f.quotesWaiting,
    failedExports: f.failedExports,
    recurringProblems: f.recurringProblems,
  };
}

const sortKey: Record<AccountSort, (a: Account) => string | number | null> = {
  name: (a) => a.name.toLocaleLowerCase(),
  lastOrderAt: (a) => a.lastOrderAt,
  revenue30d: (a) => a.revenue30dMinor,
  revenue90d: (a) => a.revenue90dMinor,
  trend: (a) => a.trendPercent,
};

/** Orders by the key; accounts without a value (no order, no trend) come last either way; ties by name, id. */
function compare(sort: AccountSort, order: 'asc' | 'desc') {
  const key = sortKey[sort];
  const sign = order === 'asc' ? 1 : -1;
  return (a: Account, b: Account): number => {
    const x = key(a);
    const y = key(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    }
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  };
}

/**
 * The accounts page: one statement for every figure of every account the viewer sees (at most a few
 * hundred companies per rep), then filtering, sorting and paging in memory, since trend and alerts are
 * computed from the figures.
 */
export async function listAccounts(db: Database, query: AccountQuery, now: number) {
  const figures = await accountFigures(db, { repUserId: query.repUserId }, now);
  const needle = query.q?.toLocaleLowerCase();
  const accounts = figures
    .map((f) => accountOf(f, now))
    .filter((a) => !needle || a.name.toLocaleLowerCase().includes(needle))
    .filter((a) => !query.alert || a.alerts.includes(query.alert))
    .filter(
      (a) => query.hasPending === undefined || a.pendingApprovals + a.quotesWaiting > 0 === query.hasPending,
    )
    .sort(compare(query.sort, query.order));
  const items = accounts.slice(query.offset, query.offset + query.limit);
  const next = query.offset + items.length;
  return { items, total: accounts.length, nextOffset: next < accounts.length ? next : null };
}
