import { and, eq, ne } from 'drizzle-orm';
import { costCenterCodeTaken, getCostCenter, getSite } from '../db/queries/company-places';
import { costCenters, sites } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { conflict, notFound } from '../domain/errors';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';

export interface SiteInput {
  name: string;
  line1: string;
  line2?: string | null;
  postalCode: string;
  city: string;
  region?: string | null;
  country: string;
  isDefaultShipTo?: boolean;
  isBilling?: boolean;
  status?: 'active' | 'archived';
}

/** Only one default ship-to per company: setting it on one site clears it on the others, in the same batch. */
function clearOtherDefaults(scope: CompanyScope, keepId: string) {
  return scope.db
    .update(sites)
    .set({ isDefaultShipTo: false })
    .where(and(eq(sites.companyId, scope.companyId), ne(sites.id, keepId)));
}

export async function createSite(scope: CompanyScope, actor: Actor, input: SiteInput) {
  const id = newId('site');
  const { db, companyId } = scope;
  await db.batch([
    db.insert(sites).values({ ...input, id, companyId, createdAt: actor.now }),
    ...(input.isDefaultShipTo ? [clearOtherDefaults(scope, id)] : []),
    auditInsert(db, actor, {
      companyId,
      action: 'site.create',
      targetType: 'site',
      targetId: id,
      summary: `Created address ${input.name}`,
    }),
  ]);
  return getSite(scope, id);
}

export async function updateSite(scope: CompanyScope, actor: Actor, id: string, changes: Partial<SiteInput>) {
  const existing = await getSite(scope, id);
  if (!existing) throw notFound('Address');
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(sites)
      .set(changes)
      .where(and(eq(sites.id, id), eq(sites.companyId, companyId))),
    ...(changes.isDefaultShipTo ? [clearOtherDefaults(scope, id)] : []),
    auditInsert(db, actor, {
      companyId,
      action: 'site.update',
      targetType: 'site',
      targetId: id,
      summary: `Updated address ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  return getSite(scope, id);
}

export interface CostCenterInput {
  code: string;
  name: string;
  status?: 'active' | 'archived';
}

export async function createCostCenter(scope: CompanyScope, actor: Actor, input: CostCenterInput) {
  if (await costCenterCodeTaken(scope, input.code))
    throw conflict(`Cost center ${input.code} already exists`);
  const id = newId('cc');
  const { db, companyId } = scope;
  await db.batch([
    db.insert(costCenters).values({ ...input, id, companyId, createdAt: actor.now }),
    auditInsert(db, actor, {
      companyId,
      action: 'cost_center.create',
      targetType: 'cost_center',
      targetId: id,
      summary: `Created cost center ${input.code}`,
    }),
  ]);
  return getCostCenter(scope, id);
}

export async function updateCostCenter(
  scope: CompanyScope,
  actor: Actor,
  id: string,
  changes: Partial<CostCenterInput>,
) {
  const existing = await getCostCenter(scope, id);
  if (!existing) throw notFound('Cost center');
  if (changes.code && (await costCenterCodeTaken(scope, changes.code, id)))
    throw conflict(`Cost center ${changes.code} already exists`);
  const { db, companyId } = scope;
  await db.batch([
    db
      .update(costCenters)
      .set(changes)
      .where(and(eq(costCenters.id, id), eq(costCenters.companyId, companyId))),
    auditInsert(db, actor, {
      companyId,
      action: 'cost_center.update',
      targetType: 'cost_center',
      targetId: id,
      summary: `Updated cost center ${existing.code}: ${describeChanges(changes)}`,
    }),
  ]);
  return getCostCenter(scope, id);
}
