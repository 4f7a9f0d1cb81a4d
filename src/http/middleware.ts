import { and, eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { createDatabase } from '../db/client';
import { companies } from '../db/schema';
import type { CompanyScope } from '../db/scope';
import { AppError, forbidden } from '../domain/errors';
import type { Permission } from '../domain/permissions';
import { actsForAnyCompany } from '../domain/principal';
import { readConfig } from '../env';
import { log } from '../lib/log';
import { authenticate, touchApiKey } from '../services/auth';
import { touchDue } from '../services/principal-cache';
import { attemptContextOf } from './actor';
import type { AppContext, AppEnv } from './context';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export const services = createMiddleware<AppEnv>(async (c, next) => {
  const db = createDatabase(c.env);
  c.set('services', {
    db,
    config: readConfig(c.env),
    now: c.env.TEST_CLOCK ?? (() => Date.now()),
    pricing: { db, kv: c.env.PRICE_INDEX, queue: c.env.PRICE_INDEX_QUEUE },
    search: { db, kv: c.env.PRICE_INDEX, queue: c.env.SEARCH_INDEX_QUEUE },
  });
  await next();
});

export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = Date.now();
  await next();
  log(c.res.status >= 500 ? 'error' : 'info', 'request', {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Date.now() - started,
    principal: c.get('principal')?.id,
  });
});

/**
 * The routes that take what people paste or upload (an order list, a CSV of part numbers or list items):
 * besides JSON, `text/plain`, `text/csv` and `multipart/form-data` (a CSV or XLSX file), up to
 * UPLOAD_BODY_BYTES. Each names its method and path exactly; every other write stays JSON-only, 1 MiB.
 */
export const UPLOAD_BODY_BYTES = 2 * 1024 * 1024;
const UPLOAD_ROUTES: readonly RegExp[] = [
  /^\/v1\/quick-order\/resolve$/,
  /^\/v1\/lists\/[^/]+\/import$/,
  /^\/v1\/company\/part-numbers\/import$/,
];
const JSON_TYPE = /^application\/(.+\+)?json\s*(;|$)/i;
const UPLOAD_TYPE =
  /^(application\/(.+\+)?json|text\/plain|text\/csv|text\/tab-separated-values|multipart\/form-data)\s*(;|$)/i;

export const isUploadRoute = (method: string, path: string): boolean =>
  method === 'POST' && UPLOAD_ROUTES.some((route) => route.test(path));

/** Writes must be JSON (415 otherwise) and at most 1 MiB (413), checked before any parsing; uploads above. */
export const jsonBodyGuards: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
  const upload = isUploadRoute(c.req.method, c.req.path);
  const type = c.req.header('content-type') ?? '';
  const hasBody = c.req.header('content-length') !== '0' && (c.req.raw.body !== null || type !== '');
  if (hasBody && !(upload ? UPLOAD_TYPE : JSON_TYPE).test(type)) {
    throw new AppError(
      'unsupported_media_type',
      upload
        ? 'Send the list as text/plain, text/csv, application/json ({ "text": … }) or multipart/form-data (a CSV or XLSX file)'
        : 'Send the body as application/json',
    );
  }
  const maxSize = upload ? UPLOAD_BODY_BYTES : MAX_JSON_BODY_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new AppError(
        'payload_too_large',
        upload
          ? `The body exceeds ${maxSize} bytes (2 MiB); send at most 1,000 lines`
          : `The body exceeds ${maxSize} bytes`,
        upload ? [{ in: 'body', path: '', message: `at most ${maxSize} bytes` }] : [],
      );
    },
  })(c, next);
};

export const authenticated = createMiddleware<AppEnv>(async (c, next) => {
  const { db, config, now } = c.var.services;
  const principal = await authenticate(db, config, c.req.header('authorization'), attemptContextOf(c));
  c.set('principal', principal);
  if (principal.kind === 'api_key' && touchDue(principal.id, now()))
    c.executionCtx.waitUntil(touchApiKey(db, principal.id, now()));
  await next();
});

/**
 * A punch-out session's token reaches the catalog, prices and its own session cart, nothing else: no other
 * cart, no order, no company route (403), whatever permissions its user has elsewhere.
 */
export const punchoutConfined = createMiddleware<AppEnv>(async (c, next) => {
  const grant = c.var.principal.punchout;
  if (!grant) return next();
  const { method, path } = c.req;
  const cart = /^\/v1\/carts\/([^/]+)(?:\/lines(?:\/[^/]+)?)?\/?$/.exec(path);
  const allowed =
    (method === 'GET' && (path === '/v1/me' || path === '/v1/catalog' || path.startsWith('/v1/catalog/'))) ||
    (method === 'POST' && path === '/v1/prices') ||
    (cart !== null && cart[1] === grant.cartId && (method === 'GET' || !grant.readOnly));
  if (!allowed)
    throw forbidden(
      grant.readOnly
        ? 'This punch-out session inspects a cart: it reads the catalog, prices and that cart only'
        : 'A punch-out session reaches the catalog, prices and its own cart only',
    );
  await next();
});

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.principal.permissions.has(permission))
      throw forbidden(`This needs the "${permission}" permission`);
    await next();
  });
}

/**
 * Resolves the company a request acts for: a customer principal's own company, or, for supplier staff, the
 * company named by `X-Company-Id` that they may see (platform admins and platform API keys: any; sales reps:
 * their accounts). Anything else is a 404, so the existence of other companies is not revealed.
 */
async function resolveScope(c: AppContext, requested: string | undefined): Promise<CompanyScope> {
  const { principal, services: s } = c.var;
  if (principal.companyId !== null) {
    if (requested && requested !== principal.companyId) throw new AppError('not_found', 'Company not found');
    return { companyId: principal.companyId, db: s.db };
  }
  if (!requested) {
    throw new AppError('validation_failed', 'Supplier staff name the company they act for', [
      { path: 'x-company-id', message: 'Required header for supplier staff' },
    ]);
  }
  const anyCompany = actsForAnyCompany(principal);
  const where = anyCompany
    ? eq(companies.id, requested)
    : and(eq(companies.id, requested), eq(companies.salesRepUserId, principal.id));
  const [row] = await s.db.select({ id: companies.id }).from(companies).where(where).limit(1);
  if (!row || (!anyCompany && !principal.permissions.has('accounts.view'))) {
    throw new AppError('not_found', 'Company not found');
  }
  return { companyId: row.id, db: s.db };
}

/**
 * Resolves the company a request acts for: a customer principal's own company, or, for supplier staff, the
 * company named by `X-Company-Id` that they may see (platform admins: any; sales reps: their accounts).
 * Anything else is a 404, so the existence of other companies is not revealed.
 */
export const companyScoped = createMiddleware<AppEnv>(async (c, next) => {
  c.set('scope', await resolveScope(c, c.req.header('x-company-id')));
  await next();
});

/**
 * Like `companyScoped`, but supplier staff and platform API keys that name no company go on without a
 * scope (the supplier's own, unpriced view of the catalog).
 */
export const optionalCompanyScope = createMiddleware<AppEnv>(async (c, next) => {
  const requested = c.req.header('x-company-id');
  if (c.var.principal.companyId !== null || requested) c.set('scope', await resolveScope(c, requested));
  await next();
});

/** The scope if one was resolved (routes behind `optionalCompanyScope`). */
export const optionalScopeOf = (c: AppContext): CompanyScope | undefined =>
  c.get('scope') as CompanyScope | undefined;

export function scopeOf(c: AppContext): CompanyScope {
  const scope = c.get('scope') as CompanyScope | undefined;
  if (!scope) throw new Error('companyScoped middleware is missing on this route');
  return scope;
}
