import { batchRead } from '../db/queries/bulk';
import { type SkuFacts, skuFactsFrom, skuFactsQueries } from '../db/queries/cart-facts';
import { salesRepContact } from '../db/queries/companies';
import { companyOfferQueries, companyOffersFrom } from '../db/queries/offers';
import type { PricedCartLine } from '../domain/carts';
import type { CartOffer } from '../domain/offers';
import { type LinePricing, type PricedCart, priceCart } from '../services/cart-pricing';
import { customerViewOf } from '../services/catalog-view';
import type { PricingDeps } from '../services/pricing/deps';
import { customerEntries } from '../services/pricing/entries';
import type { CartRecord } from './cart-model';

/**
 * How old the facts behind a cart's answer may be: each product's ordering rules, stock and what offers
 * target, and the company's offers. Within this time a cart is priced without any SQL read; after it, the
 * stale facts are read again (one batch) before the answer. Checkout never uses them: it reads everything
 * fresh (checkout-plan.ts) and leaves what it read here. Prices themselves follow the index generation.
 */
export const CART_FACTS_MAX_AGE_MS = 5_000;
const MAX_CACHED_SKUS = 20_000;
const MAX_CACHED_LINES = 20_000;

interface Dated<T> {
  value: T;
  at: number;
}

const isFresh = (d: Dated<unknown> | undefined, now: number): d is Dated<unknown> =>
  d !== undefined && now >= d.at && now - d.at < CART_FACTS_MAX_AGE_MS;

/** Drops the oldest entries of an insertion-ordered map beyond `max`. */
function bound<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}

/**
 * Prices the company's carts inside its object, so an answer costs one call to the object and, while the
 * facts are fresh, no SQL read: index entries come from the isolate's part cache (by generation), product
 * facts and offers from here (at most CART_FACTS_MAX_AGE_MS old), and a line is priced again only when
 * something its price depends on changed: the index generation, its quantity or its product's facts.
 * Cart-level offers are computed again over the lines on every answer (pure, cheap).
 */
export class CartPricer {
  private readonly facts = new Map<string, Dated<SkuFacts | null>>();
  private offers: Dated<CartOffer[]> | null = null;
  /** by line id: the line priced from (index generation, quantity, facts), reused while all three hold */
  private readonly lines = new Map<
    string,
    { key: string; facts: SkuFacts | undefined; line: PricedCartLine }
  >();

  constructor(
    private readonly deps: PricingDeps,
    private readonly companyId: string,
  ) {}

  async price(cart: CartRecord, now: number): Promise<PricedCart> {
    const deps = this.deps;
    const view = await customerViewOf(deps, this.companyId, now);
    const skus = cart.lines.map((l) => l.sku);
    const [found, { products, offers }] = await Promise.all([
      customerEntries(deps, view.fingerprint, skus, now),
      this.current(skus, now),
    ]);
    // a generation never changes; SQL-computed entries (no generation) are never reused
    const generation = found.generation === null ? null : `${view.fingerprint}/${found.generation}`;
    const priced = priceCart(
      cart,
      { found, products, offers },
      now,
      generation ? this.reuse(generation) : undefined,
    );
    return this.withSalesRep(priced);
  }

  /** A line the buyer put in the cart that is (no longer) in the assortment says whom to ask about it. */
  private async withSalesRep(priced: PricedCart): Promise<PricedCart> {
    const hidden = (l: PricedCartLine) => l.problems.some((p) => p.code === 'not_available');
    if (!priced.lines.some(hidden)) return priced;
    const salesRep = await salesRepContact(this.deps.db, this.companyId);
    const lines = priced.lines.map((l) =>
      hidden(l)
        ? { ...l, problems: l.problems.map((p) => (p.code === 'not_available' ? { ...p, salesRep } : p)) }
        : l,
    );
    return { ...priced, lines };
  }

  /** The SKUs this customer can see (an unknown product and one outside its assortment look the same). */
  async visible(skus: readonly string[], now: number): Promise<Set<string>> {
    const deps = this.deps;
    const view = await customerViewOf(deps, this.companyId, now);
    const { entries } = await customerEntries(deps, view.fingerprint, skus, now);
    return new Set(skus.filter((sku) => entries.get(sku)));
  }

  private absorb(
    skus: readonly string[],
    products: ReadonlyMap<string, SkuFacts>,
    offers: CartOffer[],
    now: number,
  ) {
    for (const sku of skus) {
      this.facts.delete(sku);
      this.facts.set(sku, { value: products.get(sku) ?? null, at: now });
    }
    bound(this.facts, MAX_CACHED_SKUS);
    this.offers = { value: offers, at: now };
  }

  /** Facts of these SKUs and the company's offers (for carts and checkout), reading whatever is stale in one batch. */
  async current(skus: readonly string[], now: number) {
    const products = new Map<string, SkuFacts>();
    const stale: string[] = [];
    for (const sku of new Set(skus)) {
      const hit = this.facts.get(sku);
      if (!isFresh(hit, now)) stale.push(sku);
      else if (hit.value) products.set(sku, hit.value);
    }
    if (stale.length === 0 && this.offers && isFresh(this.offers, now)) {
      return { products, offers: this.offers.value };
    }
    const { db } = this.deps;
    const rows = await batchRead(db, {
      ...skuFactsQueries(db, stale),
      ...companyOfferQueries(db, this.companyId, now),
    });
    const read = skuFactsFrom(rows);
    const offers = companyOffersFrom(this.companyId, rows);
    this.absorb(stale, read, offers, now);
    for (const [sku, facts] of read) products.set(sku, facts);
    return { products, offers };
  }

  private reuse(generation: string): LinePricing {
    return (line, facts, price) => {
      const key = `${generation}/${line.sku}/${line.quantity}`;
      const known = this.lines.get(line.id);
      if (known && known.key === key && known.facts === facts) return known.line;
      const priced = price();
      this.lines.delete(line.id);
      this.lines.set(line.id, { key, facts, line: priced });
      bound(this.lines, MAX_CACHED_LINES);
      return priced;
    };
  }
}
