import { getOrder } from '../db/queries/orders';
import { notFound } from '../domain/errors';
import { seesCompanyOrders } from '../domain/principal';
import type { AppContext } from '../http/context';
import { scopeOf } from '../http/middleware';

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
