import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { insertAudit } from '../../db/queries/audit';
import { findUserByEmail, loadUserAccess } from '../../db/queries/identity';
import { punchoutPartners, userRoles, users } from '../../db/schema';
import { sha256Hex } from '../../domain/api-keys';
import { constantTimeEqual, DUMMY_PASSWORD_HASH } from '../../domain/passwords';
import { builtInRoleId } from '../../domain/permissions';
import { newId } from '../../lib/ids';

/**
 * Punch-out partners and the users they bring: finding a partner by its credentials (secrets compared in
 * constant time, with the same work for unknown partners), and mapping the person a request names to a
 * user of the partner's company.
 */
export type PartnerRow = typeof punchoutPartners.$inferSelect;

const encoder = new TextEncoder();
const NO_SECRET_HASH = '0'.repeat(64);

/** Whether `secret` is the partner's (SHA-256 of the presented secret against the stored hash). */
export async function secretMatches(
  partner: PartnerRow | undefined,
  secret: string | null,
): Promise<boolean> {
  const presented = encoder.encode(await sha256Hex(secret ?? ''));
  const expected = encoder.encode(partner?.secretHash ?? NO_SECRET_HASH);
  return constantTimeEqual(presented, expected) && !!partner && secret !== null;
}

/** A cXML partner by its Sender credential (domain compared case-insensitively, as networks vary it). */
export async function cxmlPartnerBySender(
  db: Database,
  sender: { domain: string; identity: string },
): Promise<PartnerRow | undefined> {
  const rows = await db
    .select()
    .from(punchoutPartners)
    .where(and(eq(punchoutPartners.protocol, 'cxml'), eq(punchoutPartners.senderIdentity, sender.identity)));
  return rows.find((p) => (p.senderDomain ?? '').toLowerCase() === sender.domain.toLowerCase());
}

export async function ociPartnerByUsername(db: Database, username: string): Promise<PartnerRow | undefined> {
  const [row] = await db
    .select()
    .from(punchoutPartners)
    .where(and(eq(punchoutPartners.protocol, 'oci'), eq(punchoutPartners.ociUsername, username)))
    .limit(1);
  return row;
}

/** The person a setup request or an order names (cXML Extrinsics/Contact, OCI fields). */
export interface NamedPerson {
  email: string | null;
  name: string | null;
}

export type SessionUser =
  | { ok: true; userId: string; provisioned: boolean }
  | { ok: false; reason: 'other_company' | 'unknown_user' | 'disabled' | 'no_default_user'; message: string };

/**
 * The user a partner's request acts as: the named person when the company knows them (active, allowed to
 * shop), created with the punch-out role when the partner provisions users, else the partner's default user.
 * An e-mail belonging to another company's user is refused: one partner never acts in another company.
 */
export async function resolvePartnerUser(
  db: Database,
  partner: PartnerRow,
  person: NamedPerson,
  context: { requestId: string; now: number },
): Promise<SessionUser> {
  const email = person.email?.trim().toLowerCase() || null;
  if (email) {
    const known = await findUserByEmail(db, email);
    if (known && known.companyId !== partner.companyId)
      return {
        ok: false,
        reason: 'other_company',
        message: `The user ${email} is not a user of this company`,
      };
    if (known) {
      const access = await loadUserAccess(db, known.id);
      if (known.status !== 'active' || !access?.permissions.has('cart.manage'))
        return { ok: false, reason: 'disabled', message: `The user ${email} may not shop here` };
      return { ok: true, userId: known.id, provisioned: false };
    }
    if (partner.provisionUsers) {
      const userId = newId('usr');
      await db.batch([
        db.insert(users).values({
          id: userId,
          companyId: partner.companyId,
          email,
          name: person.name?.trim() || email,
          // no password: the user arrives through the partner; an administrator may invite them later
          passwordHash: DUMMY_PASSWORD_HASH,
          createdAt: context.now,
        }),
        db.insert(userRoles).values({ userId, roleId: builtInRoleId('punchout_buyer') }),
        insertAudit(db, {
          id: newId('aud'),
          at: context.now,
          actorId: `punchout_partner:${partner.id}`,
          actorKind: 'system',
          actingForId: null,
          requestId: context.requestId,
          companyId: partner.companyId,
          action: 'punchout.user_provisioned',
          targetType: 'user',
          targetId: userId,
          summary: `Punch-out partner ${partner.name} brought in ${email}`,
        }),
      ]);
      return { ok: true, userId, provisioned: true };
    }
  }
  if (partner.defaultUserId) {
    const access = await loadUserAccess(db, partner.defaultUserId);
    if (access?.user.status === 'active' && access.user.companyId === partner.companyId)
      return { ok: true, userId: partner.defaultUserId, provisioned: false };
    return { ok: false, reason: 'disabled', message: 'The partner’s default user is disabled or gone' };
  }
  return email
    ? {
        ok: false,
        reason: 'unknown_user',
        message: `No user ${email} in this company, and the partner may not add users`,
      }
    : {
        ok: false,
        reason: 'no_default_user',
        message: 'The request names no user and the partner has no default user',
      };
}
