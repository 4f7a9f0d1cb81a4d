import { and, asc, eq } from 'drizzle-orm';
import { costCenters, sites } from '../schema';
import type { CompanyScope } from '../scope';

export type SiteRow = typeof sites.$inferSelect;
export type CostCenterRow = typeof costCenters.$inferSelect;

export const listSites = (scope: CompanyScope) =>
  scope.db
    .select()
    .from(sites)
    .where(eq(sites.companyId, scope.companyId))
    .orderBy(asc(sites.name), asc(sites.id));

export async function getSite(scope: CompanyScope, id: string): Promise<SiteRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(sites)
    .where(and(eq(sites.companyId, scope.companyId), eq(sites.id, id)))
    .limit(1);
  return row;
}

export const listCostCenters = (scope: CompanyScope) =>
  scope.db
    .select()
    .from(costCenters)
    .where(eq(costCenters.companyId, scope.companyId))
    .orderBy(asc(costCenters.code));

export async function getCostCenter(scope: CompanyScope, id: string): Promise<CostCenterRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(costCenters)
    .where(and(eq(costCenters.companyId, scope.companyId), eq(costCenters.id, id)))
    .limit(1);
  return row;
}

export async function costCenterCodeTaken(
  scope: CompanyScope,
  code: string,
  exceptId?: string,
): Promise<boolean> {
  const [row] = await scope.db
    .select({ id: costCenters.id })
    .from(costCenters)
    .where(and(eq(costCenters.companyId, scope.companyId), eq(costCenters.code, code)))
    .limit(1);
  return row !== undefined && row.id !== exceptId;
}
