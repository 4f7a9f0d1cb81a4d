import { eq } from 'drizzle-orm';
import { jwtVerify, SignJWT } from 'jose';
import * as v from 'valibot';
import type { Database } from '../db/client';
import { findActiveApiKey, findUserByEmail, loadUserAccess } from '../db/queries/identity';
import { apiKeys, users } from '../db/schema';
import { parseApiKey, sha256Hex } from '../domain/api-keys';
import { AppError } from '../domain/errors';
import { constantTimeEqual, DUMMY_PASSWORD_HASH, verifyPassword } from '../domain/passwords';
import { permissionsForScopes } from '../domain/permissions';
import type { Principal } from '../domain/principal';
import type { Config } from '../env';
import { auditInsert } from './audit';
import { cachedPrincipal } from './principal-cache';

const INVALID_CREDENTIALS = 'Email or password is incorrect';
const encoder = new TextEncoder();

const Claims = v.object({ sub: v.string(), cid: v.nullable(v.string()), roles: v.array(v.string()) });

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; name: string; companyId: string | null; roles: string[] };
}

/**
 * Unknown email, wrong password, disabled user and suspended company all cost one PBKDF2 derivation and give
 * the same answer, so neither timing nor wording tells an attacker which emails exist.
 */
export async function login(
  db: Database,
  config: Config,
  credentials: { email: string; password: string },
  context: { now: number; requestId: string },
): Promise<LoginResult> {
  const { email, password } = credentials;
  const { now, requestId } = context;
  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const access = user && passwordOk ? await loadUserAccess(db, user.id) : undefined;
  if (!user || !access || access.user.status !== 'active' || access.companyStatus === 'suspended') {
    throw new AppError('unauthenticated', INVALID_CREDENTIALS);
  }
  const ttl = config.JWT_TTL_SECONDS;
  const accessToken = await new SignJWT({ cid: user.companyId, roles: access.roleKeys })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(config.JWT_ISSUER)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + ttl)
    .sign(encoder.encode(config.JWT_SECRET));
  const principal: Principal = {
    kind: 'user',
    id: user.id,
    companyId: user.companyId,
    audience: user.companyId === null ? 'supplier' : 'customer',
    roles: access.roleKeys,
    permissions: access.permissions,
  };
  await db.batch([
    db.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id)),
    auditInsert(
      db,
      { principal, requestId, now },
      {
        companyId: user.companyId,
        action: 'auth.login',
        targetType: 'user',
        targetId: user.id,
        summary: `Signed in as ${user.email}`,
      },
    ),
  ]);
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresIn: ttl,
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      companyId: user.companyId,
      roles: access.roleKeys,
    },
  };
}

async function principalFromToken(
  db: Database,
  config: Config,
  token: string,
  now: number,
): Promise<Principal> {
  let claims: v.InferOutput<typeof Claims>;
  try {
    const { payload } = await jwtVerify(token, encoder.encode(config.JWT_SECRET), {
      issuer: config.JWT_ISSUER,
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    claims = v.parse(Claims, payload);
  } catch {
    throw new AppError('unauthenticated', 'The access token is invalid or expired');
  }
  // The token alone is not trusted: the user is re-read (at most PRINCIPAL_CACHE_MS old), so disabling a
  // user or changing their roles takes effect within seconds, not at token expiry.
  return cachedPrincipal(`user:${claims.sub}`, now, async () => {
    const access = await loadUserAccess(db, claims.sub);
    if (access?.user.status !== 'active' || access.companyStatus === 'suspended') {
      throw new AppError('unauthenticated', 'The access token is no longer valid');
    }
    return {
      kind: 'user',
      id: access.user.id,
      companyId: access.user.companyId,
      audience: access.user.companyId === null ? 'supplier' : 'customer',
      roles: access.roleKeys,
      permissions: access.permissions,
    };
  });
}

async function principalFromApiKey(db: Database, key: string, now: number): Promise<Principal> {
  const presentedHash = await sha256Hex(key);
  // keyed by the hash: the plaintext key never sits in memory longer than the request
  return cachedPrincipal(`key:${presentedHash}`, now, () => lookUpApiKey(db, key, presentedHash));
}

async function lookUpApiKey(db: Database, key: string, presentedHash: string): Promise<Principal> {
  const parsed = parseApiKey(key);
  const row = parsed ? await findActiveApiKey(db, parsed.prefix) : undefined;
  const presented = encoder.encode(presentedHash);
  const expected = encoder.encode(row?.keyHash ?? '0'.repeat(64));
  if (!row || !constantTimeEqual(presented, expected)) {
    throw new AppError('unauthenticated', 'The API key is invalid or revoked');
  }
  return {
    kind: 'api_key',
    id: row.id,
    companyId: row.companyId,
    audience: row.companyId === null ? 'supplier' : 'customer',
    roles: row.scopes.map((s) => `scope:${s}`),
    permissions: permissionsForScopes(row.scopes),
  };
}

/** Resolves `Authorization: Bearer <JWT | API key>` to a principal, or throws 401. */
export async function authenticate(
  db: Database,
  config: Config,
  header: string | undefined,
  now: number,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const credential = match?.[1];
  if (!credential) throw new AppError('unauthenticated', 'Send "Authorization: Bearer <token or API key>"');
  return credential.startsWith('b2bk_')
    ? principalFromApiKey(db, credential, now)
    : principalFromToken(db, config, credential, now);
}

export async function touchApiKey(db: Database, id: string, now: number): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}
