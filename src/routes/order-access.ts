import { createMiddleware } from 'hono/factory';
import { getOrder } from '../db/queries/orders';
import { forbidden, notFound } from '../domain/errors';
import { readsOrders, seesCompanyOrders } from '../domain/principal';
import type { AppContext, AppEnv } from '../http/context';
import { scopeOf } from '../http/middleware';

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

/**
 * An order the caller may read, with its lines: any of the company's for those who see the company's
 * orders (approvers, finance, admins), else only their own. Anything else is a 404, as GET /v1/orders/{id}.
 */
export async function readableOrder(c: AppContext, id: string) {
  const principal = c.var.principal;
  const found = await getOrder(c.var.services.db, scopeOf(c).companyId, id);
  if (!found || (!seesCompanyOrders(principal) && found.order.placedBy !== principal.id))
    throw notFound('Order');
  return found;
}
