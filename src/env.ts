import * as v from 'valibot';
import type { OrganizationDO } from './durable/organization';
import type { RateLimiterDO } from './durable/rate-limiter';

/** Every binding and variable the Worker sees. Kept in step with wrangler.toml by hand (checked by tests). */
export interface Env {
  DB: D1Database;
  PRICE_INDEX: KVNamespace;
  ORGANIZATION: DurableObjectNamespace<OrganizationDO>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiterDO>;
  ERP_IMPORT_QUEUE: Queue;
  PRICE_INDEX_QUEUE: Queue;
  ERP_EXPORT_QUEUE: Queue;
  RECURRING_ORDERS_QUEUE: Queue;
  NOTIFICATIONS_QUEUE: Queue;
  ENVIRONMENT: string;
  JWT_SECRET: string;
  JWT_ISSUER: string;
  JWT_TTL_SECONDS: string;
  ENABLE_BENCH_ROUTES: string;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  /**
   * Tests only: the clock the request sees (`services.now`). A function cannot be set in wrangler.toml or
   * as a secret, so no deployment can turn it on.
   */
  TEST_CLOCK?: () => number;
}

const ConfigSchema = v.object({
  // "development" relaxes what only a developer's machine needs (http webhooks to localhost, no HSTS);
  // unset means production
  ENVIRONMENT: v.optional(v.pipe(v.string(), v.minLength(1)), 'production'),
  JWT_SECRET: v.pipe(v.string('JWT_SECRET is not set (see .dev.vars.example)'), v.minLength(32)),
  JWT_ISSUER: v.pipe(v.string(), v.minLength(1)),
  JWT_TTL_SECONDS: v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(60), v.maxValue(86_400)),
  ENABLE_BENCH_ROUTES: v.optional(v.picklist(['true', 'false']), 'false'),
  LIBSQL_URL: v.optional(v.pipe(v.string(), v.url())),
  LIBSQL_AUTH_TOKEN: v.optional(v.string()),
});

export type Config = v.InferOutput<typeof ConfigSchema>;

const checked = new WeakMap<object, Config>();

/** Environment is checked once per isolate and binding set; a misconfiguration fails loudly, naming the variable. */
export function readConfig(env: Env): Config {
  const cached = checked.get(env);
  if (cached) return cached;
  const result = v.safeParse(ConfigSchema, env);
  if (!result.success) {
    const names = result.issues.map((i) => `${v.getDotPath(i) ?? '?'}: ${i.message}`).join('; ');
    throw new Error(`Invalid Worker configuration: ${names}`);
  }
  checked.set(env, result.output);
  return result.output;
}
