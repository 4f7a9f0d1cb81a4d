import { Hono } from 'hono';
import * as v from 'valibot';
import { childCompanies, getCompany } from '../db/queries/companies';
import { notFound } from '../domain/errors';
import type { AppEnv } from '../http/context';
import { scopeOf } from '../http/middleware';
import { doc } from '../http/openapi';

const Company = v.object({
  id: v.string(),
  name: v.string(),
  parentId: v.nullable(v.string()),
  defaultCurrency: v.string(),
  country: v.string(),
  status: v.picklist(['active', 'suspended']),
  // the customer number the supplier's ERP knows the company by (on invoices and delivery notes)
  erpCustomerNumber: v.nullable(v.string()),
  children: v.array(v.object({ id: v.string(), name: v.string() })),
});

export const companyProfileRoutes = new Hono<AppEnv>().get(
  '/',
  doc({
    tags: ['Company'],
    summary: 'The company the request acts for, with its child companies',
    ok: Company,
  }),
  async (c) => {
    const scope = scopeOf(c);
    const [company, children] = await Promise.all([
      getCompany(scope.db, scope.companyId),
      childCompanies(scope.db, scope.companyId),
    ]);
    if (!company) throw notFound('Company');
    // who sells to the company and which price list it is priced from are the supplier's business
    const {
      salesRepUserId: _rep,
      priceListId: _list,
      createdAt: _created,
      erpVersion: _version,
      ...profile
    } = company;
    return c.json({ ...profile, children });
  },
);
