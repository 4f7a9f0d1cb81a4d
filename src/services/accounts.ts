import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { getCompany } from '../db/queries/companies';
import { apiKeys, companies, users } from '../db/schema';
import { formatApiKey, sha256Hex } from '../domain/api-keys';
import { AppError, conflict, notFound } from '../domain/errors';
import { scopeRefusal } from '../domain/permissions';
import { newId } from '../lib/ids';
import { type Actor, auditInsert } from './audit';
import { forgetPrincipals } from './principal-cache';

export interface NewCompany {
  name: string;
  parentId?: string | null;
  defaultCurrency: string;
  country: string;
  salesRepUserId?: string | null;
}

export async function createCompany(db: Database, actor: Actor, input: NewCompany) {
  const issues = [];
  if (input.parentId && !(await getCompany(db, input.parentId)))
    issues.push({ path: 'parentId', message: 'no such company' });
  if (input.salesRepUserId) {
    const [rep] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.salesRepUserId), isNull(users.companyId)))
      .limit(1);
    if (!rep) issues.push({ path: 'salesRepUserId', message: 'no such supplier user' });
  }
  if (issues.length > 0)
    throw new AppError('unprocessable', 'The company references unknown records', issues);
  const id = newId('co');
  await db.batch([
    db.insert(companies).values({ ...input, id, createdAt: actor.now }),
    auditInsert(db, actor, {
      companyId: id,
      action: 'company.create',
      targetType: 'company',
      targetId: id,
      summary: `Created company ${input.name}`,
    }),
  ]);
  return getCompany(db, id);
}

export interface NewApiKey {
  name: string;
  companyId: string | null;
  scopes: string[];
}

const presentKey = ({ keyHash: _hash, ...row }: typeof apiKeys.$inferSelect) => row;

export async function listApiKeys(db: Database) {
  return (await db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt))).map(presentKey);
}

/** The plaintext key is returned once, here; only its SHA-256 is stored. */
export async function createApiKey(db: Database, actor: Actor, input: NewApiKey) {
  // a scope this key could not use is refused now, not issued to fail on every call later
  const refused = input.scopes.flatMap((scope, i) => {
    const why = scopeRefusal(scope, input.companyId !== null);
    return why ? [{ path: `scopes.${i}`, message: `${scope}: ${why}` }] : [];
  });
  if (refused.length > 0)
    throw new AppError('validation_failed', 'Some scopes cannot be given to this key', refused);
  if (input.companyId && !(await getCompany(db, input.companyId))) {
    throw new AppError('unprocessable', 'Unknown company', [
      { path: 'companyId', message: 'no such company' },
    ]);
  }
  const { key, prefix } = formatApiKey(crypto.getRandomValues(new Uint8Array(44)));
  const id = newId('key');
  const [rows] = await db.batch([
    db
      .insert(apiKeys)
      .values({
        id,
        name: input.name,
        companyId: input.companyId,
        prefix,
        keyHash: await sha256Hex(key),
        scopes: input.scopes,
        createdBy: actor.principal.id,
        createdAt: actor.now,
      })
      .returning(),
    auditInsert(db, actor, {
      companyId: input.companyId,
      action: 'api_key.create',
      targetType: 'api_key',
      targetId: id,
      summary: `Created API key ${input.name} (${input.scopes.join(' ')})`,
    }),
  ]);
  const row = rows[0];
  if (!row) throw new Error('API key insert returned no row');
  return { ...presentKey(row), key };
}

export async function revokeApiKey(db: Database, actor: Actor, id: string): Promise<void> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  if (!row) throw notFound('API key');
  if (row.revokedAt !== null) throw conflict('The API key is already revoked');
  await db.batch([
    db.update(apiKeys).set({ revokedAt: actor.now }).where(eq(apiKeys.id, id)),
    auditInsert(db, actor, {
      companyId: row.companyId,
      action: 'api_key.revoke',
      targetType: 'api_key',
      targetId: id,
      summary: `Revoked API key ${row.name}`,
    }),
  ]);
  forgetPrincipals();
}
