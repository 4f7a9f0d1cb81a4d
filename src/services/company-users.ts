import { and, eq } from 'drizzle-orm';
import { getCompanyRole, roleKeyTaken } from '../db/queries/company-roles';
import { assignableRoleIds, emailTaken, getCompanyUser } from '../db/queries/company-users';
import { rolePermissions, roles, userRoles, users } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict, forbidden, notFound } from '../domain/errors';
import { hashPassword } from '../domain/passwords';
import { type CustomerPermission, isCustomerPermission } from '../domain/permissions';
import { newId } from '../lib/ids';
import { type Actor, auditInsert, describeChanges } from './audit';
import { forgetPrincipals } from './principal-cache';

export interface NewUser {
  email: string;
  name: string;
  password: string;
  roleIds: string[];
  orderLimitMinor?: number | null;
}

export interface UserChanges {
  name?: string;
  status?: 'active' | 'disabled';
  roleIds?: string[];
  orderLimitMinor?: number | null;
}

async function checkRoles(scope: CompanyScope, roleIds: string[]): Promise<void> {
  const allowed = await assignableRoleIds(scope, roleIds);
  const issues = roleIds.flatMap((id, i) =>
    allowed.has(id) ? [] : [{ path: `roleIds.${i}`, message: `unknown role ${id}` }],
  );
  if (issues.length > 0) throw new AppError('unprocessable', 'Some roles cannot be assigned', issues);
}

export async function createUser(scope: CompanyScope, actor: Actor, input: NewUser) {
  await checkRoles(scope, input.roleIds);
  if (await emailTaken(scope, input.email)) throw conflict('A user with this email already exists');
  const id = newId('usr');
  const passwordHash = await hashPassword(input.password, crypto.getRandomValues(new Uint8Array(16)));
  const { db, companyId } = scope;
  await db.batch([
    db.insert(users).values({
      id,
      companyId,
      email: input.email,
      name: input.name,
      passwordHash,
      orderLimitMinor: input.orderLimitMinor ?? null,
      createdAt: actor.now,
    }),
    ...input.roleIds.map((roleId) => db.insert(userRoles).values({ userId: id, roleId })),
    auditInsert(db, actor, {
      companyId,
      action: 'user.create',
      targetType: 'user',
      targetId: id,
      summary: `Created ${input.email}`,
    }),
  ]);
  return getCompanyUser(scope, id);
}

export async function updateUser(scope: CompanyScope, actor: Actor, id: string, changes: UserChanges) {
  const existing = await getCompanyUser(scope, id);
  if (!existing) throw notFound('User');
  if (id === actor.principal.id && changes.status === 'disabled')
    throw conflict('You cannot disable your own account');
  if (changes.roleIds) await checkRoles(scope, changes.roleIds);
  const { db, companyId } = scope;
  const { roleIds, ...columns } = changes;
  const summary = describeChanges(changes);
  await db.batch([
    auditInsert(db, actor, {
      companyId,
      action: 'user.update',
      targetType: 'user',
      targetId: id,
      summary: `Updated ${existing.email}: ${summary}`,
    }),
    // roles may change alone: an empty SET is not valid SQL, so the column update is only sent when needed
    ...(Object.keys(columns).length > 0
      ? [
          db
            .update(users)
            .set(columns)
            .where(and(eq(users.id, id), eq(users.companyId, companyId))),
        ]
      : []),
    ...(roleIds
      ? [
          db.delete(userRoles).where(eq(userRoles.userId, id)),
          ...roleIds.map((roleId) => db.insert(userRoles).values({ userId: id, roleId })),
        ]
      : []),
  ]);
  forgetPrincipals();
  return getCompanyUser(scope, id);
}

function customerPermissions(permissions: string[]): CustomerPermission[] {
  const issues = permissions.flatMap((p, i) =>
    isCustomerPermission(p)
      ? []
      : [{ path: `permissions.${i}`, message: `${p} cannot be granted by a company role` }],
  );
  if (issues.length > 0)
    throw new AppError('validation_failed', 'Some permissions cannot be granted', issues);
  return [...new Set(permissions as CustomerPermission[])];
}

export async function createRole(
  scope: CompanyScope,
  actor: Actor,
  input: { key: string; name: string; permissions: string[] },
) {
  const permissions = customerPermissions(input.permissions);
  if (await roleKeyTaken(scope, input.key)) throw conflict(`A role with key "${input.key}" already exists`);
  const id = newId('role');
  const { db, companyId } = scope;
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
