import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import type { Database } from '../db/client';
import type { CompanyScope } from '../db/scope';
import type { Principal } from '../domain/principal';
import type { Config, Env } from '../env';
import type { PricingDeps } from '../services/pricing/deps';
import type { SearchDeps } from '../services/search/deps';

/** Per-request services, built once by middleware and handed to routes: I/O comes in, never imported. */
export interface Services {
  db: Database;
  config: Config;
  now: () => number;
  /** database, price index KV and rebuild queue, for the pricing services */
  pricing: PricingDeps;
  /** database, the search index's KV and its build queue */
  search: SearchDeps;
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
