import { Hono } from 'hono';
import * as v from 'valibot';
import { listAccounts } from '../db/queries/companies';
import { notFound } from '../domain/errors';
import { actorOf } from '../http/actor';
import type { AppContext, AppEnv } from '../http/context';
import { requirePermission } from '../http/middleware';
import { doc } from '../http/openapi';
import { validParams } from '../http/validate';
import { auditInsert } from '../services/audit';
import { indexStatus, requestRebuild } from '../services/pricing/status';
import { IdSchema } from './schemas';

const tags = ['Supplier administration'];
const CompanyParam = v.strictObject({ companyId: IdSchema });
const Status = v.object({
  companyId: v.string(),
  fingerprint: v.string(),
  state: v.picklist(['missing', 'building', 'stale', 'current']),
  generation: v.nullable(v.number()),
  requestedGeneration: v.number(),
  buildingGeneration: v.nullable(v.number()),
  builtAt: v.nullable(v.number()),
  ageSeconds: v.nullable(v.number()),
  buildMs: v.nullable(v.number()),
  sizeBytes: v.nullable(v.number()),
  productCount: v.nullable(v.number()),
  partCount: v.nullable(v.number()),
  validUntil: v.nullable(v.number()),
  staleSince: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  sharedByCompanies: v.number(),
});

/** Sales reps see their accounts, platform admins all; anything else is a 404. */
async function visibleCompany(c: AppContext, companyId: string): Promise<string> {
  const { principal, services } = c.var;
  const viewer = { userId: principal.id, all: principal.permissions.has('platform.admin') };
  const [row] = await listAccounts(services.db, viewer, companyId);
  if (!row) throw notFound('Company');
  return row.id;
}

export const adminPriceIndexRoutes = new Hono<AppEnv>()
  .get(
    '/price-index/:companyId',
    doc({ tags, summary: "A customer's price index: generation, age, size and state", ok: Status }),
    requirePermission('accounts.view'),
    validParams(CompanyParam),
    async (c) => {
      const companyId = await visibleCompany(c, c.req.valid('param').companyId);
      const status = await indexStatus(c.var.services.pricing, companyId, c.var.services.now());
      if (!status) throw notFound('Price index');
      return c.json(status);
    },
  )
  .post(
    '/price-index/:companyId/rebuild',
    doc({
      tags,
      summary: "Rebuild a customer's price index now",
      status: 202,
      ok: v.object({ fingerprint: v.string() }),
    }),
    requirePermission('pricing.manage'),
    validParams(CompanyParam),
    async (c) => {
      const companyId = await visibleCompany(c, c.req.valid('param').companyId);
      const actor = actorOf(c);
      const { db } = c.var.services;
      const fingerprint = await requestRebuild(
        c.var.services.pricing,
        companyId,
        `requested by ${actor.principal.id}`,
        actor.now,
      );
      if (!fingerprint) throw notFound('Price index');
      await auditInsert(db, actor, {
        companyId,
        action: 'price_index.rebuild',
        targetType: 'price_index',
        targetId: fingerprint,
        summary: 'Requested a rebuild of the price index',
      });
      return c.json({ fingerprint }, 202);
    },
  );
