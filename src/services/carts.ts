import { orderingRulesOf } from '../db/queries/price-lines';
import { stockOf } from '../db/queries/stock';
import { cartTotals, priceCartLine } from '../domain/carts';
import { AppError, type AppErrorCode, type FieldIssue } from '../domain/errors';
import type { CartRecord } from '../durable/cart-store';
import { organizationStub } from '../durable/organization-stub';
import type { Env } from '../env';
import type { CompanyScope } from '../http/context';
import type { CustomerView } from './catalog-view';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';

/** Who is working on carts: the company (from the tenant scope, never the request) and the user. */
export interface CartActor {
  scope: CompanyScope;
  userId: string;
}

export const cartsOf = (env: Pick<Env, 'ORGANIZATION'>, actor: CartActor) => {
  const stub = organizationStub(env, actor.scope.companyId);
  return { stub, companyId: actor.scope.companyId, userId: actor.userId };
};

/** What the company's object answers: a value, or an expected failure (an Error loses its class over RPC). */
export type ObjectResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: AppErrorCode; message: string; issues?: FieldIssue[] };

/** Turns the object's expected failures into the API's errors. */
export function unwrap<T>(result: ObjectResult<T>): T {
  if (result.ok) return result.value;
  throw new AppError(result.code, result.message, result.issues ?? []);
}

/**
 * A cart priced for its company from the price index (or SQL while it builds): each line's unit price,
 * tier, rule and savings against list, and its problems; then the totals.
 */
export async function pricedCart(deps: PricingDeps, view: CustomerView, cart: CartRecord, now: number) {
  const skus = cart.lines.map((l) => l.sku);
  const [found, ordering, stock] = await Promise.all([
    customerEntries(deps, view.fingerprint, skus, now),
    orderingRulesOf(deps.db, skus),
    stockOf(deps.db, skus),
  ]);
  const lines = cart.lines.map((line) =>
    priceCartLine(line, {
      // a SKU without a product row does not exist; one the index does not list is hidden from this customer
      entry: ordering.has(line.sku) ? (found.entries.get(line.sku) ?? null) : undefined,
      ordering: ordering.get(line.sku),
      stock: stock.get(line.sku) ?? { onHand: 0, nextAvailabilityDate: null },
    }),
  );
  const { lines: _lines, ...header } = cart;
  return {
    ...header,
    currency: found.currency,
    priceSource: found.source,
    priceGeneration: found.generation,
    lines,
    totals: cartTotals(lines),
  };
}
