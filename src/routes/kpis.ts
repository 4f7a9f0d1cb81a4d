import { Hono } from 'hono';
import { AppError } from '../domain/errors';
import { accountsCsv, figuresCsv } from '../domain/kpi-csv';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validQuery } from '../http/validate';
import { adminScope, type KpiReport, type KpiScope, kpiReport, repScope } from '../services/kpi/report';
import { AdminKpiQuery, CompanyKpiQuery, KpiReportSchema, RepKpiQuery } from './kpi-schemas';

const tags = ['KPIs'];
const DESCRIPTION =
  'Each figure for the period (`period`: ISO week, calendar month or calendar quarter, in UTC) containing `at` (`YYYY-MM-DD`, default today) and for the period before it, from the daily KPI rows (weeks) and their monthly rollups (months, quarters) the 5-minute cron recomputes from the orders and quotes (docs/kpis.md). Money and the autonomy rate by value come per currency. `format=csv` (or `Accept: text/csv`) downloads the `table` (`figures` or `accounts`) as CSV.';

interface Query {
  period: 'week' | 'month' | 'quarter';
  at?: string;
  format?: 'json' | 'csv';
  table: 'figures' | 'accounts';
}

const wantsCsv = (c: AppContext, q: Query) =>
  q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/i.test(c.req.header('accept') ?? ''));

async function answer(c: AppContext, scope: KpiScope, q: Query, name: string) {
  const { db, now } = c.var.services;
  const report: KpiReport = await kpiReport(db, scope, q.period, q.at, now());
  if (!wantsCsv(c, q)) return c.json(report);
  const body = q.table === 'accounts' ? accountsCsv(report.accounts) : figuresCsv(report.figures);
  const filename = `${name}-${q.table}-${q.period}-${report.current.from}.csv`;
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}

const documented = (summary: string) =>
  doc({ tags, summary, description: DESCRIPTION, ok: KpiReportSchema, alsoMediaType: 'text/csv' });

/** `/v1/rep/kpis`: a rep's accounts; platform admins: every company, or a rep's (`repId`). */
export const repKpiRoutes = new Hono<AppEnv>().get(
  '/kpis',
  documented("KPIs of the sales rep's accounts (platform admins: all, or a rep's with `repId`)"),
  validQuery(RepKpiQuery),
  async (c) => {
    const { principal, services } = c.var;
    const platformAdmin = principal.permissions.has('platform.admin');
    if (principal.audience !== 'supplier' || !(platformAdmin || principal.permissions.has('accounts.view')))
      throw new AppError('forbidden', 'This needs the "accounts.view" permission');
    const q = c.req.valid('query');
    const scope = await repScope(services.db, { userId: principal.id, platformAdmin }, q);
    return answer(c, scope, q, 'rep-kpis');
  },
);

/** `/v1/admin/kpis`: every company, or one (`companyId`). */
export const adminKpiRoutes = new Hono<AppEnv>().get(
  '/kpis',
  documented('KPIs of every company, or of one with `companyId`'),
  requirePermission('platform.admin'),
  validQuery(AdminKpiQuery),
  async (c) => {
    const q = c.req.valid('query');
    return answer(c, await adminScope(c.var.services.db, q.companyId), q, 'kpis');
  },
);

/** `/v1/company/kpis`: the company's own, for its administrators and finance. */
export const companyKpiRoutes = new Hono<AppEnv>().get(
  '/kpis',
  documented("The company's own KPIs"),
  requirePermission('audit.view'),
  validQuery(CompanyKpiQuery),
  async (c) => {
    const q = c.req.valid('query');
    return answer(c, { kind: 'company', companyId: scopeOf(c).companyId }, q, 'company-kpis');
  },
);
