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
  const [pendingApprovals = 0, latestPending = null] = JSON.parse(f.pending ?? '[]') as [
    number,
    number | null,
  ];
  const latestPlaced = times[0] ?? null;
  const last =
    latestPending !== null && (latestPlaced === null || latestPending > latestPlaced)
      ? latestPending
      : latestPlaced;
  const gaps = times.slice(1).map((t, i) => ((times[i] ?? t) - t) / DAY_MS);
  const cadence = times.length >= MIN_ORDERS_FOR_CADENCE ? median(gaps) : null;
  const [revenue30 = 0, revenuePrev30 = 0, revenue90 = 0] = JSON.parse(f.revenue ?? '[]') as number[];
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
    revenue30dMinor: revenue30,
    revenuePrevious30dMinor: revenuePrev30,
    revenue90dMinor: revenue90,
    trendPercent: revenuePrev30 > 0 ? round1(((revenue30 - revenuePrev30) / revenuePrev30) * 100) : null,
    cadenceDays: cadence === null ? null : round1(cadence),
    alerts: overdue ? ['reactivation'] : [],
    openCarts: {
      count: f.openCarts ?? 0,
      valueMinor: f.openValueMinor ?? 0,
      oldestAt: f.oldestCartAt,
      asOf: f.cartStatsAt,
    },
    pendingApprovals,
    quotesWaiting: f.quotesWaiting,
    failedExports: f.failedExports,
    recurringProblems: f.recurringProblems,
  };
}

/**
 * The figures of one viewer, kept per isolate for FIGURES_TTL_MS: the dashboard is paged, filtered and
 * re-sorted in quick succession, and each of those is then served without SQL (the statement costs a few
 * times a bare request at 200 accounts and 100,000 orders). The answer's `figuresAt` says how old they are.
 */
export const FIGURES_TTL_MS = 15_000;
const MAX_VIEWERS = 256;
interface KeptFigures {
  /** the isolate's clock when computed (a test clock may stand still or go back: not used for the TTL) */
  keptAt: number;
  /** the request's `now` the windows were computed for */
  now: number;
  figures: Promise<AccountFigures[]>;
}
const figuresCache = new Map<string, KeptFigures>();

function figuresFor(
  db: Database,
  repUserId: string | null,
  now: number,
): Promise<{ figures: AccountFigures[]; at: number }> {
  const key = repUserId ?? '*';
  const wall = Date.now();
  let kept = figuresCache.get(key);
  if (!kept || wall - kept.keptAt >= FIGURES_TTL_MS || now < kept.now) {
    const figures = accountFigures(db, { repUserId }, now);
    kept = { keptAt: wall, now, figures };
    figuresCache.delete(key);
    if (figuresCache.size >= MAX_VIEWERS) {
      const oldest = figuresCache.keys().next().value;
      if (oldest !== undefined) figuresCache.delete(oldest);
    }
    figuresCache.set(key, kept);
    // a failed read is not kept
    const entry = kept;
    figures.catch(() => {
      if (figuresCache.get(key) === entry) figuresCache.delete(key);
    });
  }
  const at = kept.now;
  return kept.figures.then((figures) => ({ figures, at }));
}

const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

const sortKey: Record<Exclude<AccountSort, 'name'>, (a: Account) => number | null> = {
  lastOrderAt: (a) => a.lastOrderAt,
  revenue30d: (a) => a.revenue30dMinor,
  revenue90d: (a) => a.revenue90dMinor,
  trend: (a) => a.trendPercent,
};

/**
 * Sorted by the key (computed once per account: a few hundred accounts, sorted on every request);
 * accounts without a value (no order, no trend) come last either way; ties by name, then id.
 */
function sorted(accounts: Account[], sort: AccountSort, order: 'asc' | 'desc'): Account[] {
  const sign = order === 'asc' ? 1 : -1;
  const tie = (a: Account, b: Account) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
  if (sort === 'name') return accounts.sort((a, b) => sign * tie(a, b));
  const key = sortKey[sort];
  return accounts
    .map((account) => ({ account, value: key(account) }))
    .sort((x, y) => {
      if (x.value !== y.value) {
        if (x.value === null) return 1;
        if (y.value === null) return -1;
        return (x.value - y.value) * sign;
      }
      return tie(x.account, y.account);
    })
    .map((x) => x.account);
}

/**
 * The accounts page: one statement for every figure of every account the viewer sees (at most a few
 * hundred companies per rep), then filtering, sorting and paging in memory, since trend and alerts are
 * computed from the figures.
 */
export async function listAccounts(db: Database, query: AccountQuery, now: number) {
  const { figures, at } = await figuresFor(db, query.repUserId, now);
  const needle = query.q?.toLowerCase();
  const accounts = figures
    .map((f) => accountOf(f, now))
    .filter((a) => !needle || a.name.toLowerCase().includes(needle))
    .filter((a) => !query.alert || a.alerts.includes(query.alert))
    .filter(
      (a) => query.hasPending === undefined || a.pendingApprovals + a.quotesWaiting > 0 === query.hasPending,
    );
  const ordered = sorted(accounts, query.sort, query.order);
  const items = ordered.slice(query.offset, query.offset + query.limit);
  const next = query.offset + items.length;
  return { items, total: accounts.length, nextOffset: next < accounts.length ? next : null, figuresAt: at };
}
