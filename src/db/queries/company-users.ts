import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { roles, userRoles, users } from '../schema';
import type { CompanyScope } from '../scope';
import { listCompanyRoles, type RoleWithPermissions } from './company-roles';

export type UserRow = typeof users.$inferSelect;

export interface CompanyUser {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  orderLimitMinor: number | null;
  periodLimitMinor: number | null;
  periodLimitPeriod: 'day' | 'week' | 'month' | null;
  roles: { id: string; key: string }[];
  createdAt: number;
  lastLoginAt: number | null;
}

/** Every query here filters by the scope's company: a user of another company is simply not found. */
export async function listCompanyUsers(scope: CompanyScope, afterEmail: string | undefined, limit: number) {
  const rows = await scope.db
    .select()
    .from(users)
    .where(and(eq(users.companyId, scope.companyId), afterEmail ? gt(users.email, afterEmail) : undefined))
    .orderBy(asc(users.email))
    .limit(limit);
  return withRoles(scope, rows);
}

export async function getCompanyUser(scope: CompanyScope, id: string): Promise<CompanyUser | undefined> {
  const rows = await scope.db
    .select()
    .from(users)
    .where(and(eq(users.companyId, scope.companyId), eq(users.id, id)))
    .limit(1);
  return (await withRoles(scope, rows))[0];
}

async function withRoles(scope: CompanyScope, rows: UserRow[]): Promise<CompanyUser[]> {
  if (rows.length === 0) return [];
  const grants = await scope.db
    .select({ userId: userRoles.userId, id: roles.id, key: roles.key })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(
      inArray(
        userRoles.userId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(roles.key));
  return rows.map(({ passwordHash: _hash, companyId: _company, ...u }) => ({
    ...u,
    roles: grants.filter((g) => g.userId === u.id).map(({ id, key }) => ({ id, key })),
  }));
}

/** Roles a company may hand out (built-in customer roles and its own), with their permissions, by id. */
export async function assignableRoles(
  scope: CompanyScope,
  ids: readonly string[],
): Promise<Map<string, RoleWithPermissions>> {
  if (ids.length === 0) return new Map();
  const wanted = new Set(ids);
  const visible = await listCompanyRoles(scope);
  return new Map(visible.filter((r) => wanted.has(r.id)).map((r) => [r.id, r]));
}

/** Whether the address belongs to anyone on the platform, in any company or on the supplier's staff. */
export async function emailRegistered(
  scope: CompanyScope,
  email: string,
): Promise<'here' | 'elsewhere' | null> {
  const [row] = await scope.db
    .select({ companyId: users.companyId })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  if (!row) return null;
  return row.companyId === scope.companyId ? 'here' : 'elsewhere';
}
