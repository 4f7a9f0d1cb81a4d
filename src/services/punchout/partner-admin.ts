import { and, asc, eq, gt, inArray, ne, or, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client';
import { companies, punchoutPartners, punchoutSessions, users } from '../../db/schema';
import { sha256Hex } from '../../domain/api-keys';
import { conflict, notFound } from '../../domain/errors';
import { ociFieldMapIssue } from '../../domain/punchout/oci-field-map';
import type { PunchoutFormEncoding, PunchoutLanguage, PunchoutProtocol } from '../../domain/punchout-terms';
import { newId } from '../../lib/ids';
import { type Actor, auditInsert, describeChanges } from '../audit';
import { type Issue, issue, rejectInvalid } from '../pricing-admin/common';
import type { PartnerRow } from './partners';

/**
 * Supplier administration of punch-out partners (docs/punchout.md, "Administration and support"). The
 * shared secret (cXML SharedSecret, OCI PASSWORD) is made here, answered once, and kept only as its
 * SHA-256; audit rows name what changed, never the secret.
 */
export interface PartnerSettings {
  name: string;
  senderDomain?: string | null;
  senderIdentity?: string | null;
  fromDomain?: string | null;
  fromIdentity?: string | null;
  ociUsername?: string | null;
  defaultUserId?: string | null;
  provisionUsers?: boolean;
  priceToleranceBp?: number;
  trustApprovals?: boolean;
  formEncoding?: PunchoutFormEncoding;
  ociFieldMap?: Record<string, string>;
  defaultLanguage?: PunchoutLanguage;
}

export interface NewPartner extends PartnerSettings {
  protocol: PunchoutProtocol;
  companyId: string;
}

export type PartnerView = Omit<PartnerRow, 'secretHash'>;
export type PartnerWithSecret = PartnerView & { secret: string };

export const present = ({ secretHash: _hash, ...row }: PartnerRow): PartnerView => row;

/** 32 random bytes, base64url: 43 characters that travel unchanged in XML, URLs and form posts. */
export function newPartnerSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** The fields the checks read: a new partner, a change, or a partner as it will be after the change. */
type Checked = Partial<Omit<PartnerSettings, 'name' | 'defaultLanguage'>>;

const CXML_ONLY = ['senderDomain', 'senderIdentity', 'fromDomain', 'fromIdentity', 'formEncoding'] as const;
const OCI_ONLY = ['ociUsername', 'ociFieldMap'] as const;
const isSet = (value: unknown) => value !== undefined && value !== null;

/** Fields of the other protocol absent, the protocol's credential present, the field map's entries known. */
function shapeIssues(protocol: PunchoutProtocol, p: Checked): Issue[] {
  const out: Issue[] = (protocol === 'cxml' ? OCI_ONLY : CXML_ONLY)
    .filter((field) => isSet(p[field]))
    .map((field) => issue(field, `only for ${protocol === 'cxml' ? 'OCI' : 'cXML'} partners`));
  const required =
    protocol === 'cxml' ? (['senderDomain', 'senderIdentity'] as const) : (['ociUsername'] as const);
  for (const field of required)
    if (!isSet(p[field]))
      out.push(issue(field, `required for ${protocol === 'cxml' ? 'cXML' : 'OCI'} partners`));
  if (isSet(p.fromDomain) !== isSet(p.fromIdentity))
    out.push(
      issue(isSet(p.fromDomain) ? 'fromIdentity' : 'fromDomain', 'send fromDomain and fromIdentity together'),
    );
  for (const [key, value] of Object.entries(p.ociFieldMap ?? {})) {
    const problem = ociFieldMapIssue(key, value);
    if (problem) out.push(issue(`ociFieldMap.${key}`, problem.message));
  }
  return out;
}

/** References: the company exists; the default user is an active user of it (400 naming the field). */
async function referenceIssues(db: Database, companyId: string, p: Checked, checkCompany: boolean) {
  const out: Issue[] = [];
  if (checkCompany) {
    const [company] = await db
      .select({ id: companies.id })
      .from(companies)
      .where(eq(companies.id, companyId));
    if (!company) return [issue('companyId', 'no such company')];
  }
  if (isSet(p.defaultUserId)) {
    const [user] = await db
      .select({ companyId: users.companyId, status: users.status })
      .from(users)
      .where(eq(users.id, p.defaultUserId ?? ''));
    if (!user || user.companyId !== companyId || user.status !== 'active')
      out.push(issue('defaultUserId', 'not an active user of the partner’s company'));
  }
  return out;
}

/** Another partner with the same cXML Sender (domain compared case-insensitively, as at setup) or OCI user. */
async function assertCredentialFree(db: Database, p: Checked, exceptId: string | null) {
  const others = exceptId ? ne(punchoutPartners.id, exceptId) : undefined;
  if (p.senderIdentity && p.senderDomain) {
    const sameIdentity = await db
      .select({ domain: punchoutPartners.senderDomain })
      .from(punchoutPartners)
      .where(and(eq(punchoutPartners.senderIdentity, p.senderIdentity), others));
    const domain = p.senderDomain.toLowerCase();
    if (sameIdentity.some((row) => (row.domain ?? '').toLowerCase() === domain))
      throw conflict(`Another partner already signs in as ${p.senderDomain}/${p.senderIdentity}`);
  }
  if (p.ociUsername) {
    const [taken] = await db
      .select({ id: punchoutPartners.id })
      .from(punchoutPartners)
      .where(and(eq(punchoutPartners.ociUsername, p.ociUsername), others));
    if (taken) throw conflict(`Another partner already uses the OCI username ${p.ociUsername}`);
  }
}

async function loadPartner(db: Database, id: string): Promise<PartnerRow> {
  const [row] = await db.select().from(punchoutPartners).where(eq(punchoutPartners.id, id));
  if (!row) throw notFound('Punch-out partner');
  return row;
}

export const getPartner = async (db: Database, id: string) => present(await loadPartner(db, id));

export interface PartnerFilter {
  companyId?: string;
  protocol?: PunchoutProtocol;
  status?: 'active' | 'disabled';
  after?: { name: string; id: string };
  limit: number;
}

/** By name, then id (the keyset of the page cursor). */
export async function listPartners(db: Database, f: PartnerFilter): Promise<PartnerView[]> {
  const p = punchoutPartners;
  const conditions: (SQL | undefined)[] = [
    f.companyId ? eq(p.companyId, f.companyId) : undefined,
    f.protocol ? eq(p.protocol, f.protocol) : undefined,
    f.status ? eq(p.status, f.status) : undefined,
    f.after ? or(gt(p.name, f.after.name), and(eq(p.name, f.after.name), gt(p.id, f.after.id))) : undefined,
  ];
  const rows = await db
    .select()
    .from(p)
    .where(and(...conditions))
    .orderBy(asc(p.name), asc(p.id))
    .limit(f.limit);
  return rows.map(present);
}

const credentialOf = (p: {
  protocol: string;
  senderDomain?: string | null;
  senderIdentity?: string | null;
  ociUsername?: string | null;
}) => (p.protocol === 'cxml' ? `sender ${p.senderDomain}/${p.senderIdentity}` : `OCI user ${p.ociUsername}`);

export async function createPartner(
  db: Database,
  actor: Actor,
  input: NewPartner,
): Promise<PartnerWithSecret> {
  rejectInvalid(shapeIssues(input.protocol, input));
  rejectInvalid(await referenceIssues(db, input.companyId, input, true));
  await assertCredentialFree(db, input, null);
  const id = newId('pop');
  const secret = newPartnerSecret();
  await db.batch([
    db.insert(punchoutPartners).values({
      ...input,
      id,
      formEncoding: input.formEncoding ?? 'cxml-urlencoded',
      secretHash: await sha256Hex(secret),
      createdBy: actor.principal.id,
      createdAt: actor.now,
      updatedAt: actor.now,
      secretRotatedAt: actor.now,
    }),
    auditInsert(db, actor, {
      companyId: input.companyId,
      action: 'punchout_partner.create',
      targetType: 'punchout_partner',
      targetId: id,
      summary: `Created ${input.protocol} punch-out partner ${input.name} (${credentialOf(input)})`,
    }),
  ]);
  return { ...(await getPartner(db, id)), secret };
}

/** Protocol and company are fixed: a partner that moves is a new partner (its sessions and orders stay). */
export async function updatePartner(
  db: Database,
  actor: Actor,
  id: string,
  changes: Partial<PartnerSettings>,
) {
  const existing = await loadPartner(db, id);
  const merged = { ...existing, ...changes };
  rejectInvalid(shapeIssues(existing.protocol, { ...changes, ...requiredOf(merged) }));
  rejectInvalid(await referenceIssues(db, existing.companyId, changes, false));
  await assertCredentialFree(db, merged, id);
  await db.batch([
    db
      .update(punchoutPartners)
      .set({ ...changes, updatedAt: actor.now })
      .where(eq(punchoutPartners.id, id)),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: 'punchout_partner.update',
      targetType: 'punchout_partner',
      targetId: id,
      summary: `Updated punch-out partner ${existing.name}: ${describeChanges(changes)}`,
    }),
  ]);
  return getPartner(db, id);
}

/** The credential fields after a change, so that clearing one of them is caught as missing. */
const requiredOf = (p: Checked): Checked => ({
  senderDomain: p.senderDomain,
  senderIdentity: p.senderIdentity,
  ociUsername: p.ociUsername,
  fromDomain: p.fromDomain,
  fromIdentity: p.fromIdentity,
});

/**
 * Disabling stops new setups and orders at once and ends the partner's open sessions (their end moves to
 * now: the tokens and start links stop working, the nightly run deletes their carts).
 */
export async function setPartnerStatus(
  db: Database,
  actor: Actor,
  id: string,
  status: 'active' | 'disabled',
) {
  const existing = await loadPartner(db, id);
  if (existing.status === status) throw conflict(`Punch-out partner ${existing.name} is already ${status}`);
  const s = punchoutSessions;
  await db.batch([
    db.update(punchoutPartners).set({ status, updatedAt: actor.now }).where(eq(punchoutPartners.id, id)),
    ...(status === 'disabled'
      ? [
          db
            .update(s)
            .set({ expiresAt: actor.now, codeExpiresAt: actor.now })
            .where(
              and(eq(s.partnerId, id), inArray(s.state, ['open', 'active']), gt(s.expiresAt, actor.now)),
            ),
        ]
      : []),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: status === 'disabled' ? 'punchout_partner.disable' : 'punchout_partner.enable',
      targetType: 'punchout_partner',
      targetId: id,
      summary: `${status === 'disabled' ? 'Disabled' : 'Enabled'} punch-out partner ${existing.name}`,
    }),
  ]);
  return getPartner(db, id);
}

/** A new secret, answered once; the old one stops working at once (the partner must be updated too). */
export async function rotatePartnerSecret(
  db: Database,
  actor: Actor,
  id: string,
): Promise<PartnerWithSecret> {
  const existing = await loadPartner(db, id);
  const secret = newPartnerSecret();
  await db.batch([
    db
      .update(punchoutPartners)
      .set({ secretHash: await sha256Hex(secret), secretRotatedAt: actor.now, updatedAt: actor.now })
      .where(eq(punchoutPartners.id, id)),
    auditInsert(db, actor, {
      companyId: existing.companyId,
      action: 'punchout_partner.rotate_secret',
      targetType: 'punchout_partner',
      targetId: id,
      summary: `Issued a new ${existing.protocol === 'cxml' ? 'shared secret' : 'OCI password'} for punch-out partner ${existing.name}`,
    }),
  ]);
  return { ...(await getPartner(db, id)), secret };
}
