import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { emailRegistered } from '../db/queries/company-users';
import { loadUserAccess } from '../db/queries/identity';
import { findOpenInvitationByToken, type InvitationRow } from '../db/queries/invitations';
import { invitations, userRoles, users } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { sha256Hex } from '../domain/api-keys';
import { AppError } from '../domain/errors';
import { judgeGrant } from '../domain/grants';
import { hashPassword } from '../domain/passwords';
import type { Permission } from '../domain/permissions';
import type { Principal } from '../domain/principal';
import { newId } from '../lib/ids';
import { log } from '../lib/log';
import { auditInsert } from './audit';
import { userPrincipal } from './auth';
import { periodCapOf, roleGrants } from './company-users';
import { authorityOf } from './rights';

/** Every reason an invitation cannot be taken up gives this one answer. */
const cannotAccept = () =>
  new AppError('validation_failed', 'This invitation cannot be accepted', [
    { path: 'token', message: 'unknown, expired, revoked or already used; ask for a new invitation' },
  ]);

/** The inviter as they are now: an invitation is only as good as its inviter's rights today. */
async function inviterMayStillGrant(scope: CompanyScope, row: InvitationRow): Promise<boolean> {
  if (row.invitedByKind !== 'user') return false;
  const access = await loadUserAccess(scope.db, row.invitedBy);
  if (access?.user.status !== 'active' || access.companyStatus === 'suspended') return false;
  const inviter = userPrincipal(access);
  const supplierAllowed = inviter.permissions.has('platform.admin');
  if (!supplierAllowed && (inviter.companyId !== scope.companyId || !inviter.permissions.has('users.manage')))
    return false;
  const grants = await roleGrants(scope, row.roleIds);
  const verdict = judgeGrant(await authorityOf(scope, inviter), {
    self: false,
    currentPermissions: [],
    grants,
    changesRoles: true,
    orderLimitMinor: row.orderLimitMinor,
    periodCap: periodCapOf(row) ?? null,
  });
  return verdict.ok;
}

/**
 * The invitee sets their password with the one-time token; the account is created with the roles and
 * limits of the invitation. An address that has an account anywhere gets no second one.
 */
export async function acceptInvitation(
  db: Database,
  input: { token: string; password: string },
  context: { now: number; requestId: string },
) {
  const { now, requestId } = context;
  const row = await findOpenInvitationByToken(db, await sha256Hex(input.token), now);
  if (!row) throw cannotAccept();
  const scope: CompanyScope = { companyId: row.companyId, db };
  if (await emailRegistered(scope, row.email)) {
    log('warn', 'an invitation for a registered address was presented', { invitationId: row.id, requestId });
    throw cannotAccept();
  }
  if (!(await inviterMayStillGrant(scope, row))) {
    log('warn', 'an invitation outlived its inviter’s rights', { invitationId: row.id, requestId });
    throw cannotAccept();
  }
  const userId = newId('usr');
  const passwordHash = await hashPassword(input.password, crypto.getRandomValues(new Uint8Array(16)));
  const principal: Principal = {
    kind: 'user',
    id: userId,
    companyId: row.companyId,
    audience: 'customer',
    roles: [],
    permissions: new Set<Permission>(),
  };
  await db.batch([
    db.insert(users).values({
      id: userId,
      companyId: row.companyId,
      email: row.email,
      name: row.name,
      passwordHash,
      orderLimitMinor: row.orderLimitMinor,
      periodLimitMinor: row.periodLimitMinor,
      periodLimitPeriod: row.periodLimitPeriod,
      createdAt: now,
    }),
    ...row.roleIds.map((roleId) => db.insert(userRoles).values({ userId, roleId })),
    db
      .update(invitations)
      .set({ acceptedAt: now, userId })
      .where(and(eq(invitations.id, row.id), isNull(invitations.acceptedAt))),
    auditInsert(
      db,
      { principal, requestId, now },
      {
        companyId: row.companyId,
        action: 'user.create',
        targetType: 'user',
        targetId: userId,
        summary: `${row.email} accepted invitation ${row.id} from ${row.invitedBy}`,
      },
    ),
  ]);
  return { id: userId, email: row.email, name: row.name, companyId: row.companyId };
}
