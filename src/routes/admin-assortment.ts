import { Hono } from 'hono';
import * as v from 'valibot';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  createAssortmentRule,
  deleteAssortmentRule,
  getAssortmentRuleFor,
  listAssortmentRulesFor,
  updateAssortmentRule,
} from '../services/pricing-admin/assortment';
import { TargetSchema, TargetTypeSchema } from './admin-contracts';
import { CountrySchema, IdParam, IdSchema, patchOf, text } from './schemas';

const tags = ['Assortments'];
const Scope = v.picklist(['company', 'group', 'region']);
const Effect = v.picklist(['include', 'exclude', 'not_orderable', 'lead_time']);
const fields = {
  scopeType: Scope,
  companyId: v.optional(v.nullable(IdSchema)),
  groupId: v.optional(v.nullable(IdSchema)),
  region: v.optional(v.nullable(CountrySchema)),
  effect: Effect,
  targetType: TargetTypeSchema,
  target: v.optional(v.nullable(TargetSchema)),
  leadTimeDays: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(365)))),
  note: v.optional(v.nullable(text({ max: 500, min: 0, multiline: true }))),
};
const AssortmentRule = v.object({
  id: v.string(),
  scopeType: Scope,
  companyId: v.nullable(v.string()),
  groupId: v.nullable(v.string()),
  region: v.nullable(v.string()),
  effect: Effect,
  targetType: TargetTypeSchema,
  target: v.nullable(v.string()),
  leadTimeDays: v.nullable(v.number()),
  note: v.nullable(v.string()),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const Query = v.strictObject({
  companyId: v.optional(IdSchema),
  groupId: v.optional(IdSchema),
  region: v.optional(CountrySchema),
  ...PageParams,
});
const Cursor = v.object({ i: v.string() });

const manage = requirePermission('pricing.manage');
const ACCESS =
  'Sales reps see their accounts’ rules and all group and region rules, and change only their accounts’ ones.';
const UNKNOWN = 'Unknown company, group, SKU, family, category or brand';

/** Which products a customer sees and may order, by company, customer group or country. */
export const assortmentRoutes = new Hono<AppEnv>()
  .get(
    '/assortment-rules',
    doc({
      tags,
      summary: 'Assortment rules',
      description: ACCESS,
      ok: pageOf(AssortmentRule),
    }),
    manage,
    validQuery(Query),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const rows = await listAssortmentRulesFor(c.var.services.pricing, c.var.principal, {
        ...filter,
        afterId: decodeCursor(Cursor, cursor)?.i,
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ i: last.id })));
    },
  )
  .post(
    '/assortment-rules',
    doc({
      tags,
      summary: 'Add an assortment rule',
      description: `${ACCESS} The field named by \`scopeType\` is required, the other two absent; \`leadTimeDays\` goes with effect \`lead_time\` only.`,
      ok: AssortmentRule,
      status: 201,
      errors: { 422: UNKNOWN },
    }),
    manage,
    validBody(v.strictObject(fields)),
    async (c) =>
      c.json(await createAssortmentRule(c.var.services.pricing, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/assortment-rules/:id',
    doc({ tags, summary: 'One assortment rule', ok: AssortmentRule }),
    manage,
    validParams(IdParam),
    async (c) =>
      c.json(await getAssortmentRuleFor(c.var.services.pricing, c.var.principal, c.req.valid('param').id)),
  )
  .patch(
    '/assortment-rules/:id',
    doc({ tags, summary: 'Change an assortment rule', ok: AssortmentRule, errors: { 422: UNKNOWN } }),
    manage,
    validParams(IdParam),
    validBody(patchOf(fields)),
    async (c) =>
      c.json(
        await updateAssortmentRule(
          c.var.services.pricing,
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      ),
  )
  .delete(
    '/assortment-rules/:id',
    doc({ tags, summary: 'Delete an assortment rule', status: 204 }),
    manage,
    validParams(IdParam),
    async (c) => {
      await deleteAssortmentRule(c.var.services.pricing, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
