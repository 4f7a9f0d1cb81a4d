import { and, asc, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { roles, userRoles, users } from '../schema';
import type { CompanyScope } from '../scope';

export type UserRow = typeof users.$inferSelect;

export interface CompanyUser {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled';
  orderLimitMinor: number | null;
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

/** Roles a company may hand out: the built-in customer roles and its own custom roles. */
export async function assignableRoleIds(scope: CompanyScope, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await scope.db
    .select({ id: roles.id })
    .from(roles)
    .where(
      and(
        inArray(roles.id, ids),
        eq(roles.audience, 'customer'),
        or(eq(roles.companyId, scope.companyId), and(isNull(roles.companyId), eq(roles.builtIn, true))),
      ),
    );
  return new Set(rows.map((r) => r.id));
}

export async function emailTaken(scope: CompanyScope, email: string): Promise<boolean> {
  const [row] = await scope.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  return row !== undefined;
}
