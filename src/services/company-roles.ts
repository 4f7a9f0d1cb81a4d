import { and, eq } from 'drizzle-orm';
import { getCompanyRole, roleKeyHolder } from '../db/queries/company-roles';
import { rolePermissions, roles } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict, forbidden, notFound } from '../domain/errors';
import { type CustomerPermission, isCustomerPermission, type Permission } from '../domain/permissions';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';
import { forgetPrincipals } from './principal-cache';
import { enforceGrant } from './rights';

function customerPermissions(permissions: string[]): CustomerPermission[] {
  const issues = permissions.flatMap((p, i) =>
    isCustomerPermission(p)
      ? []
      : [{ path: `permissions.${i}`, message: `${p} cannot be granted by a company role` }],
  );
  if (issues.length > 0)
    throw new AppError('validation_failed', 'Some permissions cannot be granted', issues);
  // naming a permission twice grants it once
  return [...new Set(permissions as CustomerPermission[])];
}

/** Each permission of the body is a grant of its own, so a refusal names the exact `permissions.N`. */
const permissionGrants = (permissions: readonly string[]) =>
  permissions.map((p, i) => ({ path: `permissions.${i}`, permissions: [p as Permission] }));

const isUniqueViolation = (err: unknown): boolean =>
  err instanceof Error && /UNIQUE constraint failed/.test(`${err.message} ${String(err.cause ?? '')}`);

export async function createRole(
  scope: CompanyScope,
  actor: Actor,
  input: { key: string; name: string; permissions: string[] },
) {
  const permissions = customerPermissions(input.permissions);
  const holder = await roleKeyHolder(scope, input.key);
  if (holder === 'built_in')
    throw conflict(`"${input.key}" is the key of a built-in role; choose another key`);
  if (holder === 'custom') throw conflict(`A role with key "${input.key}" already exists`);
  await enforceGrant(
    scope,
    actor,
    { action: 'role.create', targetType: 'role', targetId: input.key },
    { self: false, currentPermissions: [], grants: permissionGrants(input.permissions), changesRoles: true },
  );
  const id = newId('role');
  const { db, companyId } = scope;
  try {
    await db.batch([
      db.insert(roles).values({
        id,
        companyId,
        key: input.key,
        name: input.name,
        builtIn: false,
        audience: 'customer',
        createdAt: actor.now,
      }),
      ...permissions.map((permission) => db.insert(rolePermissions).values({ roleId: id, permission })),
      auditInsert(db, actor, {
        companyId,
        action: 'role.create',
        targetType: 'role',
        targetId: id,
        summary: `Created role ${input.key}: ${permissions.join(' ')}`,
      }),
    ]);
  } catch (err) {
    // a concurrent create of the same key won the unique index (company, key)
    if (isUniqueViolation(err)) throw conflict(`A role with key "${input.key}" already exists`);
    throw err;
  }
  return getCompanyRole(scope, id);
}

export async function updateRole(
  scope: CompanyScope,
  actor: Actor,
  id: string,
  changes: { name?: string; permissions?: string[] },
) {
  const existing = await getCompanyRole(scope, id);
  if (!existing) throw notFound('Role');
  if (existing.builtIn) throw forbidden('Built-in roles are read-only; create a custom role instead');
  const permissions = changes.permissions ? customerPermissions(changes.permissions) : undefined;
  await enforceGrant(
    scope,
    actor,
    { action: 'role.update', targetType: 'role', targetId: id },
    {
      self: false,
      currentPermissions: existing.permissions as Permission[],
      grants: permissionGrants(changes.permissions ?? []),
      changesRoles: changes.permissions !== undefined,
    },
  );
  const { db, companyId } = scope;
  await db.batch([
    auditInsert(db, actor, {
      companyId,
      action: 'role.update',
      targetType: 'role',
      targetId: id,
      summary: `Updated role ${existing.key}: ${describeChanges({ ...changes, permissions })}`,
    }),
    ...(changes.name
      ? [
          db
            .update(roles)
            .set({ name: changes.name })
            .where(and(eq(roles.id, id), eq(roles.companyId, companyId))),
        ]
      : []),
    ...(permissions
      ? [
          db.delete(rolePermissions).where(eq(rolePermissions.roleId, id)),
          ...permissions.map((permission) => db.insert(rolePermissions).values({ roleId: id, permission })),
        ]
      : []),
  ]);
  forgetPrincipals();
  return getCompanyRole(scope, id);
}
