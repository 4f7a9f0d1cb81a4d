import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import * as v from 'valibot';
import type { Database } from '../db/client';
import { findActiveApiKey, findUserByEmail, loadUserAccess, type UserAccess } from '../db/queries/identity';
import { apiKeys, users } from '../db/schema';
import { parseApiKey, sha256Hex } from '../domain/api-keys';
import { AppError } from '../domain/errors';
import { clientAddressKey } from '../domain/ip';
import { constantTimeEqual, DUMMY_PASSWORD_HASH, verifyPassword } from '../domain/passwords';
import { type Permission, permissionsForScopes } from '../domain/permissions';
import type { Principal } from '../domain/principal';
import type { Config } from '../env';
import { anonymousAuditInsert, auditInsert } from './audit';
import { type AttemptContext, beginAttempt } from './credential-guard';
import { verifyToken } from './jwt-verify';
import { cachedPrincipal } from './principal-cache';
import { liveSession, PUNCHOUT_AUDIENCE } from './punchout/sessions';

/** A user as the API sees them: their company, audience, role keys and the permissions those roles grant. */
export function userPrincipal(access: UserAccess): Principal {
  return {
    kind: 'user',
    id: access.user.id,
    companyId: access.user.companyId,
    audience: access.user.companyId === null ? 'supplier' : 'customer',
    roles: access.roleKeys,
    permissions: access.permissions,
  };
}

const INVALID_CREDENTIALS = 'Email or password is incorrect';
const encoder = new TextEncoder();

const Claims = v.object({
  sub: v.string(),
  cid: v.nullable(v.string()),
  roles: v.array(v.string()),
  // a punch-out session token names its session and audience (services/punchout/sessions.ts)
  psid: v.optional(v.string()),
  aud: v.optional(v.union([v.string(), v.array(v.string())])),
});

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: { id: string; email: string; name: string; companyId: string | null; roles: string[] };
}

/**
 * Unknown email, wrong password, disabled user and suspended company all cost one PBKDF2 derivation and give
 * the same answer, so neither timing nor wording tells an attacker which emails exist. Guessing is limited
 * per email (known or not, alike) and per client address (429 past the limit, before any hashing); every
 * failure is audited, with the account's company when the email names an account.
 */
export async function login(
  db: Database,
  config: Config,
  credentials: { email: string; password: string },
  context: AttemptContext,
): Promise<LoginResult> {
  const { email, password } = credentials;
  const { now, requestId } = context;
  const attempt = await beginAttempt(context, [
    { policy: 'login_account', id: email.trim().toLowerCase() },
    { policy: 'login_address', id: clientAddressKey(context.clientAddress) },
  ]);
  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  const access = user && passwordOk ? await loadUserAccess(db, user.id) : undefined;
  if (!user || !access || access.user.status !== 'active' || access.companyStatus === 'suspended') {
    attempt.failed();
    const from = context.clientAddress || 'an unknown address';
    await anonymousAuditInsert(db, context, {
      companyId: user?.companyId ?? null,
      action: 'auth.login_failed',
      targetType: user ? 'user' : 'email',
      targetId: user?.id ?? email.trim().toLowerCase(),
      summary: `Failed sign-in as ${email.trim().toLowerCase()} from ${from}`,
    });
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
  const principal = userPrincipal(access);
  await Promise.all([
    attempt.succeeded(),
    db.batch([
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
    ]),
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
    const payload = await verifyToken(config, token, {
      issuer: config.JWT_ISSUER,
      currentDate: new Date(now),
    });
    claims = v.parse(Claims, payload);
  } catch {
    throw new AppError('unauthenticated', 'The access token is invalid or expired');
  }
  if (claims.psid !== undefined || claims.aud !== undefined) {
    if (claims.aud !== PUNCHOUT_AUDIENCE || !claims.psid)
      throw new AppError('unauthenticated', 'The access token is invalid or expired');
    return punchoutPrincipal(db, claims.sub, claims.psid, now);
  }
  // The token alone is not trusted: the user is re-read (at most PRINCIPAL_CACHE_MS old), so disabling a
  // user or changing their roles takes effect within seconds, not at token expiry.
  return cachedPrincipal(`user:${claims.sub}`, now, async () => {
    const access = await loadUserAccess(db, claims.sub);
    if (access?.user.status !== 'active' || access.companyStatus === 'suspended') {
      throw new AppError('unauthenticated', 'The access token is no longer valid');
    }
    return userPrincipal(access);
  });
}

/**
 * A punch-out session's principal: its user's permissions narrowed to shopping (catalog, prices, the cart;
 * only the first two when the session inspects), and the session it is confined to. Read every request:
 * a transferred or expired session stops its token at once.
 */
async function punchoutPrincipal(db: Database, userId: string, sessionId: string, now: number) {
  const [session, access] = await Promise.all([liveSession(db, sessionId, now), loadUserAccess(db, userId)]);
  const principal = session && session.userId === userId ? sessionPrincipal(access, session) : undefined;
  if (!principal) throw new AppError('unauthenticated', 'The punch-out session is closed or expired');
  return principal;
}

/**
 * The principal of a live session's user (the token above, the start page's shop): undefined when the
 * user or their company can no longer act.
 */
export function sessionPrincipal(
  access: UserAccess | undefined,
  session: { id: string; cartId: string; operation: string },
): Principal | undefined {
  if (access?.user.status !== 'active' || access.companyStatus !== 'active') return undefined;
  const readOnly = session.operation === 'inspect';
  const allowed: readonly Permission[] = readOnly
    ? ['catalog.view', 'prices.view']
    : ['catalog.view', 'prices.view', 'cart.manage'];
  const principal = userPrincipal(access);
  return {
    ...principal,
    permissions: new Set(allowed.filter((p) => principal.permissions.has(p))),
    punchout: { sessionId: session.id, cartId: session.cartId, readOnly },
  };
}

async function principalFromApiKey(
  db: Database,
  key: string,
  now: number,
  context: AttemptContext,
): Promise<Principal> {
  const presentedHash = await sha256Hex(key);
  // keyed by the hash: the plaintext key never sits in memory longer than the request
  return cachedPrincipal(`key:${presentedHash}`, now, () => lookUpApiKey(db, key, presentedHash, context));
}

/**
 * Lookups (not the 5 s principal cache) are limited per client address and per key prefix: a key that
 * was proven moments ago is not a guess.
 */
async function lookUpApiKey(
  db: Database,
  key: string,
  presentedHash: string,
  context: AttemptContext,
): Promise<Principal> {
  const parsed = parseApiKey(key);
  const [attempt, row] = await Promise.all([
    beginAttempt(context, [
      { policy: 'api_key_address', id: clientAddressKey(context.clientAddress) },
      ...(parsed ? [{ policy: 'api_key_prefix' as const, id: parsed.prefix }] : []),
    ]),
    parsed ? findActiveApiKey(db, parsed.prefix) : undefined,
  ]);
  const presented = encoder.encode(presentedHash);
  const expected = encoder.encode(row?.keyHash ?? '0'.repeat(64));
  if (!row || !constantTimeEqual(presented, expected)) {
    attempt.failed();
    const named = parsed ? `b2bk_${parsed.prefix}_…` : 'a malformed key';
    await anonymousAuditInsert(db, context, {
      companyId: row?.companyId ?? null,
      action: 'auth.api_key_failed',
      targetType: 'api_key',
      targetId: row?.id ?? (parsed ? `b2bk_${parsed.prefix}` : 'malformed'),
      summary: `Rejected API key ${named} from ${context.clientAddress || 'an unknown address'}`,
    });
    throw new AppError('unauthenticated', 'The API key is invalid or revoked');
  }
  await attempt.succeeded();
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
  context: AttemptContext,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const credential = match?.[1];
  if (!credential) throw new AppError('unauthenticated', 'Send "Authorization: Bearer <token or API key>"');
  // signed tokens cannot be guessed (HS256, 256-bit secret) and expire: only API keys are limited
  return credential.startsWith('b2bk_')
    ? principalFromApiKey(db, credential, context.now, context)
    : principalFromToken(db, config, credential, context.now);
}

export async function touchApiKey(db: Database, id: string, now: number): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
}
