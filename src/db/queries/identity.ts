import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Permission } from '../../domain/permissions';
import type { Database } from '../client';
import { apiKeys, companies, rolePermissions, roles, userRoles, users } from '../schema';

export async function findUserByEmail(db: Database, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).limit(1);
  return row;
}

export interface UserAccess {
  user: typeof users.$inferSelect;
  companyStatus: 'active' | 'suspended' | null;
  roleKeys: string[];
  permissions: Set<Permission>;
}

/** A user with their roles and effective permissions, read in one round trip. */
export async function loadUserAccess(db: Database, userId: string): Promise<UserAccess | undefined> {
  const [userRows, grantRows] = await db.batch([
    db
      // Aliased: D1 maps result columns by name, and an unaliased companies.status would overwrite users.status.
      .select({
        user: users,
        companyStatus: sql<'active' | 'suspended' | null>`${companies.status}`.as('company_status'),
      })
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(eq(users.id, userId))
      .limit(1),
    db
      .select({ roleKey: roles.key, permission: rolePermissions.permission })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .leftJoin(rolePermissions, eq(rolePermissions.roleId, roles.id))
      .where(eq(userRoles.userId, userId)),
  ]);
  const first = userRows[0];
  if (!first) return undefined;
  const roleKeys = [...new Set(grantRows.map((g) => g.roleKey))].sort();
  const permissions = new Set(grantRows.flatMap((g) => (g.permission ? [g.permission as Permission] : [])));
  return { user: first.user, companyStatus: first.companyStatus, roleKeys, permissions };
}

export async function findActiveApiKey(db: Database, prefix: string) {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, prefix), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}
