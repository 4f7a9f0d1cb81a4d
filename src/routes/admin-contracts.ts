import { Hono } from 'hono';
import * as v from 'valibot';
import { APPLIES_TO } from '../domain/pricing/engine';
import { TARGET_TYPES } from '../domain/pricing/targets';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { decodeCursor, keysetPage, PageParams, pageOf } from '../http/paging';
import { validBody, validParams, validQuery } from '../http/validate';
import {
  archiveContract,
  createContract,
  getContractFor,
  listContractsFor,
  updateContract,
} from '../services/pricing-admin/contracts';
import { createRules, deleteRule, listRules, updateRule } from '../services/pricing-admin/price-rules';
import {
  CurrencySchema,
  EpochMsSchema,
  IdParam,
  IdSchema,
  MoneyMinorSchema,
  NameSchema,
  patchOf,
  StatusSchema,
  text,
} from './schemas';

export const TargetTypeSchema = v.picklist(TARGET_TYPES, 'one of sku, family, category, brand, all');
export const TargetSchema = text({ max: 200 });
export const PrioritySchema = v.pipe(v.number(), v.integer(), v.minValue(-1_000_000), v.maxValue(1_000_000));
const Combination = v.picklist(['best_price', 'stackable']);

const tags = ['Contract pricing'];
const contractFields = {
  name: NameSchema,
  currency: CurrencySchema,
  companyId: v.optional(v.nullable(IdSchema)),
  groupId: v.optional(v.nullable(IdSchema)),
  combination: v.optional(Combination),
  priority: v.optional(PrioritySchema),
  validFrom: v.optional(v.nullable(EpochMsSchema)),
  validTo: v.optional(v.nullable(EpochMsSchema)),
};
const Contract = v.object({
  id: v.string(),
  name: v.string(),
  currency: v.string(),
  companyId: v.nullable(v.string()),
  groupId: v.nullable(v.string()),
  combination: Combination,
  priority: v.number(),
  validFrom: v.nullable(v.number()),
  validTo: v.nullable(v.number()),
  status: StatusSchema,
  ruleCount: v.number(),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const ContractQuery = v.strictObject({
  companyId: v.optional(IdSchema),
  groupId: v.optional(IdSchema),
  status: v.optional(StatusSchema),
  ...PageParams,
});
const ContractCursor = v.object({ n: v.string(), i: v.string() });

const AppliesToSchema = v.pipe(
  v.picklist(APPLIES_TO),
  v.description(
    'What a discount is taken off: `list` (default) the list price; `contract` the price the contract’s ' +
      'other rules give (its net price or list discount, else the list price), e.g. a quantity tier on a ' +
      'net price. A net price is always `list`.',
  ),
);

const ruleFields = {
  targetType: TargetTypeSchema,
  target: v.optional(v.nullable(TargetSchema)),
  kind: v.picklist(['net_price', 'discount']),
  amountMinor: v.optional(v.nullable(MoneyMinorSchema)),
  discountBp: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)))),
  appliesTo: v.optional(AppliesToSchema),
  minQuantity: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
  priority: v.optional(PrioritySchema),
  validFrom: v.optional(v.nullable(EpochMsSchema)),
  validTo: v.optional(v.nullable(EpochMsSchema)),
  label: v.optional(v.nullable(text({ max: 200, min: 0 }))),
};
const NewRules = v.strictObject({
  rules: v.pipe(v.array(v.strictObject(ruleFields)), v.minLength(1), v.maxLength(5000)),
});
const Rule = v.object({
  id: v.string(),
  contractId: v.string(),
  targetType: TargetTypeSchema,
  target: v.nullable(v.string()),
  kind: v.picklist(['net_price', 'discount']),
  amountMinor: v.nullable(v.number()),
  discountBp: v.nullable(v.number()),
  appliesTo: AppliesToSchema,
  minQuantity: v.number(),
  priority: v.number(),
  validFrom: v.nullable(v.number()),
  validTo: v.nullable(v.number()),
  label: v.nullable(v.string()),
  // set on rules the ERP manages (its key of the price row and the version last applied)
  erpKey: v.nullable(v.string()),
  erpVersion: v.nullable(v.number()),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const PageQuery = v.strictObject(PageParams);
const IdCursor = v.object({ i: v.string() });
const RuleParams = v.strictObject({ id: IdSchema, ruleId: IdSchema });

const manage = requirePermission('pricing.manage');
const ACCESS =
  'Sales reps see their accounts’ contracts and all group contracts, and change only their accounts’ ones.';

/** Contracts and their price rules: sales reps for their own accounts, platform admins for everyone. */
export const contractRoutes = new Hono<AppEnv>()
  .get(
    '/contracts',
    doc({
      tags,
      summary: 'Contracts, by name',
      description: ACCESS,
      ok: pageOf(Contract),
    }),
    manage,
    validQuery(ContractQuery),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const after = decodeCursor(ContractCursor, cursor);
      const rows = await listContractsFor(c.var.services.pricing, c.var.principal, {
        ...filter,
        after: after && { name: after.n, id: after.i },
        limit: limit + 1,
      });
      return c.json(keysetPage(rows, limit, (last) => ({ n: last.name, i: last.id })));
    },
  )
  .post(
    '/contracts',
    doc({
      tags,
      summary: 'Open a contract for one company or one customer group',
      description: `${ACCESS} A company contract is in the company's currency.`,
      ok: Contract,
      status: 201,
      errors: { 422: 'Unknown company or group, or another currency than the company’s' },
    }),
    manage,
    validBody(v.strictObject(contractFields)),
    async (c) => c.json(await createContract(c.var.services.pricing, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/contracts/:id',
    doc({ tags, summary: 'One contract, with its rule count', ok: Contract }),
    manage,
    validParams(IdParam),
    async (c) =>
      c.json(await getContractFor(c.var.services.pricing, c.var.principal, c.req.valid('param').id)),
  )
  .patch(
    '/contracts/:id',
    doc({
      tags,
      summary: 'Change a contract',
      ok: Contract,
      errors: { 409: 'Archived', 422: 'Unknown company or group, or another currency than the company’s' },
    }),
    manage,
    validParams(IdParam),
    validBody(patchOf(contractFields)),
    async (c) =>
      c.json(
        await updateContract(
          c.var.services.pricing,
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
      ),
  )
  .delete(
    '/contracts/:id',
    doc({ tags, summary: 'Archive a contract (it stops pricing)', status: 204, errors: { 409: 'Archived' } }),
    manage,
    validParams(IdParam),
    async (c) => {
      await archiveContract(c.var.services.pricing, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .get(
    '/contracts/:id/rules',
    doc({
      tags,
      summary: 'Price rules of a contract',
      ok: pageOf(Rule),
    }),
    manage,
    validParams(IdParam),
    validQuery(PageQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(IdCursor, cursor)?.i;
      const rows = await listRules(
        c.var.services.pricing,
        c.var.principal,
        c.req.valid('param').id,
        after,
        limit + 1,
      );
      return c.json(keysetPage(rows, limit, (last) => ({ i: last.id })));
    },
  )
  .post(
    '/contracts/:id/rules',
    doc({
      tags,
      summary: 'Add 1–5,000 price rules in one atomic write',
      description:
        'A net price or a discount on a SKU, family, category (with its subtree), brand or everything; a ' +
        'discount is taken off the list price or (`appliesTo: contract`) off the price the contract’s other ' +
        'rules give. Nothing is written when any rule is invalid; every missing target is listed as `rules.N.target`.',
      ok: v.object({ items: v.array(Rule) }),
      status: 201,
      errors: {
        409: 'Archived contract',
        422: 'A rule targets a SKU, family, category or brand that does not exist',
      },
    }),
    manage,
    validParams(IdParam),
    validBody(NewRules),
    async (c) => {
      const { id } = c.req.valid('param');
      const items = await createRules(c.var.services.pricing, actorOf(c), id, c.req.valid('json').rules);
      return c.json({ items }, 201);
    },
  )
  .patch(
    '/contracts/:id/rules/:ruleId',
    doc({
      tags,
      summary: 'Change a price rule',
      ok: Rule,
      errors: { 409: 'Archived contract', 422: 'Unknown target' },
    }),
    manage,
    validParams(RuleParams),
    validBody(patchOf(ruleFields)),
    async (c) => {
      const { id, ruleId } = c.req.valid('param');
      return c.json(await updateRule(c.var.services.pricing, actorOf(c), id, ruleId, c.req.valid('json')));
    },
  )
  .delete(
    '/contracts/:id/rules/:ruleId',
    doc({ tags, summary: 'Delete a price rule', status: 204, errors: { 409: 'Archived contract' } }),
    manage,
    validParams(RuleParams),
    async (c) => {
      const { id, ruleId } = c.req.valid('param');
      await deleteRule(c.var.services.pricing, actorOf(c), id, ruleId);
      return c.body(null, 204);
    },
  );
