import { Hono } from 'hono';
import * as v from 'valibot';
import { listGroups } from '../db/queries/pricing-admin';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams } from '../http/validate';
import { setCompanyPriceList } from '../services/pricing-admin/company-pricing';
import {
  createGroup,
  deleteGroup,
  getGroupWithMembers,
  renameGroup,
  setMembers,
} from '../services/pricing-admin/customer-groups';
import { assortmentRoutes } from './admin-assortment';
import { contractRoutes } from './admin-contracts';
import { priceListRoutes } from './admin-price-lists';
import { IdParam, IdSchema, NameSchema } from './schemas';

const tags = ['Customer groups'];
const GroupBody = v.strictObject({ name: NameSchema });
const Group = v.object({
  id: v.string(),
  name: v.string(),
  members: v.array(v.object({ id: v.string(), name: v.string() })),
  createdAt: v.number(),
  updatedAt: v.number(),
});
const GroupSummary = v.object({
  id: v.string(),
  name: v.string(),
  memberCount: v.number(),
  updatedAt: v.number(),
});
const MembersBody = v.strictObject({ companyIds: v.pipe(v.array(IdSchema), v.maxLength(1000)) });
const CompanyPricingBody = v.strictObject({ priceListId: v.nullable(IdSchema) });

const manage = requirePermission('pricing.manage');
const admin = requirePermission('platform.admin');

const groupRoutes = new Hono<AppEnv>()
  .get(
    '/customer-groups',
    doc({ tags, summary: 'Customer groups, by name', ok: v.object({ items: v.array(GroupSummary) }) }),
    manage,
    async (c) => c.json({ items: await listGroups(c.var.services.db) }),
  )
  .post(
    '/customer-groups',
    doc({ tags, summary: 'Create a customer group', ok: Group, status: 201 }),
    manage,
    admin,
    validBody(GroupBody),
    async (c) => c.json(await createGroup(c.var.services.pricing, actorOf(c), c.req.valid('json')), 201),
  )
  .get(
    '/customer-groups/:id',
    doc({ tags, summary: 'One customer group with its members', ok: Group }),
    manage,
    validParams(IdParam),
    async (c) => c.json(await getGroupWithMembers(c.var.services.pricing, c.req.valid('param').id)),
  )
  .patch(
    '/customer-groups/:id',
    doc({ tags, summary: 'Rename a customer group', ok: Group }),
    manage,
    admin,
    validParams(IdParam),
    validBody(GroupBody),
    async (c) =>
      c.json(
        await renameGroup(c.var.services.pricing, actorOf(c), c.req.valid('param').id, c.req.valid('json')),
      ),
  )
  .delete(
    '/customer-groups/:id',
    doc({
      tags,
      summary: 'Delete a customer group no contract or assortment rule uses',
      status: 204,
      errors: { 409: 'Used by a contract or an assortment rule' },
    }),
    manage,
    admin,
    validParams(IdParam),
    async (c) => {
      await deleteGroup(c.var.services.pricing, actorOf(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .put(
    '/customer-groups/:id/members',
    doc({
      tags,
      summary: 'Replace the members of a customer group',
      description: 'A company twice is a 400; every unknown company is listed as `companyIds.N` (422).',
      ok: Group,
      errors: { 422: 'Unknown companies' },
    }),
    manage,
    admin,
    validParams(IdParam),
    validBody(MembersBody),
    async (c) =>
      c.json(
        await setMembers(
          c.var.services.pricing,
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json').companyIds,
        ),
      ),
  )
  .patch(
    '/companies/:id/pricing',
    doc({
      tags: ['Supplier administration'],
      summary: 'Name the price list a company (and its children) prices from; null for its currency default',
      description: 'Sales reps: their accounts only. The list must be active and in the company’s currency.',
      ok: v.object({ companyId: v.string(), priceListId: v.nullable(v.string()) }),
      errors: { 422: 'Unknown or archived price list, or another currency' },
    }),
    manage,
    validParams(IdParam),
    validBody(CompanyPricingBody),
    async (c) =>
      c.json(
        await setCompanyPriceList(
          c.var.services.pricing,
          actorOf(c),
          c.req.valid('param').id,
          c.req.valid('json').priceListId,
        ),
      ),
  );

/** The supplier's pricing administration, mounted under /v1/admin. */
export const pricingAdminRoutes = new Hono<AppEnv>()
  .route('/', priceListRoutes)
  .route('/', groupRoutes)
  .route('/', contractRoutes)
  .route('/', assortmentRoutes);
