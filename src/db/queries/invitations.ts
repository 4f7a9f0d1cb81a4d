import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from '../client';
import { invitations } from '../schema';
import type { CompanyScope } from '../scope';

export type InvitationRow = typeof invitations.$inferSelect;

const open = (now: number) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));

/** The company's invitations still waiting for their invitee, oldest first. */
export async function listOpenInvitations(scope: CompanyScope, now: number): Promise<InvitationRow[]> {
  return scope.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.companyId, scope.companyId), open(now)))
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
}

export async function getOpenInvitation(
  scope: CompanyScope,
  id: string,
  now: number,
): Promise<InvitationRow | undefined> {
  const [row] = await scope.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.companyId, scope.companyId), eq(invitations.id, id), open(now)))
    .limit(1);
  return row;
}

/** Open invitations of one address in the company: re-inviting replaces them. */
export const revokeOpenInvitationsOf = (scope: CompanyScope, email: string, now: number) =>
  scope.db
    .update(invitations)
    .set({ revokedAt: now })
    .where(and(eq(invitations.companyId, scope.companyId), eq(invitations.email, email), open(now)));

/** Unscoped on purpose: the token is the invitee's only credential, and it names the company itself. */
export async function findOpenInvitationByToken(
  db: Database,
  tokenHash: string,
  now: number,
): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.tokenHash, tokenHash), open(now)))
    .limit(1);
  return row;
}
