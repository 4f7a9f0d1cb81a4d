import * as v from 'valibot';
import { KPI_PERIODS } from '../domain/kpi-periods';
import { CalendarDateSchema, IdSchema } from './schemas';

/** What every KPI route takes; unknown parameters are refused (a misspelt filter must not pass silently). */
const common = {
  period: v.optional(v.picklist(KPI_PERIODS, 'week, month or quarter'), 'month'),
  at: v.optional(CalendarDateSchema),
  format: v.optional(v.picklist(['json', 'csv'], 'json or csv')),
  table: v.optional(v.picklist(['figures', 'accounts'], 'figures or accounts'), 'figures'),
};

export const CompanyKpiQuery = v.strictObject(common);
export const AdminKpiQuery = v.strictObject({ ...common, companyId: v.optional(IdSchema) });
export const RepKpiQuery = v.strictObject({
  ...common,
  companyId: v.optional(IdSchema),
  repId: v.optional(IdSchema),
});

const Range = v.object({ from: v.string(), to: v.string() });
const nullableNumber = v.nullable(v.number());

const AccountPeriod = v.object({
  orders: v.number(),
  autonomousOrders: v.number(),
  autonomyRate: nullableNumber,
  activeUsers: v.number(),
  usedQuickOrder: v.boolean(),
  usedLists: v.boolean(),
  usedRecurring: v.boolean(),
});

export const KpiReportSchema = v.object({
  period: v.picklist(KPI_PERIODS),
  timeZone: v.literal('UTC'),
  current: Range,
  previous: Range,
  figures: v.array(
    v.object({
      kpi: v.string(),
      unit: v.picklist(['count', 'ratio', 'minor', 'minutes', 'per_account']),
      currency: v.nullable(v.string()),
      current: nullableNumber,
      previous: nullableNumber,
    }),
  ),
  accounts: v.array(
    v.object({
      companyId: v.string(),
      companyName: v.string(),
      current: AccountPeriod,
      previous: AccountPeriod,
    }),
  ),
});
