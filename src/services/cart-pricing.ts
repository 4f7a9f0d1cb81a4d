import type { SkuFacts } from '../db/queries/cart-facts';
import { atAgreedPrice, cartTotals, isBlocking, type PricedCartLine, priceCartLine } from '../domain/carts';
import { applyOffers, type CartOffer } from '../domain/offers';
import type { CartLineRecord, CartRecord } from '../durable/cart-model';
import type { CustomerEntries } from './pricing/entries';

/** What pricing a cart takes, read beforehand: index entries, product facts, the company's offers. */
export interface CartPricingInputs {
  /** the company's index entries of the cart's SKUs (or their SQL fallback), with currency and generation */
  found: CustomerEntries;
  /** facts of the cart's SKUs that exist; a SKU missing here does not exist */
  products: ReadonlyMap<string, SkuFacts>;
  /** the offers the company gets (its own, its groups', global); `applyOffers` checks currency and window */
  offers: readonly CartOffer[];
  /**
   * Unit prices agreed beforehand (an accepted quote), by the cart line's position: those lines are priced
   * at them, not from the index, and take no cart-level offer (the agreed price is the whole deal). Only a
   * checkout of a quote's own cart passes them (line-orders.ts); every other pricing leaves them out.
   */
  agreedUnitMinor?: readonly number[];
}

/** Prices one line, or hands back the line priced earlier from the same inputs (the object's cache). */
export type LinePricing = (
  line: CartLineRecord,
  facts: SkuFacts | undefined,
  price: () => PricedCartLine,
) => PricedCartLine;

const priceEach: LinePricing = (_line, _facts, price) => price();

/**
 * A cart priced for its company: each line's unit price, tier, rule and savings against list, and its
 * problems; then the cart-level offers over the lines that can be ordered at their price, and the totals.
 * Pure: every input was read before (docs/orders.md says when and how fresh).
 */
export function priceCart(
  cart: CartRecord,
  inputs: CartPricingInputs,
  now: number,
  linePricing: LinePricing = priceEach,
) {
  const { found, products, agreedUnitMinor } = inputs;
  const lines = cart.lines.map((line, i) => {
    const facts = products.get(line.sku);
    const agreed = agreedUnitMinor?.[i];
    // an agreed price is applied after the cache: the cached line stays the index's
    const priced = linePricing(line, facts, () =>
      priceCartLine(line, {
        // a SKU without a product row does not exist; one the index does not list is hidden from this customer
        entry: facts ? (found.entries.get(line.sku) ?? null) : undefined,
        ordering: facts,
        stock: facts ?? { onHand: 0, nextAvailabilityDate: null },
      }),
    );
    const charged = agreed === undefined ? priced : atAgreedPrice(priced, agreed);
    // the note is not a pricing input: a line priced earlier is reused with the line's note of now
    return { ...charged, note: line.note ?? null };
  });
  // cart-level offers apply to the lines that can be ordered at their price (docs/offers.md)
  const offerLines = lines.flatMap((l, i) => {
    const product = products.get(l.sku);
    const agreed = agreedUnitMinor?.[i] !== undefined;
    return product && !agreed && l.unitMinor !== null && !l.problems.some(isBlocking)
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
  const applied = applyOffers(inputs.offers, offerLines, found.currency, now);
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

export type PricedCart = ReturnType<typeof priceCart>;
