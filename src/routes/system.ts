import { type Context, Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import * as v from 'valibot';
import { notFound } from '../domain/errors';
import { benchRoutesEnabled, readConfig } from '../env';
import type { AppEnv } from '../http/context';
import { authenticated } from '../http/middleware';
import { doc } from '../http/openapi';
import { kvKeys } from '../lib/kv-keys';
import { rebuildNowForBench } from '../services/pricing/bench-build';
import { KV_CACHE_TTL_SECONDS } from '../services/pricing/reader';

const tags = ['System'];

/** Health and the self-description of the API. */
export function systemRoutes(app: Hono<AppEnv>) {
  return new Hono<AppEnv>()
    .get(
      '/health',
      doc({ tags, summary: 'Liveness', public: true, ok: v.object({ status: v.literal('ok') }) }),
      (c) => c.json({ status: 'ok' }),
    )
    .get(
      '/openapi.json',
      openAPIRouteHandler(app, {
        documentation: {
          openapi: '3.1.0',
          info: {
            title: 'Edge B2B commerce API',
            version: '1',
            description:
              'Errors are application/problem+json (RFC 9457) with errors[].path. Unknown fields are rejected.',
          },
          components: {
            securitySchemes: {
              bearer: {
                type: 'http',
                scheme: 'bearer',
                description: 'Access token from /v1/auth/login, or an API key (b2bk_...)',
              },
            },
          },
        },
      }),
    );
}

/**
 * The floor the benchmark measures against: a bare route and a raw KV read. Mounted only when
 * ENABLE_BENCH_ROUTES is "true" (set by `npm run bench`) in development, never in staging or production, and
 * hidden from the OpenAPI document.
 */
export const benchRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!benchRoutesEnabled(readConfig(c.env))) throw notFound('Route');
    await next();
  })
  .get('/noop', (c) => c.text('ok'))
  .put('/kv/:key', async (c) => {
    await c.env.PRICE_INDEX.put(kvKeys.bench(c.req.param('key')), await c.req.arrayBuffer());
    return c.body(null, 204);
  })
  .get('/kv/:key', readBenchValue)
  // the same read behind the same authentication a priced page pays
  .get('/auth/kv/:key', authenticated, readBenchValue)
  // a full index build inside one request, timed by the Worker: rebuild cost per dataset size
  .post('/price-index/:companyId/build', async (c) => {
    const timed = await rebuildNowForBench(c.var.services.pricing, c.req.param('companyId'));
    if (!timed) throw notFound('Company');
    return c.json(timed);
  });

async function readBenchValue(c: Context<AppEnv>) {
  const value = await c.env.PRICE_INDEX.get(kvKeys.bench(c.req.param('key') ?? ''), {
    type: 'arrayBuffer',
    cacheTtl: KV_CACHE_TTL_SECONDS,
  });
  if (value === null) throw notFound('Key');
  return c.body(value, 200, { 'content-type': 'application/octet-stream' });
}
