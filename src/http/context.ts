import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Database } from '../db/client';
import type { Permission } from '../domain/permissions';
import type { Config, Env } from '../env';
import type { PricingDeps } from '../services/pricing/deps';

export interface Principal {
  kind: 'user' | 'api_key';
  /** user id or API key id */
  id: string;
  /** the company the principal belongs to; null for the supplier's staff and platform API keys */
  companyId: string | null;
  audience: 'customer' | 'supplier';
  roles: string[];
  permissions: ReadonlySet<Permission>;
}

/** Per-request services, built once by middleware and handed to routes: I/O comes in, never imported. */
export interface Services {
  db: Database;
  config: Config;
  now: () => number;
  /** database, price index KV and rebuild queue, for the pricing services */
  pricing: PricingDeps;
}

/**
 * The company a request acts for, resolved once by the tenant middleware. Scoped queries take this,
 * never a raw company id from the request, so "which company" cannot be forgotten or spoofed per handler.
 */
export interface CompanyScope {
  readonly companyId: string;
  readonly db: Database;
}

export type AppEnv = {
  Bindings: Env;
  Variables: RequestIdVariables & {
    services: Services;
    principal: Principal;
    scope: CompanyScope;
  };
};

export type AppContext = Context<AppEnv>;
