import type { AssortedProduct, Assortment, Orderability, UnorderableReason } from './assortment';
import { type LadderStep, type PriceBook, type PriceQuote, quoteFromLadder } from './engine';

/**
 * One product as a customer sees it: what the price index stores per visible product, and what the SQL
 * fallback computes on a miss. Both paths answer a quantity through `lineAt`, so they cannot disagree.
 */
export interface CatalogEntry {
  sku: string;
  orderable: boolean;
  reason: UnorderableReason | null;
  reasonRuleId: string | null;
  leadTimeDays: number;
  replacementSku: string | null;
  listMinor: number | null;
  /** price steps by quantity, lowest first; empty when the product has no price */
  ladder: LadderStep[];
}

export type PricedLine = { visible: false } | ({ visible: true; price: PriceQuote | null } & Orderability);

/**
 * The customer's view of one product, or null when it is not visible to them. A replacement is only
 * named when the customer can see it (`isVisible`), so an obsolete item never points into hidden range.
 */
export function compileEntry(
  product: AssortedProduct,
  listMinor: number | null,
  context: { book: PriceBook; assortment: Assortment; now: number; isVisible: (sku: string) => boolean },
): CatalogEntry | null {
  const seen = context.assortment.visibility(product);
  if (!seen.visible) return null;
  const ladder = context.book.ladder(product, listMinor, context.now);
  const priced = ladder.length > 0;
  const replacementSku =
    seen.replacementSku !== null && context.isVisible(seen.replacementSku) ? seen.replacementSku : null;
  return {
    sku: product.sku,
    orderable: seen.orderable && priced,
    reason: seen.reason ?? (priced ? null : 'no_price'),
    reasonRuleId: seen.reasonRuleId,
    leadTimeDays: seen.leadTimeDays,
    replacementSku,
    listMinor,
    ladder,
  };
}

/** The price and orderability of `quantity` units of an entry. */
export function lineAt(entry: CatalogEntry | null, quantity: number): PricedLine {
  if (entry === null) return { visible: false };
  const step = quoteFromLadder(entry.ladder, quantity);
  const price: PriceQuote | null = step
    ? {
        unitMinor: step.unitMinor,
        listMinor: step.listMinor,
        ruleId: step.ruleId,
        ruleIds: step.ruleIds,
        tierMinQuantity: step.tierMinQuantity,
      }
    : null;
  return {
    visible: true,
    orderable: entry.orderable,
    reason: entry.reason,
    reasonRuleId: entry.reasonRuleId,
    leadTimeDays: entry.leadTimeDays,
    replacementSku: entry.replacementSku,
    price,
  };
}
