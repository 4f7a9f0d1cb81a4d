import { Hono } from 'hono';
import * as v from 'valibot';
import { getBudget, listBudgets } from '../db/queries/approval-config';
import { notFound } from '../domain/errors';
import { BUDGET_PERIODS, COST_CENTER_RULES } from '../domain/order-terms';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams, validQuery } from '../http/validate';
import { archiveBudget, createBudget, updateBudget } from '../services/approval-config';
import { readBudgetSettings, updateBudgetSettings } from '../services/budget-settings';
import { manageApprovalConfig, present, readApprovalConfig } from './company-approvals';
import { tellsCompanyObject } from './company-facts';
import { CurrencySchema, IdParam, IdSchema, MoneyMinorSchema, patchOf, StatusSchema } from './schemas';

const Period = v.picklist(BUDGET_PERIODS);
const OnExceed = v.picklist(['finance_approval', 'refuse']);
const NewBudget = v.strictObject({
  costCenterId: IdSchema,
  period: Period,
  amountMinor: MoneyMinorSchema,
  currency: CurrencySchema,
  onExceed: v.optional(OnExceed),
});
const BudgetPatch = patchOf({
  amountMinor: MoneyMinorSchema,
  currency: CurrencySchema,
  onExceed: OnExceed,
  status: StatusSchema,
});
const BudgetQuery = v.strictObject({ status: v.optional(StatusSchema), costCenterId: v.optional(IdSchema) });
const Budget = v.object({
  id: v.string(),
  costCenterId: v.string(),
  period: Period,
  amountMinor: v.number(),
  currency: v.string(),
  onExceed: OnExceed,
  status: StatusSchema,
  createdAt: v.number(),
  updatedAt: v.number(),
});

const Settings = v.object({ costCenterRequired: v.picklist(COST_CENTER_RULES) });
const SettingsPatch = v.strictObject({ costCenterRequired: v.picklist(COST_CENTER_RULES) });

const tags = ['Company budgets'];
const SETTINGS =
  '`costCenterRequired`: when checkout refuses an order without a cost center (422 `costCenterId`) — ' +
  '`when_budgeted` (default: while the company has any active budget), `always` or `never`.';
const RULES =
  'One budget per cost center and period (month, quarter, year; UTC calendar periods), in the company ' +
  'currency. An order that would exceed what is left waits for finance (`finance_approval`) or is refused.';

export const companyBudgetRoutes = new Hono<AppEnv>()
  .get(
    '/budget-settings',
    doc({
      tags,
      summary: 'Budget settings: when orders must name a cost center',
      description: SETTINGS,
      ok: Settings,
    }),
    readApprovalConfig,
    async (c) => c.json(await readBudgetSettings(scopeOf(c))),
  )
  .patch(
    '/budget-settings',
    doc({ tags, summary: 'Change the budget settings', description: SETTINGS, ok: Settings }),
    manageApprovalConfig,
    tellsCompanyObject,
    validBody(SettingsPatch),
    async (c) => c.json(await updateBudgetSettings(scopeOf(c), actorOf(c), c.req.valid('json'))),
  )
  .get(
    '/budgets',
    doc({ tags, summary: 'Budgets per cost center and period', ok: v.object({ items: v.array(Budget) }) }),
    readApprovalConfig,
    validQuery(BudgetQuery),
    async (c) => c.json({ items: (await listBudgets(scopeOf(c), c.req.valid('query'))).map(present) }),
  )
  .get(
    '/budgets/:id',
    doc({ tags, summary: 'One budget', ok: Budget }),
    readApprovalConfig,
    validParams(IdParam),
    async (c) => {
      const budget = await getBudget(scopeOf(c), c.req.valid('param').id);
      if (!budget) throw notFound('Budget');
      return c.json(present(budget));
    },
  )
  .post(
    '/budgets',
    doc({
      tags,
      summary: 'Add a budget to a cost center',
      description: RULES,
      ok: Budget,
      status: 201,
      errors: {
        409: 'The cost center already has a budget for this period (perhaps archived: reactivate it)',
        422: 'Unknown cost center, or not the company currency',
      },
    }),
    manageApprovalConfig,
    tellsCompanyObject,
    validBody(NewBudget),
    async (c) => c.json(present(await createBudget(scopeOf(c), actorOf(c), c.req.valid('json'))), 201),
  )
  .patch(
    '/budgets/:id',
    doc({
      tags,
      summary: 'Change the amount or the exceed rule of a budget, or reactivate it',
      description: RULES,
      ok: Budget,
      errors: { 422: 'Not the company currency' },
    }),
    manageApprovalConfig,
    tellsCompanyObject,
    validParams(IdParam),
    validBody(BudgetPatch),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(present(await updateBudget(scopeOf(c), actorOf(c), id, c.req.valid('json'))));
    },
  )
  .delete(
    '/budgets/:id',
    doc({ tags, summary: 'Archive a budget', status: 204, errors: { 409: 'Already archived' } }),
    manageApprovalConfig,
    tellsCompanyObject,
    validParams(IdParam),
    async (c) => {
      await archiveBudget(scopeOf(c), actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
