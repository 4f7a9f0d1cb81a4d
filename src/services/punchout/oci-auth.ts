import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { punchoutPartners } from '../../db/schema';
import { AppError } from '../../domain/errors';
import type { Config } from '../../env';
import { anonymousAuditInsert } from '../audit';
import { authenticate } from '../auth';
import type { AttemptContext } from '../credential-guard';
import { ociPartnerByUsername, type PartnerRow, secretMatches } from './partners';

/**
 * Who is calling /punchout/oci: an OCI partner by USERNAME/PASSWORD (compared in constant time, the same
 * work for unknown names), or by a partner token, an API key with the `punchout` scope bound to the
 * company, whose one active OCI partner is then used (`partner` names it when the company has several).
 */
export type OciCaller =
  | { ok: true; partner: PartnerRow; via: 'password' | 'token' }
  | { ok: false; status: 400 | 401 | 403; message: string; partner?: PartnerRow };

const DENIED = 'The OCI user name or password is wrong';

export async function ociCaller(
  db: Database,
  config: Config,
  credentials: {
    username: string | null;
    password: string | null;
    token: string | null;
    partnerId: string | null;
  },
  context: AttemptContext,
): Promise<OciCaller> {
  if (credentials.username !== null) {
    const partner = await ociPartnerByUsername(db, credentials.username);
    const matches = await secretMatches(partner, credentials.password);
    if (!partner || !matches || partner.status !== 'active') {
      await anonymousAuditInsert(db, context, {
        companyId: partner?.companyId ?? null,
        action: 'punchout.oci_login_failed',
        targetType: 'punchout_partner',
        targetId: partner?.id ?? 'unknown',
        // the name only: never the password
        summary: `Rejected OCI login for user name "${credentials.username.slice(0, 80)}"`,
      });
      return { ok: false, status: 401, message: DENIED, ...(partner ? { partner } : {}) };
    }
    return { ok: true, partner, via: 'password' };
  }
  if (credentials.token === null)
    return { ok: false, status: 401, message: 'Send USERNAME and PASSWORD, or a partner token' };
  let principal: Awaited<ReturnType<typeof authenticate>>;
  try {
    // a failed key is audited and rate limited there, as for every API key
    principal = await authenticate(db, config, `Bearer ${credentials.token}`, context);
  } catch (err) {
    if (err instanceof AppError) return { ok: false, status: 401, message: 'The partner token is not valid' };
    throw err;
  }
  if (principal.kind !== 'api_key' || !principal.roles.includes('scope:punchout') || !principal.companyId)
    return {
      ok: false,
      status: 403,
      message: 'This token may not open punch-out sessions: use an API key with the "punchout" scope',
    };
  const partners = await db
    .select()
    .from(punchoutPartners)
    .where(
      and(
        eq(punchoutPartners.companyId, principal.companyId),
        eq(punchoutPartners.protocol, 'oci'),
        eq(punchoutPartners.status, 'active'),
      ),
    );
  const chosen = credentials.partnerId
    ? partners.find((p) => p.id === credentials.partnerId)
    : partners.length === 1
      ? partners[0]
      : undefined;
  if (chosen) return { ok: true, partner: chosen, via: 'token' };
  if (partners.length === 0)
    return { ok: false, status: 403, message: 'The company has no active OCI partner' };
  return {
    ok: false,
    status: 400,
    message: credentials.partnerId
      ? 'The "partner" parameter names no active OCI partner of this company'
      : 'The company has several OCI partners: name one with the "partner" parameter',
  };
}
