import { createMiddleware } from 'hono/factory';
import { forbidden } from '../domain/errors';
import { readsOrders, seesCompanyOrders } from '../domain/principal';
import type { AppContext, AppEnv } from '../http/context';

/** Those who see the company's orders (domain/principal.ts) may ask for their own; everyone else gets theirs. */
export function placedByFilter(c: AppContext, mineOnly: boolean): string | undefined {
  const p = c.var.principal;
  return mineOnly || !seesCompanyOrders(p) ? p.id : undefined;
}

export const orderReader = createMiddleware<AppEnv>(async (c, next) => {
  if (!readsOrders(c.var.principal))
    throw forbidden(
      'Reading orders needs catalog.view, or for an API key the orders:read or orders:write scope',
    );
  await next();
});
