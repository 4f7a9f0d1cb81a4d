import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './context';

// two years, the HSTS preload list's minimum; the API is only ever served over https outside development
const HSTS = 'max-age=63072000; includeSubDomains';
// JSON answers are never rendered: nothing may load from them, nobody may frame them
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every answer carries, errors included (they are set after the handler and `onError` ran):
 * - `X-Content-Type-Options: nosniff` everywhere;
 * - `Cache-Control: no-store` on every `/v1` answer unless the route chose its own: tokens, users,
 *   prices and orders are personal, and a default that caches nothing cannot leak through a shared cache;
 * - a CSP that allows nothing, unless the route set its own (`/docs`);
 * - HSTS outside development (local `wrangler dev` is plain http).
 */
export const securityHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'no-referrer');
  if (!headers.has('content-security-policy')) headers.set('content-security-policy', API_CSP);
  if (c.req.path.startsWith('/v1/') && !headers.has('cache-control'))
    headers.set('cache-control', 'no-store');
  if ((c.env.ENVIRONMENT ?? 'production') !== 'development') headers.set('strict-transport-security', HSTS);
});
