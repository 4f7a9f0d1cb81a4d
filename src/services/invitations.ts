import { emailRegistered } from '../db/queries/company-users';
import {
  getOpenInvitation,
  type InvitationRow,
  listOpenInvitations,
  revokeOpenInvitationsOf,
} from '../db/queries/invitations';
import { invitations, outbox } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { sha256Hex } from '../domain/api-keys';
import { conflict, notFound } from '../domain/errors';
import { newId } from '../lib/ids';
import { log } from '../lib/log';
import { type Actor, auditInsert } from './audit';
import { type PeriodLimitFields, periodCapOf, roleGrants } from './company-users';
import { enforceGrant } from './rights';

/** An invitation is accepted within a week, or asked for again. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface NewInvitation extends PeriodLimitFields {
  email: string;
  name: string;
  roleIds: string[];
  orderLimitMinor?: number | null;
}

/** What the inviting side sees; never the token's hash, and the token itself only where allowed. */
export function presentInvitation(row: InvitationRow) {
  const { tokenHash: _hash, acceptedAt: _a, userId: _u, revokedAt: _r, invitedByKind: _k, ...rest } = row;
  return { ...rest, status: 'pending' as const };
}

const newToken = (): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Invites someone into the company. The answer is the same whether or not the address already has an
 * account elsewhere (only an account in this very company, which the caller can list anyway, is a 409):
 * the check that matters happens at acceptance, where an address registered elsewhere never gets a second
 * account. The invitee's mail waits in the outbox (`topic: mail`); the address's real owner is told of the
 * attempt instead of being sent a token.
 */
export async function inviteUser(
  scope: CompanyScope,
  actor: Actor,
  input: NewInvitation,
  options: { revealToken: boolean },
) {
  const grants = await roleGrants(scope, input.roleIds);
  await enforceGrant(
    scope,
    actor,
    { action: 'user.invite', targetType: 'invitation', targetId: input.email },
    {
      self: false,
      currentPermissions: [],
      grants,
      changesRoles: true,
      orderLimitMinor: input.orderLimitMinor ?? null,
      periodCap: periodCapOf(input) ?? null,
    },
  );
  const registered = await emailRegistered(scope, input.email);
  if (registered === 'here') throw conflict('A user with this email is already in your company');
  const token = newToken();
  const row: InvitationRow = {
    id: newId('inv'),
    companyId: scope.companyId,
    email: input.email,
    name: input.name,
    roleIds: input.roleIds,
    orderLimitMinor: input.orderLimitMinor ?? null,
    periodLimitMinor: input.periodLimitMinor ?? null,
    periodLimitPeriod: input.periodLimitPeriod ?? null,
    tokenHash: await sha256Hex(token),
    invitedBy: actor.principal.id,
    invitedByKind: actor.principal.kind,
    createdAt: actor.now,
    expiresAt: actor.now + INVITATION_TTL_MS,
    acceptedAt: null,
    userId: null,
    revokedAt: null,
  };
  const mail =
    registered === 'elsewhere'
      ? { template: 'invitation_for_existing_account', to: input.email, companyId: scope.companyId }
      : {
          template: 'invitation',
          to: input.email,
          companyId: scope.companyId,
          acceptToken: token,
          expiresAt: row.expiresAt,
        };
  const { db } = scope;
  await db.batch([
    revokeOpenInvitationsOf(scope, input.email, actor.now),
    db.insert(invitations).values(row),
    db.insert(outbox).values({
      id: newId('out'),
      topic: 'mail',
      companyId: scope.companyId,
      aggregateId: row.id,
      payload: mail,
      createdAt: actor.now,
    }),
    auditInsert(db, actor, {
      companyId: scope.companyId,
      action: 'user.invite',
      targetType: 'invitation',
      targetId: row.id,
      summary: `Invited ${input.email} (roles ${input.roleIds.join(' ')})`,
    }),
  ]);
  if (registered === 'elsewhere')
    log('warn', 'invitation for an address registered elsewhere; its owner is notified', {
      invitationId: row.id,
      companyId: scope.companyId,
      requestId: actor.requestId,
    });
  const shown = presentInvitation(row);
  return options.revealToken ? { ...shown, acceptToken: token } : shown;
}

export async function listInvitations(scope: CompanyScope, now: number) {
  return (await listOpenInvitations(scope, now)).map(presentInvitation);
}

export async function revokeInvitation(scope: CompanyScope, actor: Actor, id: string): Promise<void> {
  const row = await getOpenInvitation(scope, id, actor.now);
  if (!row) throw notFound('Invitation');
  const { db } = scope;
  await db.batch([
    revokeOpenInvitationsOf(scope, row.email, actor.now),
    auditInsert(db, actor, {
      companyId: scope.companyId,
      action: 'invitation.revoke',
      targetType: 'invitation',
      targetId: id,
      summary: `Revoked the invitation of ${row.email}`,
    }),
  ]);
}
