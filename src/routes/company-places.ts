import { Hono } from 'hono';
import * as v from 'valibot';
import { getCostCenter, getSite, listCostCenters, listSites } from '../db/queries/company-places';
import { notFound } from '../domain/errors';
import { actorOf } from '../http/actor';
import type { AppEnv } from '../http/context';
import { requirePermission, scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';
import { validBody, validParams } from '../http/validate';
import { createCostCenter, createSite, updateCostCenter, updateSite } from '../services/company-places';
import { tellsCompanyObject } from './company-facts';
import { CountrySchema, IdParam, NameSchema, patchOf, StatusSchema, text } from './schemas';

const siteTags = ['Company addresses'];
const ccTags = ['Company cost centers'];
const Line = text({ max: 200 });
const siteFields = {
  name: NameSchema,
  line1: Line,
  line2: v.optional(v.nullable(Line)),
  postalCode: text({ max: 20 }),
  city: Line,
  region: v.optional(v.nullable(Line)),
  country: CountrySchema,
  isDefaultShipTo: v.optional(v.boolean()),
  isBilling: v.optional(v.boolean()),
};
const NewSite = v.strictObject(siteFields);
const SitePatch = patchOf({ ...siteFields, status: StatusSchema });
const Site = v.object({
  id: v.string(),
  name: v.string(),
  line1: v.string(),
  line2: v.nullable(v.string()),
  postalCode: v.string(),
  city: v.string(),
  region: v.nullable(v.string()),
  country: v.string(),
  isDefaultShipTo: v.boolean(),
  isBilling: v.boolean(),
  status: StatusSchema,
  // set on addresses the ERP manages (customer imports)
  erpAddressId: v.nullable(v.string()),
  createdAt: v.number(),
});
const Code = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, . _ -; up to 40 characters'),
);
const NewCostCenter = v.strictObject({ code: Code, name: NameSchema });
const CostCenterPatch = patchOf({ code: Code, name: NameSchema, status: StatusSchema });
const CostCenter = v.object({
  id: v.string(),
  code: v.string(),
  name: v.string(),
  status: StatusSchema,
  createdAt: v.number(),
});

const manage = requirePermission('users.manage');
// Strip the tenant column: callers already know their company, and ids are what they act on.
const present = <T extends { companyId: string; createdAt: number }>({
  companyId: _c,
  erpVersion: _v,
  ...row
}: T & { erpVersion?: unknown }) => row;

/** Every member of the company reads its addresses and cost centers (checkout needs them); admins change them. */
export const companyPlaceRoutes = new Hono<AppEnv>()
  .get(
    '/addresses',
    doc({ tags: siteTags, summary: 'Ship-to and billing addresses', ok: v.object({ items: v.array(Site) }) }),
    async (c) => c.json({ items: (await listSites(scopeOf(c))).map(present) }),
  )
  .get(
    '/addresses/:id',
    doc({ tags: siteTags, summary: 'One address', ok: Site }),
    validParams(IdParam),
    async (c) => {
      const site = await getSite(scopeOf(c), c.req.valid('param').id);
      if (!site) throw notFound('Address');
      return c.json(present(site));
    },
  )
  .post(
    '/addresses',
    doc({ tags: siteTags, summary: 'Add an address', ok: Site, status: 201 }),
    manage,
    tellsCompanyObject,
    validBody(NewSite),
    async (c) => {
      const site = await createSite(scopeOf(c), actorOf(c), c.req.valid('json'));
      return c.json(site && present(site), 201);
    },
  )
  .patch(
    '/addresses/:id',
    doc({ tags: siteTags, summary: 'Change or archive an address', ok: Site }),
    manage,
    tellsCompanyObject,
    validParams(IdParam),
    validBody(SitePatch),
    async (c) => {
      const site = await updateSite(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(site && present(site));
    },
  )
  .get(
    '/cost-centers',
    doc({ tags: ccTags, summary: 'Cost centers', ok: v.object({ items: v.array(CostCenter) }) }),
    async (c) => c.json({ items: (await listCostCenters(scopeOf(c))).map(present) }),
  )
  .get(
    '/cost-centers/:id',
    doc({ tags: ccTags, summary: 'One cost center', ok: CostCenter }),
    validParams(IdParam),
    async (c) => {
      const cc = await getCostCenter(scopeOf(c), c.req.valid('param').id);
      if (!cc) throw notFound('Cost center');
      return c.json(present(cc));
    },
  )
  .post(
    '/cost-centers',
    doc({
      tags: ccTags,
      summary: 'Add a cost center',
      ok: CostCenter,
      status: 201,
      errors: { 409: 'Code already used' },
    }),
    manage,
    tellsCompanyObject,
    validBody(NewCostCenter),
    async (c) => {
      const cc = await createCostCenter(scopeOf(c), actorOf(c), c.req.valid('json'));
      return c.json(cc && present(cc), 201);
    },
  )
  .patch(
    '/cost-centers/:id',
    doc({
      tags: ccTags,
      summary: 'Rename, recode or archive a cost center',
      ok: CostCenter,
      errors: { 409: 'Code already used' },
    }),
    manage,
    tellsCompanyObject,
    validParams(IdParam),
    validBody(CostCenterPatch),
    async (c) => {
      const cc = await updateCostCenter(scopeOf(c), actorOf(c), c.req.valid('param').id, c.req.valid('json'));
      return c.json(cc && present(cc));
    },
  );
