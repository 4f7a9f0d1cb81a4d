import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import { rolePermissions, roles } from '../schema';
import type { CompanyScope } from '../scope';

export interface RoleWithPermissions {
  id: string;
  key: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
}

const visibleTo = (scope: CompanyScope) =>
  and(
    eq(roles.audience, 'customer'),
    or(eq(roles.companyId, scope.companyId), and(isNull(roles.companyId), eq(roles.builtIn, true))),
  );

/** Built-in customer roles plus the company's own; never another company's custom roles. */
export async function listCompanyRoles(scope: CompanyScope, id?: string): Promise<RoleWithPermissions[]> {
  const rows = await scope.db
    .select({ id: roles.id, key: roles.key, name: roles.name, builtIn: roles.builtIn })
    .from(roles)
    .where(and(visibleTo(scope), id ? eq(roles.id, id) : undefined))
    .orderBy(asc(roles.builtIn), asc(roles.key));
  if (rows.length === 0) return [];
  const grants = await scope.db
    .select()
    .from(rolePermissions)
    .where(
      inArray(
        rolePermissions.roleId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(rolePermissions.permission));
  return rows.map((r) => ({
    ...r,
    permissions: grants.filter((g) => g.roleId === r.id).map((g) => g.permission),
  }));
}

export async function getCompanyRole(scope: CompanyScope, id: string) {
  return (await listCompanyRoles(scope, id))[0];
}

/** Who already uses a role key in this company: a built-in role (shared by all), a custom role, or nobody. */
export async function roleKeyHolder(scope: CompanyScope, key: string): Promise<'built_in' | 'custom' | null> {
  const [row] = await scope.db
    .select({ builtIn: roles.builtIn })
    .from(roles)
    .where(and(eq(roles.key, key), or(eq(roles.companyId, scope.companyId), isNull(roles.companyId))))
    .limit(1);
  if (!row) return null;
  return row.builtIn ? 'built_in' : 'custom';
}
