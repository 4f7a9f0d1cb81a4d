import { salesRepContact } from '../db/queries/companies';
import { activeOffersFor, groupsOfCompany } from '../db/queries/offers';
import { orderingRulesOf } from '../db/queries/price-lines';
import { pricingProductsBySku } from '../db/queries/pricing-data';
import { stockOf } from '../db/queries/stock';
import { cartTotals, isBlocking, type PricedCartLine, priceCartLine } from '../domain/carts';
import { applyOffers } from '../domain/offers';
import type { CartRecord } from '../durable/cart-model';
import type { CustomerView } from './catalog-view';
import type { PricingDeps } from './pricing/deps';
import { customerEntries } from './pricing/entries';

/**
 * A cart priced for its company from the price index (or SQL while it builds): each line's unit price,
 * tier, rule and savings against list, and its problems; then the totals.
 */
export async function pricedCart(deps: PricingDeps, view: CustomerView, cart: CartRecord, now: number) {
  const skus = cart.lines.map((l) => l.sku);
  const [found, ordering, stock, products, groups] = await Promise.all([
    customerEntries(deps, view.fingerprint, skus, now),
    orderingRulesOf(deps.db, skus),
    stockOf(deps.db, skus),
    pricingProductsBySku(deps.db, skus),
    groupsOfCompany(deps.db, view.companyId),
  ]);
  const priced = cart.lines.map((line) =>
    priceCartLine(line, {
      // a SKU without a product row does not exist; one the index does not list is hidden from this customer
      entry: ordering.has(line.sku) ? (found.entries.get(line.sku) ?? null) : undefined,
      ordering: ordering.get(line.sku),
      stock: stock.get(line.sku) ?? { onHand: 0, nextAvailabilityDate: null },
    }),
  );
  const lines = await withSalesRep(deps, view.companyId, priced);
  // cart-level offers apply to the lines that can be ordered at their price (docs/offers.md)
  const offers = await activeOffersFor(deps.db, {
    companyId: view.companyId,
    groupIds: groups,
    currency: found.currency,
    now,
  });
  const byProduct = new Map(products.map((p) => [p.sku, p]));
  const offerLines = lines.flatMap((l) => {
    const product = byProduct.get(l.sku);
    return product && l.unitMinor !== null && !l.problems.some(isBlocking)
      ? [
          {
            lineId: l.id,
            sku: l.sku,
            family: product.family,
            categoryPath: product.categoryPath,
            brand: product.brand,
            quantity: l.quantity,
            unitMinor: l.unitMinor,
          },
        ]
      : [];
  });
  const applied = applyOffers(offers, offerLines, found.currency, now);
  const totals = cartTotals(lines);
  const { lines: _lines, ...header } = cart;
  return {
    ...header,
    currency: found.currency,
    priceSource: found.source,
    priceGeneration: found.generation,
    lines,
    offers: { applied: applied.applied, hints: applied.hints },
    totals: {
      ...totals,
      offerDiscountMinor: applied.discountMinor,
      // what checkout charges: the lines after their contract prices, less the cart-level offers
      totalMinor: totals.subtotalMinor - applied.discountMinor,
    },
  };
}

/** A line the buyer put in the cart that is (no longer) in the assortment says whom to ask about it. */
async function withSalesRep(deps: PricingDeps, companyId: string, lines: PricedCartLine[]) {
  const hidden = (l: PricedCartLine) => l.problems.some((p) => p.code === 'not_available');
  if (!lines.some(hidden)) return lines;
  const salesRep = await salesRepContact(deps.db, companyId);
  return lines.map((l) =>
    hidden(l)
      ? { ...l, problems: l.problems.map((p) => (p.code === 'not_available' ? { ...p, salesRep } : p)) }
      : l,
  );
}
