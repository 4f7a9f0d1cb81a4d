import { and, eq, gt } from 'drizzle-orm';
import { SignJWT } from 'jose';
import * as v from 'valibot';
import type { Database } from '../../db/client';
import { punchoutSessions } from '../../db/schema';
import { sha256Hex } from '../../domain/api-keys';
import { AppError } from '../../domain/errors';
import {
  type PunchoutLanguage,
  type PunchoutOperation,
  SESSION_TTL_MS,
  START_CODE_TTL_MS,
} from '../../domain/punchout-terms';
import { companyObject } from '../../durable/client';
import type { Config, Env } from '../../env';
import { newId } from '../../lib/ids';
import { verifyToken } from '../jwt-verify';
import type { PartnerRow } from './partners';

/**
 * Punch-out sessions: the server-side state of one visit (procurement browsers drop cookies). A setup
 * request opens a session with a company cart owned by the session's user and a one-time start code; the
 * code is exchanged once, within START_CODE_TTL_MS, for the shop's session key (carried in the start
 * page's links) and a bearer token for the JSON API; the transfer closes the session.
 */
export type SessionRow = typeof punchoutSessions.$inferSelect;

export interface OpenSessionInput {
  partner: PartnerRow;
  userId: string;
  operation: PunchoutOperation;
  buyerCookie: string | null;
  returnUrl: string | null;
  returnFields: Record<string, string>;
  language: PunchoutLanguage;
  payloadId: string | null;
  /** edit/inspect: the lines the procurement system sends back (unknown SKUs are left out and reported) */
  lines: readonly { sku: string; quantity: number }[];
  now: number;
}

export interface OpenedSession {
  session: SessionRow;
  /** the one-time start code (shown once: only its hash is stored) */
  code: string;
  /** indexes of `lines` that could not be put in the cart, with why */
  refused: { index: number; message: string }[];
}

const randomToken = (bytes: number): string =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');

export async function openSession(env: Env, db: Database, input: OpenSessionInput): Promise<OpenedSession> {
  const { partner, now } = input;
  const object = companyObject(env, { companyId: partner.companyId, db });
  const label = input.buyerCookie ? ` ${input.buyerCookie.slice(0, 40)}` : '';
  const created = await object.createCart(
    input.userId,
    { name: `Punch-out ${partner.name}${label}`.slice(0, 120), shared: false },
    now,
  );
  if (!created.ok)
    throw new AppError('conflict', `The session cart could not be created: ${created.message}`);
  const cartId = created.value.id;
  let refused: OpenedSession['refused'] = [];
  if (input.lines.length > 0) {
    const added = await object.addCartLinesPartially(input.userId, cartId, undefined, [...input.lines], now);
    if (!added.ok) throw new AppError('conflict', `The cart lines could not be restored: ${added.message}`);
    refused = added.value.refused.map((r) => ({ index: r.index, message: r.message }));
  }
  const code = randomToken(32);
  const [session] = await db
    .insert(punchoutSessions)
    .values({
      id: newId('pos'),
      partnerId: partner.id,
      companyId: partner.companyId,
      userId: input.userId,
      protocol: partner.protocol,
      operation: input.operation,
      state: 'open',
      buyerCookie: input.buyerCookie,
      returnUrl: input.returnUrl,
      returnFields: input.returnFields,
      cartId,
      language: input.language,
      payloadId: input.payloadId,
      codeHash: await sha256Hex(code),
      codeExpiresAt: now + START_CODE_TTL_MS,
      createdAt: now,
      expiresAt: now + SESSION_TTL_MS,
    })
    .returning();
  if (!session) throw new Error('session insert returned nothing');
  return { session, code, refused };
}

export interface ExchangedSession {
  session: SessionRow;
  /** the shop's key: start-page links carry it (`/punchout/shop/{key}/…`) */
  shopKey: string;
  /** a bearer token for the catalog, prices and the session cart (headless storefronts) */
  token: string;
  expiresIn: number;
}

/**
 * Exchanges a start code, once: an unknown, expired or already used code is refused alike (401), so a
 * leaked start URL is worth nothing after the buyer opened it.
 */
export async function exchangeCode(
  db: Database,
  config: Config,
  code: string,
  now: number,
): Promise<ExchangedSession> {
  const shopKey = randomToken(32);
  const [session] = await db
    .update(punchoutSessions)
    .set({ codeHash: null, state: 'active', exchangedAt: now, shopKeyHash: await sha256Hex(shopKey) })
    .where(
      and(
        eq(punchoutSessions.codeHash, await sha256Hex(code)),
        eq(punchoutSessions.state, 'open'),
        gt(punchoutSessions.codeExpiresAt, now),
      ),
    )
    .returning();
  if (!session)
    throw new AppError('unauthenticated', 'This start link is unknown, expired or was already used');
  return {
    session,
    shopKey,
    token: await sessionToken(config, session, now),
    expiresIn: Math.floor((session.expiresAt - now) / 1000),
  };
}

const encoder = new TextEncoder();
export const PUNCHOUT_AUDIENCE = 'punchout';

/** A JWT naming the session (`psid`), its user and company; it lives as long as the session. */
export async function sessionToken(config: Config, session: SessionRow, now: number): Promise<string> {
  return new SignJWT({ cid: session.companyId, roles: [], psid: session.id })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(session.userId)
    .setIssuer(config.JWT_ISSUER)
    .setAudience(PUNCHOUT_AUDIENCE)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(session.expiresAt / 1000))
    .sign(encoder.encode(config.JWT_SECRET));
}

const SessionClaims = v.object({ sub: v.string(), psid: v.string() });

/** The session id a punch-out token names, or null when the token is not a punch-out token. */
export async function sessionIdOfToken(config: Config, token: string, now: number): Promise<string | null> {
  try {
    const payload = await verifyToken(config, token, {
      issuer: config.JWT_ISSUER,
      audience: PUNCHOUT_AUDIENCE,
      currentDate: new Date(now),
    });
    const claims = v.safeParse(SessionClaims, payload);
    return claims.success ? claims.output.psid : null;
  } catch {
    return null;
  }
}

/** A session that can still be used: exchanged, not transferred, not past its end. */
export async function liveSession(db: Database, id: string, now: number): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(punchoutSessions)
    .where(
      and(
        eq(punchoutSessions.id, id),
        eq(punchoutSessions.state, 'active'),
        gt(punchoutSessions.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

export async function sessionByShopKey(
  db: Database,
  key: string,
  now: number,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .select()
    .from(punchoutSessions)
    .where(
      and(
        eq(punchoutSessions.shopKeyHash, await sha256Hex(key)),
        eq(punchoutSessions.state, 'active'),
        gt(punchoutSessions.expiresAt, now),
      ),
    )
    .limit(1);
  return row;
}

/**
 * Closes the session for its transfer, once: a second transfer (a double click, a replayed request) finds
 * it closed and is refused, so one cart is sent back once.
 */
export async function closeForTransfer(
  db: Database,
  id: string,
  now: number,
): Promise<SessionRow | undefined> {
  const [row] = await db
    .update(punchoutSessions)
    .set({ state: 'transferred', transferredAt: now })
    .where(and(eq(punchoutSessions.id, id), eq(punchoutSessions.state, 'active')))
    .returning();
  return row;
}
