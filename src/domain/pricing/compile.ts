import { type AssortedProduct, Assortment, type AssortmentRule } from './assortment';
import { type Contract, PriceBook, type PriceRule } from './engine';
import { type CatalogEntry, compileEntry } from './evaluate';

export interface PricingData {
  contracts: readonly Contract[];
  rules: readonly PriceRule[];
  assortment: readonly AssortmentRule[];
  listPrices: ReadonlyMap<string, number>;
}

/**
 * A customer's catalog entries for the given products (visible ones only, in the order given), produced
 * lazily so an index build holds one part in memory at a time, and the instant until which they hold.
 * Used by the index build (every product) and the SQL fallback (a page).
 */
export function compileLazily(
  items: readonly AssortedProduct[],
  data: PricingData,
  now: number,
  /** visibility of SKUs outside `items` (replacements on a fallback page); default: not visible */
  isVisibleElsewhere: (sku: string) => boolean = () => false,
): { entries: Iterable<CatalogEntry>; validUntil: number | null } {
  const book = new PriceBook(data.contracts, data.rules);
  const assortment = new Assortment(data.assortment);
  const visible = new Set<string>();
  for (const p of items) if (assortment.visibility(p).visible) visible.add(p.sku);
  const isVisible = (sku: string) => visible.has(sku) || isVisibleElsewhere(sku);
  function* entries(): Generator<CatalogEntry> {
    for (const p of items) {
      if (!visible.has(p.sku)) continue;
      const entry = compileEntry(p, data.listPrices.get(p.sku) ?? null, { book, assortment, now, isVisible });
      if (entry) yield entry;
    }
  }
  return { entries: entries(), validUntil: book.nextChange(now) };
}

export function compileEntries(
  items: readonly AssortedProduct[],
  data: PricingData,
  now: number,
  isVisibleElsewhere?: (sku: string) => boolean,
): { entries: CatalogEntry[]; validUntil: number | null } {
  const { entries, validUntil } = compileLazily(items, data, now, isVisibleElsewhere);
  return { entries: [...entries], validUntil };
}

/** Groups of `size` consecutive items: an index part at a time. */
export function* inGroupsOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let group: T[] = [];
  for (const item of items) {
    group.push(item);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** Visibility alone, for products that are only referenced (a replacement on a fallback page). */
export function visibleSkus(
  items: readonly AssortedProduct[],
  rules: readonly AssortmentRule[],
): Set<string> {
  const assortment = new Assortment(rules);
  return new Set(items.filter((p) => assortment.visibility(p).visible).map((p) => p.sku));
}

/**
 * How many products of each category (its own path, not its subtree) the assortment lets a customer see:
 * the category tree's counts, so that they never count what the listing would not show.
 */
export function visibleCountsByCategory(
  items: readonly AssortedProduct[],
  rules: readonly AssortmentRule[],
): Record<string, number> {
  const assortment = new Assortment(rules);
  const counts: Record<string, number> = {};
  for (const p of items) {
    if (assortment.visibility(p).visible) counts[p.categoryPath] = (counts[p.categoryPath] ?? 0) + 1;
  }
  return counts;
}
