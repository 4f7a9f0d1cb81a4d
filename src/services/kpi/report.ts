import type { Database } from '../../db/client';
import {
  companyExists,
  isRepOf,
  isSupplierUser,
  type KpiScope,
  kpiDataVersion,
  readKpiSums,
  scopeCompanies,
} from '../../db/queries/kpi-read';
import { AppError } from '../../domain/errors';
import { type AccountFigures, accountFigures, type Figure, figures } from '../../domain/kpi-figures';
import {
  type DayRange,
  dayOf,
  type KpiPeriod,
  periodContaining,
  previousPeriod,
} from '../../domain/kpi-periods';
import { cachedSums, rememberSums } from './answer-cache';

export type { KpiScope };

export interface KpiReport {
  period: KpiPeriod;
  timeZone: 'UTC';
  current: DayRange;
  previous: DayRange;
  figures: Figure[];
  accounts: AccountFigures[];
}

/** The KPIs of a scope for the period containing `at` (a day; default today, UTC) and the one before. */
export async function kpiReport(
  db: Database,
  scope: KpiScope,
  period: KpiPeriod,
  at: string | undefined,
  now: number,
): Promise<KpiReport> {
  const current = periodContaining(period, at ?? dayOf(now));
  const previous = previousPeriod(period, current);
  // read every time: a company renamed or moved to another rep shows at once, and keys the cached sums.
  // The version is read before the sums, so sums cached under a version are never older than it.
  const [companies, version] = await Promise.all([scopeCompanies(db, scope), kpiDataVersion(db)]);
  const key = [version, period, previous.from, current.to, ...companies.map((c) => c.id)].join('|');
  let sums = cachedSums(key);
  if (sums === undefined) {
    const level = period === 'week' ? 'daily' : 'monthly';
    sums = await readKpiSums(db, scope, { current, previous }, level);
    rememberSums(key, sums);
  }
  const rows = { ...sums, companies };
  const accounts = accountFigures(rows);
  return { period, timeZone: 'UTC', current, previous, figures: figures(rows, accounts), accounts };
}

const notFound = () => new AppError('not_found', 'Company not found');

/**
 * The scope of `GET /v1/rep/kpis`: a rep's own accounts (`repId` naming anyone else: 404), or for a platform
 * admin every company, or a rep's (`repId`); `companyId` narrows to one of those, and a company outside
 * them is a 404 as everywhere else.
 */
export async function repScope(
  db: Database,
  who: { userId: string; platformAdmin: boolean },
  query: { repId?: string; companyId?: string },
): Promise<KpiScope> {
  if (!who.platformAdmin && query.repId !== undefined && query.repId !== who.userId) throw notFound();
  const repId = who.platformAdmin ? query.repId : who.userId;
  if (repId !== undefined && who.platformAdmin && !(await isSupplierUser(db, repId)))
    throw new AppError('not_found', 'No such sales rep');
  if (query.companyId === undefined) return repId === undefined ? { kind: 'all' } : { kind: 'rep', repId };
  const reachable =
    repId === undefined
      ? await companyExists(db, query.companyId)
      : await isRepOf(db, repId, query.companyId);
  if (!reachable) throw notFound();
  return { kind: 'company', companyId: query.companyId };
}

/** The scope of `GET /v1/admin/kpis`: every company, or the one named (an unknown one: 404). */
export async function adminScope(db: Database, companyId: string | undefined): Promise<KpiScope> {
  if (companyId === undefined) return { kind: 'all' };
  if (!(await companyExists(db, companyId))) throw notFound();
  return { kind: 'company', companyId };
}
