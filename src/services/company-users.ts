import { and, eq } from 'drizzle-orm';
import { assignableRoles, getCompanyUser } from '../db/queries/company-users';
import { userRoles, users } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, conflict, notFound } from '../domain/errors';
import type { LimitPeriod, PeriodCap, PermissionGrant } from '../domain/grants';
import type { Permission } from '../domain/permissions';
import { type Actor, auditInsert, describeChanges } from './audit';
import { forgetPrincipals } from './principal-cache';
import { enforceGrant } from './rights';

/** A per-user period cap as the API carries it: both fields set, or both null (checked by the route). */
export interface PeriodLimitFields {
  periodLimitMinor?: number | null;
  periodLimitPeriod?: LimitPeriod | null;
}

export interface UserChanges extends PeriodLimitFields {
  name?: string;
  status?: 'active' | 'disabled';
  roleIds?: string[];
  orderLimitMinor?: number | null;
}

/** undefined = not changed; null = no cap. */
export function periodCapOf(fields: PeriodLimitFields): PeriodCap | null | undefined {
  const { periodLimitMinor: amountMinor, periodLimitPeriod: period } = fields;
  if (amountMinor === undefined && period === undefined) return undefined;
  return amountMinor === null || amountMinor === undefined || !period ? null : { amountMinor, period };
}

/**
 * The permissions each named role hands out, by the field naming it; a role the company cannot hand out
 * (unknown, another company's, supplier-side) is a 422 on that field.
 */
export async function roleGrants(
  scope: CompanyScope,
  roleIds: readonly string[],
): Promise<PermissionGrant[]> {
  const found = await assignableRoles(scope, roleIds);
  const issues = roleIds.flatMap((id, i) =>
    found.has(id) ? [] : [{ path: `roleIds.${i}`, message: `unknown role ${id}` }],
  );
  if (issues.length > 0) throw new AppError('unprocessable', 'Some roles cannot be assigned', issues);
  return roleIds.map((id, i) => ({
    path: `roleIds.${i}`,
    permissions: (found.get(id)?.permissions ?? []) as Permission[],
  }));
}

export async function updateUser(scope: CompanyScope, actor: Actor, id: string, changes: UserChanges) {
  const existing = await getCompanyUser(scope, id);
  if (!existing) throw notFound('User');
  const self = id === actor.principal.id;
  if (self && changes.status === 'disabled') throw conflict('You cannot disable your own account');
  const grants = changes.roleIds ? await roleGrants(scope, changes.roleIds) : [];
  const held = await assignableRoles(
    scope,
    existing.roles.map((r) => r.id),
  );
  await enforceGrant(
    scope,
    actor,
    { action: 'user.update', targetType: 'user', targetId: id },
    {
      self,
      currentPermissions: [...held.values()].flatMap((r) => r.permissions as Permission[]),
      grants,
      changesRoles: changes.roleIds !== undefined,
      orderLimitMinor: changes.orderLimitMinor,
      periodCap: periodCapOf(changes),
    },
  );
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
